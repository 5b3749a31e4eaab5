"""The verdict line written from pre-encoded pieces is the line `json.dumps` makes."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from dairyhaccp.clitools import dumps
from dairyhaccp.examples import example_profile
from dairyhaccp.guide.models import Guide, Text
from dairyhaccp.monitoring import MeasurementError, check, measurement_from_dict
from dairyhaccp.monitoring import evaluate as evaluate_module
from dairyhaccp.monitoring import export as export_module
from dairyhaccp.monitoring.evaluate import Evaluation, Verdict
from dairyhaccp.monitoring.export import evaluation_json, evaluation_to_data, pieces_plain
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import parse_profile_toml
from dairyhaccp.vocabulary import MEDIA, PACKAGING, PRODUCT_KINDS


def _random_measurements(guide: Guide, count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    categories = [c.id for c in guide.storage_categories]
    products = [*PRODUCT_KINDS, *MEDIA]
    measurements = []
    for _ in range(count):
        control = rng.choice(guide.controls)
        data: dict[str, object] = {"control": control.id}
        for name in (*control.judged_parameters(), *control.observed_parameters()):
            if rng.random() < 0.3:
                continue
            parameter = guide.parameter(name)
            if parameter.is_boolean:
                data[name] = rng.random() < 0.7
                continue
            assert parameter.min is not None and parameter.max is not None
            span = (parameter.max - parameter.min) * rng.choice([0.02, 0.2, 1.0])
            value = rng.uniform(parameter.min, parameter.min + span)
            data[name] = round(value) if parameter.type == "integer" else round(value, 2)
        pick = rng.random()
        if pick < 0.5:
            data["product"] = rng.choice(products)
        elif pick < 0.7:
            data["category"] = rng.choice(categories)
        measurements.append(data)
    return measurements


def _evaluations(guide: Guide, with_plan: bool) -> list[Evaluation]:
    plan = build_plan(guide, parse_profile_toml(example_profile("demo"))) if with_plan else None
    evaluations = []
    for data in _random_measurements(guide, 6000, seed=11):
        try:
            evaluations.append(check(measurement_from_dict(data, guide), guide, plan))
        except MeasurementError:
            continue
    return evaluations


@pytest.mark.parametrize("with_plan", [False, True])
def test_every_verdict_line_equals_json_dumps_of_its_data(guide: Guide, with_plan: bool) -> None:
    evaluations = _evaluations(guide, with_plan)
    verdicts = {evaluation.verdict for evaluation in evaluations}
    assert verdicts == set(Verdict), "the sample should hold every verdict"
    assert len({evaluation.control for evaluation in evaluations}) > 10
    for evaluation in evaluations:
        for lang in ("nl", "fr", "en"):
            expected = json.dumps(evaluation_to_data(evaluation, lang), ensure_ascii=False)
            assert evaluation_json(evaluation, lang) == expected


def test_a_number_json_cannot_write_becomes_null_as_in_dumps(guide: Guide) -> None:
    data = {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 5.0}
    evaluation = check(measurement_from_dict(data, guide), guide)
    odd = Evaluation(
        control=evaluation.control,
        verdict=evaluation.verdict,
        findings=evaluation.findings,
        required={"temperature_c": float("inf")},
        checks=evaluation.checks,
        values={**evaluation.values, "x": float("nan")},
        guide_version=evaluation.guide_version,
    )
    line = json.loads(evaluation_json(odd, "nl"))
    assert line["required"] == {"temperature_c": None}
    assert line["values"]["x"] is None
    assert line["values"]["temperature_c"] == 5.0


def _outcome(data: dict[str, object], guide: Guide, plan: object) -> object:
    try:
        return check(measurement_from_dict(data, guide), guide, plan)  # type: ignore[arg-type]
    except MeasurementError as exc:
        return (exc.field, exc.code, exc.problem)


@pytest.mark.parametrize("with_plan", [False, True])
def test_a_judge_that_has_seen_a_measurement_of_the_same_shape_judges_as_a_fresh_one(
    guide: Guide, with_plan: bool
) -> None:
    plan = build_plan(guide, parse_profile_toml(example_profile("demo"))) if with_plan else None
    samples = _random_measurements(guide, 5000, seed=23)
    rng = random.Random(5)
    for data in samples:
        if rng.random() < 0.3:
            data["raw_milk"] = rng.random() < 0.5
        if rng.random() < 0.3:
            data["packaging"] = rng.choice(PACKAGING)
    fields = ("control", "product", "category", "raw_milk", "packaging")
    shapes = {(*(d.get(name) for name in fields), tuple(d)) for d in samples}
    assert len(samples) - len(shapes) > 1000, "the sample should repeat shapes"

    warm = [_outcome(data, guide, plan) for data in samples]
    backwards = [_outcome(data, guide, plan) for data in reversed(samples)][::-1]
    fresh = []
    for data in samples:
        evaluate_module._JUDGES.clear()
        fresh.append(_outcome(data, guide, plan))

    assert warm == fresh
    assert backwards == fresh
    refused = sum(isinstance(outcome, tuple) for outcome in fresh)
    assert 0 < refused < len(fresh)


def test_the_records_of_a_verdict_hold_each_of_their_fields_and_stay_frozen(guide: Guide) -> None:
    data = {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 8.0}
    evaluation = check(measurement_from_dict(data, guide), guide)
    for record in (evaluation, evaluation.findings[0], evaluation.checks[0]):
        names = [item.name for item in dataclasses.fields(record)]
        assert list(vars(record)) == names
        assert dataclasses.replace(record) == record
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, names[0], None)

    bare, other = Evaluation("CCP 3", Verdict.CONFORM, ()), Evaluation("CCP 3", Verdict.CONFORM, ())
    assert (bare.required, bare.values, bare.derived, bare.observed) == ({}, {}, {}, {})
    assert bare.required is not other.required and bare.checks == () and bare.guide_version == ""


@pytest.fixture
def fresh_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pieces of verdict lines made anew, none yet noted as needing escaping."""
    monkeypatch.setattr(export_module, "_plain", True)
    for store in ("_check_pieces", "_finding_pieces", "_action_lists", "_strings", "_value_keys"):
        monkeypatch.setattr(export_module, store, {})


