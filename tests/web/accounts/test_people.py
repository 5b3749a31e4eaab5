"""The owner manages people: who has access, removing it, an auditor's period; only owners,
and never another operator's people."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import ApiToken, Invitation, Membership, Operator
from dairyhaccp.web.operators.services import add_member, issue_api_token

from ..tenancy import Tenancy

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def foreign_member(operator: Operator) -> dict[str, int]:
    """A staff member of `operator`, as URL arguments."""
    user = User.objects.create_user(f"ander-{next(_numbers)}")
    return {"membership_id": add_member(operator, user, Role.AUDITOR).pk}


def foreign_invitation(operator: Operator) -> dict[str, int]:
    """A waiting invitation of `operator`, as URL arguments."""
    invitation = Invitation.objects.create(
        operator=operator,
        email=f"iemand-{next(_numbers)}@ander.example",
        role=Role.STAFF,
        language="nl",
        nonce=f"nonce-{next(_numbers)}",
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {"invitation_id": invitation.pk}


@pytest.mark.parametrize("url_name", ["operators:people", "operators:invite"])
def test_another_operators_people_pages_do_not_exist(
    client: Client, tenancy: Tenancy, url_name: str
) -> None:
    tenancy.assert_refused(client, url_name)


@pytest.mark.parametrize(
    ("url_name", "object_kwargs"),
    [
        ("operators:remove-access", foreign_member),
        ("operators:access-period", foreign_member),
        ("operators:withdraw-invitation", foreign_invitation),
    ],
)
def test_another_operators_members_and_invitations_do_not_exist(
    client: Client,
    tenancy: Tenancy,
    url_name: str,
    object_kwargs: Callable[[Operator], dict[str, int]],
) -> None:
    tenancy.assert_refused(client, url_name, object_kwargs=object_kwargs)

    foreign = Membership.objects.filter(operator=tenancy.foreign_operator)
    assert all(m.access_from is None and m.access_until is None for m in foreign)
    assert foreign.count() == (1 if object_kwargs is foreign_member else 0)
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()


def _people_urls(operator: Operator, membership: Membership, invitation_id: int) -> list[str]:
    base = f"/{operator.slug}/people"
    return [
        f"{base}/",
        f"{base}/invite/",
        f"{base}/{membership.pk}/remove/",
        f"{base}/{membership.pk}/period/",
        f"{base}/invitations/{invitation_id}/withdraw/",
    ]


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.VET])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_owners_manage_people(
    operator: Operator,
    owner: User,
    make_member: Callable[..., User],
    role: Role,
    method: str,
) -> None:
    client = Client()
    client.force_login(make_member(operator, role))
    owner_membership = Membership.objects.get(user=owner)
    invitation_id = foreign_invitation(operator)["invitation_id"]

    for url in _people_urls(operator, owner_membership, invitation_id):
        response = getattr(client, method)(
            url, {"email": "x@y.example", "role": "owner", "language": "nl"}
        )
        assert response.status_code == 403, url

    assert Membership.objects.filter(user=owner, role="owner").exists()
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().revoked_at is None
    assert mail.outbox == []


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, operator: Operator) -> None:
    response = client.get(f"/{operator.slug}/people/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_owner_sees_who_has_access_and_in_which_role(
    owner_client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    owner_client.cookies["django_language"] = "en"
    make_member(operator, Role.STAFF, username="melker")
    auditor = make_member(operator, Role.AUDITOR, username="controleur")
    Membership.objects.filter(user=auditor).update(access_until=timezone.localdate())
    other = Operator.objects.create(name="Elders", slug="elders")
    add_member(other, User.objects.create_user("vreemde"), Role.STAFF)

    response = owner_client.get(f"/{operator.slug}/people/")

    assert response.status_code == 200
    members = list(response.context["members"])
    assert [(m.user.username, m.role) for m in members] == [
        ("owner-de-wei", "owner"),
        ("melker", "staff"),
        ("controleur", "auditor"),
    ]
    assert "vreemde" not in response.text
    assert "access until" in response.text
    assert f"/{operator.slug}/people/{members[2].pk}/period/" in response.text
    assert f"/{operator.slug}/people/{members[1].pk}/period/" not in response.text


def test_the_dashboard_links_the_owner_to_people(
    owner_client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    staff = Client()
    staff.force_login(make_member(operator, Role.STAFF))

    assert f'href="/{operator.slug}/people/"' in owner_client.get(f"/{operator.slug}/").text
    assert f'href="/{operator.slug}/people/"' not in staff.get(f"/{operator.slug}/").text


def test_removing_access_takes_the_pages_and_the_api_tokens_away(
    owner_client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    staff = make_member(operator, Role.STAFF, username="melker")
    token = issue_api_token(staff, operator).clear_token
    membership = Membership.objects.get(user=staff)
    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(f"/{operator.slug}/").status_code == 200

    confirm = owner_client.get(f"/{operator.slug}/people/{membership.pk}/remove/")
    response = owner_client.post(f"/{operator.slug}/people/{membership.pk}/remove/")

    assert confirm.status_code == 200
    assert Membership.objects.filter(pk=membership.pk).exists() is False
    assert response.status_code == 302
    assert response["Location"] == f"/{operator.slug}/people/"
    assert staff_client.get(f"/{operator.slug}/").status_code == 404
    assert not ApiToken.objects.filter(user=staff).exists()
    api = Client().get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert User.objects.filter(username="melker").exists()  # the person and their records stay


def test_the_last_owner_cannot_be_removed(
    owner_client: Client, operator: Operator, owner: User
) -> None:
    owner_client.cookies["django_language"] = "en"
    membership = Membership.objects.get(user=owner)

    response = owner_client.post(f"/{operator.slug}/people/{membership.pk}/remove/")

    assert response.status_code == 409
    assert "needs an owner" in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_owner_may_leave_when_another_owner_stays(
    owner_client: Client, operator: Operator, owner: User, make_member: Callable[..., User]
) -> None:
    make_member(operator, Role.OWNER, username="tweede-eigenaar")
    membership = Membership.objects.get(user=owner)

    response = owner_client.post(f"/{operator.slug}/people/{membership.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Membership.objects.filter(user=owner).exists()


def test_the_owner_sets_and_lifts_an_auditors_period(
    owner_client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    auditor = make_member(operator, Role.AUDITOR)
    membership = Membership.objects.get(user=auditor)
    url = f"/{operator.slug}/people/{membership.pk}/period/"
    today = timezone.localdate()

    response = owner_client.post(
        url,
        {
            "access_from": today.isoformat(),
            "access_until": (today + timedelta(days=14)).isoformat(),
        },
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.access_from, membership.access_until) == (today, today + timedelta(days=14))
    assert owner_client.get(url).context["form"].initial["access_from"] == today

    owner_client.post(url, {"access_from": "", "access_until": ""})

    membership.refresh_from_db()
    assert (membership.access_from, membership.access_until) == (None, None)


@pytest.mark.parametrize(
    ("role", "data", "field", "message"),
    [
        (Role.STAFF, {"access_from": "2030-01-01"}, "access_from", "Only an auditor"),
        (
            Role.AUDITOR,
            {"access_from": "2030-02-01", "access_until": "2030-01-01"},
            "access_until",
            "ends before it starts",
        ),
        (Role.AUDITOR, {"access_until": "2001-01-01"}, "access_until", "ended already"),
        (Role.AUDITOR, {"access_until": "2100-01-01"}, "access_until", "between 2000 and 2099"),
        (Role.AUDITOR, {"access_from": "0001-01-01"}, "access_from", "between 2000 and 2099"),
        (Role.AUDITOR, {"access_from": "99999-01-01"}, "access_from", "valid date"),
    ],
)
def test_a_bad_period_is_refused_next_to_its_field(
    owner_client: Client,
    operator: Operator,
    make_member: Callable[..., User],
    role: Role,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    owner_client.cookies["django_language"] = "en"
    membership = Membership.objects.get(user=make_member(operator, role))

    response = owner_client.post(f"/{operator.slug}/people/{membership.pk}/period/", data)

    assert response.status_code == 200
    errors = list(response.context["form"].errors.get(field, []))
    assert any(message in error for error in errors), errors
    membership.refresh_from_db()
    assert (membership.access_from, membership.access_until) == (None, None)
