"""Invitations: the owner invites by e-mail with a role; the link makes or uses an account,
works once, expires, and can be withdrawn."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Invitation, Membership, Operator

from .conftest import NEW_PASSWORD, PASSWORD, form_errors, link_in_mail

pytestmark = pytest.mark.django_db

EMAIL = "jef@melkerij.example"


def invite_url(operator: Operator) -> str:
    return f"/{operator.slug}/people/invite/"


def invite(client: Client, operator: Operator, **changes: str) -> str:
    """Invite EMAIL as staff (unless `changes` say otherwise); return the link's path."""
    data = {"email": EMAIL, "role": "staff", "language": "en", **changes}
    response = client.post(invite_url(operator), data)
    assert response.status_code == 302, response.context["form"].errors
    return link_in_mail()


def new_account(**changes: str) -> dict[str, str]:
    data = {
        "first_name": "Jef",
        "last_name": "Janssens",
        "username": "jef",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(changes)
    return data


def test_the_owner_invites_by_email_with_a_role(owner_client: Client, operator: Operator) -> None:
    owner_client.cookies["django_language"] = "en"

    response = owner_client.post(
        invite_url(operator), {"email": EMAIL, "role": "staff", "language": "en"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/{operator.slug}/people/"
    invitation = Invitation.objects.get()
    assert (invitation.operator, invitation.email, invitation.role) == (operator, EMAIL, "staff")
    assert mail.outbox[0].to == [EMAIL]
    assert "Kaasmakerij De Wei" in mail.outbox[0].subject
    assert "as staff" in mail.outbox[0].body
    assert link_in_mail().startswith("/accounts/invitation/")
    page = owner_client.get(response["Location"])
    assert EMAIL in page.text
    assert "waits for an answer" in page.text


def test_accepting_with_a_new_account(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)
    invitee = Client()

    page = invitee.get(link)
    assert page.status_code == 200
    assert "Kaasmakerij De Wei" in page.text
    assert EMAIL in page.text
    response = invitee.post(link, new_account())

    assert response.status_code == 302
    assert response["Location"] == f"/{operator.slug}/"
    user = User.objects.get(username="jef")
    assert user.email == EMAIL
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user, operator=operator).role == "staff"
    assert invitee.get(response["Location"]).status_code == 200  # logged in
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_accepting_with_an_existing_account_after_logging_in(
    owner_client: Client, operator: Operator
) -> None:
    User.objects.create_user("dierenarts", password=PASSWORD)
    link = invite(owner_client, operator, role="vet")
    invitee = Client()

    page = invitee.get(link)
    login_url = f"/accounts/login/?next={quote(link, safe='')}"
    assert login_url.replace(":", "%3A") in page.text.replace("&amp;", "&")
    logged_in = invitee.post(
        "/accounts/login/", {"username": "dierenarts", "password": PASSWORD, "next": link}
    )
    assert logged_in["Location"] == link
    response = invitee.post(link)

    assert response.status_code == 302
    user = User.objects.get(username="dierenarts")
    assert Membership.objects.get(user=user, operator=operator).role == "vet"


def test_the_link_works_once(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)
    Client().post(link, new_account())
    someone_else = Client()
    someone_else.force_login(User.objects.create_user("indringer", password=PASSWORD))

    assert someone_else.get(link).status_code == 410
    response = someone_else.post(link)

    assert response.status_code == 410
    assert not Membership.objects.filter(user__username="indringer").exists()


def test_an_expired_invitation_is_refused(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)
    invitee = Client()
    invitee.cookies["django_language"] = "en"

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        page = invitee.get(link)
        response = invitee.post(link, new_account())

    assert page.status_code == 410
    assert "expired" in page.text
    assert response.status_code == 410
    assert not User.objects.filter(username="jef").exists()


def test_an_invitation_works_until_it_expires(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23), tick=False):
        response = Client().post(link, new_account())

    assert response.status_code == 302


@override_settings(INVITATION_VALID_DAYS=2)
def test_the_expiry_is_a_setting(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)

    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1), tick=False):
        assert Client().get(link).status_code == 410


def test_a_withdrawn_invitation_is_refused(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)
    invitation = Invitation.objects.get()

    confirm = owner_client.get(f"/{operator.slug}/people/invitations/{invitation.pk}/withdraw/")
    response = owner_client.post(f"/{operator.slug}/people/invitations/{invitation.pk}/withdraw/")

    assert confirm.status_code == 200
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_by is not None
    invitee = Client()
    invitee.cookies["django_language"] = "en"
    page = invitee.get(link)
    assert page.status_code == 410
    assert "withdrawn" in page.text
    assert invitee.post(link, new_account()).status_code == 410


