"""Password reset by e-mail and password change: Django's own views, with the login lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from .conftest import NEW_PASSWORD, PASSWORD, link_in_mail

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"
LOGIN = "/accounts/login/"
FARM = "192.0.2.10"


@pytest.fixture
def cheesemaker(db: None) -> User:
    return User.objects.create_user("kaasmaker", email="kaas@wei.example", password=PASSWORD)


def log_in(client: Client, password: str, username: str = "kaasmaker") -> int:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=FARM)
    return int(response.status_code)


def choose_new_password(client: Client, link: str, password: str = NEW_PASSWORD) -> str:
    """Follow the reset link, post the new password, return where it leads."""
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"], "the reset link was refused"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )
    assert response.status_code == 302, response.context["form"].errors
    return str(response["Location"])


def test_a_reset_mails_a_link_and_the_new_password_works(
    english: Client, cheesemaker: User
) -> None:
    response = english.post(RESET, {"email": "KAAS@wei.example"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox[0].to == ["kaas@wei.example"]
    assert mail.outbox[0].subject == "A new password for dairyhaccp"
    assert "kaasmaker" in mail.outbox[0].body
    link = link_in_mail()
    assert link.startswith("/accounts/reset/")

    assert choose_new_password(english, link) == "/accounts/reset/done/"

    assert log_in(Client(), NEW_PASSWORD) == 302
    assert log_in(Client(), PASSWORD) == 200


def test_a_reset_link_works_once(english: Client, cheesemaker: User) -> None:
    english.post(RESET, {"email": "kaas@wei.example"})
    link = link_in_mail()
    choose_new_password(english, link)

    again = Client()
    again.cookies["django_language"] = "en"
    response = again.get(link, follow=True)

    assert response.context["validlink"] is False
    assert "This link does not work" in response.text
    assert User.objects.get(username="kaasmaker").check_password(NEW_PASSWORD)


def test_a_reset_link_expires_after_a_day(english: Client, cheesemaker: User) -> None:
    english.post(RESET, {"email": "kaas@wei.example"})
    link = link_in_mail()

    # Brussels time: Django's reset tokens count in local time, and time_machine takes the zone
    # of the destination as the local zone.
    with time_machine.travel(timezone.localtime() + timedelta(hours=24, minutes=1), tick=False):
        response = english.get(link, follow=True)

    assert response.context["validlink"] is False


def test_a_reset_link_works_within_the_day(english: Client, cheesemaker: User) -> None:
    english.post(RESET, {"email": "kaas@wei.example"})
    link = link_in_mail()

    with time_machine.travel(timezone.localtime() + timedelta(hours=23, minutes=59), tick=False):
        response = english.get(link, follow=True)

    assert response.context["validlink"] is True


def test_an_unknown_address_gets_the_same_answer_and_no_mail(english: Client) -> None:
    response = english.post(RESET, {"email": "niemand@wei.example"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_reset_lifts_the_login_lock_of_that_username(english: Client, cheesemaker: User) -> None:
    statuses = [log_in(Client(), "fout") for _ in range(5)]
    assert statuses[-1] == 429
    assert log_in(Client(), PASSWORD) == 429

    english.post(RESET, {"email": "kaas@wei.example"})
    choose_new_password(english, link_in_mail())

    assert log_in(Client(), NEW_PASSWORD) == 302


def test_the_locked_out_page_points_to_a_password_reset(english: Client, cheesemaker: User) -> None:
    for _ in range(5):
        response = english.post(
            LOGIN, {"username": "kaasmaker", "password": "fout"}, REMOTE_ADDR=FARM
        )

    assert response.status_code == 429
    assert 'href="/accounts/password_reset/"' in response.text


def test_a_member_changes_the_password(english: Client, cheesemaker: User) -> None:
    english.force_login(cheesemaker)

    response = english.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_change/done/"
    assert english.get(response["Location"]).status_code == 200  # still logged in
    assert log_in(Client(), NEW_PASSWORD) == 302


def test_a_wrong_old_password_changes_nothing(english: Client, cheesemaker: User) -> None:
    english.force_login(cheesemaker)

    response = english.post(
        "/accounts/password_change/",
        {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert User.objects.get(username="kaasmaker").check_password(PASSWORD)


def test_changing_the_password_needs_a_login(client: Client) -> None:
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/done/",
    ],
)
def test_the_password_pages_are_our_own_not_the_admins(english: Client, path: str) -> None:
    response = english.get(path)

    assert response.status_code == 200
    assert "Django administration" not in response.text
    assert 'class="topbar' in response.text
