"""The labels API: labels of a product, the label check of the CLI, prints of a lot."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.labels.inputs import check_label_data
from dairyhaccp.web.labels.models import LabelPrint, LabelVersion
from dairyhaccp.web.labels.services import record_print, save_label
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import create_operator, issue_api_token
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import create_batch

from .conftest import CHEESE, aware, cheese_content, goat_profile

pytestmark = pytest.mark.django_db

YOGHURT_CHECK = {
    "kind": "stirred_yoghurt",
    "species": ["cow"],
    "raw_milk": False,
    "fat_pct": 3.5,
    "msnf_pct": 9.0,
    "sales_name": "Volle yoghurt",
    "prepacked": True,
    "mentions": ["fat_content_near_name", "date", "lot"],
}


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def post(client: Client, path: str, data: Any, headers: dict[str, str]) -> Any:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(path, body, content_type="application/json", headers=headers)


@pytest.fixture
def headers(farm: Operator, owner: User) -> dict[str, str]:
    return bearer(owner, farm)


def test_the_labels_of_a_product_with_their_versions(
    client: Client, headers: dict[str, str], cheese_label: LabelVersion, owner: User
) -> None:
    farm = cheese_label.operator
    save_label(farm, owner, CHEESE, cheese_content(net_quantity="1 kg"), in_use=False, reason="kg")

    response = client.get(f"/api/labels?product={CHEESE}", headers=headers)

    assert response.status_code == 200
    [label] = response.json()
    assert label["product"] == CHEESE and label["kind"] == "soft_cheese" and label["raw_milk"]
    assert label["latest_version"] == 2
    assert label["version_in_use"] is None  # the draft took the label out of use
    assert [v["number"] for v in label["versions"]] == [2, 1]
    assert label["versions"][0]["reason"] == "kg"
    assert label["versions"][1]["in_use"] is True
    assert label["versions"][1]["created_by"] == owner.username
    assert label["versions"][1]["missing"] == []
    versions = client.get(f"/api/labels/{label['label_id']}/versions", headers=headers).json()
    assert [v["net_quantity"] for v in versions] == ["1 kg", "250 g"]


def test_every_labelled_product_is_listed_and_an_unknown_one_is_404(
    client: Client, headers: dict[str, str]
) -> None:
    listed = client.get("/api/labels", headers=headers).json()

    assert [row["product"] for row in listed] == [CHEESE, "Geitenyoghurt", "Room"]
    assert all(row["versions"] == [] and row["label_id"] is None for row in listed)
    assert client.get("/api/labels?product=Wei", headers=headers).status_code == 404


def test_the_check_answers_as_the_command_line_does(
    client: Client, headers: dict[str, str]
) -> None:
    response = post(client, "/api/labels/check?lang=en", YOGHURT_CHECK, headers)

    assert response.status_code == 200
    body = response.json()
    assert body == check_label_data(YOGHURT_CHECK, "en")
    assert body["allowed_names"] == ["Whole yoghurt", "Yoghurt"]
    assert body["sales_name_ok"] is True
    assert "name" in body["missing"] and "fat_content_near_name" not in body["missing"]


def test_a_goat_raw_milk_cheese_check_demands_species_and_raw_milk(
    client: Client, headers: dict[str, str]
) -> None:
    data = {"kind": "soft_cheese", "species": ["goat"], "raw_milk": True, "mentions": []}

    body = post(client, "/api/labels/check", data, headers).json()

    assert {"species", "made_with_raw_milk", "fat_content"} <= set(body["missing"])
    wording = {f["mention"]: f.get("wording") for f in body["findings"]}
    assert wording["made_with_raw_milk"] == "bereid met rauwe melk"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", "input"),
        ("[" * 100_000 + "]" * 100_000, "input"),
        ({"kind": "pizza"}, "kind"),
        (YOGHURT_CHECK | {"fat_pct": 1e400}, "fat_pct"),
        (YOGHURT_CHECK | {"mentions": ["hologram"]}, "mentions[0]"),
        (YOGHURT_CHECK | {"colour": "red"}, "colour"),
        (YOGHURT_CHECK | {"sales_name": "a\x00b"}, "sales_name"),
    ],
)
def test_a_bad_check_is_a_422_naming_the_field(
    client: Client, headers: dict[str, str], body: Any, field: str
) -> None:
    response = post(client, "/api/labels/check", body, headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{field}:")


def test_a_print_is_recorded_and_listed_for_its_lot(
    client: Client, headers: dict[str, str], cheese_label: LabelVersion, lot: Batch
) -> None:
    response = post(
        client,
        "/api/labels/prints",
        {"batch_id": lot.pk, "copies": 21, "layout": "a4-3x7"},
        headers,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lot_code"] == "GK-0110"
    assert body["label_version"] == 1 and body["label_id"] == cheese_label.label_id
    assert body["copies"] == 21
    assert body["date_on_label"] == "2026-02-09" and body["date_type"] == "best_before"
    assert body["pdf"].endswith(f"/labels/prints/{body['id']}/pdf/")
    listed = client.get(f"/api/labels/prints?batch_id={lot.pk}", headers=headers).json()
    assert [p["id"] for p in listed] == [body["id"]]
    assert client.get(body["pdf"], headers=headers).status_code == 302  # pages need a login


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"copies": 0}, "copies"),
        ({"copies": "3"}, "copies"),
        ({"copies": 10**30}, "copies"),
        ({"layout": "a3"}, "layout"),
        ({"first_position": 30}, "first_position"),
        ({"batch_id": 2**70}, "batch_id"),
        ({"extra": 1}, "extra"),
    ],
)
def test_a_bad_print_is_refused_and_nothing_recorded(
    client: Client,
    headers: dict[str, str],
    cheese_label: LabelVersion,
    lot: Batch,
    payload: dict[str, Any],
    field: str,
) -> None:
    data = {"batch_id": lot.pk, "copies": 3, "layout": "a4-3x7"} | payload

    response = post(client, "/api/labels/prints", data, headers)

    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json())
    assert not LabelPrint.objects.exists()


def test_no_print_without_a_label_in_use(
    client: Client, headers: dict[str, str], lot: Batch
) -> None:
    response = post(client, "/api/labels/prints", {"batch_id": lot.pk, "copies": 1}, headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("batch:")


def test_auditors_read_but_may_not_record_a_print(
    client: Client,
    cheese_label: LabelVersion,
    lot: Batch,
    make_member: Callable[..., User],
) -> None:
    auditor = make_member(lot.operator, Role.AUDITOR, username="controleur")
    headers = bearer(auditor, lot.operator)

    assert client.get("/api/labels", headers=headers).status_code == 200
    assert post(client, "/api/labels/check", YOGHURT_CHECK, headers).status_code == 200
    refused = post(client, "/api/labels/prints", {"batch_id": lot.pk, "copies": 1}, headers)
    assert refused.status_code == 403
    assert not LabelPrint.objects.exists()


def test_another_operators_labels_lots_and_prints_are_out_of_reach(
    client: Client, headers: dict[str, str], farm: Operator
) -> None:
    other = create_operator("Andere Hoeve", slug="andere")
    user = User.objects.create_user("ander")
    save_profile(other, user, goat_profile("Andere Hoeve"))
    version = save_label(other, user, CHEESE, cheese_content(), in_use=True)
    batch = create_batch(other, user, "A-1", CHEESE, started_at=aware(2026, 1, 2, 8))
    record_print(other, user, batch, copies=1, layout="roll-62")

    assert (
        client.get(f"/api/labels/{version.label_id}/versions", headers=headers).status_code == 404
    )
    assert client.get(f"/api/labels/prints?batch_id={batch.pk}", headers=headers).json() == []
    assert client.get("/api/labels/prints", headers=headers).json() == []
    refused = post(client, "/api/labels/prints", {"batch_id": batch.pk, "copies": 1}, headers)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "batch_id: not found"
    assert LabelPrint.objects.count() == 1


def test_without_a_token_nothing_is_answered(client: Client, farm: Operator) -> None:
    assert client.get("/api/labels").status_code == 401
    assert post(client, "/api/labels/check", YOGHURT_CHECK, {}).status_code == 401


def test_the_prints_come_a_page_at_a_time(
    client: Client, headers: dict[str, str], cheese_label: LabelVersion, lot: Batch
) -> None:
    made = [
        post(client, "/api/labels/prints", {"batch_id": lot.pk, "copies": copies}, headers).json()[
            "id"
        ]
        for copies in (3, 5, 7)
    ]

    pages = [
        client.get(f"/api/labels/prints?limit=2&offset={offset}", headers=headers).json()
        for offset in (0, 2, 4)
    ]

    assert [[p["id"] for p in page] for page in pages] == [[made[2], made[1]], [made[0]], []]
    assert client.get("/api/labels/prints?limit=501", headers=headers).status_code == 422
