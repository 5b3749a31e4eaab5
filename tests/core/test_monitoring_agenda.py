"""The agenda: every check of the plan on its batch, room or the business, DST-safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import Guide
from dairyhaccp.monitoring.agenda import BatchRef, Done, RoomRef, TargetKind, build_agenda
from dairyhaccp.monitoring.duties import (
    RAW_MILK,
    Target,
    batch_checks,
    controls_for_product,
    form_fields,
    placement,
    products_for_control,
    registrable_controls,
    room_checks,
    room_tasks,
)
from dairyhaccp.monitoring.schedule import BRUSSELS, DueStatus
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.models import Plan
from dairyhaccp.profile import parse_profile_toml


@pytest.fixture
def demo_plan(guide: Guide) -> Plan:
    return build_plan(guide, parse_profile_toml(example_profile("demo")))


@pytest.fixture
def strict_plan(guide: Guide) -> Plan:
    text = example_profile("demo").replace("relaxations = true", "relaxations = false")
    return build_plan(guide, parse_profile_toml(text))


def brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


def test_every_monitoring_item_of_the_guide_is_placed_by_its_data(guide: Guide) -> None:
    targets = {placement(item).target for control in guide.controls for item in control.monitoring}
    assert targets <= set(Target)
    freezers = placement(guide.control("CCP 3").monitoring[2])
    assert freezers.room_kinds == ("freezer",)
    assert freezers.categories == ("frozen",)


def test_a_raw_milk_cheese_batch_gets_no_pasteurisation_check(demo_plan: Plan) -> None:
    checks = {c.monitoring.id for c in batch_checks(demo_plan, "Hoevekaas")}
    assert "ccp9-time-temperature" not in checks
    assert "CCP 9" not in controls_for_product(demo_plan, "Hoevekaas")
    assert {"ccp12-time-temperature", "ccp23-vacuum-visual", "pva14-temperature-check"} <= checks


def test_a_yoghurt_batch_is_pasteurised_and_cooled(demo_plan: Plan) -> None:
    checks = {c.monitoring.id for c in batch_checks(demo_plan, "Roeryoghurt")}
    assert {"ccp9-time-temperature", "pva17-temperature-check", "pva18-ph-check"} <= checks
    assert "ccp12-time-temperature" not in checks


def test_a_milking_gets_the_cooling_check_of_ccp2(demo_plan: Plan) -> None:
    assert [c.monitoring.id for c in batch_checks(demo_plan, RAW_MILK)] == ["ccp2-time-temperature"]


def test_a_ripening_room_gets_daily_temperature_weekly_humidity_and_yearly_disinfection(
    demo_plan: Plan,
) -> None:
    checks = [
        (c.monitoring.id, c.monitoring.frequency.text)
        for c in room_checks(demo_plan, "ripening_room")
    ]
    assert checks == [("ccp13-temperature", "daily"), ("ccp13-humidity", "weekly")]
    assert [t.id for t in room_tasks(demo_plan, "ripening_room")] == ["ghp-ripening-disinfection"]


def test_forms_ask_what_the_monitoring_measures_and_never_a_lab_parameter(
    demo_plan: Plan,
) -> None:
    assert form_fields(demo_plan.control("CCP 9")) == ("temperature_c", "hold_s")
    assert form_fields(demo_plan.control("CCP 3")) == ("temperature_c", "excursion_min")
    assert "antibiotic_residues" not in form_fields(demo_plan.control("CCP 2"))
    assert form_fields(demo_plan.control("PVA 25")) == ()


def test_the_registrable_controls_are_those_with_a_form_in_plan_order(demo_plan: Plan) -> None:
    ids = [control.id for control in registrable_controls(demo_plan)]

    assert ids == [control.id for control in demo_plan.controls if form_fields(control)]
    assert "CCP 9" in ids and "PVA 25" not in ids
    # remembered per plan, handed out as a list of its own each time
    registrable_controls(demo_plan).clear()
    assert [control.id for control in registrable_controls(demo_plan)] == ids


def test_lab_items_are_left_to_the_lab_context(guide: Guide) -> None:
    assert placement(guide.control("PVA 25").monitoring[0]).target is Target.LAB


def _statuses(agenda_duties: object) -> dict[tuple[str, str], DueStatus]:
    return {(d.key, d.target_name): d.status for d in agenda_duties}  # type: ignore[attr-defined]


RIPENING = RoomRef("1", "Kelder", "ripening_room", since=brussels(2026, 1, 5, 8))


def test_without_relaxations_a_missed_daily_check_is_overdue(strict_plan: Plan) -> None:
    agenda = build_agenda(strict_plan, [RIPENING], [], [], brussels(2026, 11, 21, 9))
    statuses = _statuses(agenda.duties)
    assert statuses[("ccp13-temperature", "Kelder")] is DueStatus.OVERDUE
    assert agenda.section("overdue")[0].status is DueStatus.OVERDUE


def test_with_relaxations_a_missed_check_is_only_a_reminder(demo_plan: Plan) -> None:
    agenda = build_agenda(demo_plan, [RIPENING], [], [], brussels(2026, 11, 21, 9))
    assert agenda.relaxed
    assert _statuses(agenda.duties)[("ccp13-temperature", "Kelder")] is DueStatus.DUE
    assert agenda.section("overdue") == ()


def test_a_temperature_registration_does_not_satisfy_the_weekly_humidity(strict_plan: Plan) -> None:
    now = brussels(2026, 11, 21, 18)
    done = [Done("CCP 13", brussels(2026, 11, 21, 8), frozenset({"temperature_c"}), room="1")]
    statuses = _statuses(build_agenda(strict_plan, [RIPENING], [], done, now).duties)
    assert statuses[("ccp13-temperature", "Kelder")] is DueStatus.DONE
    assert statuses[("ccp13-humidity", "Kelder")] is not DueStatus.DONE


def test_a_registration_in_another_room_does_not_count(strict_plan: Plan) -> None:
    other = RoomRef("2", "Kelder 2", "ripening_room")
    done = [Done("CCP 13", brussels(2026, 11, 21, 8), frozenset({"temperature_c"}), room="2")]
    agenda = build_agenda(strict_plan, [RIPENING, other], [], done, brussels(2026, 11, 21, 9))
    assert _statuses(agenda.duties)[("ccp13-temperature", "Kelder")] is not DueStatus.DONE


def test_a_batch_check_is_due_until_registered_for_that_batch(strict_plan: Plan) -> None:
    batch = BatchRef("7", "Y-0711", "Roeryoghurt", brussels(2026, 11, 21, 6))
    done = [
        Done("CCP 9", brussels(2026, 11, 21, 7), frozenset({"temperature_c", "hold_s"}), batch="7")
    ]
    statuses = _statuses(
        build_agenda(strict_plan, [], [batch], done, brussels(2026, 11, 21, 9)).duties
    )
    assert statuses[("ccp9-time-temperature", "Y-0711")] is DueStatus.DONE
    assert statuses[("pva18-ph-check", "Y-0711")] is DueStatus.DUE


def test_a_yearly_task_is_done_by_registering_the_task(strict_plan: Plan) -> None:
    done = [Done(None, brussels(2026, 3, 2, 9), room="1", task="ghp-ripening-disinfection")]
    agenda = build_agenda(strict_plan, [RIPENING], [], done, brussels(2026, 11, 21, 9))
    assert _statuses(agenda.duties)[("ghp-ripening-disinfection", "Kelder")] is DueStatus.DONE


def test_room_checks_without_such_a_room_are_asked_for_the_business(strict_plan: Plan) -> None:
    agenda = build_agenda(strict_plan, [], [], [], brussels(2026, 11, 21, 9))
    business = {d.key for d in agenda.duties if d.target_kind is TargetKind.BUSINESS}
    assert {"ccp13-temperature", "ccp3-cold-rooms", "ghp-ripening-disinfection"} <= business


def test_sections_split_today_this_week_and_later(strict_plan: Plan) -> None:
    # Saturday 21 November 2026: the daily check is for today, the weekly one by Sunday night.
    now = brussels(2026, 11, 21, 9)
    since = brussels(2026, 11, 21, 0)
    agenda = build_agenda(
        strict_plan, [RIPENING.__class__("1", "Kelder", "ripening_room", since)], [], [], now
    )
    keys = {
        name: {d.key for d in agenda.section(name) if d.target_name == "Kelder"}
        for name in ("today", "week", "later")
    }
    assert keys["today"] == {"ccp13-temperature"}
    assert keys["week"] == {"ccp13-humidity"}
    assert keys["later"] == {"ghp-ripening-disinfection"}


def test_a_check_done_just_before_midnight_in_summer_time_counts_for_that_day(
    strict_plan: Plan,
) -> None:
    # 21:59 UTC on 28 March 2026 is 22:59 in Brussels (winter time): still 28 March.
    done = [
        Done(
            "CCP 13",
            datetime(2026, 3, 28, 21, 59, tzinfo=UTC),
            frozenset({"temperature_c"}),
            room="1",
        )
    ]
    at_night = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 23:30 local
    statuses = _statuses(build_agenda(strict_plan, [RIPENING], [], done, at_night).duties)
    assert statuses[("ccp13-temperature", "Kelder")] is DueStatus.DONE


def test_across_the_spring_change_yesterdays_check_leaves_today_due_not_overdue(
    strict_plan: Plan,
) -> None:
    done = [Done("CCP 13", brussels(2026, 3, 28, 20), frozenset({"temperature_c"}), room="1")]
    with time_machine.travel(brussels(2026, 3, 29, 23, 30), tick=False):
        now = datetime.now(UTC)
        statuses = _statuses(build_agenda(strict_plan, [RIPENING], [], done, now).duties)
    assert statuses[("ccp13-temperature", "Kelder")] is DueStatus.DUE
    with time_machine.travel(brussels(2026, 3, 30, 0, 30), tick=False):
        now = datetime.now(UTC)
        statuses = _statuses(build_agenda(strict_plan, [RIPENING], [], done, now).duties)
    assert statuses[("ccp13-temperature", "Kelder")] is DueStatus.OVERDUE


def test_a_batch_check_turns_overdue_after_24_real_hours_across_the_autumn_change(
    strict_plan: Plan,
) -> None:
    batch = BatchRef("7", "Y-1", "Roeryoghurt", brussels(2026, 10, 24, 12))
    made = batch.started_at.astimezone(UTC)  # real hours: aware arithmetic in UTC
    before = build_agenda(strict_plan, [], [batch], [], made + timedelta(hours=23, minutes=59))
    after = build_agenda(strict_plan, [], [batch], [], made + timedelta(hours=24, minutes=1))
    assert _statuses(before.duties)[("ccp9-time-temperature", "Y-1")] is DueStatus.DUE
    assert _statuses(after.duties)[("ccp9-time-temperature", "Y-1")] is DueStatus.OVERDUE


def test_a_production_check_is_for_today_even_when_its_deadline_is_next_week(
    strict_plan: Plan,
) -> None:
    # Sunday evening: the batch's 24 hours run into Monday, the check is still to do now.
    batch = BatchRef("7", "Y-2", "Roeryoghurt", brussels(2026, 11, 22, 20))
    agenda = build_agenda(strict_plan, [], [batch], [], brussels(2026, 11, 22, 21))
    assert "ccp9-time-temperature" in {d.key for d in agenda.section("today")}


def test_a_pasteurisation_is_registered_only_for_products_that_are_pasteurised(
    guide: Guide,
) -> None:
    plan = build_plan(guide, parse_profile_toml(example_profile("demo")))
    labels = ["Hoevekaas", "Roeryoghurt", "Hoeveboter", RAW_MILK]
    assert products_for_control(plan, plan.control("CCP 9"), labels) == [
        "Roeryoghurt",
        "Hoeveboter",
    ]
    assert RAW_MILK in products_for_control(plan, plan.control("CCP 2"), labels)
    assert products_for_control(plan, plan.control("CCP 13"), labels) == ["Hoevekaas"]


BRINE = RoomRef("3", "Pekelbad", "brine_bath", since=brussels(2024, 1, 5, 8))


def test_weekly_brine_checks_are_no_yearly_renewal_of_the_brine(strict_plan: Plan) -> None:
    # given two years of weekly saturation checks in the brine bath, and no renewal
    now = brussels(2026, 11, 21, 9)
    weekly = [
        Done("PVA 14", now - timedelta(weeks=k), frozenset({"baume", "salt_on_bottom"}), room="3")
        for k in range(100)
    ]

    statuses = _statuses(build_agenda(strict_plan, [BRINE], [], weekly, now).duties)

    # then the weekly check is done and the renewal is not
    assert statuses[("pva14-saturation-check", "Pekelbad")] is DueStatus.DONE
    assert statuses[("pva14-renew-brine", "Pekelbad")] is DueStatus.OVERDUE

    # until the brine is made anew, registered as its task
    renewed = Done("PVA 14", now - timedelta(days=30), room="3", task="pva14-renew-brine")
    statuses = _statuses(build_agenda(strict_plan, [BRINE], [], [*weekly, renewed], now).duties)
    assert statuses[("pva14-renew-brine", "Pekelbad")] is DueStatus.DONE


def test_the_dossier_counts_no_brine_renewal_for_weekly_brine_checks(strict_plan: Plan) -> None:
    from datetime import date

    from dairyhaccp.monitoring.coverage import Span, coverage

    now = brussels(2026, 1, 10, 9)
    span = Span(date(2025, 1, 1), date(2025, 12, 31))
    weekly = [
        Done("PVA 14", brussels(2025, 1, 6, 9) + timedelta(weeks=k), frozenset({"baume"}), room="3")
        for k in range(52)
    ]
    renewed = Done("PVA 14", brussels(2025, 3, 3, 9), room="3", task="pva14-renew-brine")

    def brine_tally(done: list[Done]) -> tuple[int, int]:
        tallies = coverage(strict_plan, [BRINE], [], done, span, now)
        found = next(t for t in tallies if t.control_id == "PVA 14")
        return found.due, found.done

    due, done_weekly_only = brine_tally(weekly)
    assert brine_tally([*weekly, renewed]) == (due, done_weekly_only + 1)
    assert done_weekly_only == len(weekly)
