"""Registrations with values the guide sets no limit for, and the duty to notify the FAVV."""

from __future__ import annotations

import pytest

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import Guide
from dairyhaccp.guide.models import Text
from dairyhaccp.monitoring import MeasurementError, Verdict, check, measurement_from_dict
from dairyhaccp.monitoring.evaluate import Evaluation, Finding, FindingCode, Requirement
from dairyhaccp.monitoring.notify import notices_for
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.models import Plan
from dairyhaccp.profile import parse_profile_toml


@pytest.fixture
def demo_plan(guide: Guide) -> Plan:
    return build_plan(guide, parse_profile_toml(example_profile("demo")))


def test_a_ph_followed_without_a_limit_alone_is_no_verdict(guide: Guide, demo_plan: Plan) -> None:
    with pytest.raises(MeasurementError) as caught:
        check(measurement_from_dict({"control": "PVA 12", "ph": 5.9}), guide, demo_plan)
    assert caught.value.field == "measurement"
    assert caught.value.code == "nothing_measured"
    assert "visual_ok" in caught.value.problem


def test_a_followed_ph_is_kept_beside_the_values_judged(guide: Guide, demo_plan: Plan) -> None:
    measurement = measurement_from_dict({"control": "PVA 12", "ph": 5.9, "visual_ok": True})
    evaluation = check(measurement, guide, demo_plan)
    assert evaluation.verdict is Verdict.CONFORM
    assert evaluation.observed == {"ph": 5.9}
    assert {c.parameter for c in evaluation.checks} == {"visual_ok"}


def test_values_with_a_limit_are_still_judged(guide: Guide, demo_plan: Plan) -> None:
    measurement = measurement_from_dict({"control": "PVA 12", "ph": 5.9, "visual_ok": False})
    assert check(measurement, guide, demo_plan).verdict is Verdict.DEVIATION


def test_nothing_measured_is_refused_naming_the_measurement(guide: Guide) -> None:
    with pytest.raises(MeasurementError) as caught:
        check(measurement_from_dict({"control": "CCP 9", "product": "milk"}), guide)
    assert caught.value.field == "measurement"


def test_a_control_outside_the_plan_is_still_refused(guide: Guide, demo_plan: Plan) -> None:
    with pytest.raises(MeasurementError) as caught:
        check(measurement_from_dict({"control": "CCP 15", "ph": 5.0}), guide, demo_plan)
    assert caught.value.field == "control"


def _deviation(parameter: str, severity: Verdict = Verdict.DEVIATION) -> Evaluation:
    finding = Finding(
        code=FindingCode.NOT_OK,
        limit_id="x",
        parameter=parameter,
        measured=False,
        requirement=Requirement("is_true"),
        unit="bool",
        level="critical_limit",
        limit_text=Text(nl="residuen", en="residues"),
        severity=severity,
    )
    return Evaluation(control="CCP 2", verdict=Verdict.DEVIATION, findings=(finding,))


def test_antibiotic_residues_above_the_mrl_must_be_notified(demo_plan: Plan) -> None:
    notices = notices_for(_deviation("antibiotic_residues"), demo_plan)
    assert [n.id for n in notices] == ["notify-antibiotic-residues"]
    assert notices[0].exemption is not None


def test_a_pasteurisation_deviation_needs_no_notification(guide: Guide, demo_plan: Plan) -> None:
    data = {"control": "CCP 9", "product": "Roeryoghurt", "temperature_c": 70, "hold_s": 20}
    evaluation = check(measurement_from_dict(data), guide, demo_plan)
    assert evaluation.verdict is Verdict.DEVIATION
    assert notices_for(evaluation, demo_plan) == ()
