"""The sampling calendar of the finished-product families, and which analyses are due."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import Frequency
from dairyhaccp.lab.due import product_due, raw_milk_due, withdrawal_due
from dairyhaccp.lab.sampling_calendar import (
    FamilyToSample,
    families_to_sample,
    sampling_calendar,
    window_months,
)
from dairyhaccp.monitoring.schedule import BRUSSELS, DueStatus, window_of
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.models import RawMilkAnalysisItem
from dairyhaccp.profile import profile_from_dict

GUIDE = load_guide()
HALF_YEARLY = Frequency.parse("1 per 6 months")

# The module's example: raw-milk semi-hard and soft cheese, soft cheese from pasteurised milk,
# and yoghurt make three families.
SEED_EXAMPLE = profile_from_dict(
    {
        "operator": {"name": "Operator x"},
        "milk": {"own_animals": True},
        "products": [
            {"kind": "semi_hard_cheese", "name": "Rauwmelkse halfharde kaas", "raw_milk": True},
            {"kind": "soft_cheese", "name": "Rauwmelkse zachte kaas", "raw_milk": True},
            {"kind": "soft_cheese", "name": "Zachte kaas obv gepast. melk"},
            {"kind": "stirred_yoghurt", "name": "Yoghurt"},
        ],
    }
)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BRUSSELS)


def test_the_modules_example_makes_three_families_with_their_products() -> None:
    families = families_to_sample(build_plan(GUIDE, SEED_EXAMPLE))
    assert [(f.family, f.products) for f in families] == [
        ("yoghurt", ("Yoghurt",)),
        ("cheese_raw", ("Rauwmelkse halfharde kaas", "Rauwmelkse zachte kaas")),
        ("cheese_pasteurised", ("Zachte kaas obv gepast. melk",)),
    ]


def test_enterotoxins_are_not_on_the_calendar_as_they_follow_a_trigger() -> None:
    families = families_to_sample(build_plan(GUIDE, SEED_EXAMPLE))
    cheese = next(f for f in families if f.family == "cheese_raw")
    assert "staphylococcal_enterotoxins" not in cheese.parameters
    assert "coagulase_positive_staphylococci" in cheese.parameters


def test_each_family_is_sampled_once_a_half_year_rotating_its_products() -> None:
    families = families_to_sample(build_plan(GUIDE, SEED_EXAMPLE))

    planned = sampling_calendar(families, 2026)

    raw_cheese = [s for s in planned if s.family == "cheese_raw"]
    assert [s.month.month <= 6 for s in raw_cheese] == [True, False]
    assert [s.product for s in raw_cheese] == [
        "Rauwmelkse halfharde kaas",
        "Rauwmelkse zachte kaas",
    ]
    assert len(planned) == 6


def test_families_are_spread_over_the_months() -> None:
    families = families_to_sample(build_plan(GUIDE, SEED_EXAMPLE))

    months = [s.month.month for s in sampling_calendar(families, 2026)]

    assert months == [1, 3, 5, 7, 9, 11]


def test_the_rotation_continues_into_the_next_year() -> None:
    family = FamilyToSample("cheese_raw", HALF_YEARLY, ("A", "B", "C"))

    products = [s.product for year in (2026, 2027, 2028) for s in sampling_calendar([family], year)]

    assert Counter(products) == {"A": 2, "B": 2, "C": 2}
    assert all(a != b for a, b in pairwise(products))


@given(
    families=st.integers(1, 7),
    products=st.integers(1, 4),
    frequency=st.sampled_from(["1 per 6 months", "1 per 3 months", "1 per month", "yearly"]),
    year=st.integers(2020, 2040),
)
def test_every_family_is_planned_exactly_as_often_as_its_windows_ask(
    families: int, products: int, frequency: str, year: int
) -> None:
    parsed = Frequency.parse(frequency)
    names = tuple(f"p{i}" for i in range(products))
    to_sample = [FamilyToSample(f"f{i}", parsed, names) for i in range(families)]

    planned = sampling_calendar(to_sample, year)

    windows = Counter((s.family, window_of(parsed, s.month).start) for s in planned)
    assert set(windows.values()) == {parsed.times}
    assert len(windows) == families * 12 // window_months(parsed)
    assert all(s.month.year == year for s in planned)


def test_a_frequency_that_does_not_divide_a_year_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^frequency: "):
        window_months(Frequency.parse("1 per 5 months"))


# --- due and overdue --------------------------------------------------------------------------


def _farm_plan_rows() -> list[RawMilkAnalysisItem]:
    profile = profile_from_dict(
        {
            "operator": {"name": "Hoeve"},
            "milk": {"own_animals": True, "delivers_to_buyers": True},
            "products": [{"kind": "semi_hard_cheese", "raw_milk": True}],
        }
    )
    return build_plan(GUIDE, profile).raw_milk_analyses


def test_a_quarterly_raw_milk_analysis_is_done_due_or_overdue_by_calendar_quarter() -> None:
    row = next(
        r for r in build_plan(GUIDE, SEED_EXAMPLE).raw_milk_analyses if r.parameter == "plate_count"
    )
    done = {row.id: [date(2026, 2, 10)]}

    [in_march] = raw_milk_due([row], done, at("2026-03-20"))
    [in_april] = raw_milk_due([row], done, at("2026-04-02"))
    [in_july] = raw_milk_due([row], done, at("2026-07-02"))

    assert in_march.item is not None and in_march.item.status is DueStatus.DONE
    assert in_april.item is not None and in_april.item.status is DueStatus.DUE
    assert in_april.item.deadline == at("2026-07-01", 0)
    assert in_july.item is not None and in_july.item.status is DueStatus.OVERDUE


def test_twice_a_month_needs_two_results_in_the_month() -> None:
    row = next(r for r in _farm_plan_rows() if r.parameter == "plate_count")
    one = raw_milk_due([row], {row.id: [date(2026, 3, 2)]}, at("2026-03-20"))[0]
    two = raw_milk_due([row], {row.id: [date(2026, 3, 2), date(2026, 3, 16)]}, at("2026-03-20"))[0]
    assert one.item is not None and (one.item.status, one.item.done) == (DueStatus.OVERDUE, 1)
    assert two.item is not None and two.item.status is DueStatus.DONE


def test_analyses_at_each_collection_have_no_calendar_status() -> None:
    row = next(r for r in _farm_plan_rows() if r.parameter == "antibiotic_residues")
    [due] = raw_milk_due([row], {}, at("2026-03-20"))
    assert due.item is None
    assert due.frequency.event == "collection"


def test_an_antibiotic_test_is_due_after_a_withdrawal_period_until_one_is_done() -> None:
    end = date(2026, 3, 10)

    [waiting] = withdrawal_due([end], [date(2026, 3, 1)], at("2026-03-10", 9))
    [late] = withdrawal_due([end], [], at("2026-03-11", 9))
    [done] = withdrawal_due([end], [date(2026, 3, 10)], at("2026-03-12"))

    assert waiting.status is DueStatus.DUE
    assert late.status is DueStatus.OVERDUE
    assert done.status is DueStatus.DONE


def test_product_analyses_are_due_per_half_year_with_the_planned_product() -> None:
    families = families_to_sample(build_plan(GUIDE, SEED_EXAMPLE))
    raw = next(f for f in families if f.family == "cheese_raw")
    done = {("cheese_raw", parameter): [date(2026, 3, 3)] for parameter in raw.parameters}

    spring = [
        d for d in product_due(families, done, at("2026-05-01")) if d.key.startswith("cheese_raw")
    ]
    autumn = [
        d for d in product_due(families, done, at("2026-09-01")) if d.key.startswith("cheese_raw")
    ]

    assert {d.item.status for d in spring if d.item} == {DueStatus.DONE}
    assert {d.item.status for d in autumn if d.item} == {DueStatus.DUE}
    assert {d.planned_product for d in spring} == {"Rauwmelkse halfharde kaas"}
    assert {d.planned_product for d in autumn} == {"Rauwmelkse zachte kaas"}
    assert {d.parameter for d in autumn} == set(raw.parameters)
