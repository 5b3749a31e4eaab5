"""Raw-milk plate count and somatic cells as rolling geometric means (Reg. 853/2004)."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.lab import (
    FindingCode,
    RawMilkStatus,
    geometric_mean,
    monthly_results,
    rolling_status,
)

PLATE_NORM = 100_000.0
CELL_NORM = 400_000.0


def twice_a_month(months: list[tuple[int, int]], value: float) -> list[tuple[date, float]]:
    return [(date(y, m, d), value) for y, m in months for d in (5, 20)]


def test_geometric_mean_of_10_and_1000_is_100():
    assert geometric_mean([10, 1000]) == pytest.approx(100)


@pytest.mark.parametrize("values", [[], [10, 0], [10, -5], [math.inf]])
def test_geometric_mean_refuses_empty_or_non_positive_values(values):
    with pytest.raises(ValueError, match=r"^values(\[\d+\])?:"):
        geometric_mean(values)


@given(st.lists(st.floats(1, 1e7), min_size=1, max_size=20))
def test_geometric_mean_lies_between_the_smallest_and_largest_value(values):
    mean = geometric_mean(values)
    assert min(values) * (1 - 1e-9) <= mean <= max(values) * (1 + 1e-9)


def test_plate_count_with_two_samples_in_each_of_two_months_is_judged():
    results = [
        (date(2024, 2, 5), 50_000.0),
        (date(2024, 2, 19), 200_000.0),
        (date(2024, 3, 4), 80_000.0),
        (date(2024, 3, 18), 125_000.0),
    ]
    status = rolling_status(results, "plate_count", PLATE_NORM, date(2024, 3, 31))
    assert status.geometric_mean == pytest.approx((50_000 * 200_000 * 80_000 * 125_000) ** (1 / 4))
    assert status.status is RawMilkStatus.CONFORM
    assert status.sample_count == 4
    assert status.findings == ()


def test_plate_count_geometric_mean_exactly_at_the_norm_conforms():
    results = twice_a_month([(2024, 2), (2024, 3)], PLATE_NORM)
    status = rolling_status(results, "plate_count", PLATE_NORM, date(2024, 3, 31))
    assert status.status is RawMilkStatus.CONFORM


def test_plate_count_above_the_norm_is_unfavourable():
    results = twice_a_month([(2024, 2), (2024, 3)], 100_001.0)
    status = rolling_status(results, "plate_count", PLATE_NORM, date(2024, 3, 31))
    assert status.status is RawMilkStatus.UNFAVOURABLE
    above = status.findings[0]
    assert above.code is FindingCode.ABOVE_NORM
    assert above.measured == pytest.approx(100_001)
    assert above.required == PLATE_NORM


def test_plate_count_with_one_sample_in_a_month_is_not_judged():
    results = [*twice_a_month([(2024, 3)], 500_000.0), (date(2024, 2, 10), 500_000.0)]
    status = rolling_status(results, "plate_count", PLATE_NORM, date(2024, 3, 31))
    assert status.status is RawMilkStatus.INSUFFICIENT_SAMPLES
    [short] = status.findings
    assert short.code is FindingCode.INSUFFICIENT_SAMPLES
    assert (short.measured, short.required) == (1, 2)


def test_a_window_at_a_month_end_covers_whole_calendar_months():
    status = rolling_status([], "plate_count", PLATE_NORM, date(2024, 3, 31))
    assert [(w.start, w.end) for w in status.months] == [
        (date(2024, 3, 1), date(2024, 3, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
    ]
    assert status.geometric_mean is None
    assert status.status is RawMilkStatus.INSUFFICIENT_SAMPLES


def test_a_window_mid_month_rolls_back_from_that_day():
    status = rolling_status([], "plate_count", PLATE_NORM, date(2024, 3, 15))
    assert (status.window_start, status.window_end) == (date(2024, 1, 16), date(2024, 3, 15))


def test_results_outside_the_window_are_ignored():
    inside = twice_a_month([(2024, 2), (2024, 3)], 10_000.0)
    outside = [(date(2024, 1, 31), 9e9), (date(2024, 4, 1), 9e9)]
    status = rolling_status(inside + outside, "plate_count", PLATE_NORM, date(2024, 3, 31))
    assert status.sample_count == 4
    assert status.status is RawMilkStatus.CONFORM


def test_somatic_cells_need_one_sample_in_each_of_three_months():
    results = [(date(2024, m, 10), 300_000.0) for m in (1, 2, 3)]
    assert (
        rolling_status(results, "somatic_cells", CELL_NORM, date(2024, 3, 31)).status
        is RawMilkStatus.CONFORM
    )
    status = rolling_status(results[1:], "somatic_cells", CELL_NORM, date(2024, 3, 31))
    assert status.status is RawMilkStatus.INSUFFICIENT_SAMPLES
    assert len(status.months) == 3


def test_window_and_minimum_samples_can_be_given_as_parameters():
    # Belgian practice: at least 4 results over at most 2 months, whatever the month split
    results = [(date(2024, 3, d), 50_000.0) for d in (1, 8, 15, 22)]
    default = rolling_status(results, "plate_count", PLATE_NORM, date(2024, 3, 31))
    practice = rolling_status(
        results,
        "plate_count",
        PLATE_NORM,
        date(2024, 3, 31),
        min_samples_per_month=0,
        min_samples_total=4,
    )
    assert default.status is RawMilkStatus.INSUFFICIENT_SAMPLES
    assert practice.status is RawMilkStatus.CONFORM


def test_a_datetime_is_read_as_its_date():
    results = [(datetime(2024, 3, d, 6, 30), 50_000.0) for d in (1, 20)] + twice_a_month(
        [(2024, 2)], 50_000.0
    )
    status = rolling_status(results, "plate_count", PLATE_NORM, datetime(2024, 3, 31, 23, 0))
    assert status.status is RawMilkStatus.CONFORM


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: rolling_status([], "fat", 1.0, date(2024, 1, 31)), "parameter"),
        (lambda: rolling_status([], "plate_count", 0.0, date(2024, 1, 31)), "norm"),
        (
            lambda: rolling_status(
                [(date(2024, 1, 2), 0.0)], "plate_count", 1.0, date(2024, 1, 31)
            ),
            r"results\[0\]",
        ),
        (
            lambda: rolling_status([], "plate_count", 1.0, date(2024, 1, 31), window_months=0),
            "window_months",
        ),
        (
            lambda: monthly_results(
                [], "plate_count", 1.0, first_month=date(2024, 5, 1), last_month=date(2024, 3, 1)
            ),
            "last_month",
        ),
    ],
)
def test_bad_input_raises_value_error_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        call()


def test_an_unknown_parameter_with_its_own_window_is_judged():
    results = [(date(2024, 3, 5), 1_000_000.0)]
    status = rolling_status(
        results,
        "goat_plate_count",
        1_500_000,
        date(2024, 3, 31),
        window_months=1,
        min_samples_per_month=1,
    )
    assert status.status is RawMilkStatus.CONFORM


def test_from_the_fourth_unfavourable_month_use_and_delivery_stop():
    months = [(2024, m) for m in range(1, 7)]
    results = twice_a_month(months, 150_000.0)
    monthly = monthly_results(results, "plate_count", PLATE_NORM)
    assert [r.month for r in monthly] == [date(2024, m, 1) for m in range(1, 7)]
    # January has no December samples beside it: not judged
    assert [r.verdict for r in monthly] == [RawMilkStatus.INSUFFICIENT_SAMPLES] + [
        RawMilkStatus.UNFAVOURABLE
    ] * 5
    assert [r.consecutive_unfavourable for r in monthly] == [0, 1, 2, 3, 4, 5]
    assert [r.stop_use_and_delivery for r in monthly] == [False, False, False, False, True, True]
    assert monthly[4].findings[-1].code is FindingCode.STOP_USE_AND_DELIVERY


def test_a_conforming_month_ends_the_unfavourable_run():
    results = twice_a_month([(2024, m) for m in range(1, 5)], 150_000.0) + twice_a_month(
        [(2024, m) for m in range(5, 7)], 10_000.0
    )
    monthly = monthly_results(results, "plate_count", PLATE_NORM)
    # May's window mixes April and May: geometric mean sqrt(150 000 × 10 000) ≈ 38 730
    assert [r.consecutive_unfavourable for r in monthly] == [0, 1, 2, 3, 0, 0]
    assert not any(r.stop_use_and_delivery for r in monthly)


def test_a_month_without_enough_samples_does_not_end_the_run():
    months = [(2024, m) for m in (1, 2, 3, 5, 6, 7)]  # no April samples
    monthly = monthly_results(twice_a_month(months, 150_000.0), "plate_count", PLATE_NORM)
    assert [r.verdict.value for r in monthly] == [
        "insufficient_samples",
        "unfavourable",
        "unfavourable",
        "insufficient_samples",  # April
        "insufficient_samples",  # May: April beside it is empty
        "unfavourable",
        "unfavourable",
    ]
    assert [r.consecutive_unfavourable for r in monthly] == [0, 1, 2, 2, 2, 3, 4]
    assert monthly[-1].stop_use_and_delivery


def test_monthly_results_cover_the_requested_months_even_without_results():
    monthly = monthly_results(
        [], "somatic_cells", CELL_NORM, first_month=date(2024, 1, 15), last_month=date(2024, 3, 2)
    )
    assert [r.month for r in monthly] == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert all(r.verdict is RawMilkStatus.INSUFFICIENT_SAMPLES for r in monthly)


def test_no_results_and_no_months_give_no_monthly_results():
    assert monthly_results([], "plate_count", PLATE_NORM) == []
