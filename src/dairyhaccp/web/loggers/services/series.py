"""Readings in memory: merging new readings into a day's, splitting a series by local day, and
the current readings of a device's days (the latest version plus readings still waiting)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from dairyhaccp.loggers import day_window
from dairyhaccp.web.loggers.constants import DAY_ZONE
from dairyhaccp.web.loggers.models import DaySeries, Device, PushedReadings
from dairyhaccp.web.loggers.services.errors import LoggerError

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
ZONE = ZoneInfo(DAY_ZONE)


@dataclass(frozen=True, eq=False)
class Readings:
    """Readings in time order, each time once: UTC seconds, °C, and % humidity (NaN: none)."""

    times: Ints
    temperatures_c: Floats
    humidity_pct: Floats | None = None

    def __len__(self) -> int:
        return int(self.times.size)

    def part(self, start: int, stop: int) -> Readings:
        humidity = None if self.humidity_pct is None else self.humidity_pct[start:stop]
        return Readings(self.times[start:stop], self.temperatures_c[start:stop], humidity)

    def between(self, first_s: int, end_s: int) -> Readings:
        """The readings from `first_s` up to, not including, `end_s`."""
        start, stop = np.searchsorted(self.times, (first_s, end_s))
        return self.part(int(start), int(stop))


def empty() -> Readings:
    return Readings(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def local_day(seconds: int) -> date:
    """The local day (Brussels) of a UTC time."""
    return datetime.fromtimestamp(seconds, UTC).astimezone(ZONE).date()


def moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC)


class ConflictError(LoggerError):
    """New readings that contradict stored ones: a stored reading is never changed."""


def conflict(seconds: int, stored: float, new: float) -> ConflictError:
    when = date_format(moment(seconds).astimezone(ZONE), "DATETIME_FORMAT")
    return ConflictError(
        "readings",
        _(
            "{when}: {new} °C differs from the {stored} °C stored for that time; "
            "a stored reading is never changed"
        ).format(when=when, new=number_format(new), stored=number_format(stored)),
    )


def _humidity(readings: Readings) -> Floats:
    if readings.humidity_pct is not None:
        return readings.humidity_pct
    return np.full(len(readings), np.nan)


def merge(stored: Readings, new: Readings) -> tuple[Readings, int]:
    """Every reading of both, and how many of `new` were not stored yet. A reading at a time
    already stored with the same temperature is the same reading; another temperature is
    refused (ConflictError)."""
    if len(new) == 0:
        return stored, 0
    if len(stored) == 0:
        return new, len(new)
    index = np.searchsorted(stored.times, new.times)
    inside = np.minimum(index, len(stored) - 1)
    present = stored.times[inside] == new.times
    differs = present & (stored.temperatures_c[inside] != new.temperatures_c)
    if differs.any():
        at = int(np.argmax(differs))
        raise conflict(
            int(new.times[at]),
            float(stored.temperatures_c[inside[at]]),
            float(new.temperatures_c[at]),
        )
    fresh = ~present
    added = int(np.count_nonzero(fresh))
    if not added:
        return stored, 0
    times = np.concatenate((stored.times, new.times[fresh]))
    order = np.argsort(times, kind="stable")
    temperatures = np.concatenate((stored.temperatures_c, new.temperatures_c[fresh]))[order]
    humidity = None
    if stored.humidity_pct is not None or new.humidity_pct is not None:
        humidity = np.concatenate((_humidity(stored), _humidity(new)[fresh]))[order]
    return Readings(times[order], temperatures, humidity), added


def join(parts: Iterable[Readings]) -> Readings:
    """Readings of consecutive, non-overlapping stretches put end to end."""
    chosen = [part for part in parts if len(part)]
    if not chosen:
        return empty()
    humidity = None
    if any(part.humidity_pct is not None for part in chosen):
        humidity = np.concatenate([_humidity(part) for part in chosen])
    return Readings(
        np.concatenate([part.times for part in chosen]),
        np.concatenate([part.temperatures_c for part in chosen]),
        humidity,
    )


def split_by_day(readings: Readings, most_days: int) -> list[tuple[date, Readings]]:
    """The readings of each local day they cover, in order; days without readings left out."""
    if len(readings) == 0:
        return []
    first, last = local_day(int(readings.times[0])), local_day(int(readings.times[-1]))
    if (last - first).days >= most_days:
        raise LoggerError(
            "file",
            _("the readings span more than {days} days; split the file").format(days=most_days),
        )
    days: list[tuple[date, Readings]] = []
    day = first
    while day <= last:
        start, end = day_window(day, DAY_ZONE)
        part = readings.between(start, end)
        if len(part):
            days.append((day, part))
        day += timedelta(days=1)
    return days


@dataclass(frozen=True, eq=False)
class StoredDay:
    """What is stored of one device's day: its latest version and the readings still waiting."""

    day: date
    latest: DaySeries | None
    pending: tuple[PushedReadings, ...]

    @property
    def pending_through(self) -> int:
        return max((push.pk for push in self.pending), default=0)

    def readings(self) -> Readings:
        current = empty()
        if self.latest is not None:
            current = Readings(*self.latest.arrays())
        for push in self.pending:
            current, _added = merge(current, Readings(*push.arrays()))
        return current


def stored_days(device: Device, first: date, last: date) -> dict[date, StoredDay]:
    """The stored days of a device from `first` to `last` (only days with readings)."""
    latest: dict[date, DaySeries] = {}
    for series in DaySeries.objects.filter(device=device, day__range=(first, last)).order_by(
        "day", "-version"
    ):
        latest.setdefault(series.day, series)
    pending: dict[date, list[PushedReadings]] = {}
    for push in PushedReadings.objects.filter(device=device, day__range=(first, last)).order_by(
        "pk"
    ):
        folded = latest.get(push.day)
        if folded is None or push.pk > folded.pushed_through:
            pending.setdefault(push.day, []).append(push)
    return {
        day: StoredDay(day, latest.get(day), tuple(pending.get(day, ())))
        for day in sorted(set(latest) | set(pending))
    }


def current_readings(device: Device, first: date, last: date) -> Readings:
    """Every current reading of a device from local day `first` to `last`, in order."""
    return join(day.readings() for day in stored_days(device, first, last).values())
