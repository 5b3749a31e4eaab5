"""Bad lab input is refused on every web path, naming the field; a bad date never breaks a page.

A raw-milk result dated 0001-01-01 made the lab pages and GET /api/lab/raw-milk/verdicts answer
500 ("year 0 is out of range"). Now such dates are refused by the form, the CSV import and the
API; a row stored before that is left out of the judgement and shown for correction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token

from .conftest import COW

pytestmark = pytest.mark.django_db


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"lab:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def post_json(client: Client, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(path, body, content_type="application/json", headers=headers)


def refused_field(response: Any) -> str:
    """The field a 422 names: first in the service's message, or in the schema's `loc`
    (["body", "payload", field, ...])."""
    detail = response.json()["detail"]
    if isinstance(detail, str):
        return detail.split(": ", 1)[0]
    return str(detail[0]["loc"][2])


def raw_form(day: str, **extra: str) -> dict[str, str]:
    return {
        "stream": "cow:own_delivered",
        "parameter": "plate_count",
        "sampled_on": day,
        "count": "80000",
        **extra,
    }


def raw_body(day: str, **extra: Any) -> dict[str, Any]:
    return {
        "species": "cow",
        "source": "own_delivered",
        "parameter": "plate_count",
        "sampled_on": day,
        "value": 80000,
        **extra,
    }


def product_body(**extra: Any) -> dict[str, Any]:
    return {
        "product_name": "Hoevekaas",
        "parameter": "salmonella",
        "sampled_on": "2026-03-03",
        "results": ["not_detected"],
        **extra,
    }


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "stored", "message"),
    [
        ("0001-01-01", False, "Give a sampling date from 1 January 2000 on."),
        ("1999-12-31", False, "Give a sampling date from 1 January 2000 on."),
        ("2000-01-01", True, ""),
        (TOMORROW, False, "The sampling date lies in the future."),
    ],
)
def test_the_raw_milk_form_takes_dates_from_2000_to_today(
    owner_client: Client, farm: Operator, day: str, stored: bool, message: str
) -> None:
    response = owner_client.post(
        url("raw_milk_new", farm), raw_form(day), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert RawMilkResult.objects.for_operator(farm).exists() is stored
    if not stored:
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["sampled_on"] == [message]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", TOMORROW])
def test_the_product_form_refuses_implausible_dates(
    owner_client: Client, farm: Operator, day: str
) -> None:
    response = owner_client.post(
        url("product_new", farm),
        {
            "product_name": "Hoevekaas",
            "parameter": "salmonella",
            "sampled_on": day,
            "results": "-",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "sampled_on" in response.context["form"].errors
    assert not ProductResult.objects.exists()


@pytest.mark.parametrize(("day", "status"), [("0001-01-01", 422), ("2000-01-01", 201)])
def test_the_api_refuses_a_result_before_2000_naming_the_field(
    client: Client, farm: Operator, owner: User, day: str, status: int
) -> None:
    response = post_json(client, "/api/lab/raw-milk/results", raw_body(day), bearer(owner, farm))

    assert response.status_code == status
    if status == 422:
        # In the default language of the app, Dutch.
        assert response.json()["detail"] == (
            "sampled_on: Geef een bemonsteringsdatum vanaf 1 januari 2000."
        )


def test_a_csv_file_with_a_date_before_2000_stores_nothing(
    owner_client: Client, farm: Operator
) -> None:
    upload = SimpleUploadedFile("mcc.csv", b"Datum;Kiemgetal\n05/01/2026;80000\n01/01/0001;9\n")

    response = owner_client.post(
        url("raw_milk_import", farm),
        {"stream": "cow:own_delivered", "file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Line 3, column “Datum”: “01/01/0001” lies before 1 January 2000" in (
        response.content.decode()
    )
    assert not RawMilkResult.objects.exists()


def test_a_result_dated_year_1_stored_before_never_breaks_a_page(
    client: Client, farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    # given: a good result, and one stored as the old code let it (year 1)
    enter_raw_milk(farm, "plate_count", date(2026, 3, 5), 80_000)
    RawMilkResult.objects.create(
        operator=farm,
        recorded_by=owner,
        species=COW[0],
        source=COW[1],
        parameter="plate_count",
        sampled_on=date(1, 1, 1),
        count=80_000,
    )
    client.force_login(owner)

    # when / then: every page and the API answer, the bad row waits for correction
    verdict = client.get(
        url("raw_milk_verdict", farm, species=COW[0], source=COW[1], parameter="plate_count"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert verdict.status_code == 200
    assert "These results are not judged: their sampling date lies before" in (
        verdict.content.decode()
    )
    assert client.get(url("index", farm)).status_code == 200
    api = client.get("/api/lab/raw-milk/verdicts", headers=bearer(owner, farm))
    assert api.status_code == 200
    plate = next(v for v in api.json() if v["parameter"] == "plate_count")
    assert plate["verdict"]["verdict"] == "conform"
    assert [r["date"] for r in plate["verdict"]["results"]] == ["2026-03-05"]
    due = client.get("/api/lab/due", headers=bearer(owner, farm))
    assert due.status_code == 200


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"remark": "a\x00b"}, "remark"),
        ({"remark": "x" * 2001}, "remark"),
        ({"laboratory": "L" * 201}, "laboratory"),
        ({"laboratory": "MCC\x00"}, "laboratory"),
        ({"sample_ref": "S" * 101}, "sample_ref"),
        ({"lots": "K," * 251}, "lots"),
        ({"species": "cow\x00"}, "species"),
        ({"parameter": "e_coli_count"}, "parameter"),
        ({"source": "neighbour"}, "source"),
        ({"value": "x" * 21}, "value"),
        ({"left_control": "no"}, "left_control"),
        ({"colour": "white"}, "colour"),
    ],
)
def test_the_raw_milk_api_refuses_bad_text_naming_the_field(
    client: Client, farm: Operator, owner: User, extra: dict[str, Any], field: str
) -> None:
    body = raw_body("2026-03-05", **extra)
    response = post_json(client, "/api/lab/raw-milk/results", body, bearer(owner, farm))

    assert response.status_code == 422
    assert refused_field(response) == field
    assert not RawMilkResult.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"lot": "L" * 101}, "lot"),
        ({"remark": "\x00"}, "remark"),
        ({"product_name": "H" * 201}, "product_name"),
        ({"results": ["not_detected"] * 61}, "results"),
        ({"results": []}, "results"),
        ({"criterion": {"n": 1, "c": 0, "colour": 1}}, "criterion"),
        ({"criterion": {"n": 0}}, "criterion"),
        ({"parameter": "taste"}, "parameter"),
    ],
)
def test_the_product_api_refuses_bad_input_naming_the_field(
    client: Client, farm: Operator, owner: User, extra: dict[str, Any], field: str
) -> None:
    response = post_json(
        client, "/api/lab/products/results", product_body(**extra), bearer(owner, farm)
    )

    assert response.status_code == 422
    assert refused_field(response) == field
    assert not ProductResult.objects.exists()


def test_the_raw_milk_form_refuses_a_remark_longer_than_2000(
    owner_client: Client, farm: Operator
) -> None:
    response = owner_client.post(
        url("raw_milk_new", farm), raw_form("2026-03-05", remark="x" * 2001)
    )
    assert "remark" in response.context["form"].errors
    assert not RawMilkResult.objects.exists()


# --- who notifies -------------------------------------------------------------------------------


def test_antibiotics_found_by_mcc_are_notified_by_mcc(owner_client: Client, farm: Operator) -> None:
    response = owner_client.post(
        url("raw_milk_new", farm),
        {
            "stream": "cow:own_delivered",
            "parameter": "antibiotic_residues",
            "sampled_on": "2026-03-05",
            "outcome": "detected",
            "laboratory": "MCC Vlaanderen",
            "left_control": "yes",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert "takes over the duty to notify the FAVV" in page
    assert "no: the laboratory that analysed it notifies" in page
    assert "Stop use and delivery of this milk" in page


def test_own_milk_kept_in_the_business_is_not_notified(
    owner_client: Client, farm: Operator
) -> None:
    response = owner_client.post(
        url("raw_milk_new", farm),
        {**raw_form("2026-03-05", left_control="no"), "count": "2000000"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert "unfavourable" in page
    assert "No notification is needed: the hazard arose in your business" in page
    stored = RawMilkResult.objects.get()
    assert stored.left_control is False