@pytest.mark.usefixtures("fresh_pieces")
@pytest.mark.parametrize("with_plan", [False, True])
def test_lines_of_the_guides_pieces_are_written_as_they_are(guide: Guide, with_plan: bool) -> None:
    for evaluation in _evaluations(guide, with_plan)[:1500]:
        for lang in ("nl", "fr", "en"):
            text = evaluation_json(evaluation, lang)
            assert pieces_plain()
            assert text == dumps(evaluation_to_data(evaluation, lang))


_ODD = ["a\u2028b", "a\x85b", "a\u2029b", "a\udcffb"]


@pytest.mark.usefixtures("fresh_pieces")
@pytest.mark.parametrize("odd", _ODD)
@pytest.mark.parametrize("where", ["control", "guide_version", "value", "action", "unit", "limit"])
def test_a_piece_that_needs_escaping_sends_lines_the_long_way(
    guide: Guide, odd: str, where: str
) -> None:
    data = {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 9.5}
    evaluation = check(measurement_from_dict(data, guide), guide)
    evaluation_json(evaluation, "nl")
    assert pieces_plain()
    finding, limit_check = evaluation.findings[0], evaluation.checks[0]
    if where == "unit":
        finding = dataclasses.replace(finding, unit=odd)
    if where == "limit":
        limit_check = dataclasses.replace(limit_check, limit_id=odd)
    odd_one = dataclasses.replace(
        evaluation,
        control=odd if where == "control" else evaluation.control,
        guide_version=odd if where == "guide_version" else evaluation.guide_version,
        values={odd: 1.0} if where == "value" else evaluation.values,
        corrective_actions=(Text(nl=odd, en=odd),) if where == "action" else (),
        verdict=Verdict.DEVIATION,
        findings=(finding,),
        checks=(limit_check,),
    )
    text = evaluation_json(odd_one, "nl")
    assert not pieces_plain()
    assert dumps(evaluation_to_data(odd_one, "nl")) != text
