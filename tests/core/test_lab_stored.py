"""Stored lab judgements: read back exactly as judged, and not judged again after the fact.

A raw-milk judgement handed the one made before keeps the status of every month whose results
did not change, and the single verdict of every result that did not change, whatever guide
judges now; months and results that changed are judged with the guide of now.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.guide import Guide, load_guide
from dairyhaccp.lab import MilkOrigin, RawMilkResult, judge_product, judge_raw_milk
from dairyhaccp.lab.raw_milk_verdict import MonthStatus, RawMilkJudgement
from dairyhaccp.lab.rules import lab_rules
from dairyhaccp.lab.stored import (
    StoredRecordError,
    product_from_record,
    product_record,
    raw_milk_from_record,
    raw_milk_record,
    same_product_outcome,
    same_raw_milk_outcome,
)
from dairyhaccp.profile import ProductSpec

GUIDE = load_guide()
DELIVERING_COW = MilkOrigin("cow", "own_delivered", "heat_treated")
FARM_COW = MilkOrigin("cow", "own_not_delivered", "raw_milk_products")


@pytest.fixture(autouse=True)
def lab_rules_for_version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The changed guides below are "version 2": they keep the lab rules of version 1."""
    rules = lab_rules(GUIDE)
    known = {
        (GUIDE.meta.id, version): rules.model_copy(
            update={"guide": rules.guide.model_copy(update={"version": version})}
        )
        for version in (GUIDE.meta.version, "2")
    }
    monkeypatch.setattr("dairyhaccp.lab.rules._all_rules", lambda: known)


def stored(data: dict[str, Any]) -> Any:
    """A record as the database hands it back: through JSON."""
    return json.loads(json.dumps(data))


def guide_with_plate_norm(norm: float, version: str = "2") -> Guide:
    """A changed guide: the plate-count norms set to `norm`, under another version."""
    rows = [
        row.model_copy(update={"norm": row.norm.model_copy(update={"value": norm})})
        if row.parameter == "plate_count"
        else row
        for row in GUIDE.raw_milk_analyses
    ]
    meta = GUIDE.meta.model_copy(update={"version": version})
    return GUIDE.model_copy(update={"raw_milk_analyses": rows, "meta": meta})


def twice_monthly(months: list[tuple[int, int]], value: float) -> list[RawMilkResult]:
    return [
        RawMilkResult(date(y, m, d), value, ref=f"{y}-{m}-{d}") for y, m in months for d in (5, 20)
    ]


# --- read back exactly ------------------------------------------------------------------------


ROW_CASES = [
    (FARM_COW, "plate_count", [(date(2026, 1, 5), 150_000.0), (date(2026, 4, 5), 80_000.0)]),
    (DELIVERING_COW, "somatic_cells", [(date(2026, m, 10), 450_000.0) for m in range(1, 7)]),
    (FARM_COW, "antibiotic_residues", [(date(2026, 3, 1), "detected")]),
    (FARM_COW, "visible_cleanliness", [(date(2026, 3, 1), "not_ok")]),
    (FARM_COW, "e_coli", [(date(2026, 3, 1), 40.0)]),
]


@pytest.mark.parametrize(("origin", "parameter", "pairs"), ROW_CASES)
def test_a_raw_milk_judgement_is_read_back_exactly(
    origin: MilkOrigin, parameter: str, pairs: list[tuple[date, Any]]
) -> None:
    results = [
        RawMilkResult(day, value, laboratory="MCC", ref=str(i))
        for i, (day, value) in enumerate(pairs)
    ]
    judgement = judge_raw_milk(GUIDE, origin, parameter, results, linked_lots=["K-1"])

    assert raw_milk_from_record(stored(raw_milk_record(judgement))) == judgement


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
            st.floats(min_value=1.0, max_value=1e7, allow_nan=False),
        ),
        min_size=1,
        max_size=12,
    )
)
@settings(max_examples=40, deadline=None)
def test_any_plate_count_judgement_is_read_back_exactly(pairs: list[tuple[date, float]]) -> None:
    results = [RawMilkResult(day, value) for day, value in pairs]
    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", results)

    assert raw_milk_from_record(stored(raw_milk_record(judgement))) == judgement


@pytest.mark.parametrize(
    ("spec", "parameter", "results"),
    [
        (ProductSpec(kind="stirred_yoghurt"), "listeria_monocytogenes", [120.0]),
        (ProductSpec(kind="soft_cheese", ph=6.5), "listeria_monocytogenes", ["detected"]),
        (
            ProductSpec(kind="semi_hard_cheese", raw_milk=True),
            "coagulase_positive_staphylococci",
            [2e5, 1e3],
        ),
        (ProductSpec(kind="semi_hard_cheese"), "e_coli", [50, 150, 200, 90, 80]),
    ],
)
def test_a_product_judgement_is_read_back_exactly(
    spec: ProductSpec, parameter: str, results: list[Any]
) -> None:
    judgement = judge_product(GUIDE, spec, parameter, results)
    assert product_from_record(stored(product_record(judgement))) == judgement


@pytest.mark.parametrize(
    "record",
    [None, {}, {"format": 99}, {"format": 1}, {"format": 1, "row": {"id": "x"}}, []],
)
def test_a_record_of_unknown_shape_is_refused_not_guessed(record: Any) -> None:
    with pytest.raises(StoredRecordError):
        raw_milk_from_record(record)
    with pytest.raises(StoredRecordError):
        product_from_record(record)


# --- a verdict does not change when the guide does ---------------------------------------------


