"""Lethality of a logged pasteurisation trace, as equivalent seconds at the reference temperature.

Each part of the trace adds Δt · 10^((T − T_ref)/z) (trapezoid rule). Parts below the table's
lowest temperature add nothing: the table does not validate them, and no curve is extrapolated
downwards.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from dairyhaccp.guide.models import Pasteurisation
from dairyhaccp.thermal.equivalence import (
    Medium,
    PasteurisationCode,
    check_medium,
    lowest_validated_c,
    reference_point,
    z_value,
)

TracePoint = tuple[float, float]  # (seconds since start, temperature °C)


@dataclass(frozen=True, slots=True)
class TraceLethality:
    """A logged trace's lethality compared with the medium's reference hold."""

    code: PasteurisationCode
    medium: Medium
    reference_temperature_c: float
    required_s: float
    equivalent_s: float
    z_value: float
    peak_temperature_c: float
    seconds_at_or_above_validated: float
    lowest_validated_c: float

    @property
    def ok(self) -> bool:
        return self.code is PasteurisationCode.SUFFICIENT

    @property
    def shortfall_s(self) -> float:
        """Equivalent seconds missing at the reference temperature (0 when sufficient)."""
        return max(0.0, self.required_s - self.equivalent_s)


def _check_trace(points: Sequence[TracePoint]) -> list[TracePoint]:
    if len(points) < 2:
        raise ValueError("points: a trace needs at least two (seconds, temperature_c) readings")
    trace: list[TracePoint] = []
    for index, (seconds, temperature) in enumerate(points):
        if not (math.isfinite(seconds) and math.isfinite(temperature)):
            raise ValueError(f"points[{index}]: ({seconds!r}, {temperature!r}) is not finite")
        if trace and seconds <= trace[-1][0]:
            raise ValueError(f"points[{index}]: time {seconds:g} s does not rise")
        trace.append((float(seconds), float(temperature)))
    return trace


def _segment(
    start: TracePoint, end: TracePoint, lowest_c: float, reference_c: float, z: float
) -> tuple[float, float]:
    """Equivalent seconds and seconds at or above `lowest_c` of one straight trace segment."""
    (t0, temp0), (t1, temp1) = start, end

    def rate(temperature: float) -> float:
        return float(10 ** ((temperature - reference_c) / z))

    if temp0 >= lowest_c and temp1 >= lowest_c:
        duration = t1 - t0
        return duration * (rate(temp0) + rate(temp1)) / 2, duration
    if temp0 < lowest_c and temp1 < lowest_c:
        return 0.0, 0.0
    # The segment crosses the lowest validated temperature: count only the part above it.
    crossing = t0 + (t1 - t0) * (lowest_c - temp0) / (temp1 - temp0)
    hot_temperature, duration = (temp1, t1 - crossing) if temp1 > temp0 else (temp0, crossing - t0)
    return duration * (rate(lowest_c) + rate(hot_temperature)) / 2, duration


def lethality_of_trace(
    points: Sequence[TracePoint], table: Pasteurisation, medium: str
) -> TraceLethality:
    """Accumulate a trace's lethality and compare it with the medium's reference hold."""
    medium = check_medium(medium)
    trace = _check_trace(points)
    reference_c, required_s = reference_point(table, medium)
    z = z_value(table)
    lowest_c = lowest_validated_c(table)
    equivalent = 0.0
    validated_seconds = 0.0
    for start, end in itertools.pairwise(trace):
        segment_equivalent, segment_seconds = _segment(start, end, lowest_c, reference_c, z)
        equivalent += segment_equivalent
        validated_seconds += segment_seconds
    peak = max(temperature for _, temperature in trace)
    if peak < lowest_c:
        code = PasteurisationCode.NOT_VALIDATED
    elif equivalent >= required_s:
        code = PasteurisationCode.SUFFICIENT
    else:
        code = PasteurisationCode.INSUFFICIENT
    return TraceLethality(
        code=code,
        medium=medium,
        reference_temperature_c=reference_c,
        required_s=required_s,
        equivalent_s=equivalent,
        z_value=z,
        peak_temperature_c=peak,
        seconds_at_or_above_validated=validated_seconds,
        lowest_validated_c=lowest_c,
    )
