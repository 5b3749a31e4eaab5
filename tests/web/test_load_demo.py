"""`manage.py load_demo`: the demo operator and users, safe to run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dairyhaccp.web.operators.models import Membership, Operator

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_the_operator_and_its_three_roles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DAIRYHACCP_DEMO_PASSWORD", raising=False)

    output = load_demo()

    operator = Operator.objects.get(slug="hoeve-voorbeeld")
    assert operator.name == "Hoeve Voorbeeld"
    roles = dict(operator.memberships.values_list("user__username", "role"))
    assert roles == {"demo": "owner", "staf": "staff", "auditor": "auditor"}
    assert "http://127.0.0.1:8000/" in output
    assert "demo" in output
    assert "zuivel-demo" in output
    assert "http://127.0.0.1:8000/accounts/signup/" in output
    assert operator.kind == "both"


def test_the_printed_sign_up_address_serves_the_sign_up_page(client: Client) -> None:
    output = load_demo()
    address = next(word for word in output.split() if word.endswith("/accounts/signup/"))

    response = client.get(address.removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 200
    assert 'name="favv_number"' in response.text


def test_load_demo_twice_is_harmless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DAIRYHACCP_DEMO_PASSWORD", raising=False)
    first = load_demo()
    counts = (Operator.objects.count(), User.objects.count(), Membership.objects.count())

    second = load_demo()

    assert (Operator.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert counts == (1, 3, 3)
    assert second == first


def test_printed_login_works(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAIRYHACCP_DEMO_PASSWORD", "eigen-geheim-7")

    output = load_demo()

    assert "eigen-geheim-7" in output
    assert "zuivel-demo" not in output
    response = client.post(
        "/accounts/login/", {"username": "demo", "password": "eigen-geheim-7"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/hoeve-voorbeeld/"


def test_demo_content_hook_receives_the_operator_and_owner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dairyhaccp.web.operators.management.commands import load_demo as command

    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        command,
        "load_demo_content",
        lambda operator, owner: calls.append((operator.slug, owner.username)),
    )

    load_demo()

    assert calls == [("hoeve-voorbeeld", "demo")]
