"""Logging in, landing on the right page, and the language switch."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_one_operator_lands_on_its_dashboard(
    client: Client, operator: Operator, owner: User
) -> None:
    response = client.post(
        reverse("login"), {"username": owner.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"/{operator.slug}/"
    assert response.status_code == 200
    assert operator.name in response.text
    assert response.context["user"] == owner


def test_login_with_a_wrong_password_shows_a_clear_error(client: Client, owner: User) -> None:
    response = client.post(reverse("login"), {"username": owner.username, "password": "fout"})

    assert response.status_code == 200
    assert "Verkeerde gebruikersnaam of wachtwoord" in response.text
    assert not response.context["user"].is_authenticated


def test_user_of_several_operators_picks_one(
    client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    other = create_operator("Hoeve Twee", slug="hoeve-twee")
    user = make_member(operator, Role.STAFF, username="melker")
    add_member(other, user, Role.AUDITOR)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert reverse("operators:dashboard", kwargs={"operator_slug": "de-wei"}) in response.text
    assert reverse("operators:dashboard", kwargs={"operator_slug": "hoeve-twee"}) in response.text


def test_user_without_operator_is_told_to_ask_the_owner(client: Client) -> None:
    client.force_login(User.objects.create_user("los", password=PASSWORD))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Vraag de eigenaar" in response.text


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client, operator: Operator) -> None:
    response = client.get(reverse("operators:dashboard", kwargs={"operator_slug": operator.slug}))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_returns_to_the_login_page(owner_client: Client) -> None:
    response = owner_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert owner_client.get(reverse("home")).status_code == 302


def test_logout_tells_the_browser_to_drop_what_it_kept_for_offline_use(
    owner_client: Client,
) -> None:
    response = owner_client.post(reverse("logout"))

    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_pages_are_dutch_by_default(owner_client: Client, operator: Operator) -> None:
    response = owner_client.get(f"/{operator.slug}/")

    assert '<html lang="nl">' in response.text
    assert "Afmelden" in response.text


@pytest.mark.parametrize(
    ("language", "log_out", "role_text"),
    [
        ("fr", "Se déconnecter", "Vous êtes connecté en tant que propriétaire."),
        ("en", "Log out", "You are logged in as owner."),
    ],
)
def test_language_switch_translates_the_pages(
    owner_client: Client, operator: Operator, language: str, log_out: str, role_text: str
) -> None:
    dashboard = f"/{operator.slug}/"

    response = owner_client.post(
        reverse("set_language"), {"language": language, "next": dashboard}, follow=True
    )

    assert response.redirect_chain[-1][0] == dashboard
    assert f'<html lang="{language}">' in response.text
    assert log_out in response.text
    assert role_text in response.text
    assert "Afmelden" not in response.text


def test_pages_are_ready_for_phones_and_load_htmx_from_static(client: Client) -> None:
    response = client.get(reverse("login"))

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text
    assert 'src="/static/vendor/htmx.min.js"' in response.text
    assert 'href="/static/dairyhaccp/app.css"' in response.text
