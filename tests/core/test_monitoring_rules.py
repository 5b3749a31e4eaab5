"""Every rule of the daily self-check, at and around its limits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import Guide, load_guide
from dairyhaccp.monitoring import (
    EvaluationSettings,
    MeasurementError,
    Verdict,
    check,
    measurement_from_dict,
)
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import ProfileError, parse_profile_toml, profile_from_dict

C, W, D = Verdict.CONFORM, Verdict.WARNING, Verdict.DEVIATION


def _verdict(guide: Guide, **fields: Any) -> Verdict:
    return check(measurement_from_dict(fields), guide).verdict


CASES: list[tuple[dict[str, Any], Verdict]] = [
    # CCP 9 pasteurisation: milk 15 s at 71.7 °C, cream 15 s at 80 °C, or equivalent.
    ({"control": "CCP 9", "product": "milk", "temperature_c": 71.7, "hold_s": 15}, C),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 71.7, "hold_s": 14.9}, D),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 72, "hold_s": 13}, C),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 70, "hold_s": 37}, C),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 70, "hold_s": 20}, D),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 62, "hold_s": 2580}, C),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 61.9, "hold_s": 86400}, D),
    ({"control": "CCP 9", "product": "semi_hard_cheese", "temperature_c": 71.7, "hold_s": 15}, C),
    ({"control": "CCP 9", "product": "cream", "temperature_c": 80, "hold_s": 15}, C),
    ({"control": "CCP 9", "product": "cream", "temperature_c": 80, "hold_s": 14}, D),
    ({"control": "CCP 9", "product": "butter", "temperature_c": 75, "hold_s": 15}, D),
    ({"control": "CCP 9", "product": "butter", "temperature_c": 75, "hold_s": 214}, C),
    # CCP 10: below 10 °C within 2 h.
    ({"control": "CCP 10", "product": "pasteurised_milk", "temperature_c": 9.9, "elapsed_min": 120}, C),
    ({"control": "CCP 10", "product": "pasteurised_milk", "temperature_c": 10, "elapsed_min": 60}, D),
    ({"control": "CCP 10", "product": "pasteurised_milk", "temperature_c": 8, "elapsed_min": 121}, D),
    # PVA 17: to the starter's temperature within 2 h (the temperatures are guide values).
    ({"control": "PVA 17", "product": "stirred_yoghurt", "temperature_c": 32, "elapsed_min": 120}, C),
    ({"control": "PVA 17", "product": "stirred_yoghurt", "temperature_c": 33, "elapsed_min": 90}, W),
    ({"control": "PVA 17", "product": "set_yoghurt", "temperature_c": 45, "elapsed_min": 121}, D),
    ({"control": "PVA 17", "product": "butter", "temperature_c": 21, "elapsed_min": 60}, W),
    # CCP 3: storage against the category maximum, short fluctuation of 3 °C tolerated.
    ({"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 7}, C),
    ({"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 10}, W),
    ({"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 10.1}, D),
    ({"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 9, "excursion_min": 30}, W),
    ({"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 9, "excursion_min": 31}, D),
    ({"control": "CCP 3", "product": "butter", "temperature_c": 6}, C),
    ({"control": "CCP 3", "category": "frozen", "temperature_c": -18}, C),
    ({"control": "CCP 3", "category": "frozen", "temperature_c": -15}, W),
    ({"control": "CCP 3", "category": "frozen", "temperature_c": -14.9}, D),
    # CCP 1 reception; CCP 2 own raw milk: 6 °C within 2 h of milking.
    ({"control": "CCP 1", "product": "raw_milk", "temperature_c": 10}, C),
    ({"control": "CCP 1", "product": "raw_milk", "temperature_c": 10.5}, D),
    ({"control": "CCP 1", "product": "semi_hard_cheese", "temperature_c": 10.5}, D),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 6, "elapsed_min": 120}, C),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 6.5, "elapsed_min": 100}, D),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 5, "elapsed_min": 150}, D),
    # ... unless the milk is processed within 2 h of milking.
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 30, "elapsed_min": 90, "processed_after_min": 100}, C),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 30, "elapsed_min": 130, "processed_after_min": 120}, C),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 30, "elapsed_min": 130, "processed_after_min": 121}, D),
    # CCP 12: acidification guide values per cheese; fresh cheese pH < 4.6 after draining.
    ({"control": "CCP 12", "product": "semi_hard_cheese", "temperature_c": 32, "elapsed_min": 40}, C),
    ({"control": "CCP 12", "product": "semi_hard_cheese", "temperature_c": 35, "elapsed_min": 40}, W),
    ({"control": "CCP 12", "product": "fresh_cheese", "ph": 4.5}, C),
    ({"control": "CCP 12", "product": "fresh_cheese", "ph": 4.6}, D),
    # CCP 13 ripening rooms: temperature and humidity per cheese type (guide values).
    ({"control": "CCP 13", "product": "semi_hard_cheese", "temperature_c": 13}, C),
    ({"control": "CCP 13", "product": "semi_hard_cheese", "temperature_c": 14.5}, W),
    ({"control": "CCP 13", "product": "soft_cheese", "relative_humidity_pct": 87}, C),
    ({"control": "CCP 13", "product": "soft_cheese", "relative_humidity_pct": 80}, W),
    # CCP 14 cream ripening: max 48 h between 10 and 20 °C; pH of cream < 6.1.
    ({"control": "CCP 14", "product": "butter", "temperature_c": 15, "elapsed_min": 2880}, C),
    ({"control": "CCP 14", "product": "butter", "temperature_c": 21, "elapsed_min": 600}, D),
    ({"control": "CCP 14", "product": "butter", "temperature_c": 15, "elapsed_min": 2881}, D),
    ({"control": "CCP 14", "product": "butter", "taste_ok": False}, D),
    # CCP 15 whey for feed: pH < 6 within 3 h.
    ({"control": "CCP 15", "product": "whey_for_feed", "ph": 5.9, "elapsed_min": 180}, C),
    ({"control": "CCP 15", "product": "whey_for_feed", "ph": 6.0, "elapsed_min": 120}, D),
    # CCP 23 packing: vacuum visibly drawn; MAP max 0.5 % O2, max 3 % CO2 deviation.
    ({"control": "CCP 23", "packaging": "vacuum", "visual_ok": True}, C),
    ({"control": "CCP 23", "packaging": "vacuum", "visual_ok": False}, D),
    ({"control": "CCP 23", "packaging": "low_oxygen_atmosphere", "residual_o2_pct": 0.5, "co2_deviation_pct": 3}, C),
    ({"control": "CCP 23", "packaging": "low_oxygen_atmosphere", "residual_o2_pct": 0.6, "co2_deviation_pct": 3}, D),
    ({"control": "CCP 23", "packaging": "low_oxygen_atmosphere", "residual_o2_pct": 0.5, "co2_deviation_pct": 3.1}, D),
    # PVA 1 reception; PVA 7 raw-milk storage 48 h for raw-milk products, 72 h otherwise.
    ({"control": "PVA 1", "visual_ok": True}, C),
    ({"control": "PVA 1", "visual_ok": False}, D),
    ({"control": "PVA 7", "product": "raw_milk", "storage_h": 48, "raw_milk": True}, C),
    ({"control": "PVA 7", "product": "raw_milk", "storage_h": 49, "raw_milk": True}, D),
    ({"control": "PVA 7", "product": "raw_milk", "storage_h": 72, "raw_milk": False}, C),
    ({"control": "PVA 7", "product": "raw_milk", "storage_h": 73, "raw_milk": False}, D),
    # PVA 11: industrial starter at least every 5th time.
    ({"control": "PVA 11", "productions_since_industrial_starter": 4}, C),
    ({"control": "PVA 11", "productions_since_industrial_starter": 5}, D),
    # PVA 14 brine: saturated 19-20 °Bé, 12-14 °C.
    ({"control": "PVA 14", "baume": 19.5, "temperature_c": 13}, C),
    ({"control": "PVA 14", "baume": 18, "temperature_c": 13}, D),
    ({"control": "PVA 14", "baume": 19, "temperature_c": 15}, D),
    # PVA 16 draining fresh cheese: room below 24 °C.
    ({"control": "PVA 16", "product": "fresh_cheese", "temperature_c": 23.9, "elapsed_min": 1400}, C),
    ({"control": "PVA 16", "product": "fresh_cheese", "temperature_c": 24, "elapsed_min": 1400}, D),
    ({"control": "PVA 16", "product": "fresh_cheese", "temperature_c": 20, "elapsed_min": 1500}, W),
    # PVA 18 yoghurt incubation: pH < 4.5.
    ({"control": "PVA 18", "product": "set_yoghurt", "ph": 4.4}, C),
    ({"control": "PVA 18", "product": "set_yoghurt", "ph": 4.5}, D),
    # Durations in any unit where the control judges one duration (CCP 14: ripening time).
    ({"control": "CCP 14", "product": "cream", "storage_h": 48, "temperature_c": 15.0}, C),
    ({"control": "CCP 14", "product": "cream", "storage_h": 48.1, "temperature_c": 15.0}, D),
    ({"control": "CCP 14", "product": "cream", "storage_h": 50, "temperature_c": 15.0}, D),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 71.7, "elapsed_min": 0.25}, C),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 71.7, "elapsed_min": 0.2}, D),
    ({"control": "CCP 10", "product": "pasteurised_milk", "temperature_c": 9, "storage_h": 2}, C),
    ({"control": "CCP 10", "product": "pasteurised_milk", "temperature_c": 9, "storage_h": 2.1}, D),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 6, "storage_h": 2}, C),
    ({"control": "CCP 2", "product": "raw_milk", "temperature_c": 6, "storage_h": 2.1}, D),
    # PVA 14: saturated is 19 to 20 °Bé or salt on the bottom; the hazard is too little salt.
    ({"control": "PVA 14", "baume": 22, "salt_on_bottom": True}, C),
    ({"control": "PVA 14", "baume": 22}, C),
    ({"control": "PVA 14", "baume": 18.9, "salt_on_bottom": True}, C),
    ({"control": "PVA 14", "baume": 18.9, "salt_on_bottom": False}, D),
    ({"control": "PVA 14", "salt_on_bottom": False}, D),
    ({"control": "PVA 14", "salt_on_bottom": True}, C),
    # The media the module names: milk after pasteurisation (CCP 10), cream for butter (PVA 17),
    # raw milk in storage (CCP 3) without the 3 °C fluctuation of the Table 1 categories.
    ({"control": "CCP 10", "product": "milk", "temperature_c": 9.9, "elapsed_min": 120}, C),
    ({"control": "CCP 10", "product": "milk", "temperature_c": 10, "elapsed_min": 120}, D),
    ({"control": "PVA 17", "product": "cream", "temperature_c": 20, "elapsed_min": 120}, C),
    ({"control": "PVA 17", "product": "cream", "temperature_c": 20, "elapsed_min": 121}, D),
    ({"control": "CCP 3", "product": "raw_milk", "temperature_c": 6}, C),
    ({"control": "CCP 3", "product": "raw_milk", "temperature_c": 6.1}, D),
    ({"control": "CCP 3", "category": "raw_milk", "temperature_c": 8, "excursion_min": 5}, D),
    # CCP 9 above the table's last row: 1.5 s still applies, nothing shorter is validated.
    ({"control": "CCP 9", "product": "milk", "temperature_c": 80, "hold_s": 1.5}, C),
    ({"control": "CCP 9", "product": "milk", "temperature_c": 80, "hold_s": 1.4}, D),
    # Butter and buttermilk come from one cream, pasteurised at 80 °C for 15 s.
    ({"control": "CCP 9", "product": "buttermilk", "temperature_c": 80, "hold_s": 15}, C),
    ({"control": "CCP 9", "product": "buttermilk", "temperature_c": 80, "hold_s": 14.9}, D),
    ({"control": "CCP 9", "product": "buttermilk", "temperature_c": 71.7, "hold_s": 15}, D),
    # CCP 12: the visual check of curd and grain after cutting, for every cheese.
    ({"control": "CCP 12", "product": "semi_hard_cheese", "visual_ok": True}, C),
    ({"control": "CCP 12", "product": "hard_cheese", "visual_ok": False}, W),
    ({"control": "CCP 12", "product": "soft_cheese", "visual_ok": False}, W),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "expected"), CASES)
def test_rule_at_and_around_its_limit(
    guide: Guide, fields: dict[str, Any], expected: Verdict
) -> None:
    assert _verdict(guide, **fields) is expected


def test_cream_at_75c_for_15s_is_a_deviation_that_names_the_required_hold(guide: Guide) -> None:
    result = check(
        measurement_from_dict(
            {"control": "CCP 9", "product": "cream", "temperature_c": 75.0, "hold_s": 15}
        ),
        guide,
    )
    assert result.verdict is D
    assert result.required["hold_s"] == pytest.approx(213, abs=1.5)
    assert result.findings[0].code == "hold_too_short"
    assert any("pasteuriseren" in action.nl for action in result.corrective_actions)


def test_a_warning_asks_for_no_corrective_action(guide: Guide) -> None:
    result = check(
        measurement_from_dict(
            {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 9}
        ),
        guide,
    )
    assert result.verdict is W
    assert result.corrective_actions == ()


def test_the_allowed_fluctuation_length_is_a_setting(guide: Guide) -> None:
    measurement = measurement_from_dict(
        {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 9, "excursion_min": 45}
    )
    assert check(measurement, guide).verdict is D
    relaxed = EvaluationSettings(max_short_fluctuation_min=60)
    assert check(measurement, guide, settings=relaxed).verdict is W


def test_an_operators_own_justified_limit_is_used(guide: Guide) -> None:
    base = {
        "operator": {"name": "Kaasmakerij"},
        "milk": {"own_animals": True},
        "products": [{"kind": "soft_cheese"}],
    }
    measurement = measurement_from_dict(
        {"control": "CCP 9", "product": "soft_cheese", "temperature_c": 71.7, "hold_s": 20}
    )
    standard = build_plan(guide, profile_from_dict(base))
    stricter = build_plan(
        guide,
        profile_from_dict(
            {
                **base,
                "adaptations": [
                    {
                        "kind": "change_limit",
                        "control": "CCP 9",
                        "limit": "ccp9-milk",
                        "value": 25,
                        "justification": "Our customer demands 25 s at 71.7 °C.",
                    }
                ],
            }
        ),
    )
    assert check(measurement, guide, standard).verdict is C
    assert check(measurement, guide, stricter).verdict is D


def test_a_control_outside_the_plan_is_refused(guide: Guide) -> None:
    plan = build_plan(guide, parse_profile_toml(example_profile("demo")))
    measurement = measurement_from_dict({"control": "CCP 15", "ph": 5, "elapsed_min": 60})
    with pytest.raises(MeasurementError) as caught:
        check(measurement, guide, plan)
    assert caught.value.field == "control"


def test_a_product_name_of_the_profile_is_understood(guide: Guide) -> None:
    plan = build_plan(guide, parse_profile_toml(example_profile("demo")))
    measurement = measurement_from_dict(
        {"control": "CCP 9", "product": "Hoeveboter", "temperature_c": 80, "hold_s": 15}
    )
    assert check(measurement, guide, plan).verdict is C


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"control": "CCP 99"}, "control"),
        ({"control": "CCP 9", "temperature_c": 72}, "measurement"),
        ({"control": "CCP 9", "temperature_c": 72, "hold_s": 20}, "product"),
        ({"control": "CCP 9", "product": "milk", "hold_s": 20}, "temperature_c"),
        ({"control": "CCP 9", "product": "ice", "temperature_c": 72, "hold_s": 20}, "product"),
        ({"control": "CCP 3", "category": "wine", "temperature_c": 5}, "category"),
        ({"control": "CCP 9", "temperature_c": "hot"}, "temperature_c"),
        ({"control": "PVA 1", "visual_ok": "yes"}, "visual_ok"),
        ({"control": "PVA 1", "colour": "red"}, "colour"),
        ({"temperature_c": 5}, "control"),
        ({"control": "CCP 12", "ph": 15}, "ph"),
        # A value the control does not judge is refused, naming it.
        ({"control": "PVA 11", "product": "semi_hard_cheese", "ph": 5.0}, "measurement"),
        (
            {"control": "CCP 3", "category": "frozen", "temperature_c": -16, "storage_h": 1},
            "storage_h",
        ),
        (
            {"control": "CCP 13", "product": "soft_cheese", "temperature_c": 12, "elapsed_min": 5},
            "elapsed_min",
        ),
        ({"control": "CCP 3", "category": "frozen", "temperature_c": -20, "ph": 5}, "ph"),
        # Two durations that disagree.
        ({"control": "CCP 14", "product": "cream", "elapsed_min": 60, "storage_h": 2}, "storage_h"),
        # Implausible values are refused, not judged.
        ({"control": "CCP 3", "category": "frozen", "temperature_c": 1e300}, "temperature_c"),
        ({"control": "CCP 9", "product": "milk", "temperature_c": 72, "hold_s": -1}, "hold_s"),
        (
            {"control": "PVA 11", "productions_since_industrial_starter": 2.5},
            "productions_since_industrial_starter",
        ),
        (
            {"control": "CCP 3", "category": "frozen", "temperature_c": -20, "remark": "x" * 2001},
            "remark",
        ),
        (
            {"control": "CCP 3", "category": "frozen", "temperature_c": -20, "remark": "a\x00b"},
            "remark",
        ),
    ],
)
def test_bad_measurements_name_the_field(guide: Guide, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(MeasurementError) as caught:
        check(measurement_from_dict(fields), guide)
    assert caught.value.field == field


_RANK = {C: 0, W: 1, D: 2}


@settings(max_examples=200, deadline=None)
@given(
    medium=st.sampled_from(["milk", "cream"]),
    temperature=st.floats(min_value=62, max_value=90, allow_nan=False),
    hold=st.floats(min_value=0, max_value=5000, allow_nan=False),
    extra=st.floats(min_value=0, max_value=5000, allow_nan=False),
)
def test_a_longer_hold_at_the_same_temperature_never_makes_it_worse(
    medium: str, temperature: float, hold: float, extra: float
) -> None:
    guide = load_guide()
    short = _verdict(guide, control="CCP 9", product=medium, temperature_c=temperature, hold_s=hold)
    longer = _verdict(
        guide, control="CCP 9", product=medium, temperature_c=temperature, hold_s=hold + extra
    )
    assert _RANK[longer] <= _RANK[short]


@settings(max_examples=200, deadline=None)
@given(
    temperature=st.floats(min_value=-30, max_value=30, allow_nan=False),
    cooler=st.floats(min_value=0, max_value=20, allow_nan=False),
    category=st.sampled_from(["dairy_chilled", "raw_milk", "frozen"]),
)
def test_a_colder_store_never_makes_it_worse(
    temperature: float, cooler: float, category: str
) -> None:
    guide = load_guide()
    warm = _verdict(guide, control="CCP 3", category=category, temperature_c=temperature)
    cold = _verdict(guide, control="CCP 3", category=category, temperature_c=temperature - cooler)
    assert _RANK[cold] <= _RANK[warm]


_GAS_PROFILE = """
[operator]
name = "Gashoeve"
relaxations = true

