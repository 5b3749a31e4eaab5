"""Every operator's pages and objects are invisible to members of other operators."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.test import Client

from dairyhaccp.web.operators.access import get_for_operator_or_404
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.operators.services import add_member

from .tenancy import Tenancy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["operators:dashboard", "operators:settings"])
def test_views_refuse_another_operators_pages(
    client: Client, tenancy: Tenancy, url_name: str
) -> None:
    tenancy.assert_refused(client, url_name)


def test_own_pages_stay_open_to_the_member(client: Client, tenancy: Tenancy) -> None:
    client.force_login(tenancy.user)

    response = client.get(f"/{tenancy.own_operator.slug}/")

    assert response.status_code == 200


def test_unknown_operator_is_a_404_like_a_foreign_one(client: Client, tenancy: Tenancy) -> None:
    client.force_login(tenancy.user)

    response = client.get("/bestaat-niet/")

    assert response.status_code == 404


def test_object_lookup_refuses_another_operators_object(tenancy: Tenancy) -> None:
    foreign_membership = add_member(tenancy.foreign_operator, tenancy.user, Role.AUDITOR)

    with pytest.raises(Http404):
        get_for_operator_or_404(
            Membership.objects.all(), tenancy.own_operator, pk=foreign_membership.pk
        )
    found = get_for_operator_or_404(
        Membership.objects.all(), tenancy.foreign_operator, pk=foreign_membership.pk
    )
    assert found == foreign_membership


def foreign_membership_kwargs(operator: Operator) -> dict[str, int]:
    """A membership of `operator` as URL arguments."""
    user = User.objects.create_user(f"medewerker-{operator.slug}")
    return {"membership_id": add_member(operator, user, Role.STAFF).pk}


@pytest.mark.urls(f"{__package__}.sample_urls")
def test_tenancy_check_passes_a_view_that_scopes_its_objects(
    client: Client, tenancy: Tenancy
) -> None:
    tenancy.assert_refused(
        client, "membership-detail", object_kwargs=foreign_membership_kwargs, methods=["get"]
    )


@pytest.mark.urls(f"{__package__}.sample_urls")
def test_tenancy_check_catches_a_view_that_leaks_objects(client: Client, tenancy: Tenancy) -> None:
    with pytest.raises(AssertionError, match="not 404"):
        tenancy.assert_refused(
            client,
            "leaky-membership-detail",
            object_kwargs=foreign_membership_kwargs,
            methods=["get"],
        )
