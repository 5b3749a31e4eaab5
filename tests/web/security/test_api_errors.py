"""A server error on an API route answers JSON; its traceback goes to the log, not the client."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings

from dairyhaccp.web.operators import api as operators_api
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token

pytestmark = pytest.mark.django_db


def _raising(error: Exception) -> Callable[..., None]:
    def raise_it(*args: object, **kwargs: object) -> None:
        raise error

    return raise_it


@pytest.fixture
def token(operator: Operator, owner: User) -> str:
    return issue_api_token(owner, operator).clear_token


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_on_an_api_route_answers_json(
    monkeypatch: pytest.MonkeyPatch, console_log: io.StringIO, token: str, debug: bool
) -> None:
    monkeypatch.setattr(
        operators_api, "memberships_for_user", _raising(RuntimeError("kapotte selector"))
    )
    client = Client(raise_request_exception=False)

    with override_settings(DEBUG=debug):
        response = client.get(
            "/api/me", headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "detail": "Server error. It has been logged; please try again later."
    }
    assert "kapotte selector" not in response.text
    logged = console_log.getvalue()
    assert "Internal Server Error: /api/me" in logged
    assert "Traceback" in logged and "RuntimeError: kapotte selector" in logged


def test_a_server_error_on_an_api_route_reaches_django_error_reporting(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setattr(operators_api, "memberships_for_user", _raising(RuntimeError("kapot")))

    # The test client re-raises what Django's got_request_exception signal reported.
    with pytest.raises(RuntimeError, match="kapot"):
        Client().get("/api/me", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    ("error", "status"),
    [(PermissionDenied("nee"), 403), (SuspiciousOperation("raar"), 400)],
)
def test_a_django_refusal_on_an_api_route_answers_json_in_one_log_line(
    monkeypatch: pytest.MonkeyPatch,
    console_log: io.StringIO,
    token: str,
    error: Exception,
    status: int,
) -> None:
    monkeypatch.setattr(operators_api, "memberships_for_user", _raising(error))

    response = Client().get("/api/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert set(response.json()) == {"detail"}
    assert "Traceback" not in console_log.getvalue()
    assert "/api/me" in console_log.getvalue()


def test_a_page_error_still_answers_html(owner_client: Client, operator: Operator) -> None:
    response = owner_client.get("/de-wei/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
