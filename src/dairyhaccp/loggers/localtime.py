"""Local wall-clock times of logger files to UTC, and the bounds of a local day.

Most USB loggers know no time zone: they write the wall-clock time of the PC that launched or
read them. Such times are read in a zone (Europe/Brussels unless told otherwise):

- in the repeated hour of October (03:00 back to 02:00) a time is taken in its first pass
  (summer time) unless the readings before it show that the clock has gone back, i.e. its
  summer-time reading would not come after the previous reading; then it is the second pass;
- a time in the skipped hour of March (02:00 to 03:00) does not exist and is refused: a logger
  that writes it keeps winter time all year, and its file should be read with a fixed offset
  such as "+01:00".

A zone is an IANA name ("Europe/Brussels") or a fixed offset ("+01:00", "UTC+1", "GMT-05:00",
"UTC", "Z").
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dairyhaccp.loggers.errors import SeriesError

DEFAULT_ZONE = "Europe/Brussels"

_EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_UTC_NAMES = {"utc", "gmt", "z"}


def parse_offset(text: str) -> timezone | None:
    """A fixed offset such as '+01:00', 'UTC+1', 'GMT-05:00', 'UTC' or 'Z'; None otherwise."""
    raw = text.strip()
    if raw.lower() in _UTC_NAMES:
        return UTC
    match = _OFFSET.match(raw)
    if not match:
        return None
    hours, minutes = int(match[2]), int(match[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if match[1] == "-" else offset)


def parse_zone(spec: str) -> tzinfo:
    """The zone of `spec`: an IANA name or a fixed offset; SeriesError('zone', ...) otherwise."""
    if not isinstance(spec, str) or not spec.strip() or len(spec) > 64:
        raise SeriesError("zone", f"{spec!r} is not a time zone such as 'Europe/Brussels'")
    fixed = parse_offset(spec)
    if fixed is not None:
        return fixed
    try:
        return ZoneInfo(spec.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SeriesError(
            "zone", f"{spec!r} is not a time zone such as 'Europe/Brussels' or '+01:00'"
        ) from None


@functools.lru_cache(maxsize=1024)
def _days(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal() - _EPOCH_ORDINAL


def wall_seconds(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> int:
    """Seconds since 1970-01-01 00:00 of a wall-clock time, as if it were UTC."""
    return _days(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second


def wall_text(wall: int) -> str:
    """A wall-clock time for messages: 2026-03-29 02:30:00."""
    return (_EPOCH + timedelta(seconds=wall)).isoformat(sep=" ")


class NonexistentTimeError(ValueError):
    """A wall-clock time the zone skips (the hour the clocks go forward)."""


class WallClock:
    """Turns the wall-clock times of one file, in order, into UTC epoch seconds."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._hours: dict[int, int | None] = {}
        self.repeated: list[int] = []  # indexes of readings that fell in a repeated hour

    def _offset(self, wall: int, fold: int) -> int:
        moment = (_EPOCH + timedelta(seconds=wall)).replace(tzinfo=self.zone, fold=fold)
        offset = moment.utcoffset()
        return 0 if offset is None else int(offset.total_seconds())

    def _uniform_offset(self, hour: int) -> int | None:
        """The offset of a wall hour the zone does not change in; None if it changes in it."""
        if hour not in self._hours:
            start = hour * 3_600
            offsets = {
                self._offset(wall, fold) for wall in (start, start + 3_599) for fold in (0, 1)
            }
            self._hours[hour] = offsets.pop() if len(offsets) == 1 else None
        return self._hours[hour]

    def to_utc(self, wall: int, previous: int | None, index: int) -> int:
        """UTC seconds of `wall`, given the UTC seconds of the reading before it (if any)."""
        offset = self._uniform_offset(wall // 3_600)
        if offset is not None:
            return wall - offset
        first, second = wall - self._offset(wall, 0), wall - self._offset(wall, 1)
        if first == second:
            return first
        if first > second:
            raise NonexistentTimeError(wall_text(wall))
        self.repeated.append(index)
        return first if previous is None or first > previous else second


def day_window(day: date, zone: str = DEFAULT_ZONE) -> tuple[int, int]:
    """UTC epoch seconds of the local midnight starting `day` and of the next one.

    In Europe/Brussels the last Sunday of March lasts 23 hours and the last Sunday of October 25.
    """
    if not 1970 <= day.year <= 2199:
        raise SeriesError("day", f"{day.isoformat()} is outside the years 1970-2199")
    clock = WallClock(parse_zone(zone))
    start = wall_seconds(day.year, day.month, day.day)
    following = day + timedelta(days=1)
    end = wall_seconds(following.year, following.month, following.day)
    try:
        return clock.to_utc(start, None, 0), clock.to_utc(end, None, 0)
    except NonexistentTimeError as skipped:
        raise SeriesError("day", f"midnight {skipped} does not exist in {zone}") from None
