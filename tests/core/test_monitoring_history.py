"""Stateful rules are evaluated from stored history, not from what the user types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.guide import Guide
from dairyhaccp.monitoring import MeasurementError, Verdict, check, measurement_from_dict
from dairyhaccp.monitoring.history import (
    StarterUse,
    StoredFacts,
    derived_values,
    hours_between,
    minutes_between,
    productions_since_industrial_starter,
)
from dairyhaccp.monitoring.schedule import BRUSSELS
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.models import Plan
from dairyhaccp.profile import profile_from_dict

START = datetime(2026, 11, 2, 8, tzinfo=BRUSSELS)


def uses(*industrial: bool) -> list[StarterUse]:
    return [StarterUse(START + timedelta(days=i), flag) for i, flag in enumerate(industrial)]


def test_industrial_starter_resets_the_count() -> None:
    assert productions_since_industrial_starter(uses(False, False, False), True) == 0


def test_home_made_uses_after_the_last_industrial_one_are_counted_with_this_one() -> None:
    history = uses(False, False, True, False, False)
    assert productions_since_industrial_starter(history, False) == 3


def test_without_an_industrial_use_on_record_every_home_made_use_counts() -> None:
    assert productions_since_industrial_starter(uses(False, False, False, False), False) == 5


def test_the_count_follows_the_order_of_time_not_of_storage() -> None:
    history = list(reversed(uses(True, False, False)))
    assert productions_since_industrial_starter(history, False) == 3


@given(st.lists(st.booleans(), max_size=30))
def test_the_count_never_exceeds_the_number_of_processings(flags: list[bool]) -> None:
    count = productions_since_industrial_starter(uses(*flags), False)
    assert 1 <= count <= len(flags) + 1


def _home_starter_plan(guide: Guide) -> Plan:
    profile = profile_from_dict(
        {
            "operator": {"name": "Zuurselhoeve", "home_made_starter": True},
            "products": [{"kind": "semi_hard_cheese"}],
        }
    )
    return build_plan(guide, profile)


def test_the_fifth_processing_in_a_row_with_home_made_starter_is_a_deviation(
    guide: Guide,
) -> None:
    # given four processings with home-made starter since the last industrial one
    facts = StoredFacts(
        measured_at=START + timedelta(days=10),
        starter_uses=tuple(uses(True, False, False, False, False)),
        industrial_starter=False,
    )
    # when the user claims a count of 0 for a fifth home-made processing
    data = {"control": "PVA 11", "productions_since_industrial_starter": 0, "visual_ok": True}
    evaluation = check(measurement_from_dict(data), guide, _home_starter_plan(guide), facts)
    # then the stored history decides
    assert evaluation.derived == {"productions_since_industrial_starter": 5}
    assert evaluation.verdict is Verdict.DEVIATION
    assert [f.limit_id for f in evaluation.findings] == ["pva11-industrial-starter"]


def test_the_fourth_in_a_row_is_still_conform(guide: Guide) -> None:
    facts = StoredFacts(
        measured_at=START + timedelta(days=10),
        starter_uses=tuple(uses(True, False, False, False)),
        industrial_starter=False,
    )
    data = {"control": "PVA 11", "visual_ok": True}
    evaluation = check(measurement_from_dict(data), guide, _home_starter_plan(guide), facts)
    assert evaluation.verdict is Verdict.CONFORM


def test_later_uses_do_not_count_for_an_earlier_check(guide: Guide) -> None:
    facts = StoredFacts(
        measured_at=START + timedelta(days=1, hours=1),
        starter_uses=tuple(uses(True, False, False, False, False, False)),
        industrial_starter=False,
    )
    assert derived_values(guide.control("PVA 11"), facts, guide) == {
        "productions_since_industrial_starter": 2
    }


def test_time_since_milking_comes_from_the_stored_milking_time(guide: Guide) -> None:
    facts = StoredFacts(measured_at=START + timedelta(minutes=150), milked_at=START)
    data = {"control": "CCP 2", "product": "raw_milk", "temperature_c": 5, "elapsed_min": 60}
    evaluation = check(measurement_from_dict(data), guide, facts=facts)
    assert evaluation.derived == {"elapsed_min": 150.0}
    assert evaluation.values["elapsed_min"] == 150.0
    assert evaluation.verdict is Verdict.DEVIATION
    assert [f.limit_id for f in evaluation.findings] == ["ccp2-raw-milk-time"]


def test_elapsed_time_is_real_time_across_the_autumn_clock_change() -> None:
    # 02:30 summer time to 03:30 winter time on 25 October 2026: two real hours.
    milked = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    measured = datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert minutes_between(milked.astimezone(BRUSSELS), measured.astimezone(BRUSSELS)) == 120.0


def test_raw_milk_storage_hours_come_from_the_milking_time(guide: Guide) -> None:
    facts = StoredFacts(measured_at=START + timedelta(hours=49), milked_at=START)
    assert derived_values(guide.control("PVA 7"), facts, guide) == {"storage_h": 49.0}
    assert hours_between(START, START + timedelta(minutes=90)) == 1.5


def test_cooling_time_counts_from_the_registered_pasteurisation(guide: Guide) -> None:
    facts = StoredFacts(measured_at=START + timedelta(minutes=95), pasteurised_at=START)
    assert derived_values(guide.control("CCP 10"), facts, guide) == {"elapsed_min": 95.0}
    assert derived_values(guide.control("PVA 17"), facts, guide) == {"elapsed_min": 95.0}


def test_without_stored_facts_the_typed_value_stays(guide: Guide) -> None:
    data = {"control": "CCP 10", "product": "pasteurised_milk", "elapsed_min": 30}
    evaluation = check(measurement_from_dict(data), guide, facts=StoredFacts(measured_at=START))
    assert evaluation.derived == {}
    assert evaluation.values["elapsed_min"] == 30


def test_a_check_before_the_event_it_times_is_refused(guide: Guide) -> None:
    facts = StoredFacts(measured_at=START, milked_at=START + timedelta(days=1))
    with pytest.raises(MeasurementError) as caught:
        derived_values(guide.control("CCP 2"), facts, guide)
    assert caught.value.field == "elapsed_min"


def test_times_without_a_zone_are_refused() -> None:
    with pytest.raises(MeasurementError):
        minutes_between(datetime(2026, 1, 1, 8), datetime(2026, 1, 1, 9))
