"""Finished products judged against table 5.2 (Regulation 2073/2005), with the consequences."""

from __future__ import annotations

from typing import Any

import pytest

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import Criterion, ProductFamily
from dairyhaccp.lab import Action, Verdict, choose_criterion, judge_product
from dairyhaccp.lab.listeria import ListeriaLimit, ListeriaReason
from dairyhaccp.lab.product_verdict import (
    ENTEROTOXIN_TRIGGER_CFU_G,
    apply_override,
    parameters_for_product,
    product_family,
)
from dairyhaccp.plan.builder import RIPENED_CHEESE
from dairyhaccp.profile import ProductSpec

GUIDE = load_guide()


def product(kind: str, raw_milk: bool = False, **properties: Any) -> ProductSpec:
    return ProductSpec(kind=kind, raw_milk=raw_milk, **properties)


def _product_for(family: ProductFamily, criterion: Criterion) -> ProductSpec:
    """A product that falls under `criterion` of `family`."""
    kinds = [
        kind
        for kind in family.kinds
        if criterion.ripened is None or criterion.ripened == (kind in RIPENED_CHEESE)
    ]
    raw = bool(family.raw_milk or criterion.raw_milk)
    properties: dict[str, Any] = {}
    if criterion.listeria_growth == "cannot_support":
        properties["ph"] = 4.2
    elif criterion.listeria_growth == "supports":
        properties["ph"] = 6.5  # a pH at which Listeria can grow
        if criterion.listeria_proof == "shown_through_shelf_life":
            properties["challenge_test"] = True
    return product(kinds[0], raw, **properties)


CRITERIA = [
    pytest.param(family, criterion, id=criterion.id)
    for family in GUIDE.product_families
    for criterion in family.criteria
]


# --- table 5.2: every criterion --------------------------------------------------------------


@pytest.mark.parametrize(("family", "criterion"), CRITERIA)
def test_every_criterion_of_table_5_2_is_chosen_for_a_product_it_covers(
    family: ProductFamily, criterion: Criterion
) -> None:
    choice = choose_criterion(GUIDE, _product_for(family, criterion), criterion.parameter)
    assert choice.family == family
    assert choice.criterion == criterion


@pytest.mark.parametrize(("family", "criterion"), CRITERIA)
def test_every_criterion_of_table_5_2_judges_its_limits(
    family: ProductFamily, criterion: Criterion
) -> None:
    spec = _product_for(family, criterion)
    parameter, n, c = criterion.parameter, criterion.n, criterion.c

    def verdict(results: list[Any]) -> Verdict:
        return judge_product(GUIDE, spec, parameter, results).verdict

    if criterion.m is None:
        assert verdict(["not_detected"] * n) is Verdict.SATISFACTORY
        assert verdict(["detected"] + ["not_detected"] * (n - 1)) is Verdict.UNSATISFACTORY
        return
    m = criterion.m
    assert verdict([m] * n) is Verdict.SATISFACTORY  # exactly m is within m
    if criterion.M is None:
        assert verdict([m + 1] + [0] * (n - 1)) is Verdict.UNSATISFACTORY
        return
    upper = criterion.M
    assert verdict([upper] * c + [m] * (n - c)) is Verdict.ACCEPTABLE  # exactly M, c times
    assert verdict([upper] * (c + 1) + [m] * (n - c - 1)) is Verdict.UNSATISFACTORY
    assert verdict([upper + 1] + [0] * (n - 1)) is Verdict.UNSATISFACTORY


@pytest.mark.parametrize(("family", "criterion"), CRITERIA)
def test_the_type_of_every_criterion_is_reported(
    family: ProductFamily, criterion: Criterion
) -> None:
    spec = _product_for(family, criterion)
    results: list[Any] = ["not_detected"] if criterion.m is None else [0.0]

    judgement = judge_product(GUIDE, spec, criterion.parameter, results)

    assert judgement.type == criterion.type
    assert judgement.criterion == criterion


def test_the_contract_example_is_acceptable_process_hygiene() -> None:
    judgement = judge_product(GUIDE, product("semi_hard_cheese"), "e_coli", [50, 150, 200, 90, 80])

    assert judgement.family.id == "cheese_pasteurised"
    assert judgement.verdict is Verdict.ACCEPTABLE
    assert judgement.type == "PH"
    assert (judgement.criterion.n, judgement.criterion.c) == (5, 2)
    assert (judgement.criterion.m, judgement.criterion.M) == (100, 1000)
    assert judgement.actions == (Action.IMPROVE_PROCESS_HYGIENE,)
    assert not judgement.notify_favv


