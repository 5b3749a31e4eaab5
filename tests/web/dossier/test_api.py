"""The dossier API: ask for a dossier, follow it, fetch its files; roles and tenants."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.web.dossier.models import DossierJob
from dairyhaccp.web.operators.choices import Role

from .conftest import Dairy, bearer

BODY = {"first_day": "2026-03-02", "last_day": "2026-03-08"}


def post(client: Client, headers: dict[str, str], body: object = BODY, query: str = "") -> Any:
    return client.post(
        f"/api/dossiers{query}", json.dumps(body), content_type="application/json", **headers
    )


def test_an_owner_asks_for_a_dossier_and_fetches_its_files(client: Client, dairy: Dairy) -> None:
    headers = bearer(dairy.owner, dairy.operator)
    response = post(client, headers, query="?lang=fr")
    assert response.status_code == 202
    made = response.json()
    assert (made["status"], made["percent"], made["language"]) == ("done", 100, "fr")
    assert (made["first_day"], made["last_day"], made["made_by"]) == (
        "2026-03-02",
        "2026-03-08",
        "An Peeters",
    )
    assert made["pdf_url"] == f"/de-wei/dossier/{made['id']}/dossier.pdf"
    one = client.get(f"/api/dossiers/{made['id']}", **headers).json()
    assert one == made
    assert [item["id"] for item in client.get("/api/dossiers", **headers).json()] == [made["id"]]
    pdf = client.get(f"/api/dossiers/{made['id']}/pdf", **headers)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    archive = client.get(f"/api/dossiers/{made['id']}/zip", **headers)
    assert archive["Content-Type"] == "application/zip" and archive.content.startswith(b"PK")


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (
            {"first_day": "1999-12-31", "last_day": "2026-03-08"},
            422,
            "first_day: lies before the year 2000",
        ),
        (
            {"first_day": "2026-03-02", "last_day": "2026-03-21"},
            422,
            "last_day: lies in the future",
        ),
        (
            {"first_day": "2026-03-08", "last_day": "2026-03-02"},
            422,
            "last_day: lies before the first day",
        ),
        ({"first_day": "2026-03-02"}, 422, None),
        ({**BODY, "extra": 1}, 422, None),
        ({"first_day": "yesterday", "last_day": "2026-03-08"}, 422, None),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client: Client, dairy: Dairy, body: dict[str, object], status: int, detail: str | None
) -> None:
    response = post(client, bearer(dairy.owner, dairy.operator), body, "?lang=en")
    assert response.status_code == status
    if detail is not None:
        assert response.json() == {"detail": detail}
    assert DossierJob.objects.count() == 0


def test_a_dossier_not_ready_is_a_conflict(client: Client, dairy: Dairy) -> None:
    job = DossierJob.objects.create(
        operator=dairy.operator,
        first_day=date(2026, 3, 2),
        last_day=date(2026, 3, 8),
        language="nl",
        requested_by=dairy.owner,
        made_by_name="An Peeters",
    )
    headers = bearer(dairy.owner, dairy.operator)
    assert client.get(f"/api/dossiers/{job.pk}", **headers).json()["pdf_url"] is None
    assert client.get(f"/api/dossiers/{job.pk}/pdf", **headers).status_code == 409


def test_auditors_read_their_own_and_other_roles_are_refused(
    client: Client, dairy: Dairy, member: Callable[[Role], User]
) -> None:
    owners = post(client, bearer(dairy.owner, dairy.operator)).json()
    auditor = member(Role.AUDITOR)
    headers = bearer(auditor, dairy.operator)
    own = post(client, headers)
    assert own.status_code == 202
    listed = [item["id"] for item in client.get("/api/dossiers", **headers).json()]
    assert listed == [own.json()["id"]]
    assert client.get(f"/api/dossiers/{owners['id']}/pdf", **headers).status_code == 404
    staff = bearer(member(Role.STAFF), dairy.operator)
    assert post(client, staff).status_code == 403
    assert client.get("/api/dossiers", **staff).status_code == 403
    assert client.get(f"/api/dossiers/{owners['id']}", **staff).status_code == 403


def test_another_operator_s_dossier_is_not_found(
    client: Client, dairy: Dairy, other_dairy: Dairy
) -> None:
    foreign = post(client, bearer(other_dairy.owner, other_dairy.operator)).json()
    headers = bearer(dairy.owner, dairy.operator)
    for path in ("", "/pdf", "/zip"):
        assert client.get(f"/api/dossiers/{foreign['id']}{path}", **headers).status_code == 404
    assert client.get("/api/dossiers", **headers).json() == []
    # Beyond any row id: not found (SQLite), or a number too large (PostgreSQL); never a 500.
    assert client.get(f"/api/dossiers/{2**70}", **headers).status_code in (400, 404)


def test_without_a_token_nothing_is_answered(client: Client, dairy: Dairy) -> None:
    assert post(client, {}).status_code == 401
