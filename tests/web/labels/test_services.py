"""The labels services: versions checked by the core, prints recorded against the lot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from dairyhaccp.web.labels.composing import LabelError, compose
from dairyhaccp.web.labels.models import LabelPrint, LabelVersion
from dairyhaccp.web.labels.selectors import plan_product, version_in_use
from dairyhaccp.web.labels.services import (
    content_of,
    record_print,
    save_label,
    with_plan_facts,
)
from dairyhaccp.web.operators.models import AppendOnlyError, Operator
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import create_batch

from .conftest import CHEESE, aware, cheese_content, goat_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


def test_a_complete_label_is_stored_in_use_with_who_when_why(farm: Operator, owner: User) -> None:
    version = save_label(farm, owner, CHEESE, cheese_content(), in_use=True, reason="First")

    assert version.number == 1
    assert version.in_use
    assert version.created_by == owner
    assert version.reason == "First"
    assert version.composition["kind"] == "soft_cheese"
    assert version.composition["raw_milk"] is True
    assert version.check_result["ok"] is True
    assert version.check_result["missing"] == []
    assert version_in_use(farm, CHEESE) == version


def test_the_kind_and_raw_milk_come_from_the_plan_not_from_the_label(
    farm: Operator, owner: User
) -> None:
    content = cheese_content(composition={"kind": "butter", "raw_milk": False})

    version = save_label(farm, owner, CHEESE, content, in_use=False)

    assert version.composition["kind"] == "soft_cheese"
    assert version.composition["raw_milk"] is True


@pytest.mark.parametrize(
    ("mention", "missing"),
    [("species", "species"), ("made_with_raw_milk", "made_with_raw_milk")],
)
def test_a_label_without_a_mandatory_mention_cannot_be_put_in_use(
    farm: Operator, owner: User, mention: str, missing: str
) -> None:
    ticked = tuple(m for m in cheese_content().mentions if m != mention)

    with pytest.raises(LabelError) as refused:
        save_label(farm, owner, CHEESE, cheese_content(mentions=ticked), in_use=True)

    assert refused.value.field == "in_use"
    assert not LabelVersion.objects.exists()
    draft = save_label(farm, owner, CHEESE, cheese_content(mentions=ticked), in_use=False)
    assert draft.missing == [missing]
    assert version_in_use(farm, CHEESE) is None


def test_a_refused_sales_name_keeps_the_label_out_of_use(farm: Operator, owner: User) -> None:
    # Yoghurt with 0.9 % fat is "afgeroomde yoghurt", never "Volle yoghurt".
    content = cheese_content(
        composition={
            "fat_pct": 0.9,
            "msnf_pct": 9.0,
            "fat_dm_pct": None,
            "ingredients": [{"name": "geitenmelk", "category": "milk_product"}],
        },
        sales_name="Volle yoghurt",
        mentions=("allergens", "storage_conditions", "species", "fat_content_near_name"),
    )

    with pytest.raises(LabelError):
        save_label(farm, owner, "Geitenyoghurt", content, in_use=True)

    draft = save_label(farm, owner, "Geitenyoghurt", content, in_use=False)
    assert draft.check_result["sales_name_ok"] is False
    assert draft.check_result["missing"] == []


def test_versions_count_up_and_a_later_draft_takes_the_label_out_of_use(
    farm: Operator, owner: User
) -> None:
    first = save_label(farm, owner, CHEESE, cheese_content(), in_use=True)
    second = save_label(
        farm, owner, CHEESE, cheese_content(net_quantity="500 g"), in_use=False, reason="Bigger"
    )

    assert (first.number, second.number) == (1, 2)
    assert second.label_id == first.label_id
    assert version_in_use(farm, CHEESE) is None
    third = save_label(farm, owner, CHEESE, cheese_content(), in_use=True, reason="Back")
    assert version_in_use(farm, CHEESE) == third


def test_versions_are_never_changed_or_deleted(cheese_label: LabelVersion) -> None:
    cheese_label.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        cheese_label.save()
    with pytest.raises(AppendOnlyError):
        cheese_label.delete()
    with pytest.raises(AppendOnlyError):
        LabelVersion.objects.filter(pk=cheese_label.pk).update(in_use=False)


def test_a_product_not_in_the_plan_gets_no_label(farm: Operator, owner: User) -> None:
    with pytest.raises(LabelError) as refused:
        save_label(farm, owner, "Brie", cheese_content(), in_use=False)
    assert refused.value.field == "product"
    # Whey for feed is in the plan but is no food: the core has no label rules for it.
    with pytest.raises(LabelError):
        save_label(farm, owner, "Wei", cheese_content(), in_use=False)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sales_name": "x" * 201}, "sales_name"),
        ({"sales_name": "Geiten\x00kaas"}, "sales_name"),
        ({"own_text": "y" * 100_000}, "own_text"),
        ({"net_quantity": "250\x07g"}, "net_quantity"),
        ({"language": "de"}, "language"),
        ({"mentions": ("lot",)}, "mentions"),
        ({"composition": {"fat_pct": float("nan")}}, "fat_pct"),
        ({"composition": {"fat_pct": 1e300}}, "fat_pct"),
        ({"composition": {"shelf_life_days": 10**30}}, "shelf_life_days"),
        ({"composition": {"species": ["unicorn"]}}, "species"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    farm: Operator, owner: User, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(LabelError) as refused:
        save_label(farm, owner, CHEESE, cheese_content(**changes), in_use=False)

    assert refused.value.field.startswith(field)
    assert not LabelVersion.objects.exists()


def test_a_nutrition_declaration_lifts_the_fat_content_of_a_cheese(
    farm: Operator, owner: User
) -> None:
    without_fat = tuple(m for m in cheese_content().mentions if m != "fat_content")
    content = cheese_content(
        mentions=without_fat, nutrition="Energie 1250 kJ\nVetten 24 g", composition={}
    )

    product = plan_product(farm, CHEESE)
    assert product is not None

    composed = compose(with_plan_facts(content, product))

    assert composed.ok
    assert "fat_content" not in composed.check.required


# --- prints ---------------------------------------------------------------------------------


def test_a_print_records_the_version_the_count_and_the_best_before_date(
    cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    printed = record_print(lot.operator, owner, lot, copies=21, layout="a4-3x7")

    assert printed.label_version == cheese_label
    assert printed.copies == 21
    assert printed.printed_by == owner
    # Made 10 January, 30 days: a ripened cheese is best before 9 February.
    assert printed.date == date(2026, 2, 9)
    assert printed.date_type == "best_before"
    assert printed.net_quantity == "250 g"
    assert list(lot.label_prints.all()) == [printed]


def test_a_yoghurt_gets_a_use_by_date_counted_from_the_production_day_in_brussels(
    farm: Operator, owner: User
) -> None:
    content = cheese_content(
        composition={
            "fat_pct": 3.5,
            "msnf_pct": 9.0,
            "fat_dm_pct": None,
            "shelf_life_days": 21,
            "ingredients": [{"name": "geitenmelk", "category": "milk_product"}],
        },
        sales_name="Volle yoghurt",
        mentions=("allergens", "storage_conditions", "species", "fat_content_near_name"),
    )
    save_label(farm, owner, "Geitenyoghurt", content, in_use=True)
    # 23:30 UTC on 31 March is 1 April in Brussels (summer time).
    lot = create_batch(farm, owner, "Y-0401", "Geitenyoghurt", started_at=aware(2026, 4, 1, 1, 30))

    printed = record_print(farm, owner, lot, copies=8, layout="a4-2x4", net_quantity="500 g")

    assert printed.date == date(2026, 4, 22)
    assert printed.date_type == "use_by"
    assert printed.net_quantity == "500 g"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"copies": 0}, "copies"),
        ({"copies": 1001}, "copies"),
        ({"copies": True}, "copies"),
        ({"layout": "a3-5x9"}, "layout"),
        ({"first_position": 22}, "first_position"),
        ({"first_position": 0}, "first_position"),
        ({"net_quantity": "g" * 61}, "net_quantity"),
    ],
)
def test_a_bad_print_is_refused_naming_the_field(
    cheese_label: LabelVersion, lot: Batch, owner: User, kwargs: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"copies": 3, "layout": "a4-3x7"} | kwargs

    with pytest.raises(LabelError) as refused:
        record_print(lot.operator, owner, lot, **values)  # type: ignore[arg-type]

    assert refused.value.field == field
    assert not LabelPrint.objects.exists()


def test_nothing_is_printed_without_a_label_in_use(farm: Operator, owner: User, lot: Batch) -> None:
    save_label(farm, owner, CHEESE, cheese_content(), in_use=False)

    with pytest.raises(LabelError) as refused:
        record_print(farm, owner, lot, copies=1, layout="roll-62")

    assert refused.value.field == "batch"


def test_a_destroyed_lot_gets_no_labels(
    cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    Batch.objects.filter(pk=lot.pk).update(destroyed_at=aware(2026, 1, 11, 9, 0))
    lot.refresh_from_db()

    with pytest.raises(LabelError):
        record_print(lot.operator, owner, lot, copies=1, layout="roll-62")


def test_when_the_plan_changes_the_product_its_label_must_be_checked_again(
    cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    profile = goat_profile()
    profile["products"][0]["raw_milk"] = False
    save_profile(lot.operator, owner, profile)

    with pytest.raises(LabelError) as refused:
        record_print(lot.operator, owner, lot, copies=1, layout="roll-62")

    assert "plan" in refused.value.problem


def test_another_operators_lot_is_not_printed_for(
    cheese_label: LabelVersion, owner: User, make_member: Callable[..., User]
) -> None:
    other = create_operator("Andere Hoeve", slug="andere")
    other_owner = make_member(other)
    save_profile(other, other_owner, goat_profile("Andere Hoeve"))
    foreign_lot = create_batch(other, other_owner, "X-1", CHEESE, started_at=aware(2026, 1, 1, 8))

    with pytest.raises(LabelError):
        record_print(cheese_label.operator, owner, foreign_lot, copies=1, layout="roll-62")


def test_the_stored_version_rebuilds_the_same_label(cheese_label: LabelVersion) -> None:
    composed = compose(content_of(cheese_label))

    assert composed.ok
    assert composed.wording("made_with_raw_milk") == "bereid met rauwe melk"
    assert composed.wording("species") == "geitenmelk"
