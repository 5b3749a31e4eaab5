"""Treatment days per 100 days (BD100) and the green / yellow / red benchmark."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.ikm.loader import load_lastenboek
from dairyhaccp.ikm.models import Benchmark
from dairyhaccp.ikm.treatment_days import (
    BenchmarkLimits,
    Period,
    TreatmentCourse,
    bd100_from_amount,
    benchmark_limits,
    benchmark_zone,
    calendar_periods,
    percentile,
    treatment_days_by_period,
    treatment_days_per_100,
)

JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31))


@pytest.fixture(scope="module")
def benchmark() -> Benchmark:
    return load_lastenboek().treatment_days.benchmark


def test_register_count_is_animal_days_treated_per_100_animal_days() -> None:
    courses = [
        TreatmentCourse(animals=1, first_day=date(2026, 1, 5), last_day=date(2026, 1, 7)),
        TreatmentCourse(animals=4, first_day=date(2026, 1, 20), last_day=date(2026, 1, 21)),
    ]

    # (1 × 3 + 4 × 2) animal-days / (50 cows × 31 days) × 100 = 11 / 1550 × 100
    assert treatment_days_per_100(courses, 50, JANUARY) == pytest.approx(0.709677, abs=1e-6)


def test_a_course_counts_only_its_days_within_the_period() -> None:
    course = TreatmentCourse(animals=2, first_day=date(2025, 12, 30), last_day=date(2026, 1, 2))

    # 1 and 2 January: 2 days × 2 animals = 4 animal-days of 10 cows × 31 days
    assert treatment_days_per_100([course], 10, JANUARY) == pytest.approx(400 / 310)


def test_figures_per_month_of_a_leap_year() -> None:
    months = calendar_periods(2028, "month")
    course = TreatmentCourse(animals=1, first_day=date(2028, 2, 28), last_day=date(2028, 3, 1))

    by_month = dict(treatment_days_by_period([course], 1, months))

    assert [p.days for p in months][:3] == [31, 29, 31]
    assert by_month[months[1]] == pytest.approx(200 / 29)
    assert by_month[months[2]] == pytest.approx(100 / 31)
    assert by_month[months[0]] == 0.0
    assert [p.days for p in calendar_periods(2026, "quarter")] == [90, 91, 92, 92]
    assert calendar_periods(2026, "year")[0].days == 365


def test_amount_method_follows_the_formula() -> None:
    # 100 × 6000 mg / (2 mg/kg/day × 30 days × 10 000 kg) = 1.0
    assert bd100_from_amount(6000, 2, 10_000, 30) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("amount", "ddd", "kg", "days"),
    [
        (-1, 2, 10, 30),
        (1, 0, 10, 30),
        (1, 2, float("nan"), 30),
        (1, 2, 10, 0),
        (float("inf"), 2, 10, 30),
    ],
)
def test_amount_method_refuses_impossible_inputs(
    amount: float, ddd: float, kg: float, days: int
) -> None:
    with pytest.raises(ValueError):
        bd100_from_amount(amount, ddd, kg, days)


def test_percentiles_interpolate_between_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0, 10.0]

    assert percentile(values, 50) == 3.0
    # rank (5 - 1) × 0.9 = 3.6: 4 + 0.6 × (10 - 4)
    assert percentile(values, 90) == pytest.approx(7.6)
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 10.0


def test_zones_at_and_around_the_limits(benchmark: Benchmark) -> None:
    limits = benchmark_limits(
        [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], benchmark, 5
    )

    assert limits == BenchmarkLimits(attention=5.0, action=9.0, farms=11)
    assert benchmark_zone(0.0, limits) == "green"
    assert benchmark_zone(5.0, limits) == "green"
    assert benchmark_zone(5.01, limits) == "yellow"
    assert benchmark_zone(9.0, limits) == "yellow"
    assert benchmark_zone(9.01, limits) == "red"


def test_no_benchmark_for_fewer_farms_than_the_privacy_rule(benchmark: Benchmark) -> None:
    assert benchmark_limits([1.0, 2.0, 3.0, 4.0], benchmark, 5) is None
    assert benchmark_limits([1.0, 2.0, 3.0, 4.0, 5.0], benchmark, 5) is not None


@given(st.lists(st.floats(min_value=0, max_value=1000), min_size=5, max_size=60))
def test_half_the_farms_or_more_are_green_and_about_a_tenth_red(values: list[float]) -> None:
    limits = benchmark_limits(values, load_lastenboek().treatment_days.benchmark, 5)
    assert limits is not None

    zones = [benchmark_zone(v, limits) for v in values]

    assert zones.count("green") >= len(values) / 2
    # Above P90: at most a tenth of the farms, rounded up (the top farm of 5 is red).
    assert zones.count("red") <= math.ceil(len(values) / 10)
