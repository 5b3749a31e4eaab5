"""Choosing the Listeria monocytogenes criterion (Reg. 2073/2005 rows 1.2 and 1.3).

The barrier values are the guide's (listeria.yaml), handed to every function.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dairyhaccp.guide import load_guide
from dairyhaccp.lab import ListeriaLimit, ListeriaReason
from dairyhaccp.lab import choose_listeria_criterion as _choose
from dairyhaccp.lab import listeria_growth_possible as _possible
from dairyhaccp.lab.listeria import ListeriaChoice

BARRIERS = load_guide().listeria
# A soft cheese that supports growth: pH 6.5, aw 0.97, 30 days, chilled.
SUPPORTS = {"ph": 6.5, "aw": 0.97, "shelf_life_days": 30.0, "frozen": False}


def choose_listeria_criterion(**product: Any) -> ListeriaChoice:
    return _choose(BARRIERS, **product)


def listeria_growth_possible(**product: Any) -> bool:
    return _possible(BARRIERS, **product)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"ph": 4.4}, ListeriaReason.PH),
        ({"ph": 4.2}, ListeriaReason.PH),
        ({"aw": 0.92}, ListeriaReason.AW),
        ({"ph": 5.0, "aw": 0.94}, ListeriaReason.PH_AND_AW),
        ({"shelf_life_days": 4.9}, ListeriaReason.SHORT_SHELF_LIFE),
        ({"frozen": True}, ListeriaReason.FROZEN),
    ],
)
def test_a_product_that_cannot_support_growth_gets_100_cfu_on_the_market(change, reason):
    product = SUPPORTS | change
    choice = choose_listeria_criterion(**product, challenge_test_on_file=False)
    assert not listeria_growth_possible(**product)
    assert choice.limit is ListeriaLimit.MARKET_COUNT_LIMIT
    assert choice.reason is reason
    assert choice.m_cfu_per_g == 100
    assert not choice.growth_possible


@pytest.mark.parametrize(
    "change",
    [
        {"ph": 4.41},
        {"aw": 0.921},
        {"ph": 5.01, "aw": 0.94},
        {"ph": 5.0, "aw": 0.941},
        {"ph": 4.9},  # pH alone at or below 5.0 is not enough
        {"shelf_life_days": 5.0},  # exactly 5 days is not shorter than 5 days
    ],
)
def test_just_outside_each_condition_growth_stays_possible(change):
    assert listeria_growth_possible(**(SUPPORTS | change))


def test_growth_possible_with_a_challenge_test_gets_100_cfu_during_shelf_life():
    choice = choose_listeria_criterion(**SUPPORTS, challenge_test_on_file=True)
    assert choice.limit is ListeriaLimit.SHELF_LIFE_COUNT_LIMIT
    assert choice.reason is ListeriaReason.CHALLENGE_TEST
    assert choice.growth_possible
    assert choice.m_cfu_per_g == 100


def test_growth_possible_without_proof_requires_absence_in_25g():
    choice = choose_listeria_criterion(**SUPPORTS)
    assert choice.limit is ListeriaLimit.ABSENT_IN_25G
    assert choice.reason is ListeriaReason.NO_PROOF
    assert choice.m_cfu_per_g is None


def test_unknown_ph_and_aw_prove_nothing():
    assert listeria_growth_possible(ph=None, aw=None, shelf_life_days=None, frozen=False)


def test_every_condition_that_holds_is_named_first_one_as_reason():
    choice = choose_listeria_criterion(ph=4.0, aw=0.90, shelf_life_days=3, frozen=True)
    assert choice.reasons == (
        ListeriaReason.PH,
        ListeriaReason.AW,
        ListeriaReason.PH_AND_AW,
        ListeriaReason.SHORT_SHELF_LIFE,
        ListeriaReason.FROZEN,
    )
    assert choice.reason is ListeriaReason.PH


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ph": -1.0}, "ph"),
        ({"ph": 15.0}, "ph"),
        ({"aw": 1.2}, "aw"),
        ({"aw": float("nan")}, "aw"),
        ({"shelf_life_days": -1.0}, "shelf_life_days"),
    ],
)
def test_impossible_product_values_raise_value_error_naming_the_field(change, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        listeria_growth_possible(**(SUPPORTS | change))


def test_the_barrier_values_are_the_guides() -> None:
    assert (BARRIERS.ph_max, BARRIERS.aw_max) == (4.4, 0.92)
    assert (BARRIERS.ph_max_with_aw, BARRIERS.aw_max_with_ph) == (5.0, 0.94)
    assert (BARRIERS.short_shelf_life_days, BARRIERS.limit_cfu_per_g) == (5, 100)
    assert BARRIERS.source.section == "5.2"


@pytest.mark.parametrize(
    ("change", "ph", "possible"),
    [
        ({"ph_max": 4.6}, 4.5, False),  # a guide with a higher pH barrier moves the limit
        ({"ph_max": 4.6}, 4.61, True),
        ({"ph_max": 4.2}, 4.4, True),
        ({"ph_max": 4.2}, 4.2, False),
    ],
)
def test_the_choice_follows_the_barriers_it_is_given(
    change: dict[str, float], ph: float, possible: bool
) -> None:
    barriers = BARRIERS.model_copy(update=change)
    product = SUPPORTS | {"ph": ph}

    assert _possible(barriers, **product) is possible
    choice = _choose(barriers, **product)
    assert (choice.limit is ListeriaLimit.MARKET_COUNT_LIMIT) is not possible
    assert choice.barriers == barriers


def test_the_count_limit_is_the_guides() -> None:
    barriers = BARRIERS.model_copy(update={"limit_cfu_per_g": 50.0})
    assert _choose(barriers, **(SUPPORTS | {"frozen": True})).m_cfu_per_g == 50


def test_no_barrier_value_is_left_in_the_code() -> None:
    import dairyhaccp.lab.listeria as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    for value in ("4.4", "4,4", "0.92", "5.0", "0.94", "100"):
        assert value not in source, value
