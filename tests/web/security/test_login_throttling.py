"""Login throttling: repeated wrong passwords lock a username at an address for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from dairyhaccp.web.operators.lockout import client_address

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
FARM = "192.0.2.10"
ELSEWHERE = "198.51.100.7"


def log_in(client: Client, username: str, password: str, address: str = FARM) -> HttpResponse:
    response: HttpResponse = client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response


def fail(client: Client, username: str, times: int, address: str = FARM) -> list[int]:
    """Try a wrong password `times` times; return the status of each answer."""
    return [log_in(client, username, "fout", address).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_login_with_a_clear_page(client: Client, owner: User) -> None:
    client.cookies["django_language"] = "en"
    assert fail(client, owner.username, 4) == [200] * 4  # the form again, with its error

    fifth = log_in(client, owner.username, "fout")

    assert fifth.status_code == 429
    assert fifth["Retry-After"] == str(15 * 60)
    assert "Login locked for a while" in fifth.text
    assert "The password was wrong 5 times in a row" in fifth.text
    assert "locked for 15 minutes" in fifth.text


def test_a_locked_login_refuses_even_the_right_password(client: Client, owner: User) -> None:
    fail(client, owner.username, 5)

    response = log_in(client, owner.username, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_at_that_address_only(client: Client, owner: User) -> None:
    other = User.objects.create_user("melker", password=PASSWORD)
    fail(client, owner.username, 5)

    same_user_elsewhere = log_in(Client(), owner.username, PASSWORD, ELSEWHERE)
    other_user_same_address = log_in(Client(), other.username, PASSWORD, FARM)

    assert same_user_elsewhere.status_code == 302
    assert other_user_same_address.status_code == 302


def test_after_the_cool_off_the_right_password_works_again(client: Client, owner: User) -> None:
    fail(client, owner.username, 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = log_in(client, owner.username, PASSWORD)

    assert response.status_code == 302


def test_within_the_cool_off_the_lock_holds(client: Client, owner: User) -> None:
    fail(client, owner.username, 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        response = log_in(client, owner.username, PASSWORD)

    assert response.status_code == 429


def test_a_good_login_forgets_earlier_mistakes(client: Client, owner: User) -> None:
    assert fail(client, owner.username, 4) == [200] * 4
    assert log_in(client, owner.username, PASSWORD).status_code == 302
    client.logout()

    assert fail(client, owner.username, 4) == [200] * 4

    assert log_in(client, owner.username, PASSWORD).status_code == 302


def test_the_admin_login_is_the_throttled_login(client: Client, owner: User) -> None:
    owner.is_staff = True
    owner.save()

    posted = client.post(
        "/admin/login/?next=/admin/",
        {"username": owner.username, "password": PASSWORD},
        REMOTE_ADDR=FARM,
    )

    # The admin takes no password of its own: it sends to the login page, throttled as above.
    assert posted.status_code == 302
    assert posted["Location"] == "/accounts/login/?next=/admin/"
    assert "_auth_user_id" not in client.session
    fail(client, owner.username, 5)
    assert log_in(client, owner.username, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded_for", "expected"),
    [
        (False, "203.0.113.5", "10.0.0.2"),  # no proxy: a header proves nothing
        (True, "203.0.113.5", "203.0.113.5"),
        (True, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # only the proxy's own entry counts
        (True, "203.0.113.5, not-an-address", "10.0.0.2"),
        (True, "", "10.0.0.2"),
        (True, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_address_is_the_one_our_proxy_saw(
    rf: RequestFactory, behind_proxy: bool, forwarded_for: str, expected: str
) -> None:
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    with override_settings(BEHIND_TLS_PROXY=behind_proxy):
        assert client_address(request) == expected
