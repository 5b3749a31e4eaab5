"""What is due: calendar windows in Brussels time, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dairyhaccp.guide.models import Frequency
from dairyhaccp.monitoring.schedule import (
    BRUSSELS,
    DueStatus,
    event_item,
    local_day_bounds,
    periodic_item,
    resolve_local_time,
    window_of,
)

DAILY = Frequency.parse("daily")
WEEKLY = Frequency.parse("weekly")
TWICE_A_MONTH = Frequency.parse("2 per month")
QUARTERLY = Frequency.parse("1 per 3 months")
YEARLY = Frequency.parse("yearly")


def brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("frequency", "day", "start", "end"),
    [
        (DAILY, date(2026, 3, 29), date(2026, 3, 29), date(2026, 3, 30)),
        (WEEKLY, date(2026, 11, 21), date(2026, 11, 16), date(2026, 11, 23)),
        (TWICE_A_MONTH, date(2026, 2, 28), date(2026, 2, 1), date(2026, 3, 1)),
        (QUARTERLY, date(2026, 5, 15), date(2026, 4, 1), date(2026, 7, 1)),
        (Frequency.parse("1 per 6 months"), date(2026, 11, 21), date(2026, 7, 1), date(2027, 1, 1)),
        (YEARLY, date(2026, 12, 31), date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_windows_follow_the_calendar(
    frequency: Frequency, day: date, start: date, end: date
) -> None:
    window = window_of(frequency, day)
    assert (window.start, window.end) == (start, end)


def test_the_spring_forward_day_is_23_hours_and_the_autumn_day_25() -> None:
    spring_start, spring_end = local_day_bounds(date(2026, 3, 29))
    autumn_start, autumn_end = local_day_bounds(date(2026, 10, 25))
    assert spring_end - spring_start == timedelta(hours=23)
    assert autumn_end - autumn_start == timedelta(hours=25)
    assert spring_start.utcoffset() == timedelta(0)


def test_a_production_check_gets_24_real_hours_across_the_autumn_change() -> None:
    each = Frequency.parse("each production")
    made = brussels(2026, 10, 24, 12)
    item = event_item("CCP 9", "lot 7", each, made, False, made)
    assert item.deadline == datetime(2026, 10, 25, 10, tzinfo=UTC)


def test_a_daily_check_done_this_morning_is_done() -> None:
    item = periodic_item(
        "CCP 13", "rijpingskamer", DAILY, [brussels(2026, 11, 21, 7)], brussels(2026, 11, 21, 18)
    )
    assert item.status is DueStatus.DONE


def test_a_daily_check_done_yesterday_only_is_due_today() -> None:
    item = periodic_item(
        "CCP 13", "kamer", DAILY, [brussels(2026, 11, 20, 7)], brussels(2026, 11, 21, 8)
    )
    assert item.status is DueStatus.DUE
    assert item.deadline == brussels(2026, 11, 22, 0)
    assert item.open_by(date(2026, 11, 21))


def test_a_daily_check_missed_yesterday_is_overdue() -> None:
    item = periodic_item(
        "CCP 13", "kamer", DAILY, [brussels(2026, 11, 19, 7)], brussels(2026, 11, 21, 8)
    )
    assert item.status is DueStatus.OVERDUE


def test_a_new_check_is_not_overdue_for_a_window_before_it_existed() -> None:
    item = periodic_item(
        "CCP 13", "kamer", DAILY, [], brussels(2026, 11, 21, 8), since=brussels(2026, 11, 21, 6)
    )
    assert item.status is DueStatus.DUE


def test_just_after_midnight_in_brussels_is_a_new_day_even_in_utc_terms() -> None:
    # 23:30 UTC on 28 March is 00:30 on 29 March in Brussels (still winter time, UTC+1).
    now = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    done = [brussels(2026, 3, 28, 9)]
    item = periodic_item("CCP 3", "koelcel", DAILY, done, now)
    assert item.status is DueStatus.DUE
    assert item.window is not None and item.window.start == date(2026, 3, 29)


def test_a_check_at_0130_on_the_autumn_change_counts_for_that_day() -> None:
    # 25 October 2026: 02:00-03:00 happens twice; 01:30 is unambiguous and belongs to that day.
    done = [brussels(2026, 10, 25, 1, 30)]
    item = periodic_item("CCP 3", "koelcel", DAILY, done, brussels(2026, 10, 25, 23, 59))
    assert item.status is DueStatus.DONE


def test_twice_a_month_needs_two_registrations() -> None:
    one = [brussels(2026, 11, 3, 10)]
    two = [*one, brussels(2026, 11, 17, 10)]
    now = brussels(2026, 11, 21, 10)
    assert periodic_item("x", "tank", TWICE_A_MONTH, one, now).status is not DueStatus.DONE
    assert periodic_item("x", "tank", TWICE_A_MONTH, two, now).status is DueStatus.DONE


def test_a_yearly_brine_renewal_done_last_year_is_due_this_year() -> None:
    item = periodic_item(
        "PVA 14", "pekelbad", YEARLY, [brussels(2025, 12, 1, 9)], brussels(2026, 11, 21, 9)
    )
    assert item.status is DueStatus.DUE
    assert item.deadline == brussels(2027, 1, 1)


def test_a_production_check_is_due_until_registered_and_overdue_after_a_day() -> None:
    each = Frequency.parse("each production")
    made = brussels(2026, 11, 21, 6)
    assert (
        event_item("CCP 9", "lot 12", each, made, False, made + timedelta(hours=2)).status
        is DueStatus.DUE
    )
    assert (
        event_item("CCP 9", "lot 12", each, made, False, made + timedelta(hours=25)).status
        is DueStatus.OVERDUE
    )
    assert (
        event_item("CCP 9", "lot 12", each, made, True, made + timedelta(hours=25)).status
        is DueStatus.DONE
    )


def test_a_time_in_the_repeated_autumn_hour_is_the_occurrence_that_has_passed() -> None:
    typed = datetime(2027, 10, 31, 2, 30)
    # At 02:40 winter time (01:40 UTC) both 02:30s have passed: the later one is meant.
    late = resolve_local_time(typed, datetime(2027, 10, 31, 1, 40, tzinfo=UTC))
    assert late == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    # At 02:40 summer time (00:40 UTC) only the first 02:30 has passed.
    early = resolve_local_time(typed, datetime(2027, 10, 31, 0, 40, tzinfo=UTC))
    assert early == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_a_time_skipped_in_spring_is_read_with_the_winter_offset() -> None:
    resolved = resolve_local_time(
        datetime(2027, 3, 28, 2, 30), datetime(2027, 3, 28, 9, tzinfo=UTC)
    )
    assert resolved == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_an_ordinary_time_is_read_in_brussels_time() -> None:
    resolved = resolve_local_time(
        datetime(2026, 11, 21, 8, 0), datetime(2026, 11, 21, 9, tzinfo=UTC)
    )
    assert resolved == datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
