"""The HTTP API: bearer tokens per user and operator, and GET /api/me."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from ninja.errors import HttpError

from dairyhaccp.web.config.api import out_of_range_response
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import WRITING_ROLES, Role
from dairyhaccp.web.operators.middleware import OutOfRangeMiddleware
from dairyhaccp.web.operators.models import ApiToken, Membership, Operator
from dairyhaccp.web.operators.services import add_member, create_operator, issue_api_token

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_me_with_a_good_token_returns_the_user_and_their_operators(
    client: Client, operator: Operator, owner: User
) -> None:
    other = create_operator("Hoeve Twee", slug="hoeve-twee")
    add_member(other, owner, Role.AUDITOR)
    issued = issue_api_token(owner, operator, label="weegschaal")

    response = client.get("/api/me", headers=bearer(issued.clear_token))

    assert response.status_code == 200
    assert response.json() == {
        "username": owner.username,
        "full_name": "",
        "email": "",
        "token_operator": "de-wei",
        "operators": [
            {"slug": "hoeve-twee", "name": "Hoeve Twee", "role": "auditor"},
            {"slug": "de-wei", "name": "Kaasmakerij De Wei", "role": "owner"},
        ],
    }


def test_using_a_token_records_when(client: Client, operator: Operator, owner: User) -> None:
    issued = issue_api_token(owner, operator)
    assert issued.token.last_used_at is None

    client.get("/api/me", headers=bearer(issued.clear_token))

    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer dh_not-a-real-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Token dh_not-a-real-token"},
    ],
    ids=["no header", "unknown token", "empty token", "wrong scheme"],
)
def test_me_without_a_valid_token_is_401(
    client: Client, operator: Operator, owner: User, headers: dict[str, str]
) -> None:
    issue_api_token(owner, operator)

    response = client.get("/api/me", headers=headers)

    assert response.status_code == 401


def test_token_stops_working_when_the_member_leaves(
    client: Client, operator: Operator, owner: User
) -> None:
    issued = issue_api_token(owner, operator)
    Membership.objects.filter(user=owner, operator=operator).delete()

    response = client.get("/api/me", headers=bearer(issued.clear_token))

    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_401(
    client: Client, operator: Operator, owner: User
) -> None:
    issued = issue_api_token(owner, operator)
    owner.is_active = False
    owner.save()

    response = client.get("/api/me", headers=bearer(issued.clear_token))

    assert response.status_code == 401


def test_tokens_are_stored_only_as_a_hash(operator: Operator, owner: User) -> None:
    issued = issue_api_token(owner, operator)

    stored = ApiToken.objects.get()
    assert issued.clear_token.startswith("dh_")
    assert issued.clear_token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_api_docs_are_served(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200


def test_api_schema_declares_bearer_auth(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()

    schemes = schema["components"]["securitySchemes"]
    assert any(s == {"type": "http", "scheme": "bearer"} for s in schemes.values())
    assert "/api/me" in schema["paths"]


def test_writing_endpoints_can_refuse_an_auditors_token(
    rf: RequestFactory, operator: Operator, make_member: Callable[..., User]
) -> None:
    auditor = make_member(operator, Role.AUDITOR)
    request = rf.post("/api/anything")
    request.auth = issue_api_token(auditor, operator).token  # type: ignore[attr-defined]

    assert api_membership(request).role == Role.AUDITOR
    with pytest.raises(HttpError) as refused:
        api_membership(request, *WRITING_ROLES)
    assert refused.value.status_code == 403


def test_an_id_too_large_for_the_database_is_refused_naming_the_field(
    client: Client, operator: Operator, owner: User
) -> None:
    issued = issue_api_token(owner, operator)

    response = client.get(
        "/api/registrations?room_id=99999999999999999999999999", headers=bearer(issued.clear_token)
    )

    assert response.status_code == 422
    assert "room_id" in str(response.json())


def test_the_api_answers_400_where_a_number_does_not_fit_the_database(rf: RequestFactory) -> None:
    request = rf.get("/api/registrations")

    with translation.override("en"):
        response = out_of_range_response(request, OverflowError("too large for SQLite"))

    assert response.status_code == 400
    assert b"too large" in response.content


def test_a_page_meeting_a_number_too_large_answers_400_with_the_reason(
    rf: RequestFactory, owner: User
) -> None:
    request = rf.get("/de-wei/records/", HTTP_ACCEPT_LANGUAGE="en")
    request.user = owner
    middleware = OutOfRangeMiddleware(lambda _request: HttpResponse())

    response = middleware.process_exception(request, OverflowError("too large for SQLite"))

    assert response is not None
    assert response.status_code == 400
    assert middleware.process_exception(request, ValueError("other")) is None


def test_a_token_used_again_within_a_minute_writes_nothing(
    client: Client, operator: Operator, owner: User
) -> None:
    issued = issue_api_token(owner, operator)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        client.get("/api/me", headers=bearer(issued.clear_token))
    issued.token.refresh_from_db()
    first = issued.token.last_used_at
    assert first == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    later = time_machine.travel(datetime(2026, 3, 2, 9, 0, 59, tzinfo=UTC), tick=False)
    with later, CaptureQueriesContext(connection) as queries:
        client.get("/api/me", headers=bearer(issued.clear_token))
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == first

    with time_machine.travel(datetime(2026, 3, 2, 9, 1, tzinfo=UTC), tick=False):
        client.get("/api/me", headers=bearer(issued.clear_token))
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
