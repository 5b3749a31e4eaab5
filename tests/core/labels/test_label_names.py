"""Sales names by composition: the §2 table and the cream definitions, at every boundary."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.labels import Composition, allowed_names, composition_from_dict, judge_sales_name

WHOLE = ["Volle yoghurt", "Yoghurt"]
PARTLY = ["Gedeeltelijk afgeroomde yoghurt"]
SKIMMED = ["Afgeroomde yoghurt"]
NONE: list[str] = []


def composition(**fields: Any) -> Composition:
    return composition_from_dict(fields)


def yoghurt(fat: float, msnf: float = 9.0, kind: str = "stirred_yoghurt") -> Composition:
    return composition(kind=kind, fat_pct=fat, msnf_pct=msnf)


@pytest.mark.parametrize(
    ("fat", "names"),
    [
        (0.0, SKIMMED),
        (0.49, SKIMMED),
        (0.5, SKIMMED),
        (0.51, SKIMMED),
        (0.99, SKIMMED),
        (1.0, NONE),
        (1.01, PARTLY),
        (2.0, PARTLY),
        (2.99, PARTLY),
        (3.0, NONE),
        (3.01, WHOLE),
        (10.0, WHOLE),
    ],
)
@pytest.mark.parametrize("kind", ["stirred_yoghurt", "set_yoghurt"])
def test_yoghurt_names_follow_the_fat_column_of_the_table(
    fat: float, names: list[str], kind: str
) -> None:
    assert list(allowed_names(yoghurt(fat, kind=kind)).allowed) == names


@pytest.mark.parametrize(
    ("fat", "names"),
    [
        (0.99, ["Gefermenteerde afgeroomde melk"]),
        (1.0, NONE),
        (1.01, ["Gedeeltelijk gefermenteerde melk"]),
        (2.99, ["Gedeeltelijk gefermenteerde melk"]),
        (3.0, NONE),
        (3.01, ["Gefermenteerde melk"]),
    ],
)
def test_fermented_milk_names_follow_the_fat_column_of_the_table(
    fat: float, names: list[str]
) -> None:
    assert list(allowed_names(yoghurt(fat, kind="fermented_milk")).allowed) == names


@pytest.mark.parametrize(
    ("msnf", "names"),
    [(8.0, NONE), (8.19, NONE), (8.2, NONE), (8.21, WHOLE), (12.0, WHOLE)],
)
def test_non_fat_milk_solids_must_exceed_8_2_percent(msnf: float, names: list[str]) -> None:
    assert list(allowed_names(yoghurt(3.5, msnf)).allowed) == names


@pytest.mark.parametrize(
    ("fat", "names"),
    [
        (0.0, NONE),
        (3.99, NONE),
        (4.0, ["Verdunde room"]),
        (4.01, ["Verdunde room"]),
        (19.99, ["Verdunde room"]),
        (20.0, ["Room"]),
        (20.01, ["Room"]),
        (39.99, ["Room"]),
        (40.0, ["Room", "Slagroom"]),
        (40.01, ["Room", "Slagroom"]),
        (100.0, ["Room", "Slagroom"]),
    ],
)
def test_cream_names_follow_the_legal_definitions(fat: float, names: list[str]) -> None:
    assert list(allowed_names(composition(kind="cream", fat_pct=fat)).allowed) == names


def test_a_refused_yoghurt_name_says_what_the_fat_content_makes_of_it() -> None:
    decision = allowed_names(yoghurt(0.9), "en")

    refused = {r.name: r.reason for r in decision.refused}
    assert decision.allowed == ("Skimmed yoghurt",)
    assert refused["Whole yoghurt"] == (
        "'Whole yoghurt' requires > 3 % fat; stirred yoghurt with 0.9 % fat is 'Skimmed yoghurt'"
    )
    assert refused["Partly skimmed yoghurt"].startswith(
        "'Partly skimmed yoghurt' requires > 1 % and < 3 % fat;"
    )


def test_too_little_non_fat_milk_solids_refuses_every_name_and_says_so() -> None:
    decision = allowed_names(yoghurt(3.5, 8.0), "en")

    expected = "non-fat milk solids 8 % ≤ 8.2 %: no yoghurt or fermented-milk name"
    assert decision.allowed == ()
    assert decision.no_name_reason == expected
    assert all(r.reason.startswith(expected) for r in decision.refused)
    assert not any("is 'Whole yoghurt'" in r.reason for r in decision.refused)


@pytest.mark.parametrize("fat", [1.0, 3.0])
def test_exactly_1_or_3_percent_fat_is_left_without_a_name_and_the_core_says_so(
    fat: float,
) -> None:
    nl = allowed_names(yoghurt(fat), "nl")
    en = allowed_names(yoghurt(fat), "en")

    assert nl.allowed == en.allowed == ()
    assert nl.no_name_reason == (
        f"de tabel geeft geen benaming voor roeryoghurt met precies {fat:g} % vet"
    )
    assert en.no_name_reason == (
        f"the table gives no name for stirred yoghurt with exactly {fat:g} % fat"
    )


def test_cream_below_4_percent_has_no_name_and_the_reason_names_the_limit() -> None:
    decision = allowed_names(composition(kind="cream", fat_pct=3.99), "nl")

    assert decision.no_name_reason == (
        "room met 3,99 % vet: onder 4 % vet geeft de gids geen benaming"
    )
    assert {r.name for r in decision.refused} == {"Room", "Slagroom", "Verdunde room"}


def test_whipping_cream_refused_below_40_percent_with_its_requirement() -> None:
    decision = allowed_names(composition(kind="cream", fat_pct=35), "nl")

    [slagroom] = [r for r in decision.refused if r.name == "Slagroom"]
    assert slagroom.reason == "'Slagroom' vraagt ≥ 40 % vet; room met 35 % vet is 'Room'"


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("nl", ["Volle yoghurt", "Yoghurt"]),
        ("fr", ["Yaourt entier", "Yaourt"]),
        ("en", ["Whole yoghurt", "Yoghurt"]),
    ],
)
def test_names_come_in_the_language_asked(lang: str, names: list[str]) -> None:
    assert list(allowed_names(yoghurt(3.5), lang).allowed) == names


def test_without_the_fat_content_the_name_cannot_be_decided() -> None:
    decision = allowed_names(composition(kind="cream"), "en")

    assert decision.regulated
    assert decision.allowed == ()
    assert decision.no_name_reason == (
        "fat_pct not given: the name of cream depends on the fat content"
    )


def test_without_the_milk_solids_a_yoghurt_name_cannot_be_decided() -> None:
    decision = allowed_names(composition(kind="set_yoghurt", fat_pct=3.5), "en")

    assert decision.allowed == ()
    assert decision.no_name_reason is not None
    assert decision.no_name_reason.startswith("msnf_pct not given")


@pytest.mark.parametrize("kind", ["semi_hard_cheese", "butter", "pasteurised_milk", "raw_milk"])
def test_kinds_outside_the_table_have_no_name_fixed_by_composition(kind: str) -> None:
    decision = allowed_names(composition(kind=kind, fat_pct=30))

    assert not decision.regulated
    assert decision.allowed == ()
    assert decision.refused == ()


@pytest.mark.parametrize(
    ("sales_name", "ok"),
    [
        ("Volle yoghurt", True),
        ("volle YOGHURT", True),
        ("  Volle   yoghurt ", True),
        ("Yoghurt", True),
        ("Yaourt entier", True),  # a bilingual label: the French name is the same name
        ("Afgeroomde yoghurt", False),
        ("Griekse yoghurt", False),
        ("Slagroom", False),
    ],
)
def test_the_sales_name_is_compared_without_regard_to_case(sales_name: str, ok: bool) -> None:
    product = yoghurt(3.5)

    judgement = judge_sales_name(product, sales_name, allowed_names(product))

    assert judgement.ok is ok
    assert (judgement.reason is None) is ok


def test_a_refused_sales_name_gets_the_reason_of_its_refusal() -> None:
    product = yoghurt(3.5)

    judgement = judge_sales_name(product, "afgeroomde yoghurt", allowed_names(product, "nl"))

    assert judgement.reason == (
        "'Afgeroomde yoghurt' vraagt < 1 % vet; roeryoghurt met 3,5 % vet is "
        "'Volle yoghurt', 'Yoghurt'"
    )


def test_a_name_of_the_table_is_reserved_for_its_kinds() -> None:
    drink = composition(kind="milk_drink")

    judgement = judge_sales_name(drink, "Yoghurt", allowed_names(drink), "en")

    assert not judgement.ok
    assert judgement.reason == "'Yoghurt' is reserved for: stirred yoghurt, set yoghurt"


def test_a_free_name_of_an_unregulated_kind_is_accepted() -> None:
    cheese = composition(kind="semi_hard_cheese")

    assert judge_sales_name(cheese, "Hoevekaas", allowed_names(cheese)).ok


@given(
    fat=st.floats(min_value=0, max_value=100, allow_nan=False),
    msnf=st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_a_yoghurt_gets_one_name_of_the_table_unless_the_table_leaves_it_open(
    fat: float, msnf: float
) -> None:
    if fat + msnf > 100:
        return
    decision = allowed_names(yoghurt(fat, msnf))

    open_case = fat in (1.0, 3.0) or msnf <= 8.2
    assert (decision.allowed == ()) is open_case
    assert len(decision.allowed_ids) == (0 if open_case else 1)
    assert (decision.no_name_reason is None) is not open_case


@given(fat=st.floats(min_value=0, max_value=100, allow_nan=False))
def test_cream_names_grow_with_the_fat_content(fat: float) -> None:
    allowed = set(allowed_names(composition(kind="cream", fat_pct=fat)).allowed)

    assert ("Verdunde room" in allowed) is (4 <= fat < 20)
    assert ("Room" in allowed) is (fat >= 20)
    assert ("Slagroom" in allowed) is (fat >= 40)
