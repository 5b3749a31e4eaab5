"""Readiness per module from the self-assessment answers."""

from __future__ import annotations

from datetime import date

import pytest

from dairyhaccp.ikm.inputs import IkmInputError
from dairyhaccp.ikm.loader import load_lastenboek
from dairyhaccp.ikm.models import Lastenboek
from dairyhaccp.ikm.readiness import days_covered, readiness


@pytest.fixture(scope="module")
def lastenboek() -> Lastenboek:
    return load_lastenboek()


def test_modules_come_in_the_lastenboeks_order_after_the_preconditions(
    lastenboek: Lastenboek,
) -> None:
    modules = [r.module for r in readiness(lastenboek, {})]

    assert modules == [
        "preconditions",
        "animal_health",
        "animal_welfare",
        "milking",
        "cleaning",
        "environment",
        "notification",
        "hygiene",
        "sustainability_monitor",
    ]


def test_nothing_answered_is_nothing_ready(lastenboek: Lastenboek) -> None:
    for module in readiness(lastenboek, {}):
        assert module.unanswered == module.criteria
        assert module.readiness_pct == 0.0
        assert not module.ready


def test_counts_and_open_points_of_a_module(lastenboek: Lastenboek) -> None:
    answers = {
        "F-notifiable-disease": "met",
        "F-dangerous-products-feed": "not_met",
        "E-biocide-user": "not_applicable",
        "G-monitor-completed": "met",
    }

    by_module = {r.module: r for r in readiness(lastenboek, answers)}

    notification = by_module["notification"]
    assert (notification.met, notification.not_met, notification.unanswered) == (1, 1, 0)
    assert notification.open == ("F-dangerous-products-feed",)
    assert notification.readiness_pct == 50.0
    assert not notification.ready
    environment = by_module["environment"]
    assert environment.readiness_pct is None
    assert environment.ready
    assert by_module["sustainability_monitor"].ready


def test_a_module_with_a_third_met_reads_33_3(lastenboek: Lastenboek) -> None:
    welfare = [c.id for c in lastenboek.criteria_of("animal_welfare")]
    assert len(welfare) == 3

    (result,) = [
        r for r in readiness(lastenboek, {welfare[0]: "met"}) if r.module == "animal_welfare"
    ]

    assert result.readiness_pct == 33.3
    assert result.open == tuple(welfare[1:])


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"Z-nothing": "met"}, "answers"),
        ({"A-ibr-status": "yes"}, "answers.A-ibr-status"),
        ({"A-ibr-status": None}, "answers.A-ibr-status"),
        ({"A-ibr-status": ["met"]}, "answers.A-ibr-status"),
    ],
)
def test_unknown_criteria_and_answers_are_refused(
    lastenboek: Lastenboek, answers: dict[str, object], field: str
) -> None:
    with pytest.raises(IkmInputError) as caught:
        readiness(lastenboek, answers)

    assert caught.value.field == field


def test_days_with_a_record_in_a_period() -> None:
    period_start, period_end = date(2026, 1, 1), date(2026, 1, 31)
    days = [date(2026, 1, d) for d in range(1, 32) if d not in (10, 11)]

    assert days_covered([*days, date(2026, 1, 5), date(2026, 2, 1)], period_start, period_end) == (
        29,
        31,
    )
