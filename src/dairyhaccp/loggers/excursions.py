"""Judging a temperature series: excursions above a maximum, short fluctuations, gaps.

The module (CCP 1, CCP 3) allows "a short upward fluctuation" above a storage maximum: 3 °C for
the categories of Table 1, up to -15 °C for frozen food. It says no more about "short"; the
allowed length is the caller's setting, as are all limits here.

- An excursion is a run of consecutive readings above the maximum (a reading exactly at the
  maximum is within it). It starts at the first reading above and ends at the first reading
  back at or below the maximum, so a run of k readings taken every m minutes lasts k·m minutes;
  its peak is its highest reading.
- It is a warning when its peak stays at or below the ceiling (maximum + fluctuation) and it
  lasts at most the allowed length; a deviation when it goes higher or lasts longer.
- An excursion still above the maximum at the last reading is "open at the end" and measured
  to that reading; one above it from the first reading is "open at the start".
- Readings further apart than `max_interval_min` leave a gap, reported and never taken as
  fine. Inside an excursion a gap counts as time above the maximum. A reading vouches for
  `max_interval_min` after it: a window (a day) has a gap where that leaves time unvouched for,
  also before its first reading (when no reading comes before the window) and after its last.
- A series' verdict: deviation if any excursion is one; otherwise incomplete if there is a
  gap; otherwise warning if there is an excursion; otherwise conform.

Times are UTC seconds since 1970 (int64) or datetime64, strictly rising (see sort_readings).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Self

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dairyhaccp.loggers.arrays import as_epoch_seconds, check_highest, rising_gaps, temperatures
from dairyhaccp.loggers.errors import SeriesError
from dairyhaccp.loggers.localtime import DEFAULT_ZONE, day_window, parse_zone

MAX_MINUTES = 7 * 24 * 60.0
MAX_DAYS = 3_700  # about ten years


class SeriesVerdict(StrEnum):
    CONFORM = "conform"
    WARNING = "warning"
    DEVIATION = "deviation"
    INCOMPLETE = "incomplete"


class ExcursionVerdict(StrEnum):
    WARNING = "warning"
    DEVIATION = "deviation"


class ExcursionLimits(BaseModel):
    """The limits a series is judged by; the caller takes them from the guide or the plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    maximum_c: float = Field(ge=-100, le=300, allow_inf_nan=False)
    ceiling_c: float = Field(
        ge=-100, le=300, allow_inf_nan=False, description="the highest a short fluctuation may go"
    )
    allowed_min: float = Field(
        ge=0, le=MAX_MINUTES, allow_inf_nan=False, description="the longest a fluctuation may last"
    )
    max_interval_min: float = Field(
        gt=0, le=MAX_MINUTES, allow_inf_nan=False, description="readings further apart: a gap"
    )

    @model_validator(mode="after")
    def _ceiling_not_below_maximum(self) -> Self:
        if self.ceiling_c < self.maximum_c:
            raise ValueError(
                f"ceiling_c {self.ceiling_c:g} °C is below maximum_c {self.maximum_c:g} °C"
            )
        return self

    @classmethod
    def from_fluctuation(
        cls, maximum_c: float, fluctuation_c: float, allowed_min: float, max_interval_min: float
    ) -> ExcursionLimits:
        """Limits from a maximum and the upward fluctuation it tolerates (e.g. 7 °C and 3 °C;
        -18 °C and 3 °C gives the frozen ceiling of -15 °C)."""
        if not (isinstance(fluctuation_c, int | float) and math.isfinite(fluctuation_c)):
            raise SeriesError("fluctuation_c", f"{fluctuation_c!r} is not a finite number")
        if fluctuation_c < 0:
            raise SeriesError("fluctuation_c", f"{fluctuation_c:g} °C is negative")
        return cls(
            maximum_c=maximum_c,
            ceiling_c=maximum_c + fluctuation_c,
            allowed_min=allowed_min,
            max_interval_min=max_interval_min,
        )


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True, slots=True)
class Excursion:
    """A run of readings above the maximum."""

    start_s: int
    end_s: int
    peak_c: float
    readings: int
    verdict: ExcursionVerdict
    above_ceiling: bool
    too_long: bool
    open_start: bool
    open_end: bool

    @property
    def duration_s(self) -> int:
        return self.end_s - self.start_s

    @property
    def duration_min(self) -> float:
        return self.duration_s / 60

    @property
    def start(self) -> datetime:
        return _moment(self.start_s)

    @property
    def end(self) -> datetime:
        return _moment(self.end_s)


