"""The lab API: results in, verdicts out (the `lab evaluate` JSON), what is due."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dairyhaccp.web.lab.models import RawMilkResult
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token

from .conftest import twice_a_month

pytestmark = pytest.mark.django_db


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def post(client: Client, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(path, body, content_type="application/json", headers=headers)


def refused_field(response: Any) -> str:
    """The field a 422 names: first in the service's message, or in the schema's `loc`."""
    detail = response.json()["detail"]
    if isinstance(detail, str):
        return detail.split(": ", 1)[0]
    return str(detail[0]["loc"][2])


def raw(parameter: str, day: str, value: float | str) -> dict[str, Any]:
    return {
        "species": "cow",
        "source": "own_delivered",
        "parameter": parameter,
        "sampled_on": day,
        "value": value,
    }


def test_a_raw_milk_result_posted_is_stored_and_listed(
    client: Client, farm: Operator, owner: User
) -> None:
    headers = bearer(owner, farm)

    created = post(
        client, "/api/lab/raw-milk/results", raw("plate_count", "2026-03-05", 80000), headers
    )
    listed = client.get("/api/lab/raw-milk/results?parameter=plate_count", headers=headers)

    assert created.status_code == 201
    assert created.json()["value"] == 80000
    assert created.json()["method"] == "api"
    assert [r["entry"] for r in listed.json()] == [created.json()["entry"]]


def test_raw_milk_verdicts_are_the_lab_evaluate_output(
    client: Client, farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    for day, value in twice_a_month([(2026, m) for m in (1, 2, 3, 4)], 150_000):
        enter_raw_milk(farm, "plate_count", day, value)

    response = client.get("/api/lab/raw-milk/verdicts?lang=en", headers=bearer(owner, farm))

    by_parameter = {v["parameter"]: v for v in response.json()}
    plate = by_parameter["plate_count"]["verdict"]
    assert plate["verdict"] == "unfavourable"
    assert plate["consecutive_unfavourable_months"] == 4
    assert plate["stop_use"] is True
    assert plate["geometric_mean"] == 150000
    assert by_parameter["somatic_cells"]["verdict"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (raw("plate_count", "2026-03-05", "lots"), "value"),
        (raw("e_coli_count", "2026-03-05", 1), "parameter"),
        ({**raw("plate_count", "2026-03-05", 1), "species": "goat"}, "stream"),
    ],
)
def test_a_refused_raw_milk_result_is_a_422_naming_the_field(
    client: Client, farm: Operator, owner: User, body: dict[str, Any], field: str
) -> None:
    response = post(client, "/api/lab/raw-milk/results", body, bearer(owner, farm))
    assert response.status_code == 422
    assert refused_field(response) == field
    assert not RawMilkResult.objects.exists()


def test_an_auditor_may_read_but_not_post(
    client: Client, farm: Operator, make_member: Callable[..., User]
) -> None:
    headers = bearer(make_member(farm, Role.AUDITOR), farm)
    assert client.get("/api/lab/raw-milk/results", headers=headers).status_code == 200
    response = post(
        client, "/api/lab/raw-milk/results", raw("plate_count", "2026-03-05", 1), headers
    )
    assert response.status_code == 403


def test_a_product_result_posted_comes_back_with_its_verdict(
    client: Client, farm: Operator, owner: User
) -> None:
    body = {
        "product_name": "Hoevekaas",
        "parameter": "coagulase_positive_staphylococci",
        "sampled_on": "2026-03-03",
        "results": [5000, 20000, 30000, 1000, 2000],
    }
    headers = bearer(owner, farm)

    created = post(client, "/api/lab/products/results?lang=en", body, headers)
    fetched = client.get(f"/api/lab/products/results/{created.json()['entry']}", headers=headers)

    assert created.status_code == 201
    verdict = created.json()["verdict"]
    assert (verdict["verdict"], verdict["type"], verdict["notify_favv"]) == (
        "acceptable",
        "PH",
        False,
    )
    assert verdict["criterion"]["m"] == 10000
    assert fetched.json()["verdict"]["verdict"] == "acceptable"


def test_a_product_result_with_an_impossible_plan_is_a_422(
    client: Client, farm: Operator, owner: User
) -> None:
    body = {
        "product_name": "Hoevekaas",
        "parameter": "salmonella",
        "sampled_on": "2026-03-03",
        "results": ["detected"],
        "criterion": {"n": 1, "c": 3},
    }
    response = post(client, "/api/lab/products/results", body, bearer(owner, farm))
    assert response.status_code == 422
    assert response.json()["detail"].startswith("criterion_override: ")


def test_another_operators_product_result_is_not_found(
    client: Client, farm: Operator, owner: User, make_member: Callable[..., User]
) -> None:
    from dairyhaccp.web.operators.services import create_operator

    body = {
        "product_name": "Hoevekaas",
        "parameter": "salmonella",
        "sampled_on": "2026-03-03",
        "results": ["not_detected"],
    }
    created = post(client, "/api/lab/products/results", body, bearer(owner, farm))
    other = create_operator("Ander", slug="ander")
    stranger = make_member(other, Role.OWNER)

    response = client.get(
        f"/api/lab/products/results/{created.json()['entry']}", headers=bearer(stranger, other)
    )
    assert response.status_code == 404


def test_the_due_list_names_each_analysis(client: Client, farm: Operator, owner: User) -> None:
    response = client.get("/api/lab/due?lang=en", headers=bearer(owner, farm))

    rows = response.json()
    kinds = {row["kind"] for row in rows}
    assert kinds == {"raw_milk", "product"}
    plate = next(r for r in rows if r["key"] == "cow-own_delivered-any-plate_count")
    assert plate["frequency"] == "2x per month"
    assert plate["status"] in ("due", "overdue")
    antibiotics = next(r for r in rows if r["parameter"] == "antibiotic_residues")
    assert antibiotics["status"] is None  # at each collection


def test_the_result_lists_come_a_page_at_a_time_and_read_only_their_page(
    client: Client, farm: Operator, owner: User
) -> None:
    headers = bearer(owner, farm)
    for day in ("2026-03-02", "2026-03-05", "2026-03-09", "2026-03-12", "2026-03-16"):
        assert post(client, "/api/lab/raw-milk/results", raw("plate_count", day, 9000), headers)
        product = {
            "product_name": "Hoevekaas",
            "parameter": "coagulase_positive_staphylococci",
            "sampled_on": day,
            "results": [5000, 2000, 3000, 1000, 2000],
        }
        assert post(client, "/api/lab/products/results", product, headers).status_code == 201

    for path in ("/api/lab/raw-milk/results", "/api/lab/products/results"):
        whole = client.get(path, headers=headers).json()
        with CaptureQueriesContext(connection) as captured:
            pages = [
                client.get(f"{path}?limit=2&offset={offset}", headers=headers).json()
                for offset in (0, 2, 4, 6)
            ]

        assert len(whole) == 5
        assert [row["entry"] for page in pages for row in page] == [row["entry"] for row in whole]
        assert [len(page) for page in pages] == [2, 2, 1, 0]
        assert any("LIMIT 2" in query["sql"] for query in captured.captured_queries)
        for bad in ("limit=0", "limit=501", "offset=-1"):
            assert client.get(f"{path}?{bad}", headers=headers).status_code == 422
    raw_days = [
        row["sampled_on"] for row in client.get("/api/lab/raw-milk/results", headers=headers).json()
    ]
    assert raw_days == sorted(raw_days)
