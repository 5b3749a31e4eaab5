"""The lab's lists for the inspector: filters, paging, CSV and XLSX exports, query counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dairyhaccp.web.lab.models import RawMilkResult
from dairyhaccp.web.lab.services import (
    ProductInput,
    RawMilkInput,
    correct_raw_milk_result,
    record_product_result,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token

from ..tenancy import Tenancy

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name: str, operator: Operator) -> str:
    return reverse(f"lab:{name}", kwargs={"operator_slug": operator.slug})


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def raw_results(
    farm: Operator, enter_raw_milk: Callable[..., RawMilkResult]
) -> list[RawMilkResult]:
    return [
        enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 80_000, lots="K-1"),
        enter_raw_milk(farm, "plate_count", date(2026, 1, 20), 900_000, lots="K-2"),
        enter_raw_milk(farm, "somatic_cells", date(2026, 2, 5), 200_000),
    ]


@pytest.fixture
def product_results(farm: Operator, owner: User) -> None:
    record_product_result(
        farm,
        owner,
        ProductInput("Hoevekaas", "salmonella", date(2026, 1, 6), ["not_detected"] * 5, lot="K-1"),
    )
    record_product_result(
        farm,
        owner,
        ProductInput("Roeryoghurt", "enterobacteriaceae", date(2026, 2, 6), [5.0] * 5, lot="Y-1"),
    )


def test_raw_milk_results_filter_by_period_analysis_and_lot(
    owner_client: Client, farm: Operator, raw_results: list[RawMilkResult]
) -> None:
    def shown(**params: str) -> int:
        response = owner_client.get(url("raw_milk_results", farm), params, **EN)
        assert response.status_code == 200
        return response.content.decode().count('class="raw-milk-row"')

    assert shown() == 3
    assert shown(**{"from": "2026-01-10"}) == 2
    assert shown(to="2026-01-10") == 1
    assert shown(parameter="somatic_cells") == 1
    assert shown(lot="K-2") == 1
    assert shown(parameter="bogus") == 3
    assert shown(verdict="not_conform") == 1
    assert shown(verdict="conform") == 2
    assert shown(verdict="conform", parameter="plate_count") == 1
    assert shown(verdict="not_conform", parameter="somatic_cells") == 0
    assert shown(verdict="bogus") == 3


def test_the_verdict_filter_follows_a_corrected_result(
    owner_client: Client, owner: User, farm: Operator, raw_results: list[RawMilkResult]
) -> None:
    failed = raw_results[1]
    correct_raw_milk_result(
        farm,
        owner,
        failed.entry,
        RawMilkInput(failed.species, failed.source, "plate_count", failed.sampled_on, 90_000),
        "typing error in the count",
    )
    response = owner_client.get(url("raw_milk_results", farm), {"verdict": "not_conform"}, **EN)
    assert response.content.decode().count('class="raw-milk-row"') == 0
    response = owner_client.get(url("raw_milk_results", farm), {"verdict": "conform"}, **EN)
    assert response.content.decode().count('class="raw-milk-row"') == 3


def test_a_bad_analysis_is_an_error_next_to_its_field(
    owner_client: Client, farm: Operator, raw_results: list[RawMilkResult]
) -> None:
    response = owner_client.get(url("raw_milk_results", farm), {"parameter": "bogus"}, **EN)
    assert "Select a valid choice." in response.content.decode()


def test_raw_milk_results_export_with_their_own_verdicts(
    owner_client: Client, farm: Operator, raw_results: list[RawMilkResult]
) -> None:
    rows = csv_rows(
        owner_client.get(
            url("raw_milk_results", farm), {"parameter": "plate_count", "export": "csv"}, **EN
        )
    )
    assert rows[0] == [
        "Sampled on",
        "Milk",
        "Analysis",
        "Result",
        "Laboratory",
        "Sample number",
        "Lots made from this milk",
        "Verdict",
    ]
    by_day = {row[0]: row for row in rows[1:]}
    assert set(by_day) == {"2026-01-05", "2026-01-20"}
    assert by_day["2026-01-05"][3] == "80000"
    assert by_day["2026-01-05"][7] == "conform"
    assert by_day["2026-01-20"][7] == "not conform"

    sheet = xlsx_rows(owner_client.get(url("raw_milk_results", farm), {"export": "xlsx"}, **EN))
    assert len(sheet) == 4
    assert all(isinstance(row[0], date) for row in sheet[1:])
    assert 80_000 in [row[3] for row in sheet[1:]]


def test_product_results_filter_page_and_export(
    owner_client: Client, farm: Operator, product_results: None
) -> None:
    page = owner_client.get(url("product_results", farm), {"product": "hoevekaas"}, **EN)
    html = page.content.decode()
    assert "K-1" in html and "Y-1" not in html

    past = owner_client.get(url("product_results", farm), {"page": "7"}, **EN)
    assert past.status_code == 200
    assert "No results yet." in past.content.decode()

    rows = csv_rows(
        owner_client.get(url("product_results", farm), {"lot": "Y-1", "export": "csv"}, **EN)
    )
    assert rows[0][0] == "Sampled on"
    assert [row[2] for row in rows[1:]] == ["Y-1"]
    assert rows[1][-1] == "satisfactory"

    verdict = owner_client.get(
        url("product_results", farm), {"verdict": "unsatisfactory", "export": "xlsx"}, **EN
    )
    assert len(xlsx_rows(verdict)) == 1


def test_the_lab_lists_cost_the_same_queries_for_more_rows(
    owner_client: Client,
    farm: Operator,
    owner: User,
    enter_raw_milk: Callable[..., RawMilkResult],
) -> None:
    def queries(name: str, **params: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(url(name, farm), params)
            if params:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(captured.captured_queries)

    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            day = date(2026, 1, 1) + timedelta(days=n)
            enter_raw_milk(farm, "plate_count", day, 50_000 + n)
            record_product_result(
                farm, owner, ProductInput("Hoevekaas", "salmonella", day, ["not_detected"] * 5)
            )

    cases = [
        ("raw_milk_results", {}),
        ("raw_milk_results", {"export": "csv"}),
        ("product_results", {}),
        ("product_results", {"export": "xlsx"}),
    ]
    add(0, 2)
    few = [queries(name, **params) for name, params in cases]
    add(2, 6)
    assert [queries(name, **params) for name, params in cases] == few


@pytest.mark.parametrize("address", ["index", "api"])
def test_the_verdicts_of_every_row_read_the_results_and_stored_verdicts_once(
    owner_client: Client,
    farm: Operator,
    owner: User,
    enter_raw_milk: Callable[..., RawMilkResult],
    address: str,
) -> None:
    # given results of three analyses, each judged and its verdict stored
    for day in (date(2026, 1, 5), date(2026, 1, 20)):
        enter_raw_milk(farm, "plate_count", day, 50_000)
        enter_raw_milk(farm, "somatic_cells", day, 200_000)
        enter_raw_milk(farm, "antibiotic_residues", day, "not_detected")
    if address == "index":
        target, headers = url("index", farm), {}
    else:
        token = issue_api_token(owner, farm).clear_token
        target, headers = "/api/lab/raw-milk/verdicts", {"Authorization": f"Bearer {token}"}

    with CaptureQueriesContext(connection) as captured:
        response = owner_client.get(target, headers=headers)

    assert response.status_code == 200
    tables = [_read_table(q["sql"]) for q in captured.captured_queries]
    # the page also reads the results' days for what is due
    assert tables.count("lab_rawmilkresult") == (2 if address == "index" else 1)
    assert tables.count("lab_rawmilkverdict") == 1


def _read_table(sql: str) -> str:
    """The table a SELECT reads first."""
    if not sql.startswith("SELECT"):
        return ""
    return sql.split(" FROM ", 1)[1].split()[0].strip('"')


@pytest.mark.parametrize("name", ["raw_milk_results", "product_results"])
def test_another_operators_lab_lists_and_exports_are_not_found(
    tenancy: Tenancy, client: Client, name: str
) -> None:
    tenancy.assert_refused(client, f"lab:{name}", methods=("get",))
    client.force_login(tenancy.user)
    for kind in ("csv", "xlsx"):
        response = client.get(url(name, tenancy.foreign_operator), {"export": kind})
        assert response.status_code == 404


def test_an_auditor_exports_the_lab_lists(
    client: Client, farm: Operator, make_member: Callable[..., User], raw_results: Any
) -> None:
    from dairyhaccp.web.operators.choices import Role

    client.force_login(make_member(farm, Role.AUDITOR))
    for name in ("raw_milk_results", "product_results"):
        assert client.get(url(name, farm)).status_code == 200
        assert client.get(url(name, farm), {"export": "csv"}).status_code == 200
