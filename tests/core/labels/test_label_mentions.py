"""Mandatory mentions: which a composition's label must carry, and what is missing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.labels import (
    Composition,
    FindingCode,
    LabelCheck,
    LabelInputError,
    LabelRules,
    check_label,
    composition_from_dict,
    load_label_rules,
)

ALL_MENTIONS = load_label_rules().mention_ids


def composition(**fields: Any) -> Composition:
    return composition_from_dict(fields)


def required(**fields: Any) -> set[str]:
    return set(check_label(composition(**fields)).required)


def finding(check: LabelCheck, mention: str, code: FindingCode | None = None) -> Any:
    found = [f for f in check.findings if f.mention == mention and code in (None, f.code)]
    assert len(found) == 1, (mention, code, check.findings)
    return found[0]


# --- section 2 of the module ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("species", "needed"),
    [
        (["cow"], False),
        (["goat"], True),
        (["sheep"], True),
        (["cow", "sheep"], True),
        (["buffalo"], True),
    ],
)
def test_milk_of_other_animals_than_cows_requires_the_species(
    species: list[str], needed: bool
) -> None:
    assert ("species" in required(kind="soft_cheese", species=species)) is needed


def test_the_species_wording_names_the_milk_of_every_species() -> None:
    check = check_label(composition(kind="soft_cheese", species=["goat", "cow"]), lang="nl")

    assert finding(check, "species").wording == "geitenmelk en koemelk"


@pytest.mark.parametrize("kind", ["hard_cheese", "soft_cheese", "fresh_cheese", "butter", "cream"])
def test_a_raw_milk_product_requires_made_with_raw_milk(kind: str) -> None:
    assert "made_with_raw_milk" in required(kind=kind, raw_milk=True)
    assert "made_with_raw_milk" not in required(kind=kind, raw_milk=False)


def test_the_raw_milk_wording_is_the_modules() -> None:
    check = check_label(composition(kind="hard_cheese", raw_milk=True))

    assert finding(check, "made_with_raw_milk").wording == "bereid met rauwe melk"


@pytest.mark.parametrize("kind", ["raw_milk", "skimmed_milk"])
def test_packed_raw_milk_requires_boil_before_use_instead_of_made_with(kind: str) -> None:
    packed = required(kind=kind, raw_milk=True, prepacked=True)

    assert "raw_milk_boil_before_use" in packed
    assert "made_with_raw_milk" not in packed
    assert "raw_milk_boil_before_use" not in required(kind=kind, raw_milk=True, prepacked=False)


def test_the_kind_raw_milk_is_raw_without_saying_so() -> None:
    check = check_label(composition(kind="raw_milk"))

    assert finding(check, "raw_milk_boil_before_use").wording == "rauwe melk, koken voor gebruik"


def test_pasteurised_skimmed_milk_needs_no_raw_milk_mention() -> None:
    assert not {"raw_milk_boil_before_use", "made_with_raw_milk"} & required(kind="skimmed_milk")


@pytest.mark.parametrize("kind", ["hard_cheese", "semi_hard_cheese", "soft_cheese", "fresh_cheese"])
def test_cheese_requires_the_fat_content_unless_a_nutrition_declaration_is_given(kind: str) -> None:
    product = composition(kind=kind, fat_pct=28)
    declared = composition(kind=kind, fat_pct=28, nutrition_declaration=True)

    assert "fat_content" in check_label(product).missing
    assert "fat_content" not in check_label(product, mentions=["nutrition_declaration"]).required
    assert "fat_content" not in check_label(declared).required
    assert "nutrition_declaration" not in check_label(declared).missing


def test_the_cheese_fat_wording_is_grams_per_100_g_with_dry_matter_when_given() -> None:
    check = check_label(composition(kind="semi_hard_cheese", fat_pct=28.5, fat_dm_pct=48))

    assert (
        finding(check, "fat_content").wording == "28,5 g vet per 100 g, 48 % vet op de droge stof"
    )


@pytest.mark.parametrize("kind", ["stirred_yoghurt", "set_yoghurt", "fermented_milk"])
def test_yoghurt_and_fermented_milk_require_the_fat_content_near_the_name(kind: str) -> None:
    needed = required(kind=kind, fat_pct=3.5, msnf_pct=9)

    assert "fat_content_near_name" in needed
    assert "fat_content" not in needed


@pytest.mark.parametrize(
    ("fat", "needed"),
    [(3.99, False), (4.0, True), (10.0, True), (19.99, True), (20.0, False), (45.0, False)],
)
def test_verdunde_room_requires_the_fat_content_right_after_the_name(
    fat: float, needed: bool
) -> None:
    assert ("fat_content_after_name" in required(kind="cream", fat_pct=fat)) is needed


def test_the_verdunde_room_wording_puts_the_fat_right_after_the_name() -> None:
    nl = check_label(composition(kind="cream", fat_pct=12), lang="nl")
    fr = check_label(composition(kind="cream", fat_pct=12.5), lang="fr")

    assert finding(nl, "fat_content_after_name").wording == "Verdunde room 12 % vet"
    assert finding(fr, "fat_content_after_name").wording == (
        "Crème diluée 12,5 % de matières grasses"
    )


# --- Regulation 1169/2011 and the other regulations --------------------------------------------


@pytest.mark.parametrize(
    ("kind", "date_type", "nl", "fr", "en"),
    [
        ("fresh_cheese", "use_by", "te gebruiken tot", "à consommer jusqu'au", "use by"),
        ("stirred_yoghurt", "use_by", "te gebruiken tot", "à consommer jusqu'au", "use by"),
        ("cream", "use_by", "te gebruiken tot", "à consommer jusqu'au", "use by"),
        ("pasteurised_milk", "use_by", "te gebruiken tot", "à consommer jusqu'au", "use by"),
        (
            "hard_cheese",
            "best_before",
            "ten minste houdbaar tot",
            "à consommer de préférence avant le",
            "best before",
        ),
        (
            "butter",
            "best_before",
            "ten minste houdbaar tot",
            "à consommer de préférence avant le",
            "best before",
        ),
    ],
)
def test_the_date_finding_says_which_date_and_its_wording(
    kind: str, date_type: str, nl: str, fr: str, en: str
) -> None:
    product = composition(kind=kind)

    for lang, wording in (("nl", nl), ("fr", fr), ("en", en)):
        date = finding(check_label(product, lang=lang), "date")
        assert (date.date_type, date.wording) == (date_type, wording)


def test_a_prepacked_product_needs_the_general_mentions() -> None:
    needed = required(kind="butter")

    assert {
        "name",
        "allergens",
        "net_quantity",
        "date",
        "storage_conditions",
        "operator",
        "lot",
        "nutrition_declaration",
    } <= needed
    assert "identification_mark" not in needed


def test_a_product_not_prepacked_needs_only_allergen_information_of_the_regulation() -> None:
    assert required(kind="butter", prepacked=False) == {"allergens"}


def test_the_section_2_mentions_stay_on_a_label_of_a_product_sold_loose() -> None:
    needed = required(kind="soft_cheese", prepacked=False, raw_milk=True, species=["goat"])

    assert needed == {"allergens", "made_with_raw_milk", "species", "fat_content"}


def test_an_approved_establishment_needs_its_identification_mark() -> None:
    assert "identification_mark" in required(kind="butter", approved_establishment=True)


def test_small_quantities_supplied_directly_need_no_nutrition_declaration() -> None:
    assert "nutrition_declaration" not in required(kind="butter", small_quantities_direct=True)


def test_allergens_list_milk_and_those_of_the_ingredients_to_emphasise() -> None:
    product = composition(
        kind="fresh_cheese",
        ingredients=[
            {"name": "melk", "category": "milk_product"},
            {"name": "walnoot", "quantity_pct": 5, "allergens": ["nuts"]},
        ],
    )

    allergens = finding(check_label(product, lang="fr"), "allergens")

    assert allergens.allergens == ("lait", "fruits à coque")
    assert allergens.wording == "Contient : lait, fruits à coque"


@pytest.mark.parametrize(
    ("kind", "ingredients", "needed"),
    [
        ("semi_hard_cheese", ["milk_product", "enzyme", "culture", "salt"], False),
        ("fresh_cheese", ["milk_product", "culture"], False),
        ("fresh_cheese", ["milk_product", "culture", "salt"], True),
        ("butter", ["milk_product", "salt"], True),
        ("stirred_yoghurt", ["milk_product", "culture"], False),
        ("stirred_yoghurt", ["milk_product", "culture", "other"], True),
        ("cream", ["milk_product"], False),
        ("pasteurised_milk", ["milk_product"], False),
        ("pasteurised_milk", ["milk_product", "milk_product"], True),
        ("milk_drink", ["milk_product"], True),
        ("buttermilk", ["milk_product", "culture"], True),
    ],
)
def test_the_ingredients_list_and_its_exemptions(
    kind: str, ingredients: list[str], needed: bool
) -> None:
    items = [{"name": f"ingredient {i}", "category": c} for i, c in enumerate(ingredients)]

    check = check_label(composition(kind=kind, ingredients=items))

    assert ("ingredients" in check.required) is needed
    assert not any(f.code == FindingCode.EXEMPTION_UNVERIFIED for f in check.findings)


def test_an_exemption_assumed_for_unknown_ingredients_is_said() -> None:
    check = check_label(composition(kind="semi_hard_cheese"), lang="en")

    assert "ingredients" not in check.required
    note = finding(check, "ingredients", FindingCode.EXEMPTION_UNVERIFIED)
    assert note.text.startswith("No ingredients given: the exemption holds only if")
    assert note.source == "Reg. (EU) 1169/2011, art. 19(1)(d)"
    assert not note.problem


def test_an_ingredient_named_in_the_sales_name_needs_its_quantity() -> None:
    fruit = {"name": "Aardbei", "category": "other"}
    without = composition(kind="stirred_yoghurt", ingredients=[fruit])
    with_quantity = composition(kind="stirred_yoghurt", ingredients=[{**fruit, "quantity_pct": 8}])

    missing = check_label(without, "Aardbeienyoghurt", ["ingredients"])
    given_ = check_label(with_quantity, "Aardbeienyoghurt", ["ingredients"])

    quid = finding(missing, "ingredients", FindingCode.QUANTITY_MISSING)
    assert quid.text == "'Aardbei' staat in de benaming: vermeld de hoeveelheid in procent"
    assert quid.problem
    assert not [f for f in given_.findings if f.code == FindingCode.QUANTITY_MISSING]


@pytest.mark.parametrize(("stated", "problem"), [(4.0, False), (7.0, False), (7.1, True)])
def test_a_storage_temperature_above_the_guides_maximum_is_a_problem(
    stated: float, problem: bool
) -> None:
    check = check_label(composition(kind="butter", storage_temperature_c=stated), lang="en")

    above = [f for f in check.findings if f.code == FindingCode.STORAGE_ABOVE_GUIDE]
    assert bool(above) is problem
    expected = f"Keep at {min(stated, 7.0):g} °C or below"
    assert finding(check, "storage_conditions", FindingCode.MISSING).wording == expected


def test_raw_drinking_milk_is_stored_below_the_raw_milk_maximum() -> None:
    check = check_label(composition(kind="raw_milk", storage_temperature_c=7), lang="en")

    above = finding(check, "storage_conditions", FindingCode.STORAGE_ABOVE_GUIDE)
    assert above.text == "storage temperature 7 °C is above the maximum of 6 °C"


# --- the check as a whole ----------------------------------------------------------------------


def test_a_complete_label_has_nothing_missing_and_is_ok() -> None:
    product = composition(kind="semi_hard_cheese", species=["goat"], raw_milk=True, fat_pct=28)
    mentions = list(check_label(product).required)

    check = check_label(product, "Geitenkaas", mentions)

    assert check.missing == ()
    assert check.sales_name_ok is True
    assert check.ok
    assert all(f.code == FindingCode.PRESENT for f in check.findings if f.mention != "ingredients")


def test_a_wrong_sales_name_is_a_finding_with_its_reason_and_source() -> None:
    product = composition(kind="stirred_yoghurt", fat_pct=0.9, msnf_pct=9)

    check = check_label(product, "Volle yoghurt", lang="en")

    refused = finding(check, "name", FindingCode.NAME_REFUSED)
    assert check.sales_name_ok is False
    assert not check.ok
    assert "stirred yoghurt with 0.9 % fat is 'Skimmed yoghurt'" in refused.text
    assert refused.source == "§2 verkoopsbenaming yoghurt en gefermenteerde melk"


def test_no_name_at_all_is_a_finding_even_without_a_sales_name() -> None:
    check = check_label(composition(kind="stirred_yoghurt", fat_pct=3.0, msnf_pct=9), lang="en")

    no_name = finding(check, "name", FindingCode.NO_NAME)
    assert check.sales_name_ok is None
    assert "exactly 3 % fat" in no_name.text


def test_an_unknown_mention_id_is_refused_naming_its_place() -> None:
    with pytest.raises(LabelInputError) as error:
        check_label(composition(kind="butter"), mentions=["name", "bereid met rauwe melk"])

    assert error.value.field == "mentions[1]"


MENTION_SETS = st.lists(st.sampled_from(ALL_MENTIONS), unique=True)
COMPOSITIONS = st.fixed_dictionaries(
    {"kind": st.sampled_from(load_label_rules().kind_ids)},
    optional={
        "species": st.lists(st.sampled_from(["cow", "goat", "sheep"]), min_size=1),
        "fat_pct": st.sampled_from([0.5, 1.0, 3.0, 3.5, 4.0, 12.0, 20.0, 28.0, 45.0]),
        "msnf_pct": st.sampled_from([8.0, 8.2, 9.0]),
        "prepacked": st.booleans(),
        "nutrition_declaration": st.booleans(),
        "approved_establishment": st.booleans(),
        "small_quantities_direct": st.booleans(),
    },
)


def _valid(fields: dict[str, Any]) -> Composition | None:
    try:
        return composition_from_dict(fields)
    except LabelInputError:
        return None


@settings(max_examples=300)
@given(fields=COMPOSITIONS, raw=st.booleans(), mentions=MENTION_SETS, extra=MENTION_SETS)
def test_adding_a_mention_never_adds_a_missing_item(
    fields: dict[str, Any], raw: bool, mentions: list[str], extra: list[str]
) -> None:
    product = _valid({**fields, "raw_milk": raw}) or _valid(fields)
    if product is None:
        return

    before = check_label(product, mentions=mentions)
    after = check_label(product, mentions=mentions + extra)

    assert set(after.missing) <= set(before.missing)
    assert not set(after.missing) & set(mentions + extra)
    assert set(after.missing) <= set(after.required)


def test_the_mention_vocabulary_is_the_rules(rules: LabelRules) -> None:
    every = check_label(composition(kind="butter"), mentions=list(rules.mention_ids))

    assert every.missing == ()


def test_mentions_given_as_one_text_are_refused() -> None:
    with pytest.raises(LabelInputError) as error:
        check_label(composition(kind="butter"), mentions="name")

    assert error.value.field == "mentions"