@pytest.mark.parametrize(
    ("spec", "family"),
    [
        (product("soft_cheese", raw_milk=True), "cheese_raw"),
        (product("fresh_cheese"), "cheese_pasteurised"),
        (product("set_yoghurt"), "yoghurt"),
        (product("butter", raw_milk=True), "cream_butter"),
        (product("cream"), "cream_butter"),
        (product("pasteurised_milk"), "milk_pasteurised"),
        (product("buttermilk"), "milk_pasteurised"),
    ],
)
def test_products_fall_in_their_family(spec: ProductSpec, family: str) -> None:
    assert product_family(GUIDE, spec) == (
        next(f for f in GUIDE.product_families if f.id == family),
        False,
    )


def test_hard_cheese_takes_the_cheese_family_as_the_regulation_still_applies() -> None:
    family, by_group = product_family(GUIDE, product("hard_cheese", raw_milk=True))
    assert family.id == "cheese_raw"
    assert by_group


def test_whey_for_feed_has_no_family() -> None:
    with pytest.raises(ValueError, match=r"^product\.kind: "):
        product_family(GUIDE, product("whey_for_feed"))


def test_salmonella_and_e_coli_apply_to_cream_from_raw_milk_only() -> None:
    assert {"salmonella", "e_coli"} <= set(parameters_for_product(GUIDE, product("cream", True)))
    assert {"salmonella", "e_coli"}.isdisjoint(parameters_for_product(GUIDE, product("cream")))


def test_staphylococci_in_fresh_and_ripened_cheese_from_pasteurised_milk_differ() -> None:
    fresh = choose_criterion(GUIDE, product("fresh_cheese"), "coagulase_positive_staphylococci")
    ripened = choose_criterion(GUIDE, product("soft_cheese"), "coagulase_positive_staphylococci")
    assert fresh.criterion is not None and (fresh.criterion.m, fresh.criterion.M) == (10, 100)
    assert ripened.criterion is not None and (ripened.criterion.m, ripened.criterion.M) == (
        100,
        1000,
    )


# --- the Listeria criterion from the product's properties -------------------------------------


@pytest.mark.parametrize(
    ("properties", "limit", "unit"),
    [
        ({"ph": 4.4}, ListeriaLimit.MARKET_COUNT_LIMIT, "cfu/g"),
        ({"aw": 0.92}, ListeriaLimit.MARKET_COUNT_LIMIT, "cfu/g"),
        ({"ph": 5.0, "aw": 0.94}, ListeriaLimit.MARKET_COUNT_LIMIT, "cfu/g"),
        ({"shelf_life_days": 4}, ListeriaLimit.MARKET_COUNT_LIMIT, "cfu/g"),
        ({"frozen": True}, ListeriaLimit.MARKET_COUNT_LIMIT, "cfu/g"),
        ({"challenge_test": True}, ListeriaLimit.SHELF_LIFE_COUNT_LIMIT, "cfu/g"),
        ({"ph": 4.5, "shelf_life_days": 5}, ListeriaLimit.ABSENT_IN_25G, "absence_25g"),
        ({}, ListeriaLimit.ABSENT_IN_25G, "absence_25g"),
    ],
)
def test_the_listeria_criterion_follows_the_products_properties(
    properties: dict[str, Any], limit: ListeriaLimit, unit: str
) -> None:
    choice = choose_criterion(GUIDE, product("soft_cheese", **properties), "listeria_monocytogenes")
    assert choice.listeria is not None and choice.listeria.limit is limit
    assert choice.criterion is not None and choice.criterion.unit == unit


YOGHURTS = ["stirred_yoghurt", "set_yoghurt", "fermented_milk"]


