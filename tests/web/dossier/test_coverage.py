"""Occasions due and done over a period (monitoring.coverage): windows, running windows, the
days before a target was tracked, and periods split by plan versions. No database."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from dairyhaccp.guide.models import Frequency
from dairyhaccp.monitoring.coverage import Span, Tally, add_up, periodic_tally, windows
from dairyhaccp.monitoring.schedule import BRUSSELS

DAILY = Frequency(text="daily", period="day")
WEEKLY = Frequency(text="weekly", period="week")
TWICE_A_MONTH = Frequency(text="2 per month", period="month", times=2)
YEARLY = Frequency(text="yearly", period="year")
LATER = datetime(2030, 1, 1, tzinfo=BRUSSELS)


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BRUSSELS)


def test_weekly_windows_overlapping_a_period_include_the_week_it_starts_in() -> None:
    span = Span(date(2026, 3, 4), date(2026, 3, 17))  # Wednesday to Tuesday
    starts = [window.start for window in windows(WEEKLY, span)]
    assert starts == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


def test_a_later_span_leaves_the_window_begun_before_it_to_the_span_before() -> None:
    span = Span(date(2026, 3, 4), date(2026, 3, 17), with_earlier_windows=False)
    assert [w.start for w in windows(WEEKLY, span)] == [date(2026, 3, 9), date(2026, 3, 16)]


def test_a_span_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        Span(date(2026, 3, 4), date(2026, 3, 3))


def test_daily_checks_across_the_spring_clock_change_count_calendar_days() -> None:
    # 29 March 2026 has 23 hours; a check at 23:30 that day is still that day's.
    span = Span(date(2026, 3, 28), date(2026, 3, 30))
    moments = [at(date(2026, 3, 28)), datetime(2026, 3, 29, 23, 30, tzinfo=BRUSSELS)]
    assert periodic_tally(DAILY, moments, span, LATER, None) == (3, 2)


def test_more_checks_than_asked_in_a_window_count_as_one_occasion_done() -> None:
    span = Span(date(2026, 3, 2), date(2026, 3, 3))
    moments = [at(date(2026, 3, 2), hour) for hour in (6, 12, 18)]
    assert periodic_tally(DAILY, moments, span, LATER, None) == (2, 1)


def test_a_frequency_of_twice_a_month_asks_two_occasions_per_month() -> None:
    span = Span(date(2026, 1, 1), date(2026, 2, 28))
    moments = [at(date(2026, 1, 5)), at(date(2026, 1, 20)), at(date(2026, 2, 10))]
    assert periodic_tally(TWICE_A_MONTH, moments, span, LATER, None) == (4, 3)


def test_a_running_window_is_due_only_as_far_as_it_is_done() -> None:
    span = Span(date(2026, 3, 2), date(2026, 3, 8))
    now = at(date(2026, 3, 5), 12)
    # Mon to Wed are over (due, one done); Thursday runs and is done; Fri to Sun not begun.
    moments = [at(date(2026, 3, 3)), at(date(2026, 3, 5), 9)]
    assert periodic_tally(DAILY, moments, span, now, None) == (4, 2)


def test_windows_over_before_tracking_began_are_not_due() -> None:
    span = Span(date(2026, 3, 2), date(2026, 3, 8))
    since = at(date(2026, 3, 5), 10)  # the room was entered on Thursday morning
    assert periodic_tally(DAILY, [], span, LATER, since) == (4, 0)


def test_a_yearly_check_done_before_the_period_in_its_own_year_counts() -> None:
    span = Span(date(2026, 6, 1), date(2026, 6, 30))
    assert periodic_tally(YEARLY, [at(date(2026, 2, 1))], span, LATER, None) == (1, 1)


def test_an_event_frequency_has_no_occasions() -> None:
    span = Span(date(2026, 6, 1), date(2026, 6, 30))
    production = Frequency(text="each production", event="production")
    assert periodic_tally(production, [at(date(2026, 6, 2))], span, LATER, None) == (0, 0)


def test_tallies_of_spans_add_up_per_control_and_task() -> None:
    parts = [
        [Tally("CCP 3", None, 3, 2), Tally(None, "ghp-x", 1, 0)],
        [Tally("CCP 3", None, 4, 4)],
    ]
    summed = {tally.key: (tally.due, tally.done) for tally in add_up(parts)}
    assert summed == {"CCP 3": (7, 6), "ghp-x": (1, 0)}
