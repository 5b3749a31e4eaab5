"""Raw milk judged as table 5.1 and Regulation 853/2004 say, with the module's consequences."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import RawMilkAnalysis
from dairyhaccp.lab import Action, MilkOrigin, RawMilkResult, RawMilkVerdict, judge_raw_milk
from dairyhaccp.lab.raw_milk import DEFAULT_ROLLING_RULES, RawMilkStatus, rolling_status
from dairyhaccp.lab.raw_milk_verdict import (
    JudgingBasis,
    MonthStatus,
    judging_basis,
    raw_milk_row,
    raw_milk_rows,
)

GUIDE = load_guide()
DELIVERING_COW = MilkOrigin("cow", "own_delivered", "heat_treated")
FARM_COW = MilkOrigin("cow", "own_not_delivered", "raw_milk_products")
BOUGHT_COW = MilkOrigin("cow", "bought", "raw_milk_products")


def results(*pairs: tuple[str, float | str]) -> list[RawMilkResult]:
    return [RawMilkResult(date.fromisoformat(day), value) for day, value in pairs]


def twice_monthly(months: list[tuple[int, int]], value: float) -> list[RawMilkResult]:
    return [RawMilkResult(date(y, m, d), value) for y, m in months for d in (5, 20)]


def _uses(row: RawMilkAnalysis) -> list[str]:
    return ["raw_milk_products", "heat_treated"] if row.use == "any" else [row.use]


ROW_CASES = [
    pytest.param(row, use, id=f"{row.id}/{use}")
    for row in GUIDE.raw_milk_analyses
    for use in _uses(row)
]


def _bad_and_good(row: RawMilkAnalysis) -> tuple[float | str, float | str]:
    if row.parameter == "antibiotic_residues":
        return "detected", "not_detected"
    if row.parameter == "visible_cleanliness":
        return "not_ok", "ok"
    assert row.norm.value is not None
    return row.norm.value * 1.001, row.norm.value


# --- table 5.1: the rows and their norms -----------------------------------------------------


@pytest.mark.parametrize(("row", "use"), ROW_CASES)
def test_every_row_of_table_5_1_is_found_for_its_origin(row: RawMilkAnalysis, use: str) -> None:
    origin = MilkOrigin(row.species, row.source_type, use)
    assert raw_milk_row(GUIDE, origin, row.parameter) == row


@pytest.mark.parametrize(("row", "use"), ROW_CASES)
def test_every_row_of_table_5_1_judges_a_result_at_its_norm_conform_and_above_unfavourable(
    row: RawMilkAnalysis, use: str
) -> None:
    origin = MilkOrigin(row.species, row.source_type, use)
    bad, good = _bad_and_good(row)

    at_norm = judge_raw_milk(GUIDE, origin, row.parameter, results(("2026-01-05", good)))
    above = judge_raw_milk(GUIDE, origin, row.parameter, results(("2026-01-05", bad)))

    assert at_norm.verdict is RawMilkVerdict.CONFORM
    assert at_norm.actions == () or at_norm.actions == (Action.TAKE_MISSING_SAMPLES,)
    assert above.verdict is RawMilkVerdict.UNFAVOURABLE
    assert above.actions


@pytest.mark.parametrize(
    ("origin", "parameter", "norm"),
    [
        (MilkOrigin("cow", "own_not_delivered", "heat_treated"), "plate_count", 100_000),
        (MilkOrigin("cow", "bought", "heat_treated"), "somatic_cells", 400_000),
        (MilkOrigin("goat", "own_not_delivered", "raw_milk_products"), "plate_count", 500_000),
        (MilkOrigin("sheep", "own_delivered", "heat_treated"), "plate_count", 1_500_000),
        (MilkOrigin("other", "bought", "raw_milk_products"), "plate_count", 500_000),
        (MilkOrigin("cow", "bought", "raw_milk_products"), "e_coli", 100),
    ],
)
def test_norms_follow_species_and_use(origin: MilkOrigin, parameter: str, norm: float) -> None:
    assert raw_milk_row(GUIDE, origin, parameter).norm.value == norm


def test_e_coli_is_only_analysed_for_raw_milk_products() -> None:
    heat_treated = MilkOrigin("cow", "bought", "heat_treated")
    assert "e_coli" not in {row.parameter for row in raw_milk_rows(GUIDE, heat_treated)}
    with pytest.raises(ValueError, match=r"^parameter: table 5.1 has no 'e_coli'"):
        raw_milk_row(GUIDE, heat_treated, "e_coli")


def test_antibiotic_rows_are_also_due_after_a_withdrawal_period() -> None:
    antibiotic_rows = [r for r in GUIDE.raw_milk_analyses if r.parameter == "antibiotic_residues"]
    assert antibiotic_rows and all(r.also_after_withdrawal_period for r in antibiotic_rows)


@pytest.mark.parametrize(
    ("field", "origin"),
    [
        ("species", ("pig", "bought", "heat_treated")),
        ("source", ("cow", "neighbour", "heat_treated")),
        ("use", ("cow", "bought", "anything")),
    ],
)
def test_an_unknown_origin_names_its_field(field: str, origin: tuple[str, str, str]) -> None:
    with pytest.raises(ValueError, match=rf"^{field}: "):
        MilkOrigin(*origin)


# --- plate count and somatic cells: rolling geometric means ----------------------------------


def test_the_frequency_of_the_row_decides_rolling_means_or_single_results() -> None:
    rule = DEFAULT_ROLLING_RULES["plate_count"]
    delivering = raw_milk_row(GUIDE, DELIVERING_COW, "plate_count")  # 2 per month
    farm = raw_milk_row(GUIDE, FARM_COW, "plate_count")  # 1 per 3 months
    assert judging_basis(delivering, rule) is JudgingBasis.ROLLING_MEAN
    assert judging_basis(farm, rule) is JudgingBasis.SINGLE_RESULTS


def test_plate_count_of_delivered_milk_is_judged_on_the_two_month_geometric_mean() -> None:
    # given: February 50 000 twice, March 200 000 twice: mean 100 000 exactly at the norm
    given = [*twice_monthly([(2026, 2)], 50_000), *twice_monthly([(2026, 3)], 200_000)]

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", given)

    assert judgement.geometric_mean == pytest.approx(100_000)
    assert judgement.geometric_mean_status is RawMilkStatus.CONFORM
    assert judgement.verdict is RawMilkVerdict.CONFORM
    # the single March results are above the norm, shown beside the mean
    assert [s.conform for s in judgement.singles] == [True, True, False, False]


def test_a_window_with_too_few_samples_and_a_mean_within_the_norm_is_not_judged() -> None:
    # one sample in February where the regulation wants two
    given = results(("2026-02-10", 90_000), ("2026-03-05", 90_000), ("2026-03-20", 90_000))

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", given)

    march = judgement.timeline[-1]
    assert march.status is MonthStatus.INSUFFICIENT_SAMPLES
    assert judgement.geometric_mean_status is RawMilkStatus.INSUFFICIENT_SAMPLES
    assert judgement.verdict is RawMilkVerdict.CONFORM
    assert judgement.on_too_few_samples
    assert Action.TAKE_MISSING_SAMPLES in judgement.actions


def test_a_window_with_too_few_samples_but_a_mean_above_the_norm_is_unfavourable() -> None:
    given = results(("2026-02-10", 300_000), ("2026-03-05", 300_000), ("2026-03-20", 300_000))

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", given)

    assert judgement.verdict is RawMilkVerdict.UNFAVOURABLE
    assert judgement.timeline[-1].on_too_few_samples
    assert judgement.notify_favv


def test_somatic_cells_use_three_months_with_one_sample_each() -> None:
    given = results(("2026-01-10", 300_000), ("2026-02-10", 400_000), ("2026-03-10", 600_000))

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "somatic_cells", given)

    expected = (300_000 * 400_000 * 600_000) ** (1 / 3)
    assert judgement.geometric_mean == pytest.approx(expected)
    assert judgement.verdict is RawMilkVerdict.UNFAVOURABLE  # 416 000 > 400 000


def test_somatic_cells_with_a_month_missing_in_the_window_are_not_judged_on_the_mean() -> None:
    given = results(("2026-01-10", 300_000), ("2026-03-10", 350_000))

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "somatic_cells", given)

    assert judgement.geometric_mean_status is RawMilkStatus.INSUFFICIENT_SAMPLES
    assert judgement.rolling is not None and judgement.rolling.months[1].samples == 0


def test_the_fourth_consecutive_unfavourable_month_stops_use_and_delivery() -> None:
    # given: January good, then February to May unfavourable (mean 150 000)
    given = [*twice_monthly([(2026, 1)], 50_000)]
    given += twice_monthly([(2026, m) for m in (2, 3, 4, 5, 6)], 150_000)
    good_january = twice_monthly([(2025, 12)], 50_000)

    third = judge_raw_milk(
        GUIDE, DELIVERING_COW, "plate_count", good_january + given, as_of=date(2026, 4, 30)
    )
    fourth = judge_raw_milk(
        GUIDE, DELIVERING_COW, "plate_count", good_january + given, as_of=date(2026, 5, 31)
    )

    # February's window mixes January: sqrt(50 000 x 150 000) = 86 603, conform
    assert third.consecutive_unfavourable_months == 2
    assert not third.stop_use
    assert fourth.consecutive_unfavourable_months == 3
    assert Action.NEXT_UNFAVOURABLE_MONTH_STOPS_USE in fourth.actions
    fifth = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", good_january + given)
    assert fifth.consecutive_unfavourable_months == 4
    assert fifth.stop_use
    assert fifth.actions[0] is Action.STOP_USE_AND_DELIVERY
    assert fifth.notify_favv


def test_a_conform_month_ends_the_run_of_unfavourable_months() -> None:
    given = twice_monthly([(2026, m) for m in (1, 2, 3, 4)], 150_000)
    given += twice_monthly([(2026, 5), (2026, 6)], 20_000)

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", given)

    # January's window lacks December's samples but its mean is already above the norm;
    # May: sqrt(150 000 x 20 000) = 54 772, conform
    assert [m.consecutive_unfavourable for m in judgement.timeline] == [1, 2, 3, 4, 0, 0]
    assert judgement.timeline[0].on_too_few_samples
    assert judgement.timeline[3].stop_use
    assert judgement.verdict is RawMilkVerdict.CONFORM
    assert not judgement.stop_use


def test_a_month_without_samples_neither_extends_nor_ends_a_run() -> None:
    given = twice_monthly([(2026, m) for m in (1, 2, 3)], 150_000)
    given += twice_monthly([(2026, 5)], 150_000)  # nothing in April

    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", given)

    statuses = [m.status for m in judgement.timeline]
    assert statuses[3] is MonthStatus.NO_RESULT
    assert judgement.consecutive_unfavourable_months == 4
    assert judgement.stop_use


def test_own_milk_sampled_every_three_months_is_judged_result_by_result() -> None:
    given = results(("2026-01-05", 150_000), ("2026-04-05", 150_000), ("2026-07-05", 150_000))
    third = judge_raw_milk(GUIDE, FARM_COW, "plate_count", given)
    fourth = judge_raw_milk(GUIDE, FARM_COW, "plate_count", [*given, *results(("2026-10-05", 2e5))])
    recovered = judge_raw_milk(
        GUIDE, FARM_COW, "plate_count", [*given, *results(("2026-10-05", 90_000))]
    )

    assert third.basis is JudgingBasis.SINGLE_RESULTS
    assert third.consecutive_unfavourable_months == 3
    assert fourth.stop_use
    assert recovered.verdict is RawMilkVerdict.CONFORM
    assert recovered.consecutive_unfavourable_months == 0


def test_bought_milk_above_the_norm_asks_the_supplier_not_the_milking_machine() -> None:
    given = twice_monthly([(2026, 1), (2026, 2)], 200_000)

    judgement = judge_raw_milk(GUIDE, BOUGHT_COW, "plate_count", given)

    assert Action.PRESS_SUPPLIER in judgement.actions
    assert Action.RAISE_MILKING_HYGIENE not in judgement.actions


def test_results_after_as_of_are_left_out() -> None:
    given = results(("2026-01-05", 90_000), ("2026-04-05", 500_000))

    judgement = judge_raw_milk(GUIDE, FARM_COW, "plate_count", given, as_of=date(2026, 2, 1))

    assert judgement.verdict is RawMilkVerdict.CONFORM
    assert [s.day for s in judgement.singles] == [date(2026, 1, 5)]


# --- antibiotics, E. coli, cleanliness --------------------------------------------------------


def test_antibiotics_detected_stop_use_at_once_notify_and_destroy_the_linked_lots() -> None:
    given = results(("2026-03-01", "not_detected"), ("2026-03-02", "detected"))

    judgement = judge_raw_milk(
        GUIDE, FARM_COW, "antibiotic_residues", given, linked_lots=["K-0302", "Y-0302"]
    )

    assert judgement.verdict is RawMilkVerdict.UNFAVOURABLE
    assert judgement.stop_use
    assert judgement.notify_favv
    assert judgement.actions[:4] == (
        Action.STOP_USE_AND_DELIVERY,
        Action.NOTIFY_FAVV_UNLESS_KEPT_IN_HOUSE,
        Action.LABORATORY_NOTIFIES_IF_IT_ANALYSED,
        Action.DESTROY_MILK_AND_LOTS,
    )
    assert judgement.linked_lots == ("K-0302", "Y-0302")


def test_a_favourable_antibiotic_test_after_a_positive_one_lifts_the_stop() -> None:
    given = results(("2026-03-02", "detected"), ("2026-03-04", "not_detected"))

    judgement = judge_raw_milk(GUIDE, FARM_COW, "antibiotic_residues", given, linked_lots=["K"])

    assert judgement.verdict is RawMilkVerdict.CONFORM
    assert not judgement.stop_use
    assert judgement.linked_lots == ()
    assert judgement.detected_last_12_months == 1


def test_positive_antibiotic_tests_are_counted_over_twelve_months() -> None:
    given = results(
        ("2025-01-10", "detected"),
        ("2025-06-10", "detected"),
        ("2025-11-10", "detected"),
        ("2026-02-10", "not_detected"),
    )

    judgement = judge_raw_milk(GUIDE, FARM_COW, "antibiotic_residues", given)

    assert judgement.detected_last_12_months == 2


@pytest.mark.parametrize(
    ("parameter", "value"), [("e_coli", 150.0), ("visible_cleanliness", "not_ok")]
)
def test_e_coli_or_cleanliness_above_the_norm_ask_for_hygiene_without_notification(
    parameter: str, value: float | str
) -> None:
    judgement = judge_raw_milk(GUIDE, FARM_COW, parameter, results(("2026-01-05", value)))

    assert judgement.verdict is RawMilkVerdict.UNFAVOURABLE
    assert judgement.actions == (Action.RAISE_UDDER_HYGIENE, Action.INCREASE_FREQUENCY)
    assert not judgement.notify_favv
    assert not judgement.stop_use


@pytest.mark.parametrize(
    ("parameter", "value", "field"),
    [
        ("plate_count", -1, r"results\[0\]\.value"),
        ("plate_count", "detected", r"results\[0\]\.value"),
        ("antibiotic_residues", 3, r"results\[0\]\.value"),
        ("visible_cleanliness", "dirty", r"results\[0\]\.value"),
    ],
)
def test_a_wrong_kind_of_value_names_the_result(parameter: str, value: object, field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field}: "):
        result = RawMilkResult(date(2026, 1, 5), value)  # type: ignore[arg-type]
        judge_raw_milk(GUIDE, FARM_COW, parameter, [result])


def test_no_results_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^results: "):
        judge_raw_milk(GUIDE, FARM_COW, "plate_count", [])


@settings(max_examples=60, deadline=None)
@given(
    origin=st.sampled_from([DELIVERING_COW, FARM_COW]),
    parameter=st.sampled_from(["plate_count", "somatic_cells"]),
    samples=st.lists(
        st.tuples(
            st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
            st.floats(min_value=1_000, max_value=2_000_000),
        ),
        min_size=1,
        max_size=60,
    ),
)
def test_each_month_of_the_timeline_is_the_rolling_mean_of_every_result_up_to_its_end(
    origin: MilkOrigin, parameter: str, samples: list[tuple[date, float]]
) -> None:
    judged = judge_raw_milk(
        GUIDE, origin, parameter, [RawMilkResult(day, value) for day, value in samples]
    )

    ordered = sorted(samples)
    row = raw_milk_row(GUIDE, origin, parameter)
    assert row.norm.value is not None
    for month in judged.timeline:
        end = month.rolling.as_of
        everything = rolling_status(ordered, parameter, row.norm.value, end)
        assert month.rolling == everything
        assert month.results == sum(1 for day, _ in samples if month.month <= day <= end)
