"""The lots API: the same services and refusals as the pages, per-user tokens, one operator."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.lots.choices import MovementKind
from dairyhaccp.web.lots.models import Movement, Recall
from dairyhaccp.web.lots.services import RecallInput, ReceiveInput, correct_input_lot, open_recall
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator

from .conftest import Chain, bearer, days_ago, give_plan, milking, moved

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(owner: User, chain: Chain) -> dict[str, str]:
    return bearer(owner, chain.cheese.operator)


def post(client: Client, path: str, data: Any, headers: dict[str, str]) -> Any:
    return client.post(path, data, content_type="application/json", headers=headers)


def test_lots_are_listed_with_what_is_left(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    response = client.get("/api/lots?in_stock=true", headers=headers)

    assert response.status_code == 200
    lots = {lot["code"]: lot for lot in response.json()}
    assert set(lots) == {"M-1", "R-1", "K-1"}
    assert float(lots["K-1"]["in_stock"]) == 17
    assert lots["R-1"]["supplier"] == "Chr. Hansen"
    assert lots["K-1"]["key"] == chain.cheese_key


def test_a_lot_with_its_balance_and_movements(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    body = client.get(f"/api/lots/{chain.cheese_key}", headers=headers).json()

    assert float(body["balance"]["accounted_pct"]) == 100.0
    assert [m["kind"] for m in body["movements"]] == ["destroy", "sell", "deliver"]
    assert body["movements"][2]["customer"] == "Kaashandel Peeters"


def test_the_forward_trace_speaks_the_cli_contract_with_lot_codes(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    body = client.get(f"/api/lots/{chain.milk_key}/trace?direction=forward", headers=headers).json()

    assert body["lot"] == "M-1" and body["direction"] == "forward"
    assert [lot["lot"] for lot in body["lots"]] == ["K-1"]
    assert body["deliveries"] == [
        {
            "lot": "K-1",
            "customer": "Kaashandel Peeters",
            "quantity": 10.0,
            "unit": "kg",
            "date": days_ago(5).isoformat(),
        }
    ]
    assert body["left_control"] is True
    assert body["balance"][0] == {
        "lot": "M-1",
        "received": 500.0,
        "used": 300.0,
        "delivered": 0.0,
        "sold": 0.0,
        "destroyed": 0.0,
        "in_stock": 200.0,
        "accounted_pct": 100.0,
    }
    assert body["keys"]["K-1"] == chain.cheese_key


def test_the_backward_trace_names_suppliers(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    body = client.get(
        f"/api/lots/{chain.cheese_key}/trace?direction=backward", headers=headers
    ).json()

    assert {lot["lot"]: lot["supplier"] for lot in body["lots"]} == {
        "M-1": None,
        "R-1": "Chr. Hansen",
    }


def test_milk_cheese_and_a_delivery_through_the_api(
    client: Client, owner: User, planned: Operator, customer: Any
) -> None:
    headers = bearer(owner, planned)
    milk = post(
        client,
        "/api/lots/milkings",
        {"lot_code": "M-9", "milked_at": timezone.now().isoformat(), "quantity": 400},
        headers,
    )
    assert milk.status_code == 201, milk.content
    cheese = post(
        client,
        "/api/lots/productions",
        {
            "lot_code": "K-9",
            "product": "Hoevekaas",
            "made_at": timezone.now().isoformat(),
            "quantity": "40",
            "unit": "kg",
            "inputs": [{"lot": milk.json()["key"], "quantity": 400}],
        },
        headers,
    )
    assert cheese.status_code == 201, cheese.content
    assert cheese.json()["best_before"] is not None  # from the plan's 90 days

    delivery = post(
        client,
        "/api/movements",
        {
            "kind": "deliver",
            "lot": cheese.json()["key"],
            "quantity": 12.5,
            "date": days_ago(0).isoformat(),
            "customer_id": customer.pk,
        },
        headers,
    )
    assert delivery.status_code == 201, delivery.content
    assert float(delivery.json()["quantity"]) == 12.5


def test_a_movement_beyond_what_is_left_is_422_naming_the_field(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    response = post(
        client,
        "/api/movements?lang=en",
        {"kind": "sell", "lot": chain.cheese_key, "quantity": 18, "date": days_ago(0).isoformat()},
        headers,
    )

    assert response.status_code == 422
    assert (
        response.json()["detail"] == "quantity: 18 kg is more than what is left of lot K-1: 17 kg."
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity": "NaN"}, "quantity"),
        ({"quantity": "Infinity"}, "quantity"),
        ({"quantity": 1e300}, "quantity"),
        ({"quantity": 1.0005}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": "9999-12-31"}, "date:"),
        ({"date": "1999-12-31"}, "date:"),
        ({"lot": "K-1"}, "lot"),
        ({"kind": "steal"}, "kind"),
        ({"colour": "red"}, "colour"),
        ({"reason": "x" * 100_000}, "reason"),
    ],
)
def test_malformed_movements_are_422_naming_the_field(
    client: Client, headers: dict[str, str], chain: Chain, payload: dict[str, Any], field: str
) -> None:
    data = {"kind": "sell", "lot": chain.cheese_key, "quantity": 1, "date": days_ago(0).isoformat()}

    response = post(client, "/api/movements", {**data, **payload}, headers)

    assert response.status_code == 422, response.content
    assert field in str(response.json())
    assert Movement.objects.filter(kind="sell").count() == 1


def test_a_correction_and_a_withdrawal_are_new_versions(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    corrected = post(
        client,
        f"/api/movements/{chain.delivery.pk}/corrections",
        {
            "kind": "deliver",
            "lot": chain.cheese_key,
            "quantity": 9,
            "date": days_ago(5).isoformat(),
            "customer_id": chain.delivery.customer_id,
            "correction_reason": "9 kg on the delivery note",
        },
        headers,
    )
    assert corrected.status_code == 201, corrected.content
    assert corrected.json()["version"] == 2

    withdrawn = post(
        client,
        f"/api/movements/{corrected.json()['id']}/withdrawal",
        {"correction_reason": "never left"},
        headers,
    )
    assert withdrawn.json()["withdrawn"] is True and withdrawn.json()["version"] == 3
    listed = client.get(f"/api/movements?lot={chain.cheese_key}", headers=headers).json()
    assert [m["version"] for m in listed if m["kind"] == "deliver"] == [3]


def test_a_recall_from_open_to_closed(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    opened = post(
        client,
        "/api/recalls?lang=en",
        {
            "trigger": "supplier_alert",
            "lots": [chain.rennet_key],
            "hazard": "Listeria in rennet lot S-R-1",
            "origin": "supplier",
            "measures": "rennet kept apart",
        },
        headers,
    )
    assert opened.status_code == 201, opened.content
    recall = opened.json()
    assert recall["notify_favv"] is True
    assert "the hazard came from the supplier" in recall["why"]
    assert [d["customer"] for d in recall["deliveries"]] == ["Kaashandel Peeters"]
    blocked = client.get(f"/api/lots/{chain.cheese_key}", headers=headers).json()["blocked"]
    assert blocked is True

    base = f"/api/recalls/{recall['id']}"
    refused = post(client, f"{base}/closure", {}, headers)
    assert refused.status_code == 422
    for lot in recall["lots"]:
        done = post(
            client,
            f"{base}/dispositions",
            {
                "recall_lot_id": lot["id"],
                "kind": "destroyed",
                "quantity": lot["to_account_for"],
                "date": days_ago(0).isoformat(),
            },
            headers,
        )
        assert done.status_code == 201, done.content
    post(client, f"{base}/steps", {"kind": "notified", "date": days_ago(0).isoformat()}, headers)
    closed = post(client, f"{base}/closure", {"remark": "done"}, headers)

    assert closed.status_code == 201, closed.content
    assert closed.json()["status"] == "closed"
    assert client.get(f"/api/lots/{chain.cheese_key}", headers=headers).json()["blocked"] is False


def test_a_mock_recall_through_the_api(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    response = post(client, f"/api/lots/{chain.milk_key}/mock-recall", {}, headers)

    assert response.status_code == 201
    assert response.json()["customers"] == 1


def test_suppliers_and_customers_through_the_api(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    created = post(client, "/api/customers", {"name": "Bistro", "kind": "restaurant"}, headers)
    twice = post(
        client, "/api/customers?lang=en", {"name": "Bistro", "kind": "restaurant"}, headers
    )

    assert created.status_code == 201
    assert twice.status_code == 422 and twice.json()["detail"].startswith("name:")
    names = [c["name"] for c in client.get("/api/customers", headers=headers).json()]
    assert names == ["Bistro", "Kaashandel Peeters"]


# --- tenancy and roles ------------------------------------------------------------------------


@pytest.fixture
def foreign(db: None) -> dict[str, Any]:
    """Another operator with a lot, a movement and a recall."""
    other = create_operator("Zuivel Ander", slug="ander")
    user = User.objects.create_user("ander-owner")
    add_member(other, user, Role.OWNER)
    give_plan(other, user)
    milk = milking(other, user, "A-1", "100", days_ago(1))
    movement = moved(other, user, "destroy", f"b{milk.batch_id}", "1", days_ago(0), reason="spilt")
    recall = open_recall(
        other,
        user,
        RecallInput(trigger="manual", lots=[f"b{milk.batch_id}"], hazard="x", origin="in_house"),
    )
    return {"key": f"b{milk.batch_id}", "movement": movement.pk, "recall": recall.pk}


def test_another_operators_lots_movements_and_recalls_are_404(
    client: Client, headers: dict[str, str], foreign: dict[str, Any]
) -> None:
    key, movement, recall = foreign["key"], foreign["movement"], foreign["recall"]
    reads = [
        f"/api/lots/{key}",
        f"/api/lots/{key}/trace",
        f"/api/recalls/{recall}",
        f"/api/movements?lot={key}",
    ]
    for path in reads:
        assert client.get(path, headers=headers).status_code == 404, path
    writes: list[tuple[str, dict[str, Any]]] = [
        (f"/api/lots/{key}/mock-recall", {}),
        (f"/api/movements/{movement}/withdrawal", {"correction_reason": "x"}),
        (f"/api/recalls/{recall}/closure", {}),
        (f"/api/recalls/{recall}/steps", {"kind": "notified", "date": days_ago(0).isoformat()}),
    ]
    for path, payload in writes:
        assert post(client, path, payload, headers).status_code == 404, path
    # nor can a lot of theirs be delivered or recalled from here
    sell = post(
        client,
        "/api/movements",
        {"kind": "sell", "lot": key, "quantity": 1, "date": days_ago(0).isoformat()},
        headers,
    )
    assert sell.status_code == 422
    recall_theirs = post(
        client,
        "/api/recalls",
        {"trigger": "manual", "lots": [key], "hazard": "x", "origin": "in_house"},
        headers,
    )
    assert recall_theirs.status_code == 422
    assert [r["id"] for r in client.get("/api/recalls", headers=headers).json()] == []
    assert Recall.objects.filter(operator__slug="de-wei").count() == 0


def test_auditors_read_but_may_not_write(client: Client, auditor: User, chain: Chain) -> None:
    headers = bearer(auditor, chain.cheese.operator)
    today = days_ago(0).isoformat()
    now = timezone.now().isoformat()
    writes: list[tuple[str, dict[str, Any]]] = [
        ("/api/movements", {"kind": "sell", "lot": chain.cheese_key, "quantity": 1, "date": today}),
        (
            "/api/lots/received",
            {
                "kind": "salt",
                "supplier_id": chain.rennet.supplier_id,
                "quantity": 1,
                "unit": "kg",
                "received_on": today,
                "lot_code": "Z",
            },
        ),
        ("/api/lots/milkings", {"lot_code": "M-X", "milked_at": now, "quantity": 1}),
        (
            "/api/lots/productions",
            {
                "lot_code": "K-X",
                "product": "Hoevekaas",
                "made_at": now,
                "quantity": 1,
                "unit": "kg",
                "inputs": [{"lot": chain.milk_key, "quantity": 1}],
            },
        ),
        (f"/api/lots/{chain.milk_key}/mock-recall", {}),
        ("/api/suppliers", {"name": "x"}),
        ("/api/customers", {"name": "x", "kind": "shop"}),
        (
            "/api/recalls",
            {"trigger": "manual", "lots": [chain.milk_key], "hazard": "x", "origin": "in_house"},
        ),
        (f"/api/movements/{chain.delivery.pk}/withdrawal", {"correction_reason": "x"}),
    ]

    assert client.get("/api/lots", headers=headers).status_code == 200
    assert client.get(f"/api/lots/{chain.milk_key}/trace", headers=headers).status_code == 200
    for path, payload in writes:
        assert post(client, path, payload, headers).status_code == 403, path
    assert Movement.objects.filter(kind="sell").count() == 1
    assert not Recall.objects.exists()


def test_no_token_no_lots(client: Client, chain: Chain) -> None:
    assert client.get("/api/lots").status_code == 401


def test_a_received_lots_movements_show_the_code_of_its_latest_version(
    client: Client, headers: dict[str, str], chain: Chain, owner: User
) -> None:
    # given rennet partly destroyed, and its code corrected afterwards
    operator = chain.rennet.operator
    moved(operator, owner, MovementKind.DESTROY, chain.rennet_key, "0.1", days_ago(2), reason="x")
    correct_input_lot(
        chain.rennet,
        owner,
        ReceiveInput(
            kind=chain.rennet.kind,
            supplier_id=chain.rennet.supplier_id,
            quantity=chain.rennet.quantity,
            unit=chain.rennet.unit,
            received_on=chain.rennet.received_on,
            lot_code="R-1-BIS",
        ),
        "typo",
    )

    # when the movements are listed, twice (the second time from the kept queries)
    for _ in range(2):
        listed = client.get("/api/movements", headers=headers).json()

        # then the rennet's shows the corrected code, the cheese's their own
        codes = {(m["lot"], m["kind"]): m["lot_code"] for m in listed}
        assert codes[(chain.rennet_key, "destroy")] == "R-1-BIS"
        assert codes[(chain.cheese_key, "deliver")] == "K-1"


def test_the_movement_list_is_written_as_the_schema_writes_each_movement(
    client: Client, headers: dict[str, str], chain: Chain
) -> None:
    """The list is written without a pass through the schema; a lot's movements go through it.
    Both must give the same movements, to the types of their values (a quantity as text)."""
    listed = client.get(f"/api/movements?lot={chain.cheese_key}", headers=headers)
    detail = client.get(f"/api/lots/{chain.cheese_key}", headers=headers).json()
    assert listed.status_code == 200
    assert listed["Content-Type"] == "application/json; charset=utf-8"
    assert listed.json() == detail["movements"] and len(detail["movements"]) == 3
    assert all(isinstance(m["quantity"], str) for m in listed.json())
