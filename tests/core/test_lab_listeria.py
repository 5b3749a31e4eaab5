"""Choosing the Listeria monocytogenes criterion (Reg. 2073/2005 rows 1.2 and 1.3)."""

from __future__ import annotations

import pytest

from dairyhaccp.lab import (
    ListeriaLimit,
    ListeriaReason,
    choose_listeria_criterion,
    listeria_growth_possible,
)

# A soft cheese that supports growth: pH 6.5, aw 0.97, 30 days, chilled.
SUPPORTS = {"ph": 6.5, "aw": 0.97, "shelf_life_days": 30.0, "frozen": False}


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
    assert choice.limit is ListeriaLimit.MARKET_100_CFU_G
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
    assert choice.limit is ListeriaLimit.SHELF_LIFE_100_CFU_G
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
