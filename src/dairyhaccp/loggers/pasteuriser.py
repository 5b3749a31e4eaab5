"""Judging a pasteuriser's trace (time, temperature at the holding point) by the equivalence curve.

The lethality is counted as in `thermal.lethality` (CCP 9): each part of the trace adds
Δt · 10^((T − T_ref)/z), trapezoid rule, with T_ref and the required hold the medium's reference
(milk 71.7 °C / 15 s, cream 80 °C / 15 s, from the guide's pasteurisation table) and z fitted to
the table; parts below the table's lowest temperature add nothing. Here it runs over numpy
arrays, so a day of one reading per second is judged at once.

Readings further apart than `max_interval_s` leave a gap: the part of the trace across it adds
no lethality and no time (the temperature in between is unknown), and the gap is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dairyhaccp.guide.models import Pasteurisation
from dairyhaccp.loggers.arrays import epoch_seconds, temperatures
from dairyhaccp.loggers.errors import SeriesError
from dairyhaccp.thermal.equivalence import (
    Medium,
    PasteurisationCode,
    check_medium,
    lowest_validated_c,
    reference_point,
    z_value,
)

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PasteuriserJudgement:
    """A pasteuriser trace against the medium's reference hold."""

    code: PasteurisationCode
    medium: Medium
    reference_temperature_c: float
    required_s: float  # the reference hold, e.g. 15 s at 71.7 °C
    equivalent_s: float  # the trace's lethality as seconds at the reference temperature
    z_value: float
    peak_c: float
    lowest_validated_c: float
    seconds_at_or_above_validated: float
    minimum_c: float
    seconds_at_or_above_minimum: float
    duration_s: float
    gaps: tuple[tuple[float, float], ...]  # (start, end), seconds from the first reading

    @property
    def reached(self) -> bool:
        return self.code is PasteurisationCode.SUFFICIENT

    @property
    def lethality(self) -> float:
        """The trace's lethality as a multiple of the reference (1.0: exactly reached)."""
        return self.equivalent_s / self.required_s

    @property
    def shortfall_s(self) -> float:
        """Equivalent seconds missing at the reference temperature (0 when reached)."""
        return max(0.0, self.required_s - self.equivalent_s)


def _trace_seconds(values: npt.ArrayLike) -> Floats:
    """Seconds from the first reading: from UTC seconds, datetime64 or float seconds."""
    array = np.asarray(values)
    if array.ndim == 1 and array.size and array.dtype.kind == "f":
        if not np.isfinite(array).all():
            index = int(np.argmin(np.isfinite(array)))
            raise SeriesError(f"times[{index}]", f"{array[index]!r} is not a finite number")
        seconds = array.astype(np.float64) - float(array[0])
    else:
        whole = epoch_seconds(values)
        seconds = (whole - (whole[0] if whole.size else 0)).astype(np.float64)
    steps = np.diff(seconds)
    if steps.size and steps.min() <= 0:
        index = int(np.argmax(steps <= 0)) + 1
        raise SeriesError(f"times[{index}]", f"is not after times[{index - 1}]")
    return seconds


def _above(
    seconds: Floats, values: Floats, level: float, counted: npt.NDArray[np.bool_]
) -> tuple[Floats, Floats, Floats]:
    """Per segment: the time at or above `level` and the temperatures at that part's ends."""
    t0, t1 = seconds[:-1], seconds[1:]
    v0, v1 = values[:-1], values[1:]
    hot0, hot1 = v0 >= level, v1 >= level
    both = hot0 & hot1 & counted
    crossing = (hot0 != hot1) & counted
    span = np.where(both, t1 - t0, 0.0)
    low_end = np.where(both, v0, level)
    high_end = np.where(both, v1, np.maximum(v0, v1))
    if crossing.any():
        c0, c1, d0, d1 = t0[crossing], t1[crossing], v0[crossing], v1[crossing]
        cross_at = c0 + (c1 - c0) * (level - d0) / (d1 - d0)
        span[crossing] = np.where(d1 > d0, c1 - cross_at, cross_at - c0)
    return span, low_end, high_end


