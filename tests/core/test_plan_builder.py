"""The plan builder: the guide adapted to what an operator makes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import Guide, load_guide
from dairyhaccp.plan import build_plan, diff_plans
from dairyhaccp.plan.models import Plan
from dairyhaccp.profile import NEVER_RAW, ProfileError, parse_profile_toml, profile_from_dict
from dairyhaccp.vocabulary import PRODUCT_KINDS


def _plan(guide: Guide, *products: dict[str, Any], **sections: Any) -> Plan:
    data: dict[str, Any] = {
        "operator": {"name": "Test", **sections.pop("operator", {})},
        "milk": {"own_animals": True, "species": ["cow"], **sections.pop("milk", {})},
        "products": list(products),
        **sections,
    }
    return build_plan(guide, profile_from_dict(data))


def _step_ids(plan: Plan, flow_id: str) -> list[str]:
    flow = next(f for f in plan.flows if f.id == flow_id)
    return [s.id for s in flow.steps]


def _controls(plan: Plan) -> set[str]:
    return {c.id for c in plan.controls}


def test_the_demo_dairy_gets_cheese_yoghurt_and_butter_flows(guide: Guide) -> None:
    plan = build_plan(guide, parse_profile_toml(example_profile("demo")))
    assert [f.id for f in plan.flows] == ["cheese", "butter", "yoghurt"]
    assert {"CCP 2", "CCP 9", "CCP 13", "CCP 23", "PVA 14", "PVA 18"} <= _controls(plan)
    assert plan.registration_mode == "non_conformities_only"
    assert plan.retention_months == 6


def test_a_raw_milk_cheese_has_no_pasteurisation_step(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "semi_hard_cheese", "raw_milk": True})
    cheese = next(f for f in plan.flows if f.id == "cheese")
    assert all("CCP 9" not in step.controls for step in cheese.steps)
    assert "CCP 9" not in _controls(plan)


def test_a_pasteurised_cheese_is_pasteurised_at_71_7_c_for_15_s(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "soft_cheese"})
    limits = plan.control("CCP 9").limits
    assert [(lim.value, lim.at_temperature_c) for lim in limits] == [(15, 71.7)]


def test_pasteurisation_limits_name_only_the_products_that_are_pasteurised(guide: Guide) -> None:
    plan = _plan(
        guide,
        {"kind": "semi_hard_cheese", "raw_milk": True, "name": "Rauwmelkse kaas"},
        {"kind": "soft_cheese", "name": "Zachte kaas"},
    )
    [milk] = plan.control("CCP 9").limits
    assert "Zachte kaas" in milk.products
    assert "Rauwmelkse kaas" not in milk.products


def test_cream_for_butter_is_pasteurised_at_80_c_for_15_s(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "butter"})
    limits = plan.control("CCP 9").limits
    assert [(lim.value, lim.at_temperature_c) for lim in limits] == [(15, 80)]


def test_raw_cream_butter_is_not_pasteurised(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "butter", "raw_milk": True})
    assert "CCP 9" not in _controls(plan)


def test_vacuum_packing_brings_ccp_23_and_brining_pva_14(guide: Guide) -> None:
    plain = _plan(guide, {"kind": "semi_hard_cheese", "raw_milk": True})
    packed = _plan(
        guide, {"kind": "semi_hard_cheese", "raw_milk": True, "packaging": "vacuum", "brined": True}
    )
    assert {"CCP 23", "PVA 14"}.isdisjoint(_controls(plain))
    assert {"CCP 23", "PVA 14"} <= _controls(packed)
    vacuum_limits = packed.control("CCP 23").limits
    assert vacuum_limits
    assert all("residual_o2" not in lim.parameter for lim in vacuum_limits)


def test_a_home_made_starter_brings_pva_11(guide: Guide) -> None:
    industrial = _plan(guide, {"kind": "fresh_cheese"})
    home_made = _plan(guide, {"kind": "fresh_cheese"}, operator={"home_made_starter": True})
    assert "PVA 11" not in _controls(industrial)
    assert "PVA 11" in _controls(home_made)


def test_own_milk_brings_ccp_2_and_bought_milk_the_reception_of_raw_milk(guide: Guide) -> None:
    own = _plan(guide, {"kind": "soft_cheese"})
    bought = _plan(
        guide, {"kind": "soft_cheese"}, milk={"own_animals": False, "buys_raw_milk": True}
    )
    assert "CCP 2" in _controls(own)
    assert "CCP 2" not in _controls(bought)
    reception = bought.control("CCP 1")
    assert any(lim.value == 10 and lim.parameter == "temperature_c" for lim in reception.limits)


def test_whey_for_feed_adds_the_whey_flow_with_ccp_15(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "semi_hard_cheese"}, {"kind": "whey_for_feed"})
    assert "whey" in [f.id for f in plan.flows]
    assert "CCP 15" in _controls(plan)


def test_without_relaxations_every_check_is_registered_and_kept_two_years(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "butter"}, operator={"relaxations": False})
    assert plan.registration_mode == "all_checks"
    assert plan.retention_months == 24


def test_frozen_storage_is_in_every_plan_with_its_short_fluctuation(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "butter"})
    frozen = [lim for lim in plan.control("CCP 3").limits if "frozen" in lim.products]
    assert [(lim.value, lim.tolerance) for lim in frozen] == [(-18, 3)]


def test_chilled_storage_limit_takes_the_category_maximum(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "stirred_yoghurt"})
    chilled = [lim for lim in plan.control("CCP 3").limits if lim.value_from == "storage_category"]
    assert chilled
    assert all(value <= 7 for value in chilled[0].category_values.values())
    assert chilled[0].tolerance == 3


def test_raw_milk_analyses_fit_own_cows_for_raw_milk_cheese(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "semi_hard_cheese", "raw_milk": True})
    parameters = {a.parameter for a in plan.raw_milk_analyses}
    assert parameters == {
        "antibiotic_residues",
        "plate_count",
        "somatic_cells",
        "visible_cleanliness",
        "e_coli",
    }
    assert {a.milk_source for a in plan.raw_milk_analyses} == {"own_not_delivered"}
    assert all(a.species == "cow" for a in plan.raw_milk_analyses)


def test_pasteurised_products_of_bought_milk_need_no_raw_milk_e_coli(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "soft_cheese"}, milk={"own_animals": False, "buys_raw_milk": True})
    assert "e_coli" not in {a.parameter for a in plan.raw_milk_analyses}
    assert {a.milk_source for a in plan.raw_milk_analyses} == {"bought"}


def test_finished_product_families_follow_the_products(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "semi_hard_cheese", "raw_milk": True}, {"kind": "set_yoghurt"})
    families = {a.family for a in plan.finished_product_analyses}
    assert len(families) == 2
    parameters = {a.parameter for a in plan.finished_product_analyses}
    assert "listeria_monocytogenes" in parameters
    assert "coagulase_positive_staphylococci" in parameters
    assert all(a.frequency.text == "1 per 6 months" for a in plan.finished_product_analyses)


def test_raw_milk_products_must_say_so_on_the_label(guide: Guide) -> None:
    raw = _plan(guide, {"kind": "soft_cheese", "raw_milk": True, "name": "Brie"})
    pasteurised = _plan(guide, {"kind": "soft_cheese", "name": "Brie"})
    raw_texts = [lab.text.nl.lower() for lab in raw.labelling if "Brie" in lab.products]
    assert any("rauwe melk" in text for text in raw_texts)
    assert not any("bereid met rauwe melk" in lab.text.nl.lower() for lab in pasteurised.labelling)


def test_goat_milk_must_be_named_on_the_label(guide: Guide) -> None:
    plan = _plan(guide, {"kind": "fresh_cheese"}, milk={"species": ["goat"]})
    assert "species_other_than_cow" in {lab.id for lab in plan.labelling}


def test_adaptations_change_the_plan_and_keep_the_justification(guide: Guide) -> None:
    base = _plan(guide, {"kind": "semi_hard_cheese", "raw_milk": True, "brined": True})
    brine_step = next(s for s in base.flows[0].steps if "PVA 14" in s.controls)
    limit = next(lim for lim in base.control("CCP 13").limits if lim.comparison == "between")
    plan = _plan(
        guide,
        {"kind": "semi_hard_cheese", "raw_milk": True, "brined": True},
        adaptations=[
            {
                "kind": "drop_step",
                "flow": "cheese",
                "step": brine_step.id,
                "justification": "We salt in the curd; no brine bath is used.",
            },
            {
                "kind": "change_limit",
                "control": "CCP 13",
                "limit": limit.id,
                "low": 10,
                "high": 12,
                "justification": "Ripening at 10-12 °C validated by our lab results.",
            },
            {
                "kind": "add_action",
                "control": "CCP 13",
                "text": "Call the cold-room installer",
                "justification": "Our installer has a maintenance contract.",
            },
        ],
    )
    assert "PVA 14" not in _controls(plan)
    changed = next(lim for lim in plan.control("CCP 13").limits if lim.id == limit.id)
    assert (changed.low, changed.high) == (10, 12)
    assert (changed.guide_low, changed.guide_high) == (limit.low, limit.high)
    assert changed.justification is not None
    assert plan.control("CCP 13").corrective_actions[-1].text.nl == "Call the cold-room installer"


def test_an_adaptation_of_something_the_plan_lacks_names_the_field(guide: Guide) -> None:
    with pytest.raises(ProfileError) as caught:
        _plan(
            guide,
            {"kind": "butter"},
            adaptations=[
                {"kind": "drop_step", "flow": "cheese", "step": "x", "justification": "not needed"}
            ],
        )
    assert caught.value.field == "adaptations[0].flow"


products = st.builds(
    dict,
    kind=st.sampled_from(PRODUCT_KINDS),
    raw_milk=st.booleans(),
    packaging=st.sampled_from(["none", "vacuum", "modified_atmosphere"]),
    brined=st.booleans(),
)


def _valid(product: dict[str, Any]) -> dict[str, Any]:
    kind = product["kind"]
    product = dict(product)
    if kind in NEVER_RAW:
        product["raw_milk"] = False
    if "cheese" not in kind or kind == "whey_for_feed":
        product["brined"] = False
    if kind == "whey_for_feed":
        product["packaging"] = "none"
    return product


@settings(max_examples=150, deadline=None)
@given(
    items=st.lists(products, min_size=1, max_size=5),
    relaxations=st.booleans(),
    home_made_starter=st.booleans(),
    own_animals=st.booleans(),
)
def test_every_profile_gives_a_coherent_plan(
    items: list[dict[str, Any]],
    relaxations: bool,
    home_made_starter: bool,
    own_animals: bool,
) -> None:
    guide = load_guide()
    chosen = [_valid(p) for p in items]
    plan = _plan(
        guide,
        *chosen,
        operator={"relaxations": relaxations, "home_made_starter": home_made_starter},
        milk={"own_animals": own_animals, "buys_raw_milk": not own_animals},
    )
    at_steps = {c for flow in plan.flows for step in flow.steps for c in step.controls}
    assert at_steps == _controls(plan)
    assert plan.registration_mode == ("non_conformities_only" if relaxations else "all_checks")
    kinds = {p["kind"] for p in chosen}
    flows_needed = {guide.product(kind).flow for kind in kinds}
    assert {f.id for f in plan.flows} == flows_needed
    if all(p["raw_milk"] or p["kind"] == "whey_for_feed" for p in chosen):
        assert "CCP 9" not in _controls(plan)
    if any(not p["raw_milk"] and p["kind"] != "whey_for_feed" for p in chosen):
        assert "CCP 9" in _controls(plan)
        assert plan.control("CCP 9").limits
    if not any(p["packaging"] != "none" for p in chosen):
        assert "CCP 23" not in _controls(plan)
    if not home_made_starter:
        assert "PVA 11" not in _controls(plan)
    for control in plan.controls:
        for limit in control.limits:
            assert limit.source.startswith(("§4", "§2"))


def test_two_plans_compare_step_by_step_in_the_asked_language(guide: Guide) -> None:
    before = _plan(guide, {"kind": "semi_hard_cheese", "raw_milk": True, "brined": True})
    brine = next(s for s in before.flows[0].steps if "PVA 14" in s.controls)
    after = _plan(
        guide,
        {"kind": "semi_hard_cheese", "raw_milk": True, "brined": True},
        adaptations=[
            {
                "kind": "drop_step",
                "flow": "cheese",
                "step": brine.id,
                "justification": "We salt in the curd; no brine bath is used.",
            }
        ],
    )
    changes = diff_plans(before, after, "en")
    removed = {(c.item, c.path) for c in changes if c.change == "removed"}
    assert ("step", f"cheese/{brine.id}") in removed
    assert ("control", "PVA 14") in removed
    step = next(c for c in changes if c.path == f"cheese/{brine.id}")
    assert step.before is not None and step.before.startswith(brine.title.en)
    assert diff_plans(before, before) == []


def test_the_plan_of_raw_cream_butter_keeps_the_cooling_of_the_cream(guide: Guide) -> None:
    profile = profile_from_dict(
        {
            "operator": {"name": "Boterhoeve", "relaxations": True},
            "milk": {"own_animals": True, "species": ["cow"]},
            "products": [{"kind": "butter", "raw_milk": True}],
        }
    )
    plan = build_plan(guide, profile)
    limits = {limit.id for limit in plan.control("CCP 2").limits}
    assert {"ccp2-cream-temperature", "ccp2-cream-time"} <= limits
    assert "CCP 9" not in {c.id for c in plan.controls}


def test_a_profile_silent_on_the_relaxations_gets_the_stricter_mode(guide: Guide) -> None:
    profile = profile_from_dict(
        {"operator": {"name": "Zwijgzaam"}, "products": [{"kind": "semi_hard_cheese"}]}
    )
    plan = build_plan(guide, profile)
    assert plan.registration_mode == "all_checks"
    assert plan.retention_months == 24
