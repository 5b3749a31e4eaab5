"""Sign-up of a new business: a link by e-mail, then the owner's account, the business and the
profile wizard; the link works once and expires."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from dairyhaccp.web.operators.models import Membership, Operator, PendingSignUp
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.operators.services import emails as email_service

from .conftest import NEW_PASSWORD, UNIT_NUMBER, form_errors, link_in_mail, signup_data

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


def sign_up(client: Client, **changes: str) -> str:
    """Sign up and return the path of the link in the e-mail."""
    response = client.post(SIGNUP, signup_data(**changes))
    assert response.status_code == 302, response.context["form"].errors
    return link_in_mail()


def test_signing_up_mails_a_link_and_makes_nothing_yet(english: Client) -> None:
    response = english.post(SIGNUP, signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an@klaverblad.example"]
    assert "Hoeve Het Klaverblad" in mail.outbox[0].subject
    assert link_in_mail().startswith("/accounts/signup/verify/")
    assert not User.objects.filter(username="an").exists()
    assert not Operator.objects.exists()
    sent = english.get(response["Location"])
    assert "an@klaverblad.example" in sent.text
    assert "48 hours" in sent.text


def test_following_the_link_makes_the_owner_and_the_business_and_opens_the_wizard(
    english: Client,
) -> None:
    link = sign_up(english)

    # Opening the link (as a mail scanner would) changes nothing.
    page = english.get(link)
    assert page.status_code == 200
    assert "Hoeve Het Klaverblad" in page.text
    assert not Operator.objects.exists()

    response = english.post(link)

    operator = Operator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/{operator.slug}/plan/profile/"
    assert operator.slug == "hoeve-het-klaverblad"
    assert operator.name == "Hoeve Het Klaverblad"
    assert operator.address == "Kerkstraat 12\n9870 Zulte"
    assert operator.favv_number == UNIT_NUMBER
    assert operator.kind == "both"
    user = User.objects.get(username="an")
    assert (user.email, user.first_name, user.last_name) == (
        "an@klaverblad.example",
        "An",
        "Peeters",
    )
    assert user.check_password(NEW_PASSWORD)
    assert user.is_active
    assert Membership.objects.get(user=user, operator=operator).role == "owner"
    wizard = english.get(response["Location"])
    assert wizard.status_code == 200
    assert wizard.context["user"] == user
    assert PendingSignUp.objects.get().password_hash == ""


def test_the_new_owner_logs_in_with_the_chosen_password(english: Client) -> None:
    english.post(sign_up(english))
    english.logout()

    response = english.post("/accounts/login/", {"username": "an", "password": NEW_PASSWORD})

    assert response.status_code == 302


def test_the_link_works_once(english: Client) -> None:
    link = sign_up(english)
    english.post(link)

    again = Client()
    assert again.get(link).status_code == 410
    response = again.post(link)

    assert response.status_code == 410
    assert "used already" in english.get(link).text
    assert User.objects.filter(username="an").count() == 1
    assert Operator.objects.count() == 1


def test_an_expired_link_is_refused_and_makes_nothing(english: Client) -> None:
    link = sign_up(english)

    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1), tick=False):
        page = english.get(link)
        response = english.post(link)

    assert page.status_code == 410
    assert "expired" in page.text
    assert response.status_code == 410
    assert not User.objects.filter(username="an").exists()
    assert not Operator.objects.exists()


def test_the_link_still_works_just_before_it_expires(english: Client) -> None:
    link = sign_up(english)

    with time_machine.travel(timezone.now() + timedelta(hours=47, minutes=59), tick=False):
        response = english.post(link)

    assert response.status_code == 302


@override_settings(SIGNUP_LINK_VALID_HOURS=2)
def test_the_link_lasts_as_long_as_the_setting_says(english: Client) -> None:
    link = sign_up(english)

    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1), tick=False):
        assert english.get(link).status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.split(":")[0],
        lambda token: "x" * 300,
    ],
)
def test_a_damaged_link_is_refused(english: Client, tamper: object) -> None:
    link = sign_up(english)
    token = link.removeprefix("/accounts/signup/verify/").removesuffix("/")

    response = english.post(f"/accounts/signup/verify/{tamper(token)}/")  # type: ignore[operator]

    assert response.status_code == 404
    assert not Operator.objects.exists()


def test_signing_up_again_makes_the_older_link_useless(english: Client) -> None:
    first = sign_up(english)
    second = sign_up(english)

    assert english.post(first).status_code == 404
    assert english.post(second).status_code == 302
    assert Operator.objects.count() == 1


def test_a_username_taken_before_verification_is_told_and_nothing_is_made(
    english: Client,
) -> None:
    link = sign_up(english)
    User.objects.create_user("an", password="iemand-anders-1")

    response = english.post(link)

    assert response.status_code == 409
    assert "username is taken" in response.text
    assert not Operator.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"favv_number": "2123456792"}, "favv_number", "last two digits"),
        ({"favv_number": "212345679"}, "favv_number", "10 digits"),
        ({"favv_number": "0123456749"}, "favv_number", "starts with a digit from 2 to 8"),
        ({"favv_number": ""}, "favv_number", "required"),
        ({"address": ""}, "address", "required"),
        ({"name": "   "}, "name", "required"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"name": "Hoeve\x00"}, "name", "Null characters"),
        ({"kind": "cheese_shop"}, "kind", "valid choice"),
        ({"email": "geen-adres"}, "email", "valid email"),
        ({"username": "an peeters"}, "username", "valid username"),
        ({"password2": "iets-anders-99"}, "password2", "didn’t match"),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "too common"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_sent(
    english: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = english.post(SIGNUP, signup_data(**changes))

    assert response.status_code == 200
    assert any(message in error for error in form_errors(response, field)), form_errors(
        response, field
    )
    assert mail.outbox == []
    assert not PendingSignUp.objects.exists()


def test_a_taken_username_or_address_is_refused_at_once(english: Client) -> None:
    User.objects.create_user("an", email="An@Klaverblad.example", password="x-y-z-123")

    response = english.post(SIGNUP, signup_data())

    assert "This username is taken" in form_errors(response, "username")[0]
    assert "exists already" in form_errors(response, "email")[0]
    assert mail.outbox == []


def test_a_mail_server_that_fails_is_told_and_nothing_is_kept(
    english: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise SMTPException("451 try later")

    monkeypatch.setattr(email_service, "send_mail", refuse)

    response = english.post(SIGNUP, signup_data())

    assert response.status_code == 200
    assert "could not be sent" in response.text
    assert not PendingSignUp.objects.exists()


def test_the_short_name_of_a_new_business_is_made_free(english: Client) -> None:
    create_operator("Hoeve Het Klaverblad")
    english.post(sign_up(english))

    assert Operator.objects.filter(slug="hoeve-het-klaverblad-2").exists()


def test_a_name_that_is_a_site_address_gets_another_short_name(english: Client) -> None:
    english.post(sign_up(english, name="Accounts"))

    assert Operator.objects.get().slug == "accounts-2"


def test_a_logged_in_user_adds_a_business_at_once(client: Client) -> None:
    user = User.objects.create_user("melker", password="m-e-l-k-1234")
    client.force_login(user)
    business = {
        k: v for k, v in signup_data().items() if k in {"name", "address", "favv_number", "kind"}
    }

    response = client.post(SIGNUP, business)

    operator = Operator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/{operator.slug}/plan/profile/"
    assert Membership.objects.get(operator=operator).user == user
    assert mail.outbox == []


def test_the_signup_page_asks_for_the_business_and_the_owner(english: Client) -> None:
    response = english.get(SIGNUP)

    assert response.status_code == 200
    for name in ("name", "address", "favv_number", "kind", "email", "username", "password1"):
        assert f'name="{name}"' in response.text
    for kind in ("processor", "dairy_farm", "both"):
        assert f'value="{kind}"' in response.text
    assert "dairy_farm" not in response.text.replace('value="dairy_farm"', "")


def test_the_login_page_links_to_sign_up_and_password_reset(english: Client) -> None:
    response = english.get("/accounts/login/")

    assert 'href="/accounts/signup/"' in response.text
    assert 'href="/accounts/password_reset/"' in response.text
