"""Roles: auditors read everything and change nothing; settings are for the owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator

pytestmark = pytest.mark.django_db


def settings_url(operator: Operator) -> str:
    return reverse("operators:settings", kwargs={"operator_slug": operator.slug})


@pytest.mark.parametrize("role", [Role.OWNER, Role.STAFF, Role.AUDITOR])
def test_every_member_sees_the_dashboard(
    client: Client, operator: Operator, make_member: Callable[..., User], role: Role
) -> None:
    client.force_login(make_member(operator, role))

    response = client.get(reverse("operators:dashboard", kwargs={"operator_slug": operator.slug}))

    assert response.status_code == 200
    assert operator.name in response.text


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.STAFF])
def test_only_the_owner_may_open_the_settings(
    client: Client, operator: Operator, make_member: Callable[..., User], role: Role, method: str
) -> None:
    client.force_login(make_member(operator, role))

    response = getattr(client, method)(settings_url(operator), {"name": "Overgenomen"})

    assert response.status_code == 403
    operator.refresh_from_db()
    assert operator.name == "Kaasmakerij De Wei"


def test_auditor_is_told_the_role_only_reads(
    client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    client.force_login(make_member(operator, Role.AUDITOR))

    response = client.post(settings_url(operator), {"name": "Overgenomen"})

    assert response.status_code == 403
    assert "niet wijzigen" in response.text


def test_owner_renames_the_business(owner_client: Client, operator: Operator) -> None:
    response = owner_client.post(settings_url(operator), {"name": "Kaasmakerij Nieuwe Wei"})

    assert response.status_code == 302
    assert response["Location"] == f"/{operator.slug}/"
    operator.refresh_from_db()
    assert operator.name == "Kaasmakerij Nieuwe Wei"
    assert "Kaasmakerij Nieuwe Wei" in owner_client.get(response["Location"]).text


def test_owner_cannot_save_an_empty_name(owner_client: Client, operator: Operator) -> None:
    response = owner_client.post(settings_url(operator), {"name": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    operator.refresh_from_db()
    assert operator.name == "Kaasmakerij De Wei"


def test_dashboard_links_to_settings_for_the_owner_only(
    client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    client.force_login(make_member(operator, Role.OWNER))
    owner_page = client.get(f"/{operator.slug}/").text
    client.force_login(make_member(operator, Role.AUDITOR))
    auditor_page = client.get(f"/{operator.slug}/").text

    assert settings_url(operator) in owner_page
    assert settings_url(operator) not in auditor_page


def test_owner_sets_when_the_business_started(owner_client: Client, operator: Operator) -> None:
    response = owner_client.post(
        settings_url(operator), {"name": operator.name, "active_since": "2019-04-01"}
    )

    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.active_since == date(2019, 4, 1)


@pytest.mark.parametrize("day", ["1999-12-31", "2999-01-01"])
def test_a_start_of_the_business_out_of_bounds_is_refused_beside_the_field(
    owner_client: Client, operator: Operator, day: str
) -> None:
    response = owner_client.post(
        settings_url(operator),
        {"name": operator.name, "active_since": day},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["active_since"]
    operator.refresh_from_db()
    assert operator.active_since is None
