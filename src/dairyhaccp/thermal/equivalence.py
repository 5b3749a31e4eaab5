"""Equivalent pasteurisation time/temperature combinations (CCP 9).

The guide's table lies on one log-linear curve (z ≈ 4.33 °C). Between the table's points the
required hold is interpolated log-linearly; above the table the hold of its highest point still
applies (nothing shorter is validated); below the lowest point nothing is validated (None).
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from dairyhaccp.guide.models import Pasteurisation

Medium = Literal["milk", "cream"]
MEDIA: tuple[Medium, ...] = ("milk", "cream")


class PasteurisationCode(StrEnum):
    """Outcome of a pasteurisation check, for one hold or a logged trace."""

    SUFFICIENT = "pasteurisation_sufficient"
    INSUFFICIENT = "pasteurisation_insufficient"
    NOT_VALIDATED = "temperature_not_validated"


@dataclass(frozen=True, slots=True)
class HoldCheck:
    """A held temperature and time compared with the hold the table requires there."""

    code: PasteurisationCode
    medium: Medium
    temperature_c: float
    hold_s: float
    required_hold_s: float | None
    lowest_validated_c: float

    @property
    def ok(self) -> bool:
        return self.code is PasteurisationCode.SUFFICIENT


def check_medium(medium: str) -> Medium:
    """Return `medium` if it is 'milk' or 'cream'; raise ValueError naming the field otherwise."""
    for known in MEDIA:
        if medium == known:
            return known
    raise ValueError(f"medium: {medium!r} is not one of {list(MEDIA)}")


def _finite(name: str, value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{name}: {value!r} is not a finite number")
    return float(value)


def _check_points(table: Pasteurisation) -> list[tuple[float, float]]:
    points = [(p.temperature_c, p.hold_s) for p in table.points]
    if len(points) < 2:
        raise ValueError("points: the table needs at least two time/temperature points")
    for temperature, hold in points:
        _finite("points", temperature)
        if not (math.isfinite(hold) and hold > 0):
            raise ValueError(f"points: hold {hold!r} s at {temperature:g} °C must be positive")
    return points


def z_value(table: Pasteurisation) -> float:
    """The z-value (°C per tenfold time) of the table, by least squares on log10 of the hold."""
    points = _check_points(table)
    temps = [t for t, _ in points]
    logs = [math.log10(h) for _, h in points]
    mean_t = math.fsum(temps) / len(temps)
    mean_log = math.fsum(logs) / len(logs)
    sxx = math.fsum((t - mean_t) ** 2 for t in temps)
    sxy = math.fsum((t - mean_t) * (y - mean_log) for t, y in zip(temps, logs, strict=True))
    if sxx == 0 or sxy >= 0:
        raise ValueError("points: hold times must fall as the temperature rises")
    return -sxx / sxy


def _milk_curve(table: Pasteurisation) -> list[tuple[float, float]]:
    """Table points plus the reference point, strictly rising in temperature, falling in time."""
    reference = (table.reference_temperature_c, table.reference_hold_s)
    curve = [p for p in _check_points(table) if p[0] != reference[0]]
    curve.append(reference)
    curve.sort()
    for (t1, h1), (t2, h2) in itertools.pairwise(curve):
        if not (t1 < t2 and h1 > h2):
            raise ValueError(
                f"points: {t1:g} °C/{h1:g} s and {t2:g} °C/{h2:g} s do not lie on a falling curve"
            )
    return curve


def lowest_validated_c(table: Pasteurisation) -> float:
    """The lowest temperature the table validates; below it no hold is accepted."""
    return _curve(table).lowest_c


def reference_point(table: Pasteurisation, medium: str) -> tuple[float, float]:
    """The medium's legal reference combination (temperature °C, hold s)."""
    if check_medium(medium) == "milk":
        return table.reference_temperature_c, table.reference_hold_s
    return table.cream_temperature_c, table.cream_hold_s


@dataclass(frozen=True, slots=True)
class _Curve:
    z: float
    lowest_c: float
    milk: tuple[tuple[float, float], ...]
    temperatures: tuple[float, ...]


# The guide is loaded once per process; its tables are kept alive by the cached guide.
_CURVES: dict[int, tuple[Pasteurisation, _Curve]] = {}


def _curve(table: Pasteurisation) -> _Curve:
    cached = _CURVES.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    milk = tuple(_milk_curve(table))
    lowest = min(t for t, _ in _check_points(table))
    curve = _Curve(z_value(table), lowest, milk, tuple(t for t, _ in milk))
    _CURVES[id(table)] = (table, curve)
    return curve


def required_hold_s(table: Pasteurisation, medium: str, temperature_c: float) -> float | None:
    """Seconds to hold at `temperature_c` for `medium`; None below the validated range.

    Above the highest point of the table (for cream: above its reference temperature) the hold
    of that point still applies: the guide validates nothing shorter.
    """
    medium = check_medium(medium)
    temperature = _finite("temperature_c", temperature_c)
    curve = _curve(table)
    if temperature < curve.lowest_c:
        return None
    if medium == "cream":
        if temperature >= table.cream_temperature_c:
            return table.cream_hold_s
        return table.cream_hold_s * 10 ** ((table.cream_temperature_c - temperature) / curve.z)
    top_t, top_h = curve.milk[-1]
    if temperature >= top_t:
        return top_h
    index = bisect.bisect_right(curve.temperatures, temperature)  # milk[index - 1] <= T
    t1, h1 = curve.milk[index - 1]
    if temperature == t1:
        return h1
    t2, h2 = curve.milk[index]
    fraction = (temperature - t1) / (t2 - t1)
    return float(10 ** (math.log10(h1) + fraction * (math.log10(h2) - math.log10(h1))))


def check_hold(
    table: Pasteurisation, medium: str, temperature_c: float, hold_s: float
) -> HoldCheck:
    """Compare one held temperature and time with the table's required hold."""
    medium = check_medium(medium)
    hold = _finite("hold_s", hold_s)
    if hold < 0:
        raise ValueError(f"hold_s: {hold_s!r} is negative")
    required = required_hold_s(table, medium, temperature_c)
    if required is None:
        code = PasteurisationCode.NOT_VALIDATED
    elif hold >= required:
        code = PasteurisationCode.SUFFICIENT
    else:
        code = PasteurisationCode.INSUFFICIENT
    return HoldCheck(
        code=code,
        medium=medium,
        temperature_c=float(temperature_c),
        hold_s=hold,
        required_hold_s=required,
        lowest_validated_c=lowest_validated_c(table),
    )