def test_a_second_invitation_to_the_same_address_withdraws_the_first(
    owner_client: Client, operator: Operator
) -> None:
    first = invite(owner_client, operator)
    second = invite(owner_client, operator, role="auditor")

    assert Client().get(first).status_code == 410
    assert Client().post(second, new_account()).status_code == 302
    assert Membership.objects.get(user__username="jef").role == "auditor"


def test_a_member_cannot_accept_a_second_role(
    owner_client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    staff = make_member(operator, Role.STAFF, username="personeel")
    link = invite(owner_client, operator, role="owner")
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(staff)

    response = client.post(link)

    assert response.status_code == 409
    assert "already, as staff" in response.text
    assert Membership.objects.get(user=staff).role == "staff"
    assert Invitation.objects.get().accepted_at is None


def test_a_damaged_link_is_refused(owner_client: Client, operator: Operator) -> None:
    link = invite(owner_client, operator)

    response = Client().post(link[:-3] + "xx/", new_account())

    assert response.status_code == 404
    assert not User.objects.filter(username="jef").exists()


def test_an_auditor_invited_for_a_period_gets_that_period(
    owner_client: Client, operator: Operator
) -> None:
    today = timezone.localdate()
    start, end = today + timedelta(days=1), today + timedelta(days=30)
    link = invite(
        owner_client,
        operator,
        role="auditor",
        access_from=start.isoformat(),
        access_until=end.isoformat(),
    )

    Client().post(link, new_account())

    membership = Membership.objects.get(user__username="jef")
    assert (membership.role, membership.access_from, membership.access_until) == (
        "auditor",
        start,
        end,
    )


def test_a_new_account_with_a_taken_username_is_refused(
    owner_client: Client, operator: Operator
) -> None:
    User.objects.create_user("jef", password=PASSWORD)
    link = invite(owner_client, operator)
    client = Client()
    client.cookies["django_language"] = "en"

    response = client.post(link, new_account())

    assert response.status_code == 200
    assert "This username is taken" in form_errors(response, "username")[0]
    assert Invitation.objects.get().accepted_at is None


def _days(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"role": "sector"}, "role", "valid choice"),
        ({"role": "boss"}, "role", "valid choice"),
        ({"email": "geen-adres"}, "email", "valid email"),
        ({"email": "a\x00@b.example"}, "email", "Null characters"),
        ({"language": "de"}, "language", "valid choice"),
        ({"access_from": _days(1)}, "access_from", "Only an auditor"),
        (
            {"role": "auditor", "access_from": _days(5), "access_until": _days(2)},
            "access_until",
            "ends before it starts",
        ),
        ({"role": "auditor", "access_until": _days(-1)}, "access_until", "ended already"),
        ({"role": "auditor", "access_from": "1999-12-31"}, "access_from", "between 2000"),
        ({"role": "auditor", "access_until": "31-12-2026"}, "access_until", "valid date"),
    ],
)
def test_bad_invitations_are_refused_next_to_the_field(
    owner_client: Client, operator: Operator, changes: dict[str, str], field: str, message: str
) -> None:
    owner_client.cookies["django_language"] = "en"
    data = {"email": EMAIL, "role": "staff", "language": "en", **changes}

    response = owner_client.post(invite_url(operator), data)

    assert response.status_code == 200
    errors = form_errors(response, field)
    assert any(message in error for error in errors), errors
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_someone_with_access_is_not_invited_again(owner_client: Client, operator: Operator) -> None:
    owner_client.cookies["django_language"] = "en"
    user = User.objects.create_user("jef", email="JEF@melkerij.example", password=PASSWORD)
    Membership.objects.create(user=user, operator=operator, role="staff")

    response = owner_client.post(
        invite_url(operator), {"email": EMAIL, "role": "auditor", "language": "en"}
    )

    assert "has access already" in form_errors(response, "email")[0]


def test_an_accepted_invitation_cannot_be_withdrawn(
    owner_client: Client, operator: Operator
) -> None:
    owner_client.cookies["django_language"] = "en"
    Client().post(invite(owner_client, operator), new_account())
    invitation = Invitation.objects.get()

    response = owner_client.post(f"/{operator.slug}/people/invitations/{invitation.pk}/withdraw/")

    assert response.status_code == 409
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Membership.objects.filter(user__username="jef").exists()


def test_the_invitation_page_names_the_period(owner_client: Client, operator: Operator) -> None:
    start = date(2030, 3, 1)
    link = invite(
        owner_client,
        operator,
        role="auditor",
        access_from=start.isoformat(),
        access_until="2030-03-31",
    )
    client = Client()
    client.cookies["django_language"] = "en"

    page = client.get(link)

    assert "Your access runs from 03/01/2030 to 03/31/2030." in page.text
    assert "Your access runs from 03/01/2030 to 03/31/2030." in mail.outbox[0].body