@dataclass(frozen=True, slots=True)
class Gap:
    """Readings further apart than the longest interval allowed."""

    start_s: int
    end_s: int

    @property
    def duration_s(self) -> int:
        return self.end_s - self.start_s

    @property
    def duration_min(self) -> float:
        return self.duration_s / 60

    @property
    def start(self) -> datetime:
        return _moment(self.start_s)

    @property
    def end(self) -> datetime:
        return _moment(self.end_s)


Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, eq=False)
class Excursions:
    """The excursions of a series as arrays (for plots and storage) and as Excursion objects."""

    start_s: Ints
    end_s: Ints
    peak_c: Floats
    readings: Ints
    above_ceiling: Flags
    too_long: Flags
    open_start: Flags
    open_end: Flags

    @property
    def duration_s(self) -> Ints:
        return self.end_s - self.start_s

    @property
    def deviation(self) -> Flags:
        return self.above_ceiling | self.too_long

    def __len__(self) -> int:
        return int(self.start_s.size)

    def __getitem__(self, index: int) -> Excursion:
        deviation = bool(self.above_ceiling[index] or self.too_long[index])
        return Excursion(
            start_s=int(self.start_s[index]),
            end_s=int(self.end_s[index]),
            peak_c=float(self.peak_c[index]),
            readings=int(self.readings[index]),
            verdict=ExcursionVerdict.DEVIATION if deviation else ExcursionVerdict.WARNING,
            above_ceiling=bool(self.above_ceiling[index]),
            too_long=bool(self.too_long[index]),
            open_start=bool(self.open_start[index]),
            open_end=bool(self.open_end[index]),
        )

    def __iter__(self) -> Iterator[Excursion]:
        return (self[index] for index in range(len(self)))

    def select(self, mask: Flags) -> Excursions:
        return Excursions(
            start_s=self.start_s[mask],
            end_s=self.end_s[mask],
            peak_c=self.peak_c[mask],
            readings=self.readings[mask],
            above_ceiling=self.above_ceiling[mask],
            too_long=self.too_long[mask],
            open_start=self.open_start[mask],
            open_end=self.open_end[mask],
        )


@dataclass(frozen=True, slots=True, eq=False)
class Gaps:
    """The gaps of a series as arrays and as Gap objects."""

    start_s: Ints
    end_s: Ints

    @property
    def duration_s(self) -> Ints:
        return self.end_s - self.start_s

    def __len__(self) -> int:
        return int(self.start_s.size)

    def __getitem__(self, index: int) -> Gap:
        return Gap(int(self.start_s[index]), int(self.end_s[index]))

    def __iter__(self) -> Iterator[Gap]:
        return (self[index] for index in range(len(self)))


@dataclass(frozen=True, slots=True, eq=False)
class SeriesJudgement:
    """A series judged against its limits, over a window (e.g. one local day) or whole."""

    verdict: SeriesVerdict
    limits: ExcursionLimits
    readings: int  # readings in the window
    window: tuple[int, int] | None
    excursions: Excursions
    gaps: Gaps

    @property
    def warnings(self) -> int:
        return int(np.count_nonzero(~self.excursions.deviation))

    @property
    def deviations(self) -> int:
        return int(np.count_nonzero(self.excursions.deviation))


def find_excursions(times: Ints, temperatures_c: Floats, limits: ExcursionLimits) -> Excursions:
    """Every excursion above the maximum in checked, rising arrays, classified."""
    size = temperatures_c.size
    above = temperatures_c > limits.maximum_c
    changes = np.flatnonzero(above[1:] != above[:-1]) + 1
    if size and above[0]:
        changes = np.concatenate((np.zeros(1, dtype=changes.dtype), changes))
    if size and above[-1]:
        changes = np.concatenate((changes, np.full(1, size, dtype=changes.dtype)))
    starts, ends = changes[0::2], changes[1::2]  # ends: the first reading back, or size
    open_end = ends == size
    start_s = times[starts]
    end_s = times[np.where(open_end, size - 1, ends)]
    if starts.size:
        peak_c = np.maximum.reduceat(temperatures_c, changes[changes < size])[0::2]
    else:
        peak_c = np.zeros(0, dtype=np.float64)
    return Excursions(
        start_s=start_s,
        end_s=end_s,
        peak_c=peak_c,
        readings=(ends - starts).astype(np.int64),
        above_ceiling=peak_c > limits.ceiling_c,
        too_long=(end_s - start_s) > limits.allowed_min * 60,
        open_start=starts == 0,
        open_end=open_end,
    )


def _gaps(
    times: Ints, index: npt.NDArray[np.intp], max_interval_s: float, window: tuple[int, int] | None
) -> Gaps:
    start_s, end_s = times[index], times[index + 1]
    if window is None:
        return Gaps(start_s, end_s)
    first, last = window
    # A reading vouches for the longest interval after it: a gap touches the window if the
    # time nobody vouches for, from start + max_interval_s to end, overlaps it.
    inside = (end_s > first) & (start_s + max_interval_s < last)
    start_s, end_s = start_s[inside], end_s[inside]
    lead: list[tuple[int, int]] = []
    trail: list[tuple[int, int]] = []
    if times.size == 0:
        lead.append((first, last))
    else:
        head = min(int(times[0]), last)
        if int(times[0]) > first and head - first > max_interval_s:
            lead.append((first, head))
        tail = max(int(times[-1]), first)
        if int(times[-1]) < last and last - tail > max_interval_s:
            trail.append((tail, last))
    if lead or trail:
        start_s = np.concatenate(
            (np.array([g[0] for g in lead], dtype=np.int64), start_s,
             np.array([g[0] for g in trail], dtype=np.int64))
        )  # fmt: skip
        end_s = np.concatenate(
            (np.array([g[1] for g in lead], dtype=np.int64), end_s,
             np.array([g[1] for g in trail], dtype=np.int64))
        )  # fmt: skip
    return Gaps(start_s, end_s)