def test_the_changed_guide_would_judge_otherwise() -> None:
    # The premise of the tests below: with a norm of 90 000 the months become unfavourable.
    results = twice_monthly([(2026, 1), (2026, 2)], 95_000)
    assert judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", results).verdict.value == "conform"
    changed = judge_raw_milk(guide_with_plate_norm(90_000), DELIVERING_COW, "plate_count", results)
    assert changed.verdict.value == "unfavourable"


def _first(results: list[RawMilkResult]) -> RawMilkJudgement:
    return raw_milk_from_record(
        stored(raw_milk_record(judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", results)))
    )


def test_months_whose_results_did_not_change_keep_their_stored_status() -> None:
    # given: January and February judged conform with version 1 of the guide
    results = twice_monthly([(2026, 1), (2026, 2)], 95_000)
    earlier = _first(results)
    # when: a result of April is entered while a stricter guide (version 2) is in force
    april = [*results, RawMilkResult(date(2026, 4, 5), 95_000, ref="april")]
    now = judge_raw_milk(
        guide_with_plate_norm(90_000), DELIVERING_COW, "plate_count", april, earlier=earlier
    )
    # then: January and February keep what version 1 said; April is judged by version 2
    by_month = {month.month: month for month in now.timeline}
    assert by_month[date(2026, 1, 1)].status is MonthStatus.INSUFFICIENT_SAMPLES
    assert (by_month[date(2026, 2, 1)].status, by_month[date(2026, 2, 1)].judged_with) == (
        MonthStatus.CONFORM,
        GUIDE.meta.version,
    )
    assert by_month[date(2026, 4, 1)].judged_with == "2"
    assert by_month[date(2026, 4, 1)].status is MonthStatus.UNFAVOURABLE
    assert now.consecutive_unfavourable_months == 1
    assert now.guide_version == "2"


def test_results_that_did_not_change_keep_their_single_verdict() -> None:
    results = twice_monthly([(2026, 1)], 95_000)
    earlier = _first(results)
    added = [*results, RawMilkResult(date(2026, 1, 25), 95_000, ref="new")]

    now = judge_raw_milk(
        guide_with_plate_norm(90_000), DELIVERING_COW, "plate_count", added, earlier=earlier
    )

    assert [(s.ref, s.conform, s.judged_with) for s in now.singles] == [
        ("2026-1-5", True, GUIDE.meta.version),
        ("2026-1-20", True, GUIDE.meta.version),
        ("new", False, "2"),
    ]


def test_a_corrected_result_is_judged_again_with_the_guide_of_now() -> None:
    results = twice_monthly([(2026, 1), (2026, 2)], 95_000)
    earlier = _first(results)
    corrected = [*results[:3], RawMilkResult(date(2026, 2, 20), 96_000, ref="2026-2-20")]

    now = judge_raw_milk(
        guide_with_plate_norm(90_000), DELIVERING_COW, "plate_count", corrected, earlier=earlier
    )

    february = now.timeline[-1]
    assert (february.status, february.judged_with) == (MonthStatus.UNFAVOURABLE, "2")
    assert now.singles[-1].judged_with == "2" and not now.singles[-1].conform
    assert now.singles[0].judged_with == GUIDE.meta.version and now.singles[0].conform


def test_without_a_change_the_judgement_made_again_equals_the_stored_one() -> None:
    results = twice_monthly([(2026, m) for m in (1, 2, 3, 4)], 150_000)
    earlier = _first(results)

    again = judge_raw_milk(
        guide_with_plate_norm(200_000, version=GUIDE.meta.version),
        DELIVERING_COW,
        "plate_count",
        results,
        earlier=earlier,
    )

    assert again.timeline == earlier.timeline
    assert again.singles == earlier.singles
    assert again.verdict is earlier.verdict and again.stop_use


def test_the_runs_are_counted_again_over_the_kept_statuses() -> None:
    # Three unfavourable months judged with version 1; a fourth comes with a guide that would
    # call all four conform: the run goes on from the stored months and use stops.
    results = twice_monthly([(2026, m) for m in (1, 2, 3)], 150_000)
    earlier = _first(results)
    fourth = [*results, *twice_monthly([(2026, 4)], 150_000)]

    now = judge_raw_milk(
        guide_with_plate_norm(100_000), DELIVERING_COW, "plate_count", fourth, earlier=earlier
    )
    lenient = judge_raw_milk(
        guide_with_plate_norm(160_000), DELIVERING_COW, "plate_count", fourth, earlier=earlier
    )

    assert now.consecutive_unfavourable_months == 4 and now.stop_use
    assert lenient.timeline[1].status is MonthStatus.UNFAVOURABLE  # February as stored
    assert lenient.timeline[3].status is MonthStatus.CONFORM  # April judged with the new norm
    assert lenient.consecutive_unfavourable_months == 0


# --- comparing with now -------------------------------------------------------------------------


def test_the_same_outcome_is_recognised_and_another_is_not() -> None:
    results = twice_monthly([(2026, 1), (2026, 2)], 95_000)
    first = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", results)
    again = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", results)
    other = judge_raw_milk(guide_with_plate_norm(90_000), DELIVERING_COW, "plate_count", results)

    assert same_raw_milk_outcome(first, again)
    assert not same_raw_milk_outcome(first, other)

    cheese = ProductSpec(kind="semi_hard_cheese")
    product = judge_product(GUIDE, cheese, "e_coli", [50.0])
    assert same_product_outcome(product, judge_product(GUIDE, cheese, "e_coli", [50.0]))
    assert not same_product_outcome(product, judge_product(GUIDE, cheese, "e_coli", [5000.0]))
