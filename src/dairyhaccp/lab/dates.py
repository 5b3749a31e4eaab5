"""Plausible sampling days: not before 2000, and (at the edges, which know the time) not ahead.

The judges refuse days outside [EARLIEST_DAY, LATEST_DAY] so that no month arithmetic runs off
the calendar; input from people is also refused when it lies in the future.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)
# A clock a few minutes ahead, or a day entered just after midnight elsewhere, is not refused.
FUTURE_TOLERANCE = timedelta(minutes=10)
LOCAL_TIME = ZoneInfo("Europe/Brussels")


def check_plausible_day(field: str, day: date) -> date:
    """`day` when within the years the judges handle; ValueError naming `field` otherwise."""
    if day < EARLIEST_DAY:
        raise ValueError(f"{field}: {day.isoformat()} is before {EARLIEST_DAY.isoformat()}")
    if day > LATEST_DAY:
        raise ValueError(f"{field}: {day.isoformat()} is after {LATEST_DAY.isoformat()}")
    return day


def latest_sampling_day(now: datetime | None = None) -> date:
    """The last sampling day accepted at `now` (default: the clock), in Belgian time."""
    moment = now if now is not None else datetime.now(LOCAL_TIME)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    return (moment + FUTURE_TOLERANCE).astimezone(LOCAL_TIME).date()


def check_sampling_day(field: str, day: date, now: datetime | None = None) -> date:
    """A sampling day not before 2000 and not in the future; ValueError naming `field`."""
    check_plausible_day(field, day)
    if day > latest_sampling_day(now):
        raise ValueError(f"{field}: {day.isoformat()} lies in the future")
    return day
