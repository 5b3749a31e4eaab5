"""The inspector's lists: filters, paging, CSV and XLSX exports, fixed query counts, roles."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.models import Batch, Deviation
from dairyhaccp.web.records.services import (
    RegistrationInput,
    close_deviation,
    create_batch,
    record_registration,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"records:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def days_ago(days: int, hour: int = 9) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def pasteurise(
    operator: Operator, user: User, batch: Batch, temperature: float, when: datetime
) -> Deviation | None:
    recorded = record_registration(
        operator,
        user,
        RegistrationInput(
            "CCP 9", {"temperature_c": temperature, "hold_s": 20}, batch=batch, measured_at=when
        ),
    )
    return recorded.deviation


def make_batch(operator: Operator, user: User, code: str, product: str, days: int) -> Batch:
    return create_batch(operator, user, code, product, started_at=days_ago(days, 7))


@pytest.fixture
def history(planned: Operator, owner: User) -> dict[str, Any]:
    """Two batches, each with a good and a failed pasteurisation; the older deviation closed."""
    current = selectors.operator_plan(planned)
    assert current is not None
    old = make_batch(planned, owner, "Y-OLD", "Roeryoghurt", 20)
    new = make_batch(planned, owner, "K-NEW", "Hoevekaas", 2)
    pasteurise(planned, owner, old, 75, days_ago(20))
    old_deviation = pasteurise(planned, owner, old, 60, days_ago(20, 10))
    pasteurise(planned, owner, new, 75, days_ago(2))
    new_deviation = pasteurise(planned, owner, new, 60, days_ago(2, 10))
    assert old_deviation is not None and new_deviation is not None
    action = current.plan.control("CCP 9").corrective_actions[0].id
    close_deviation(
        old_deviation,
        owner,
        current.plan,
        outcome="destroyed",
        action_ids=[action],
        notified_on=timezone.localdate(),
    )
    return {"old": old, "new": new, "old_deviation": old_deviation, "new_deviation": new_deviation}


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


# --- deviations -----------------------------------------------------------------------------


def test_the_deviation_row_shows_finding_actions_outcome_closing_and_notification(
    owner_client: Client, planned: Operator, owner: User, history: dict[str, Any]
) -> None:
    response = owner_client.get(url("deviations", planned), **EN)
    html = response.content.decode()

    assert response.status_code == 200
    current = selectors.operator_plan(planned)
    assert current is not None
    action = current.plan.control("CCP 9").corrective_actions[0]
    assert "Destroyed" in html
    assert action.text.en in html
    assert owner.get_username() in html
    notified = history["old_deviation"]
    notified.refresh_from_db()
    assert notified.notified_on is not None
    assert "Y-OLD" in html and "K-NEW" in html
    assert html.count('class="badge badge-open"') == 1


def test_deviations_filter_by_period_control_product_lot_and_status(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    def listed(**params: str) -> list[str]:
        response = owner_client.get(url("deviations", planned), params, **EN)
        assert response.status_code == 200
        html = response.content.decode()
        return [code for code in ("Y-OLD", "K-NEW") if code in html]

    recent = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert listed() == ["Y-OLD", "K-NEW"]
    assert listed(**{"from": recent}) == ["K-NEW"]
    assert listed(to=recent) == ["Y-OLD"]
    assert listed(product="roeryoghurt") == ["Y-OLD"]
    assert listed(lot="NEW") == ["K-NEW"]
    assert listed(status="closed") == ["Y-OLD"]
    assert listed(control="CCP 9") == ["Y-OLD", "K-NEW"]
    assert listed(control="CCP 3") == []


def test_a_bad_date_is_an_error_next_to_its_field_not_a_500(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(
        url("deviations", planned), {"from": "2026-13-45", "to": "1850-01-01"}, **EN
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Enter a valid date." in html
    assert "Choose a day between 2000-01-01 and 2100-12-31." in html
    assert "Y-OLD" in html and "K-NEW" in html


def test_a_period_that_ends_before_it_starts_is_refused_on_the_last_day(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(
        url("deviations", planned), {"from": "2026-05-10", "to": "2026-05-01"}, **EN
    )
    assert "The last day lies before the first day." in response.content.decode()


def test_deviations_export_as_csv_with_translated_headers_and_iso_dates(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(
        url("deviations", planned), {"status": "closed", "export": "csv"}, **EN
    )
    rows = csv_rows(response)

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:4] == ["Opened at", "Control", "Measured at", "Finding"]
    assert "Notified to the FAVV on" in rows[0]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Lots concerned"] == "Y-OLD"
    assert row["Outcome"] == "Destroyed"
    assert row["Notified to the FAVV on"] == timezone.localdate().isoformat()
    assert datetime.fromisoformat(row["Closed at"]).tzinfo is not None


def test_deviations_export_in_dutch_has_dutch_headers(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(
        url("deviations", planned), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    header = csv_rows(response)[0]
    assert "Opened at" not in header
    assert len(header) == 13


def test_deviations_export_as_xlsx_with_real_date_cells(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(url("deviations", planned), {"export": "xlsx"}, **EN)
    rows = xlsx_rows(response)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows[0][0] == "Opened at"
    assert len(rows) == 3
    header = list(rows[0])
    closed = next(row for row in rows[1:] if row[header.index("Outcome")] == "Destroyed")
    assert isinstance(closed[header.index("Closed at")], datetime)
    assert isinstance(closed[header.index("Notified to the FAVV on")], datetime | date)


def test_the_deviation_list_costs_the_same_queries_for_more_rows(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            batch = make_batch(planned, owner, f"L-{n}", "Roeryoghurt", 3)
            pasteurise(planned, owner, batch, 60, days_ago(3, 8) + timedelta(minutes=n))

    def queries(**params: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(url("deviations", planned), params)
            if params.get("export"):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(captured.captured_queries)

    add(2, 0)
    few = (queries(), queries(export="csv"), queries(export="xlsx"))
    add(8, 2)
    many = (queries(), queries(export="csv"), queries(export="xlsx"))
    assert many == few


def test_the_pager_keeps_the_filters_and_a_page_past_the_end_is_empty(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(url("deviations", planned), {"product": "Hoevekaas"}, **EN)
    html = response.content.decode()
    assert "?product=Hoevekaas&amp;export=csv" in html

    past = owner_client.get(url("deviations", planned), {"page": "99"}, **EN)
    assert past.status_code == 200
    assert "No deviations." in past.content.decode()


def test_the_printed_list_names_the_dairy_and_the_period(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(
        url("deviations", planned), {"from": "2026-01-01", "to": "2026-12-31"}, **EN
    )
    html = response.content.decode()
    assert 'class="print-only list-print-header"' in html
    assert planned.name in html
    assert "Period: from 2026-01-01 to 2026-12-31" in html


# --- registrations of a control -------------------------------------------------------------


def test_the_history_filters_by_period_product_lot_and_verdict(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    def count(**params: str) -> int:
        response = owner_client.get(url("history", planned, control="ccp-9"), params, **EN)
        assert response.status_code == 200
        return response.content.decode().count('class="history-row"')

    recent = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert count() == 4
    assert count(**{"from": recent}) == 2
    assert count(to=recent) == 2
    assert count(product="Hoevekaas") == 2
    assert count(lot="Y-OLD") == 2
    assert count(verdict="deviation") == 2
    assert count(verdict="deviation", lot="K-NEW") == 1


def test_the_history_pages_through_any_length(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    batch = make_batch(planned, owner, "P-1", "Roeryoghurt", 3)
    for n in range(65):
        pasteurise(planned, owner, batch, 75, days_ago(3, 8) + timedelta(minutes=n))

    first = owner_client.get(url("history", planned, control="ccp-9"), {"lot": "P-1"}, **EN)
    second = owner_client.get(
        url("history", planned, control="ccp-9"), {"lot": "P-1", "page": "2"}, **EN
    )
    past = owner_client.get(url("history", planned, control="ccp-9"), {"page": "9"}, **EN)

    assert first.content.decode().count('class="history-row"') == 60
    assert "?lot=P-1&amp;page=2" in first.content.decode()
    assert second.content.decode().count('class="history-row"') == 5
    assert past.status_code == 200
    assert past.content.decode().count('class="history-row"') == 0


def test_the_history_exports_csv_and_xlsx_of_the_filtered_set(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    params = {"verdict": "deviation", "export": "csv"}
    rows = csv_rows(owner_client.get(url("history", planned, control="ccp-9"), params, **EN))
    assert rows[0][:3] == ["Measured at", "Product", "Lot code"]
    assert sorted(row[2] for row in rows[1:]) == ["K-NEW", "Y-OLD"]
    assert {row[5] for row in rows[1:]} == {"Deviation"}

    params["export"] = "xlsx"
    sheet = xlsx_rows(owner_client.get(url("history", planned, control="ccp-9"), params, **EN))
    assert len(sheet) == 3
    assert all(isinstance(row[0], datetime) for row in sheet[1:])


def test_the_history_export_costs_the_same_queries_for_more_rows(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    batch = make_batch(planned, owner, "Q-1", "Roeryoghurt", 3)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(
                url("history", planned, control="ccp-9"), {"export": "xlsx"}
            )
            b"".join(response.streaming_content)
        return len(captured.captured_queries)

    pasteurise(planned, owner, batch, 75, days_ago(3))
    few = queries()
    for n in range(10):
        pasteurise(planned, owner, batch, 75, days_ago(3) + timedelta(minutes=n + 1))
    assert queries() == few


# --- batches --------------------------------------------------------------------------------


def test_batches_filter_and_export(
    owner_client: Client, planned: Operator, history: dict[str, Any]
) -> None:
    response = owner_client.get(url("batches", planned), {"product": "Hoevekaas"}, **EN)
    html = response.content.decode()
    assert "K-NEW" in html and "Y-OLD" not in html

    recent = (timezone.localdate() - timedelta(days=5)).isoformat()
    rows = csv_rows(
        owner_client.get(url("batches", planned), {"to": recent, "export": "csv"}, **EN)
    )
    assert rows[0][0] == "Lot code"
    assert [row[0] for row in rows[1:]] == ["Y-OLD"]

    sheet = xlsx_rows(owner_client.get(url("batches", planned), {"export": "xlsx"}, **EN))
    blocked = {row[0]: row[5] for row in sheet[1:]}
    assert blocked == {"K-NEW": "yes", "Y-OLD": "no"}


def test_a_lot_blocked_by_a_recall_shows_as_blocked(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    from decimal import Decimal

    from dairyhaccp.web.lots.choices import ProductionKind
    from dairyhaccp.web.lots.services import (
        ProductionData,
        RecallInput,
        open_recall,
        record_production,
    )

    production = record_production(
        planned,
        owner,
        ProductionData(
            kind=ProductionKind.MILKING,
            lot_code="M-1",
            product="",
            made_at=days_ago(1, 7),
            quantity=Decimal("100"),
            unit="l",
            species="cow",
        ),
    )
    open_recall(
        planned,
        owner,
        RecallInput(
            trigger="manual", lots=[f"b{production.batch_id}"], hazard="Listeria", origin="in_house"
        ),
    )

    listed = owner_client.get(url("batches", planned), **EN).content.decode()
    page = owner_client.get(url("batch", planned, batch_id=production.batch_id), **EN)

    assert '<span class="lot-blocked">blocked</span>' in listed
    assert "an open deviation or recall concerns this lot." in page.content.decode()


# --- tenancy and roles ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["deviations", "batches"])
def test_another_operators_exports_do_not_exist(client: Client, tenancy: Any, name: str) -> None:
    client.force_login(tenancy.user)
    for kind in ("csv", "xlsx"):
        response = client.get(url(name, tenancy.foreign_operator), {"export": kind})
        assert response.status_code == 404


def test_another_operators_history_export_does_not_exist(client: Client, tenancy: Any) -> None:
    client.force_login(tenancy.user)
    response = client.get(
        url("history", tenancy.foreign_operator, control="ccp-9"), {"export": "csv"}
    )
    assert response.status_code == 404


def test_an_auditor_reads_and_exports_within_their_period(
    client: Client,
    planned: Operator,
    auditor: User,
    history: dict[str, Any],
) -> None:
    membership = Membership.objects.get(operator=planned, user=auditor)
    assert membership.role == Role.AUDITOR
    today = timezone.localdate()
    membership.access_from = today - timedelta(days=1)
    membership.access_until = today + timedelta(days=1)
    membership.save()
    client.force_login(auditor)

    for name, kwargs in (("deviations", {}), ("batches", {}), ("history", {"control": "ccp-9"})):
        assert client.get(url(name, planned, **kwargs)).status_code == 200
        response = client.get(url(name, planned, **kwargs), {"export": "xlsx"})
        assert response.status_code == 200
        assert len(xlsx_rows(response)) > 1

    membership.access_from = today - timedelta(days=30)
    membership.access_until = today - timedelta(days=10)
    membership.save()
    refused = client.get(url("deviations", planned), {"export": "csv"})
    assert refused.status_code == 403


def test_no_member_no_export(
    client: Client, planned: Operator, make_member: Callable[..., User]
) -> None:
    response = client.get(url("deviations", planned), {"export": "csv"})
    assert response.status_code in (302, 404)
