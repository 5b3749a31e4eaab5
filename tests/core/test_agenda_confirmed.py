"""The agenda with the relaxations: checks confirmed "all in order" are done, and what was
neither registered nor confirmed expires instead of piling up."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import Guide
from dairyhaccp.monitoring.agenda import BatchRef, Confirmed, RoomRef, build_agenda
from dairyhaccp.monitoring.schedule import BRUSSELS, DueStatus
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.models import Plan
from dairyhaccp.profile import parse_profile_toml


def brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


@pytest.fixture
def relaxed_plan(guide: Guide) -> Plan:
    return build_plan(guide, parse_profile_toml(example_profile("demo")))


@pytest.fixture
def strict_plan(guide: Guide) -> Plan:
    text = example_profile("demo").replace("relaxations = true", "relaxations = false")
    return build_plan(guide, parse_profile_toml(text))


CELLAR = RoomRef("1", "Kelder", "ripening_room", since=brussels(2026, 1, 5, 8))
NOW = brussels(2026, 11, 21, 9)


def _status(plan: Plan, confirmed: list[Confirmed], now: datetime = NOW) -> DueStatus:
    agenda = build_agenda(plan, [CELLAR], [], [], now, confirmed=confirmed)
    return next(d.status for d in agenda.duties if d.key == "ccp13-temperature")


def test_a_confirmed_check_is_done_for_its_window_only(relaxed_plan: Plan) -> None:
    confirmed = [Confirmed("ccp13-temperature", "1", brussels(2026, 11, 21, 8))]
    assert _status(relaxed_plan, confirmed) is DueStatus.DONE
    assert _status(relaxed_plan, confirmed, brussels(2026, 11, 22, 9)) is DueStatus.DUE
    elsewhere = [Confirmed("ccp13-temperature", "2", brussels(2026, 11, 21, 8))]
    assert _status(relaxed_plan, elsewhere) is DueStatus.DUE


def test_without_the_relaxations_a_confirmation_counts_for_nothing(strict_plan: Plan) -> None:
    confirmed = [Confirmed("ccp13-temperature", "1", brussels(2026, 11, 21, 8))]
    assert _status(strict_plan, confirmed) is DueStatus.OVERDUE


def test_duties_know_the_kind_of_room_they_are_done_in(relaxed_plan: Plan) -> None:
    agenda = build_agenda(relaxed_plan, [CELLAR], [], [], NOW)
    kinds = {d.key: d.room_kind for d in agenda.duties if d.target_key == "1"}
    assert kinds["ccp13-temperature"] == "ripening_room"


def test_a_production_check_expires_after_its_grace_with_the_relaxations(
    relaxed_plan: Plan, strict_plan: Plan
) -> None:
    batch = BatchRef("7", "Y-1", "Roeryoghurt", NOW - timedelta(hours=30))
    relaxed = build_agenda(relaxed_plan, [], [batch], [], NOW)
    assert not [d for d in relaxed.duties if d.target_key == "7"]
    assert {d.key for d in relaxed.expired} >= {"ccp9-time-temperature"}
    strict = build_agenda(strict_plan, [], [batch], [], NOW)
    statuses = {d.key: d.status for d in strict.duties if d.target_key == "7"}
    assert statuses["ccp9-time-temperature"] is DueStatus.OVERDUE and not strict.expired
    confirmed = [Confirmed("ccp9-time-temperature", "7", NOW - timedelta(hours=28))]
    done = build_agenda(relaxed_plan, [], [batch], [], NOW, confirmed=confirmed)
    assert [d.status for d in done.duties if d.key == "ccp9-time-temperature"] == [DueStatus.DONE]