@pytest.mark.parametrize("kind", YOGHURTS)
@pytest.mark.parametrize(
    ("properties", "criterion", "reason"),
    [
        # Without a pH the module's row for yoghurt applies: 100 cfu/g on the market, VV.
        ({}, "yoghurt-listeria-cannot_support", ListeriaReason.MODULE_ROW_WITHOUT_PH),
        ({"aw": 0.99}, "yoghurt-listeria-cannot_support", ListeriaReason.MODULE_ROW_WITHOUT_PH),
        (
            {"shelf_life_days": 30},
            "yoghurt-listeria-cannot_support",
            ListeriaReason.MODULE_ROW_WITHOUT_PH,
        ),
        # A pH given decides: at the barrier no growth, just above it growth is possible.
        ({"ph": 4.4}, "yoghurt-listeria-cannot_support", ListeriaReason.PH),
        ({"ph": 4.41}, "yoghurt-listeria-supports-not_shown", ListeriaReason.NO_PROOF),
        (
            {"ph": 4.41, "challenge_test": True},
            "yoghurt-listeria-supports-shown",
            ListeriaReason.CHALLENGE_TEST,
        ),
        ({"ph": 4.6, "frozen": True}, "yoghurt-listeria-cannot_support", ListeriaReason.FROZEN),
    ],
)
def test_yoghurt_without_a_ph_takes_the_modules_row(
    kind: str, properties: dict[str, Any], criterion: str, reason: ListeriaReason
) -> None:
    choice = choose_criterion(GUIDE, product(kind, **properties), "listeria_monocytogenes")

    assert choice.criterion is not None and choice.criterion.id == criterion
    assert choice.listeria is not None
    assert choice.listeria.reason is reason


@pytest.mark.parametrize(
    ("results", "verdict"),
    [([100.0] * 5, Verdict.SATISFACTORY), ([101.0] + [0.0] * 4, Verdict.UNSATISFACTORY)],
)
def test_yoghurt_without_a_ph_is_judged_at_100_cfu_per_g(
    results: list[float], verdict: Verdict
) -> None:
    judgement = judge_product(GUIDE, product("stirred_yoghurt"), "listeria_monocytogenes", results)

    assert judgement.verdict is verdict
    assert (judgement.criterion.m, judgement.type) == (100, "VV")
    assert judgement.listeria is not None and not judgement.listeria.growth_possible


def test_cheese_without_a_ph_still_needs_absence_in_25g() -> None:
    # The presumption is the yoghurt row's (lab rules), not a default for every family.
    choice = choose_criterion(GUIDE, product("soft_cheese"), "listeria_monocytogenes")
    assert choice.criterion is not None and choice.criterion.unit == "absence_25g"


def test_the_yoghurt_row_follows_the_barrier_of_the_guide() -> None:
    guide = GUIDE.model_copy(update={"listeria": GUIDE.listeria.model_copy(update={"ph_max": 4.6})})

    at = choose_criterion(guide, product("set_yoghurt", ph=4.6), "listeria_monocytogenes")
    above = choose_criterion(guide, product("set_yoghurt", ph=4.61), "listeria_monocytogenes")

    assert at.criterion is not None and at.criterion.id == "yoghurt-listeria-cannot_support"
    assert above.criterion is not None and above.criterion.unit == "absence_25g"


def test_listeria_detected_in_25g_of_a_product_that_supports_growth_is_unsatisfactory() -> None:
    judgement = judge_product(
        GUIDE, product("soft_cheese"), "listeria_monocytogenes", ["not_detected", "detected"]
    )
    assert judgement.verdict is Verdict.UNSATISFACTORY
    assert judgement.type == "VV"


def test_listeria_counts_for_an_absence_criterion_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^results: "):
        judge_product(GUIDE, product("soft_cheese"), "listeria_monocytogenes", [40.0])


# --- consequences -----------------------------------------------------------------------------


def test_a_food_safety_failure_of_a_lot_that_may_have_left_asks_to_notify_and_recall() -> None:
    judgement = judge_product(
        GUIDE, product("soft_cheese", raw_milk=True), "salmonella", ["detected"]
    )

    assert judgement.notify_favv
    assert judgement.actions[:2] == (
        Action.NOTIFY_FAVV_IF_PRODUCT_LEFT_CONTROL,
        Action.WITHDRAW_OR_RECALL,
    )
    assert Action.FIND_CAUSE in judgement.actions


def test_a_food_safety_failure_of_a_lot_that_left_notifies_the_favv() -> None:
    judgement = judge_product(
        GUIDE, product("soft_cheese", raw_milk=True), "salmonella", ["detected"], left_control=True
    )
    assert judgement.notify_favv
    assert judgement.actions[0] is Action.NOTIFY_FAVV_PRODUCT_LEFT_CONTROL


