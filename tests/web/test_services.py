"""Services of the operators context."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.operators.selectors import membership_for, operators_for_user
from dairyhaccp.web.operators.services import add_member, create_operator, issue_api_token

pytestmark = pytest.mark.django_db


def test_operator_slug_defaults_to_the_slugified_name() -> None:
    operator = create_operator("Kaasmakerij 't Groene Weiland")

    assert operator.slug == "kaasmakerij-t-groene-weiland"


@pytest.mark.parametrize("slug", ["admin", "api", "accounts", "i18n", "static"])
def test_operator_slug_may_not_shadow_a_site_url(slug: str) -> None:
    with pytest.raises(ValidationError):
        create_operator("Eender welke", slug=slug)
    assert not Operator.objects.exists()


def test_operator_slug_is_unique() -> None:
    create_operator("Hoeve Een", slug="hoeve")

    with pytest.raises(ValidationError):
        create_operator("Hoeve Twee", slug="hoeve")


def test_adding_a_member_again_changes_the_role(operator: Operator) -> None:
    user = User.objects.create_user("kaasmaker")
    add_member(operator, user, Role.STAFF)

    add_member(operator, user, Role.AUDITOR)

    assert Membership.objects.filter(user=user).count() == 1
    membership = membership_for(user, operator)
    assert membership is not None
    assert membership.role == Role.AUDITOR
    assert not membership.can_write


def test_unknown_role_is_refused(operator: Operator) -> None:
    with pytest.raises(ValueError):
        add_member(operator, User.objects.create_user("x"), "boss")


def test_only_members_get_api_tokens(operator: Operator) -> None:
    outsider = User.objects.create_user("buitenstaander")

    with pytest.raises(PermissionDenied):
        issue_api_token(outsider, operator)


def test_operators_for_user_lists_only_their_own(operator: Operator, owner: User) -> None:
    create_operator("Andere Hoeve", slug="andere-hoeve")

    assert list(operators_for_user(owner)) == [operator]
    assert membership_for(owner, "andere-hoeve") is None
