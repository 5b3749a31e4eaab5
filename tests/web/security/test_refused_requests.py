"""Methods a page does not take answer 405; every refused request logs one line."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/de-wei/", "/de-wei/settings/"])
def test_a_page_answers_405_to_a_method_it_does_not_take(
    owner_client: Client, operator: Operator, method: str, path: str
) -> None:
    response = owner_client.generic(method.upper(), path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_a_page_answers_options_with_its_methods_and_no_body(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.options("/de-wei/settings/")

    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.content == b""


def test_405_does_not_change_anything(owner_client: Client, operator: Operator) -> None:
    response = owner_client.generic(
        "PUT",
        "/de-wei/settings/",
        "name=Overgenomen",
        content_type="application/x-www-form-urlencoded",
    )

    operator.refresh_from_db()
    assert response.status_code == 405
    assert operator.name == "Kaasmakerij De Wei"


def test_the_api_keeps_answering_its_own_405(client: Client) -> None:
    response = client.put("/api/me")

    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_get_head_and_post_still_reach_the_pages(owner_client: Client, operator: Operator) -> None:
    assert owner_client.get("/de-wei/").status_code == 200
    assert owner_client.head("/de-wei/").status_code == 200
    assert owner_client.post("/de-wei/settings/", {"name": "De Wei"}).status_code == 302


def _auditor_client(operator: Operator, make_member: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_member(operator, Role.AUDITOR))
    return client


@pytest.mark.parametrize(
    ("request_made", "status", "line"),
    [
        (
            "auditor opens the owner's settings",
            403,
            "Forbidden (Permission denied): /de-wei/settings/",
        ),
        ("unknown page", 404, "Not Found: /de-wei/no-such-page/"),
        ("PUT on a page", 405, "Method Not Allowed: /de-wei/"),
        (
            "foreign Host header",
            400,
            "Invalid HTTP_HOST header: 'evil.example'. "
            "You may need to add 'evil.example' to ALLOWED_HOSTS.",
        ),
        ("POST without CSRF token", 403, "Forbidden (CSRF cookie not set.): /accounts/login/"),
    ],
)
def test_a_refused_request_logs_one_line_without_a_traceback(
    console_log: io.StringIO,
    operator: Operator,
    make_member: Callable[..., User],
    request_made: str,
    status: int,
    line: str,
) -> None:
    auditor = _auditor_client(operator, make_member)
    requests = {
        "auditor opens the owner's settings": lambda: auditor.get("/de-wei/settings/"),
        "unknown page": lambda: auditor.get("/de-wei/no-such-page/"),
        "PUT on a page": lambda: auditor.put("/de-wei/"),
        "foreign Host header": lambda: auditor.get("/", headers={"host": "evil.example"}),
        "POST without CSRF token": lambda: Client(enforce_csrf_checks=True).post(
            "/accounts/login/", {"username": "x", "password": "y"}
        ),
    }

    response = requests[request_made]()

    assert response.status_code == status
    logged = console_log.getvalue()
    assert "Traceback" not in logged
    assert line in logged.splitlines()