def test_a_food_safety_failure_of_a_lot_still_in_the_business_needs_no_notification() -> None:
    judgement = judge_product(
        GUIDE, product("soft_cheese", raw_milk=True), "salmonella", ["detected"], left_control=False
    )
    assert not judgement.notify_favv
    assert judgement.actions[0] is Action.HOLD_LOT
    assert Action.WITHDRAW_OR_RECALL not in judgement.actions


def test_a_satisfactory_result_needs_no_action() -> None:
    judgement = judge_product(GUIDE, product("soft_cheese"), "e_coli", [10, 20, 30, 40, 50])
    assert judgement.verdict is Verdict.SATISFACTORY
    assert judgement.actions == ()


def test_staphylococci_above_10_5_make_the_enterotoxin_test_due() -> None:
    raw_cheese = product("semi_hard_cheese", raw_milk=True)
    just_at = judge_product(
        GUIDE, raw_cheese, "coagulase_positive_staphylococci", [ENTEROTOXIN_TRIGGER_CFU_G]
    )
    above = judge_product(
        GUIDE, raw_cheese, "coagulase_positive_staphylococci", [ENTEROTOXIN_TRIGGER_CFU_G + 1]
    )
    assert not just_at.enterotoxin_test_due
    assert above.enterotoxin_test_due
    assert above.actions[-1] is Action.TEST_ENTEROTOXINS
    assert above.verdict is Verdict.UNSATISFACTORY


# --- the operator's own criterion -------------------------------------------------------------


def test_a_criterion_override_replaces_the_tables_plan() -> None:
    judgement = judge_product(
        GUIDE,
        product("semi_hard_cheese"),
        "e_coli",
        [150],
        override={"n": 1, "c": 0, "m": 100, "M": 1000},
    )
    assert judgement.overridden
    assert (judgement.criterion.n, judgement.criterion.c) == (1, 0)
    assert judgement.verdict is Verdict.UNSATISFACTORY
    assert judgement.type == "PH"


def test_an_override_keeps_the_values_it_does_not_give() -> None:
    base = choose_criterion(GUIDE, product("semi_hard_cheese"), "e_coli").criterion
    changed = apply_override(base, "e_coli", {"n": 10})
    assert (changed.n, changed.c, changed.m, changed.M) == (10, 2, 100, 1000)


def test_m_upper_set_to_none_gives_a_two_class_plan() -> None:
    base = choose_criterion(GUIDE, product("semi_hard_cheese"), "e_coli").criterion
    changed = apply_override(base, "e_coli", {"c": 0, "M": None})
    assert changed.M is None


def test_a_parameter_the_table_does_not_set_needs_a_full_override() -> None:
    with pytest.raises(ValueError, match=r"^parameter: table 5.2 has no criterion"):
        judge_product(GUIDE, product("set_yoghurt"), "salmonella", ["detected"])
    with pytest.raises(ValueError, match=r"^criterion\.type: needed"):
        judge_product(GUIDE, product("set_yoghurt"), "salmonella", ["x"], override={"n": 1, "c": 0})
    judgement = judge_product(
        GUIDE,
        product("set_yoghurt"),
        "salmonella",
        ["detected"],
        override={"n": 1, "c": 0, "type": "VV"},
    )
    assert judgement.verdict is Verdict.UNSATISFACTORY


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"n": 0}, "criterion.n"),
        ({"c": 6}, "criterion.c"),
        ({"m": 2000}, "criterion.M"),
        ({"M": "lots"}, "criterion.M"),
        ({"type": "XX"}, "criterion.type"),
        ({"k": 1}, "criterion.k"),
    ],
)
def test_an_impossible_override_names_its_field(override: dict[str, Any], field: str) -> None:
    base = choose_criterion(GUIDE, product("semi_hard_cheese"), "e_coli").criterion
    with pytest.raises(ValueError, match=rf"^{field}: "):
        apply_override(base, "e_coli", override)


def test_a_raw_milk_parameter_is_not_a_product_parameter() -> None:
    with pytest.raises(ValueError, match=r"^parameter: 'plate_count'"):
        judge_product(GUIDE, product("soft_cheese"), "plate_count", [1.0])