def _window(window: tuple[int, int] | None) -> tuple[int, int] | None:
    if window is None:
        return None
    try:
        first, last = (int(bound) for bound in window)
    except (TypeError, ValueError):
        raise SeriesError("window", "give two UTC times in seconds (start, end)") from None
    if first >= last:
        raise SeriesError("window", "the start must come before the end")
    return first, last


def _verdict(excursions: Excursions, gaps: Gaps) -> SeriesVerdict:
    if excursions.deviation.any():
        return SeriesVerdict.DEVIATION
    if len(gaps):
        return SeriesVerdict.INCOMPLETE
    if len(excursions):
        return SeriesVerdict.WARNING
    return SeriesVerdict.CONFORM


@dataclass(frozen=True, slots=True, eq=False)
class _Checked:
    """A checked series with its excursions and gaps found once."""

    moments: Ints
    gap_index: npt.NDArray[np.intp]
    excursions: Excursions


def _check_and_find(
    times: npt.ArrayLike, temperatures_c: npt.ArrayLike, limits: ExcursionLimits
) -> _Checked:
    if not isinstance(limits, ExcursionLimits):
        raise SeriesError("limits", "give ExcursionLimits")
    moments = as_epoch_seconds(times)
    values = temperatures(temperatures_c, moments.size, check_high=False)
    gap_index = rising_gaps(moments, limits.max_interval_min * 60)
    excursions = find_excursions(moments, values, limits)
    if len(excursions):
        # Only readings above the maximum can be implausibly high: they are all in excursions.
        check_highest(values, float(excursions.peak_c.max()))
    return _Checked(moments, gap_index, excursions)


def _judge(
    checked: _Checked, limits: ExcursionLimits, bounds: tuple[int, int] | None
) -> SeriesJudgement:
    moments, excursions = checked.moments, checked.excursions
    gaps = _gaps(moments, checked.gap_index, limits.max_interval_min * 60, bounds)
    readings = int(moments.size)
    if bounds is not None:
        first, last = bounds
        touches = (excursions.start_s < last) & (
            (excursions.end_s > first) | (excursions.start_s >= first)
        )
        excursions = excursions.select(touches)
        readings = int(np.searchsorted(moments, last) - np.searchsorted(moments, first))
    return SeriesJudgement(
        verdict=_verdict(excursions, gaps),
        limits=limits,
        readings=readings,
        window=bounds,
        excursions=excursions,
        gaps=gaps,
    )


def judge_series(
    times: npt.ArrayLike,
    temperatures_c: npt.ArrayLike,
    limits: ExcursionLimits,
    *,
    window: tuple[int, int] | None = None,
) -> SeriesJudgement:
    """Excursions, gaps and the verdict of a series; with a window (UTC seconds, start and end),
    only what touches it, readings outside it serving to measure excursions across its edges.

    Bad input raises SeriesError naming the field (and the index of the bad reading)."""
    bounds = _window(window)
    checked = _check_and_find(times, temperatures_c, limits)
    if checked.moments.size == 0 and bounds is None:
        raise SeriesError("times", "no readings")
    return _judge(checked, limits, bounds)


def judge_day(
    times: npt.ArrayLike,
    temperatures_c: npt.ArrayLike,
    limits: ExcursionLimits,
    day: date,
    *,
    zone: str = DEFAULT_ZONE,
) -> SeriesJudgement:
    """The judgement of one local day (23 or 25 hours on the days the clocks change); give the
    readings around it too, so that excursions across midnight are measured whole."""
    if not isinstance(day, date):
        raise SeriesError("day", f"{day!r} is not a date")
    return judge_series(times, temperatures_c, limits, window=day_window(day, zone))


def judge_days(
    times: npt.ArrayLike,
    temperatures_c: npt.ArrayLike,
    limits: ExcursionLimits,
    *,
    zone: str = DEFAULT_ZONE,
) -> dict[date, SeriesJudgement]:
    """The judgement of every local day from the first reading's to the last reading's, the
    series checked and its excursions found once (e.g. a month's file imported at once)."""
    checked = _check_and_find(times, temperatures_c, limits)
    if checked.moments.size == 0:
        raise SeriesError("times", "no readings")
    tz = parse_zone(zone)
    day = datetime.fromtimestamp(int(checked.moments[0]), tz).date()
    last_day = datetime.fromtimestamp(int(checked.moments[-1]), tz).date()
    if (last_day - day).days >= MAX_DAYS:
        raise SeriesError("times", f"span more than {MAX_DAYS} days; judge them by parts")
    judged: dict[date, SeriesJudgement] = {}
    while day <= last_day:
        judged[day] = _judge(checked, limits, day_window(day, zone))
        day += timedelta(days=1)
    return judged
