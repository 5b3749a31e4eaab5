"""What is due: the plan's frequencies as calendar windows in Brussels time.

A periodic check is due once (or `times` times) in each calendar window: a local day, an ISO
week (Monday to Sunday), a month, a group of months counted from January (quarters, halves),
or a year. A window left short is overdue while the next window is not yet satisfied. Windows are
computed on local dates, so a day is a day across the daylight-saving changes (23 or 25 hours).
Event checks ("each production") are due once per production batch until registered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dairyhaccp.guide.models import Frequency

BRUSSELS = ZoneInfo("Europe/Brussels")


class DueStatus(StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Window:
    """A calendar window [start, end) in local dates, with its aware bounds."""

    start: date
    end: date
    zone: ZoneInfo = BRUSSELS

    @property
    def starts_at(self) -> datetime:
        return _utc_midnight(self.start, self.zone)

    @property
    def ends_at(self) -> datetime:
        return _utc_midnight(self.end, self.zone)

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment.astimezone(UTC) < self.ends_at


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight of `day` as a UTC instant (aware arithmetic in one zone is wall-clock)."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def window_of(frequency: Frequency, local_day: date) -> Window:
    """The window of a periodic frequency that contains `local_day`."""
    if frequency.period is None:
        raise ValueError(f"frequency {frequency.text!r} has no period")
    count = frequency.period_count
    if frequency.period == "day":
        offset = (local_day - date(2000, 1, 1)).days % count
        start = local_day - timedelta(days=offset)
        return Window(start, start + timedelta(days=count))
    if frequency.period == "week":
        monday = local_day - timedelta(days=local_day.weekday())
        weeks = (monday - date(2000, 1, 3)).days // 7 % count
        start = monday - timedelta(weeks=weeks)
        return Window(start, start + timedelta(weeks=count))
    if frequency.period == "month":
        first = (local_day.month - 1) // count * count
        start = date(local_day.year, first + 1, 1)
        return Window(start, _add_months(start, count))
    start_year = local_day.year - (local_day.year % count)
    return Window(date(start_year, 1, 1), date(start_year + count, 1, 1))


def previous_window(frequency: Frequency, window: Window) -> Window:
    return window_of(frequency, window.start - timedelta(days=1))


def counted_from(frequency: Frequency, now: datetime) -> datetime:
    """Where the window before the current one starts: `periodic_item` counts nothing older,
    so a reader of stored moments need not go further back."""
    current = window_of(frequency, now.astimezone(BRUSSELS).date())
    return previous_window(frequency, current).starts_at


@dataclass(frozen=True)
class DueItem:
    """One check the schedule asks for: which, for what, by when, and its status."""

    key: str
    target: str
    frequency: Frequency
    status: DueStatus
    window: Window | None
    deadline: datetime | None
    done: int
    required: int

    def open_by(self, local_day: date) -> bool:
        """Whether it is still to do and must be done by the end of `local_day`."""
        if self.status is DueStatus.DONE or self.deadline is None:
            return False
        return self.deadline <= _utc_midnight(local_day + timedelta(days=1), BRUSSELS)


def _count(moments: Iterable[datetime], window: Window) -> int:
    starts_at, ends_at = window.starts_at, window.ends_at
    return sum(1 for moment in moments if starts_at <= moment.astimezone(UTC) < ends_at)


def periodic_item(
    key: str,
    target: str,
    frequency: Frequency,
    done_at: Sequence[datetime],
    now: datetime,
    since: datetime | None = None,
) -> DueItem:
    """The status of a periodic check for one target (a room, a piece of equipment)."""
    local_now = now.astimezone(BRUSSELS)
    window = window_of(frequency, local_now.date())
    done = _count(done_at, window)
    if done >= frequency.times:
        status = DueStatus.DONE
    else:
        previous = previous_window(frequency, window)
        tracked = since is None or since < previous.ends_at
        missed = tracked and _count(done_at, previous) < frequency.times
        status = DueStatus.OVERDUE if missed else DueStatus.DUE
    return DueItem(
        key=key,
        target=target,
        frequency=frequency,
        status=status,
        window=window,
        deadline=window.ends_at,
        done=done,
        required=frequency.times,
    )


def event_item(
    key: str,
    target: str,
    frequency: Frequency,
    occurred_at: datetime,
    done: bool,
    now: datetime,
    grace: timedelta = timedelta(hours=24),
) -> DueItem:
    """An event check (each production, each delivery) for one occurrence, e.g. a batch."""
    deadline = occurred_at.astimezone(UTC) + grace
    if done:
        status = DueStatus.DONE
    elif now > deadline:
        status = DueStatus.OVERDUE
    else:
        status = DueStatus.DUE
    return DueItem(
        key=key,
        target=target,
        frequency=frequency,
        status=status,
        window=None,
        deadline=deadline,
        done=int(done),
        required=1,
    )


def local_day_bounds(day: date, zone: ZoneInfo = BRUSSELS) -> tuple[datetime, datetime]:
    """The aware start and end of a local calendar day (23, 24 or 25 hours long)."""
    window = Window(day, day + timedelta(days=1), zone)
    return window.starts_at, window.ends_at


def summarise(items: Iterable[DueItem]) -> Mapping[DueStatus, int]:
    counts = {status: 0 for status in DueStatus}
    for item in items:
        counts[item.status] += 1
    return counts


def resolve_local_time(naive: datetime, now: datetime, zone: ZoneInfo = BRUSSELS) -> datetime:
    """A wall-clock time typed in `zone`, as a UTC instant, also on the nights clocks change.

    In the hour that repeats when the clocks go back, the latest occurrence that is not in the
    future is meant (a check is registered after it is done). A time skipped when the clocks go
    forward is read with the offset before the change (02:30 becomes 03:30 summer time).
    """
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second or not _exists(naive, zone):
        return first
    earlier, later = sorted((first, second))
    return later if later <= now.astimezone(UTC) else earlier


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall-clock time occurs in `zone` (it does not in the spring-forward gap)."""
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