[milk]
own_animals = true
species = ["cow"]

[[products]]
kind = "semi_hard_cheese"
name = "Gaskaas"
packaging = "modified_atmosphere"
{norm}
[[products]]
kind = "fresh_cheese"
name = "Platte kaas"
packaging = "low_oxygen_atmosphere"
"""


def _gas_plan(guide: Guide, norm: str = "") -> Any:
    return build_plan(guide, parse_profile_toml(_GAS_PROFILE.format(norm=norm)))


def test_packing_under_low_oxygen_keeps_the_modules_figures(guide: Guide) -> None:
    plan = _gas_plan(guide)
    ok = {
        "control": "CCP 23",
        "product": "Platte kaas",
        "residual_o2_pct": 0.5,
        "co2_deviation_pct": 3,
    }
    assert check(measurement_from_dict(ok), guide, plan).verdict is C
    high = {**ok, "residual_o2_pct": 0.51}
    assert check(measurement_from_dict(high), guide, plan).verdict is D


def test_another_modified_atmosphere_is_refused_until_the_own_norm_is_set(guide: Guide) -> None:
    data = {
        "control": "CCP 23",
        "product": "Gaskaas",
        "residual_o2_pct": 0.8,
        "co2_deviation_pct": 4,
    }
    with pytest.raises(MeasurementError) as caught:
        check(measurement_from_dict(data), guide, _gas_plan(guide))
    assert caught.value.field == "residual_o2_pct"
    assert caught.value.code == "own_norm_missing"
    plan = _gas_plan(guide, "gas_norm_o2_pct = 1.0\ngas_norm_co2_pct = 5\n")
    assert check(measurement_from_dict(data), guide, plan).verdict is C
    over = {**data, "residual_o2_pct": 1.01}
    evaluation = check(measurement_from_dict(over), guide, plan)
    assert evaluation.verdict is D
    assert evaluation.findings[0].requirement.bound == 1.0


def test_an_own_gas_norm_belongs_to_another_modified_atmosphere_only() -> None:
    with pytest.raises(ProfileError):
        profile_from_dict(
            {
                "operator": {"name": "X"},
                "products": [{"kind": "butter", "packaging": "vacuum", "gas_norm_o2_pct": 1}],
            }
        )
