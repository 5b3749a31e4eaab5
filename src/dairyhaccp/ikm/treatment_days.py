"""Treatment days with antibiotics per 100 days (BD100) and the benchmark against all farms.

The methods, their formulas and sources are data (`treatment_days.yaml` of the lastenboek
version): `register_count` counts the animal-days of administration in the farm's own register;
`amount_dddabel` is AMCRA's form from amounts and DDDAbel values the caller supplies. The
benchmark puts a farm in green, yellow or red against the P50 (attention) and P90 (action)
values of the distribution of all farms, computed here by linear interpolation between ranks.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from dairyhaccp.ikm.models import Benchmark

Zone = Literal["green", "yellow", "red"]
PeriodKind = Literal["month", "quarter", "year"]


@dataclass(frozen=True, slots=True)
class Period:
    """A run of calendar days, both ends included."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"period ends ({self.last_day}) before it starts ({self.first_day})")

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True, slots=True)
class TreatmentCourse:
    """Antibiotics given to `animals` animals on each day from `first_day` to `last_day`."""

    animals: int
    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.animals < 1:
            raise ValueError("a course treats at least one animal")
        if self.last_day < self.first_day:
            raise ValueError("a course ends on or after the day it starts")

    def animal_days_within(self, period: Period) -> int:
        """Animal-days of administration that fall inside `period`."""
        first = max(self.first_day, period.first_day)
        last = min(self.last_day, period.last_day)
        return 0 if last < first else self.animals * ((last - first).days + 1)


@dataclass(frozen=True, slots=True)
class BenchmarkLimits:
    """The attention (P50) and action (P90) values of a distribution, and its size."""

    attention: float
    action: float
    farms: int


def calendar_periods(year: int, kind: PeriodKind) -> list[Period]:
    """The months, quarters or the whole of a calendar year."""
    if kind == "year":
        return [Period(date(year, 1, 1), date(year, 12, 31))]
    step = 1 if kind == "month" else 3
    periods = []
    for month in range(1, 13, step):
        last_month = month + step - 1
        last_day = calendar.monthrange(year, last_month)[1]
        periods.append(Period(date(year, month, 1), date(year, last_month, last_day)))
    return periods


def treatment_days_per_100(
    courses: Iterable[TreatmentCourse], animals_at_risk: float, period: Period
) -> float:
    """Method `register_count`: animal-days of administration per 100 animal-days present."""
    if not math.isfinite(animals_at_risk) or animals_at_risk <= 0:
        raise ValueError("animals at risk must be a positive number")
    treated = sum(course.animal_days_within(period) for course in courses)
    return 100.0 * treated / (animals_at_risk * period.days)


def treatment_days_by_period(
    courses: Sequence[TreatmentCourse], animals_at_risk: float, periods: Iterable[Period]
) -> list[tuple[Period, float]]:
    """`treatment_days_per_100` for each period."""
    return [(p, treatment_days_per_100(courses, animals_at_risk, p)) for p in periods]


def bd100_from_amount(
    amount_mg: float, dddabel_mg_per_kg_day: float, kg_at_risk: float, days: int
) -> float:
    """Method `amount_dddabel`: 100 × amount / (DDDAbel × days × kg of animals at risk)."""
    for name, value in (
        ("DDDAbel", dddabel_mg_per_kg_day),
        ("kg at risk", kg_at_risk),
        ("days", float(days)),
    ):
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive number")
    if not math.isfinite(amount_mg) or amount_mg < 0:
        raise ValueError("the amount must be a number of mg, zero or more")
    return 100.0 * amount_mg / (dddabel_mg_per_kg_day * days * kg_at_risk)


def percentile(values: Sequence[float], percent: float) -> float:
    """The `percent` percentile by linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    if not 0 <= percent <= 100:
        raise ValueError("percent lies in 0..100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * percent / 100.0
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    fraction = position - below
    return ordered[below] + (ordered[above] - ordered[below]) * fraction


def benchmark_limits(
    values: Sequence[float], benchmark: Benchmark, min_farms: int
) -> BenchmarkLimits | None:
    """The P50 and P90 of all farms' figures; None for fewer than `min_farms` farms."""
    if any(not math.isfinite(v) for v in values):
        raise ValueError("treatment-day figures are finite numbers")
    if len(values) < min_farms:
        return None
    return BenchmarkLimits(
        attention=percentile(values, benchmark.attention_percentile),
        action=percentile(values, benchmark.action_percentile),
        farms=len(values),
    )


def benchmark_zone(value: float, limits: BenchmarkLimits) -> Zone:
    """Green up to and including P50, yellow up to and including P90, red above P90."""
    if value <= limits.attention:
        return "green"
    if value <= limits.action:
        return "yellow"
    return "red"
