"""The label pages: the editor with its live check, the versions, printing for a lot, the PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.labels.models import LabelPrint, LabelVersion
from dairyhaccp.web.labels.services import record_print, save_label
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import create_batch

from ..tenancy import Tenancy
from .conftest import CHEESE, aware, cheese_content, goat_profile
from .helpers import editor_data, printed_pages

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def url(name: str, operator: Operator, **kwargs: Any) -> str:
    return reverse(f"labels:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def edit_url(operator: Operator, product: str = CHEESE) -> str:
    return url("edit", operator) + f"?product={product}"


def preview_url(operator: Operator, product: str = CHEESE) -> str:
    return url("preview", operator) + f"?product={product}"


def problems(html: str) -> set[str]:
    """The mentions the check lists as missing or wrong."""
    return set(re.findall(r'class="check-problem" data-mention="([a-z_]+)"', html))


def field_error(html: str, name: str) -> bool:
    """Whether the field `name` is shown with an error next to it."""
    pattern = rf'<div class="field field-invalid">\s*<label for="id_{name}">'
    return re.search(pattern, html) is not None


# --- the list and the editor ----------------------------------------------------------------


def test_the_list_shows_every_labelled_product_of_the_plan(
    owner_client: Client, farm: Operator
) -> None:
    html = owner_client.get(url("index", farm), headers=EN).text

    for product in (CHEESE, "Geitenyoghurt", "Room"):
        assert f"?product={product}" in html
    assert "?product=Wei" not in html  # whey for feed carries no label
    assert "no label yet" in html


def test_an_unnamed_product_is_called_by_its_kind_in_words(
    owner_client: Client, farm: Operator, owner: User
) -> None:
    profile = goat_profile()
    profile["products"].append({"kind": "butter"})
    save_profile(farm, owner, profile)
    content = cheese_content(
        composition={"fat_pct": 82.0, "fat_dm_pct": None, "ingredients": None},
        sales_name="Boter",
        mentions=("allergens", "storage_conditions", "species", "made_with_raw_milk"),
    )
    version = save_label(farm, owner, "butter", content, in_use=False)

    listed = owner_client.get(url("index", farm), headers=EN).text
    page = owner_client.get(url("label", farm, label_id=version.label_id), headers=EN).text

    assert "<strong>Butter</strong>" in listed and "?product=butter" in listed
    assert "<h1>Label of Butter</h1>" in page


def test_without_a_plan_the_list_says_to_make_it(owner_client: Client, operator: Operator) -> None:
    response = owner_client.get(url("index", operator), headers=EN)

    assert response.status_code == 200
    assert reverse("plans:plan", kwargs={"operator_slug": operator.slug}) in response.text


def test_the_editor_starts_from_the_plan_and_demands_species_and_raw_milk(
    owner_client: Client, farm: Operator
) -> None:
    html = owner_client.get(edit_url(farm), headers=EN).text

    assert 'value="goat" id="id_species_1" checked' in html
    assert 'name="shelf_life_days" value="30"' in html
    assert "Geitenhoeve De Bok" in html  # the plan's business name, to print
    assert {"species", "made_with_raw_milk", "name"} <= problems(html)
    # The check points at the box that puts the mention on the label.
    assert '<label class="button-link" for="mention-species">' in html
    assert "bereid met rauwe melk" not in html.split('class="label-check')[0]


def test_the_preview_updates_as_the_owner_types_and_stores_nothing(
    owner_client: Client, farm: Operator
) -> None:
    response = owner_client.post(preview_url(farm), editor_data(cheese_content()), headers=EN)

    assert response.status_code == 200
    html = response.text
    assert "<html" not in html  # a fragment for htmx
    assert 'class="label-face label-size-a4-3x7"' in html
    assert '<p class="lf-raw-milk">bereid met rauwe melk</p>' in html
    assert '<p class="lf-species">geitenmelk</p>' in html
    assert "Bevat: <b>melk</b>" in html
    assert "24 g vet per 100 g, 48 % vet op de droge stof" in html
    assert "ten minste houdbaar tot" in html
    assert problems(html) == set()
    assert "Nothing is missing on this label" in html
    assert not LabelVersion.objects.exists()


def test_the_label_language_is_independent_of_the_page_language(
    owner_client: Client, farm: Operator
) -> None:
    html = owner_client.post(
        preview_url(farm), editor_data(cheese_content(language="fr")), headers=EN
    ).text

    label_part, check_part = html.split('class="label-check')
    assert "fabriqué au lait cru" in label_part
    assert "à consommer de préférence avant le" in label_part
    assert "lait de chèvre" in label_part
    assert "Contient : <b>lait</b>" in label_part
    # The check speaks the page's language.
    assert "mandatory mentions are on the label" in check_part


def test_allergens_are_bold_in_the_ingredients_and_the_contains_line(
    owner_client: Client, farm: Operator
) -> None:
    content = cheese_content(
        composition={
            "ingredients": [
                {"name": "rauwe geitenmelk", "category": "milk_product"},
                {"name": "zout", "category": "salt"},
                {
                    "name": "selder",
                    "category": "other",
                    "quantity_pct": 2.5,
                    "allergens": ["celery"],
                },
            ]
        },
        sales_name="Geitenkaas met selder",
        mentions=(*cheese_content().mentions, "ingredients"),
    )

    html = owner_client.post(preview_url(farm), editor_data(content), headers=EN).text

    assert "Ingrediënten:</span> <b>rauwe geitenmelk</b>, zout, <b>selder</b> 2,5 %" in html
    assert "Bevat: <b>melk</b>, <b>selderij</b>" in html
    assert problems(html) == set()


def test_a_yoghurt_shows_its_fat_next_to_the_name_and_its_allowed_names(
    owner_client: Client, farm: Operator
) -> None:
    content = cheese_content(
        composition={"fat_pct": 3.5, "msnf_pct": 9.0, "fat_dm_pct": None, "ingredients": None},
        sales_name="Volle yoghurt",
        mentions=("allergens", "storage_conditions", "species", "fat_content_near_name"),
    )

    html = owner_client.post(
        preview_url(farm, "Geitenyoghurt"), editor_data(content), headers=EN
    ).text

    assert '<p class="lf-name">Volle yoghurt</p>\n<p class="lf-near-name">3,5 % vet</p>' in html
    assert '<q class="allowed-name">Volle yoghurt</q>, <q class="allowed-name">Yoghurt</q>' in html
    assert '<option value="Volle yoghurt">' in html  # suggested as the name is typed
    assert "te gebruiken tot" in html


def test_a_refused_name_is_explained_in_the_page_language(
    owner_client: Client, farm: Operator
) -> None:
    content = cheese_content(
        composition={"fat_pct": 0.9, "msnf_pct": 9.0, "fat_dm_pct": None, "ingredients": None},
        sales_name="Volle yoghurt",
        mentions=("allergens", "storage_conditions", "species", "fat_content_near_name"),
    )

    html = owner_client.post(
        preview_url(farm, "Geitenyoghurt"), editor_data(content), headers=EN
    ).text

    assert problems(html) == {"name"}
    assert "0.9 % fat" in html


def test_diluted_cream_prints_its_fat_right_after_the_name(
    owner_client: Client, farm: Operator
) -> None:
    content = cheese_content(
        composition={"fat_pct": 10.0, "fat_dm_pct": None, "ingredients": None},
        sales_name="Verdunde room",
        mentions=("allergens", "storage_conditions", "species", "fat_content_after_name"),
    )

    html = owner_client.post(preview_url(farm, "Room"), editor_data(content), headers=EN).text

    assert '<p class="lf-name">Verdunde room 10 % vet</p>' in html
    assert problems(html) == set()


def test_saving_an_incomplete_label_in_use_is_refused_and_stores_nothing(
    owner_client: Client, farm: Operator
) -> None:
    content = cheese_content(mentions=("allergens", "storage_conditions", "fat_content"))

    response = owner_client.post(edit_url(farm), editor_data(content, save_in_use="1"), headers=EN)

    assert response.status_code == 200
    assert "cannot be put in use" in response.text
    assert {"species", "made_with_raw_milk"} == problems(response.text)
    assert not LabelVersion.objects.exists()


def test_an_incomplete_label_may_be_saved_as_a_draft(owner_client: Client, farm: Operator) -> None:
    content = cheese_content(mentions=("allergens",))

    response = owner_client.post(edit_url(farm), editor_data(content, save="1"), headers=EN)

    assert response.status_code == 302
    version = LabelVersion.objects.get()
    assert not version.in_use
    assert "species" in version.missing


def test_a_complete_label_is_saved_in_use_and_shown_with_its_versions(
    owner_client: Client, farm: Operator, owner: User
) -> None:
    response = owner_client.post(
        edit_url(farm), editor_data(cheese_content(), save_in_use="1"), headers=EN
    )

    version = LabelVersion.objects.get()
    assert version.in_use and version.created_by == owner
    assert response["Location"] == url("label", farm, label_id=version.label_id)
    page = owner_client.get(response["Location"], headers=EN).text
    assert "Version 1 of" in page
    assert "in use" in page
    assert 'class="label-face label-size-a4-3x7"' in page


def test_a_new_version_asks_why(
    owner_client: Client, farm: Operator, cheese_label: LabelVersion
) -> None:
    data = editor_data(cheese_content(net_quantity="500 g"), save_in_use="1")

    refused = owner_client.post(edit_url(farm), data, headers=EN)
    assert refused.status_code == 200
    assert field_error(refused.text, "reason")
    assert LabelVersion.objects.count() == 1

    saved = owner_client.post(edit_url(farm), {**data, "reason": "Half kilo wheels"}, headers=EN)
    assert saved.status_code == 302
    latest = LabelVersion.objects.order_by("-number").first()
    assert latest is not None and latest.number == 2 and latest.reason == "Half kilo wheels"
    page = owner_client.get(url("label", farm, label_id=latest.label_id), headers=EN).text
    assert "Half kilo wheels" in page and "First label" in page
    old = owner_client.get(
        url("version", farm, label_id=latest.label_id, number=1), headers=EN
    ).text
    assert "an earlier version" in old and "250 g" in old


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fat_pct": "150"}, "fat_pct"),
        ({"fat_pct": "abc"}, "fat_pct"),
        ({"fat_dm_pct": "10"}, "fat_dm_pct"),
        ({"shelf_life_days": "99999999999999999999"}, "shelf_life_days"),
        ({"sales_name": "Geiten\x00kaas"}, "sales_name"),
        ({"own_text": "x" * 100_000}, "own_text"),
        ({"storage_temperature_c": "NaN"}, "storage_temperature_c"),
        ({"species": []}, "species"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_never_a_server_error(
    owner_client: Client, farm: Operator, changes: dict[str, Any], field: str
) -> None:
    data = editor_data(cheese_content(), save_in_use="1") | changes

    response = owner_client.post(edit_url(farm), data, headers=EN)

    assert response.status_code == 200
    assert 'class="field-error"' in response.text
    if field not in ("sales_name", "species"):
        assert field_error(response.text, field)
    assert not LabelVersion.objects.exists()
    preview = owner_client.post(preview_url(farm), data, headers=EN)
    assert preview.status_code == 200
    assert "Correct these to see the label" in preview.text


def test_comma_decimals_are_read(owner_client: Client, farm: Operator) -> None:
    data = editor_data(cheese_content()) | {"fat_pct": "24,5", "fat_dm_pct": "49,1"}

    html = owner_client.post(preview_url(farm), data, headers=EN).text

    assert "24,5 g vet per 100 g, 49,1 % vet op de droge stof" in html


def test_an_unknown_product_has_no_editor(owner_client: Client, farm: Operator) -> None:
    assert owner_client.get(edit_url(farm, "Brie")).status_code == 404
    assert owner_client.get(edit_url(farm, "Wei")).status_code == 404
    assert owner_client.get(url("preview", farm)).status_code == 405


def test_the_layout_sizes_are_served_as_a_stylesheet(owner_client: Client, farm: Operator) -> None:
    response = owner_client.get(url("layouts-css", farm))

    assert response["Content-Type"].startswith("text/css")
    assert ".label-size-a4-3x7 { width: 70mm; height: 42.3mm;" in response.text
    assert ".label-size-roll-62 { width: 62mm;" in response.text


# --- printing for a lot ---------------------------------------------------------------------


def test_a_lot_is_printed_with_the_label_in_use_and_the_print_is_recorded(
    owner_client: Client, cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    farm = lot.operator
    page = owner_client.get(url("lot", farm, batch_id=lot.pk), headers=EN).text
    assert "Printed with label version 1" in page
    assert "No labels printed for this lot yet" in page

    response = owner_client.post(
        url("print-lot", farm, batch_id=lot.pk),
        {"layout": "a4-3x7", "copies": "21", "first_position": "1", "net_quantity": "250 g"},
        headers=EN,
    )

    printed = LabelPrint.objects.get()
    assert response["Location"] == url("print", farm, print_id=printed.pk)
    assert (printed.batch, printed.label_version, printed.copies) == (lot, cheese_label, 21)
    assert printed.printed_by == owner
    detail = owner_client.get(response["Location"], headers=EN).text
    assert f"{CHEESE}, version 1" in detail
    assert url("print-pdf", farm, print_id=printed.pk) in detail
    # The lot shows the label version it was printed with, here and on its own page.
    lot_page = owner_client.get(url("lot", farm, batch_id=lot.pk), headers=EN).text
    assert 'class="label-print-row" data-version="1"' in lot_page
    batch_page = owner_client.get(
        reverse("records:batch", kwargs={"operator_slug": farm.slug, "batch_id": lot.pk}),
        headers=EN,
    ).text
    assert f"{CHEESE}, version 1" in batch_page
    assert url("lot", farm, batch_id=lot.pk) in batch_page


def test_a_bad_print_is_shown_on_its_field(
    owner_client: Client, cheese_label: LabelVersion, lot: Batch
) -> None:
    for data, field in (
        ({"copies": "0"}, "copies"),
        ({"copies": "many"}, "copies"),
        ({"copies": "99999999999999999999999"}, "copies"),
        ({"first_position": "22"}, "first_position"),
        ({"layout": "a0"}, "layout"),
    ):
        values = {"layout": "a4-3x7", "copies": "5", "first_position": "1"} | data
        response = owner_client.post(
            url("print-lot", lot.operator, batch_id=lot.pk), values, headers=EN
        )
        assert response.status_code == 200, field
        assert 'class="field-error"' in response.text, field
    assert not LabelPrint.objects.exists()


def test_without_a_label_in_use_the_lot_page_says_why_and_offers_no_form(
    owner_client: Client, farm: Operator, owner: User, lot: Batch
) -> None:
    save_label(farm, owner, CHEESE, cheese_content(mentions=()), in_use=False)

    html = owner_client.get(url("lot", farm, batch_id=lot.pk), headers=EN).text

    assert "Labels cannot be printed: no label of this product is in use yet." in html
    assert 'name="copies"' not in html


def test_the_pdf_holds_the_lot_code_and_the_date_on_every_label(
    owner_client: Client, cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    printed = record_print(lot.operator, owner, lot, copies=22, layout="a4-3x7")

    response = owner_client.get(url("print-pdf", lot.operator, print_id=printed.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pages = printed_pages(printed)
    assert len(pages) == 2  # 21 on the first sheet, one on the second
    assert pages[0].count("L GK-0110") == 21
    assert pages[1].count("L GK-0110") == 1
    assert pages[0].count("ten minste houdbaar tot 09/02/2026") == 21
    assert "bereid met rauwe melk" in pages[1]


def test_a_roll_print_has_one_label_per_page_with_its_use_by_date(
    cheese_label: LabelVersion, farm: Operator, owner: User
) -> None:
    content = cheese_content(
        composition={
            "fat_pct": 3.5,
            "msnf_pct": 9.0,
            "fat_dm_pct": None,
            "shelf_life_days": 14,
            "ingredients": None,
        },
        sales_name="Volle yoghurt",
        language="fr",
        mentions=("allergens", "storage_conditions", "species", "fat_content_near_name"),
    )
    save_label(farm, owner, "Geitenyoghurt", content, in_use=True)
    lot = create_batch(farm, owner, "Y-7", "Geitenyoghurt", started_at=aware(2026, 3, 2, 9))

    printed = record_print(farm, owner, lot, copies=3, layout="roll-62")

    pages = printed_pages(printed)
    assert len(pages) == 3
    assert all("L Y-7" in page for page in pages)
    assert all("à consommer jusqu'au 16/03/2026" in page for page in pages)


# --- tenancy and roles ----------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["index", "edit", "preview", "layouts-css"])
def test_another_operators_pages_do_not_exist(
    client: Client, tenancy: Tenancy, url_name: str
) -> None:
    tenancy.assert_refused(client, f"labels:{url_name}")


def _foreign(operator: Operator) -> dict[str, Any]:
    user = User.objects.create_user(f"u-{operator.slug}")
    save_profile(operator, user, goat_profile(operator.name))
    version = save_label(operator, user, CHEESE, cheese_content(), in_use=True)
    batch = create_batch(operator, user, "F-1", CHEESE, started_at=aware(2026, 1, 5, 8))
    printed = record_print(operator, user, batch, copies=1, layout="roll-62")
    return {"version": version, "batch": batch, "print": printed}


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("label", lambda f: {"label_id": f["version"].label_id}),
        ("version", lambda f: {"label_id": f["version"].label_id, "number": 1}),
        ("lot", lambda f: {"batch_id": f["batch"].pk}),
        ("print-lot", lambda f: {"batch_id": f["batch"].pk}),
        ("print", lambda f: {"print_id": f["print"].pk}),
        ("print-pdf", lambda f: {"print_id": f["print"].pk}),
    ],
)
def test_another_operators_labels_lots_and_prints_do_not_exist(
    client: Client,
    tenancy: Tenancy,
    url_name: str,
    kwargs: Callable[[dict[str, Any]], dict[str, int]],
) -> None:
    save_profile(tenancy.own_operator, tenancy.user, goat_profile())
    tenancy.assert_refused(
        client, f"labels:{url_name}", object_kwargs=lambda op: kwargs(_foreign(op))
    )
    assert LabelPrint.objects.count() == 1  # the foreign set-up's; nothing printed by the posts


@pytest.mark.parametrize("role", [Role.AUDITOR])
def test_auditors_read_labels_and_prints_but_change_nothing(
    client: Client,
    cheese_label: LabelVersion,
    lot: Batch,
    owner: User,
    make_member: Callable[..., User],
    role: Role,
) -> None:
    farm = lot.operator
    printed = record_print(farm, owner, lot, copies=2, layout="a4-2x4")
    client.force_login(make_member(farm, role, username="controle"))

    for readable in (
        url("index", farm),
        url("label", farm, label_id=cheese_label.label_id),
        url("version", farm, label_id=cheese_label.label_id, number=1),
        url("lot", farm, batch_id=lot.pk),
        url("print", farm, print_id=printed.pk),
        url("print-pdf", farm, print_id=printed.pk),
    ):
        assert client.get(readable).status_code == 200, readable
    lot_page = client.get(url("lot", farm, batch_id=lot.pk)).text
    assert 'name="copies"' not in lot_page
    assert (
        url("edit", farm) not in client.get(url("label", farm, label_id=cheese_label.label_id)).text
    )
    assert client.get(edit_url(farm)).status_code == 403
    data = editor_data(cheese_content(), save_in_use="1", reason="Overruled")
    assert client.post(edit_url(farm), data).status_code == 403
    assert client.post(preview_url(farm), data).status_code == 403
    assert (
        client.post(
            url("print-lot", farm, batch_id=lot.pk), {"layout": "a4-3x7", "copies": "3"}
        ).status_code
        == 403
    )
    assert LabelVersion.objects.count() == 1
    assert LabelPrint.objects.count() == 1


def test_staff_compose_and_print_labels(
    client: Client, farm: Operator, staff: User, owner: User
) -> None:
    client.force_login(staff)
    response = client.post(edit_url(farm), editor_data(cheese_content(), save_in_use="1"))
    assert response.status_code == 302
    lot = create_batch(farm, owner, "S-1", CHEESE, started_at=aware(2026, 2, 1, 8))

    printed = client.post(
        url("print-lot", farm, batch_id=lot.pk),
        {"layout": "a4-2x4", "copies": "8", "first_position": "1"},
    )

    assert printed.status_code == 302
    assert LabelPrint.objects.get().printed_by == staff


def test_the_dashboard_links_to_the_labels(owner_client: Client, farm: Operator) -> None:
    html = owner_client.get(
        reverse("operators:dashboard", kwargs={"operator_slug": farm.slug})
    ).text

    assert url("index", farm) in html