def judge_pasteuriser_trace(
    times: npt.ArrayLike,
    temperatures_c: npt.ArrayLike,
    table: Pasteurisation,
    medium: str,
    *,
    max_interval_s: float,
    minimum_c: float | None = None,
) -> PasteuriserJudgement:
    """Whether a trace reaches the medium's reference lethality, with the time it spent at or
    above `minimum_c` (default: the table's lowest validated temperature, 62 °C).

    `times`: UTC seconds (int), datetime64, or float seconds from any origin; rising.
    Bad input raises SeriesError (or ValueError from thermal for the medium) naming the field.
    """
    chosen = check_medium(medium)
    if not (isinstance(max_interval_s, int | float) and math.isfinite(max_interval_s)):
        raise SeriesError("max_interval_s", f"{max_interval_s!r} is not a finite number")
    if max_interval_s <= 0:
        raise SeriesError("max_interval_s", f"{max_interval_s:g} s is not positive")
    seconds = _trace_seconds(times)
    values = temperatures(temperatures_c, seconds.size)
    if seconds.size < 2:
        raise SeriesError("times", "a trace needs at least two readings")
    lowest = lowest_validated_c(table)
    level = lowest if minimum_c is None else minimum_c
    if not (isinstance(level, int | float) and math.isfinite(level)):
        raise SeriesError("minimum_c", f"{minimum_c!r} is not a finite number")
    reference_c, required_s = reference_point(table, chosen)
    z = z_value(table)
    steps = np.diff(seconds)
    counted = steps <= max_interval_s
    span, low_end, high_end = _above(seconds, values, lowest, counted)
    rate_low = np.power(10.0, (low_end - reference_c) / z)
    rate_high = np.power(10.0, (high_end - reference_c) / z)
    equivalent = float(np.sum(span * (rate_low + rate_high) / 2))
    at_minimum = span if level == lowest else _above(seconds, values, level, counted)[0]
    peak = float(values.max())
    if peak < lowest:
        code = PasteurisationCode.NOT_VALIDATED
    elif equivalent >= required_s:
        code = PasteurisationCode.SUFFICIENT
    else:
        code = PasteurisationCode.INSUFFICIENT
    gap_index = np.flatnonzero(~counted)
    return PasteuriserJudgement(
        code=code,
        medium=chosen,
        reference_temperature_c=reference_c,
        required_s=required_s,
        equivalent_s=equivalent,
        z_value=z,
        peak_c=peak,
        lowest_validated_c=lowest,
        seconds_at_or_above_validated=float(np.sum(span)),
        minimum_c=float(level),
        seconds_at_or_above_minimum=float(np.sum(at_minimum)),
        duration_s=float(seconds[-1]),
        gaps=tuple((float(seconds[i]), float(seconds[i + 1])) for i in gap_index),
    )


@dataclass(frozen=True, slots=True)
class HoldFigures:
    """The hold of a trace at a level: from the first to the last reading at or above it.

    Times are seconds from the trace's first reading. `seconds_below` is the time within the
    hold spent below the level, a gap in the hold counted as below (nobody vouches for it)."""

    level_c: float
    start_s: float
    end_s: float
    minimum_c: float
    seconds_below: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def hold_figures(
    times: npt.ArrayLike,
    temperatures_c: npt.ArrayLike,
    level_c: float,
    *,
    max_interval_s: float,
) -> HoldFigures | None:
    """The hold at `level_c` (e.g. the medium's reference temperature); None if no reading of
    the trace reaches it."""
    if not (isinstance(level_c, int | float) and math.isfinite(level_c)):
        raise SeriesError("level_c", f"{level_c!r} is not a finite number")
    seconds = _trace_seconds(times)
    values = temperatures(temperatures_c, seconds.size)
    reached = np.flatnonzero(values >= level_c)
    if reached.size == 0:
        return None
    first, last = int(reached[0]), int(reached[-1])
    inside_s, inside_v = seconds[first : last + 1], values[first : last + 1]
    minimum = float(inside_v.min())
    if last == first:
        return HoldFigures(float(level_c), float(inside_s[0]), float(inside_s[0]), minimum, 0.0)
    counted = np.diff(inside_s) <= max_interval_s
    above = float(np.sum(_above(inside_s, inside_v, float(level_c), counted)[0]))
    duration = float(inside_s[-1] - inside_s[0])
    return HoldFigures(
        level_c=float(level_c),
        start_s=float(inside_s[0]),
        end_s=float(inside_s[-1]),
        minimum_c=minimum,
        seconds_below=max(0.0, duration - above),
    )
