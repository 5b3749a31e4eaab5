"""Optional two-factor login (TOTP) for owners and auditors."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
ACCOUNT = "/accounts/two-factor/"
ADDRESS = "192.0.2.20"


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows (`steps_ahead` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def turn_on(client: Client, user: User) -> TOTPDevice:
    client.force_login(user)
    page = english(client).get(ACCOUNT)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ACCOUNT, {"code": code_of(device)})
    assert response.status_code == 302
    client.logout()
    device.refresh_from_db()
    return device


def log_in(client: Client, user: User, password: str = PASSWORD) -> HttpResponse:
    response: HttpResponse = english(client).post(
        LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=ADDRESS
    )
    return response


def send_code(client: Client, code: str) -> HttpResponse:
    response: HttpResponse = client.post(CODE, {"code": code}, REMOTE_ADDR=ADDRESS)
    return response


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_account_page_shows_the_qr_code_and_the_secret(client: Client, owner: User) -> None:
    client.force_login(owner)

    page = english(client).get(ACCOUNT)

    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert "<svg" in page.text
    secret = re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', page.text)
    assert secret is not None
    key = secret.group(1).replace(" ", "")
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    assert device.config_url.startswith("otpauth://totp/dairyhaccp")
    assert "Turn two-factor login on" in page.text


def test_a_first_code_turns_it_on_and_a_wrong_one_does_not(client: Client, owner: User) -> None:
    client.force_login(owner)
    english(client).get(ACCOUNT)
    device = TOTPDevice.objects.get(user=owner)

    wrong = client.post(ACCOUNT, {"code": "000000" if code_of(device) != "000000" else "111111"})

    assert wrong.status_code == 200
    assert "Wrong code" in wrong.text
    assert not TOTPDevice.objects.filter(user=owner, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(ACCOUNT, {"code": code_of(device)})

    assert right.status_code == 302
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).count() == 1
    assert "Two-factor login is on" in client.get(ACCOUNT).text


def test_with_it_on_the_password_alone_does_not_log_in(client: Client, owner: User) -> None:
    turn_on(client, owner)

    response = log_in(client, owner)

    assert response.status_code == 302
    assert response["Location"] == CODE
    assert not logged_in(client)
    assert client.get("/").status_code == 302  # still the login page


def test_the_right_code_after_the_password_logs_in(client: Client, owner: User) -> None:
    device = turn_on(client, owner)
    log_in(client, owner)

    response = send_code(client, code_of(device, steps_ahead=1))

    assert response.status_code == 302
    assert logged_in(client)
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_a_wrong_code_is_refused_with_a_clear_message(client: Client, owner: User) -> None:
    device = turn_on(client, owner)
    log_in(client, owner)
    right = code_of(device, steps_ahead=1)

    response = send_code(client, "123456" if right != "123456" else "654321")

    assert response.status_code == 200
    assert "Wrong code. Type the 6 digits your authenticator app shows now." in response.text
    assert not logged_in(client)


def test_wrong_codes_lock_the_login_as_wrong_passwords_do(client: Client, owner: User) -> None:
    device = turn_on(client, owner)
    log_in(client, owner)
    wrong = "123456" if code_of(device, 1) != "123456" else "654321"

    answers = []
    for _ in range(5):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        answers.append(send_code(client, wrong).status_code)

    assert answers == [200, 200, 200, 200, 429]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    assert send_code(client, code_of(device, steps_ahead=1)).status_code == 429
    assert not logged_in(client)
    assert log_in(client, owner).status_code == 429


def test_the_code_page_without_a_password_first_goes_to_the_login(client: Client) -> None:
    response = send_code(client, "123456")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_a_code_turns_it_off_again(client: Client, owner: User) -> None:
    device = turn_on(client, owner)
    client.force_login(owner)

    response = english(client).post(ACCOUNT, {"code": code_of(device, steps_ahead=1)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    client.logout()
    assert log_in(client, owner).status_code == 302
    assert logged_in(client)


def test_turning_it_off_with_a_wrong_code_keeps_it_on(client: Client, owner: User) -> None:
    device = turn_on(client, owner)
    client.force_login(owner)
    wrong = "123456" if code_of(device, 1) != "123456" else "654321"

    response = english(client).post(ACCOUNT, {"code": wrong})

    assert response.status_code == 200
    assert "Wrong code" in response.text
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def test_other_users_log_in_with_their_password_alone(
    client: Client, owner: User, operator: Operator, make_member: Callable[..., User]
) -> None:
    auditor = make_member(operator, Role.AUDITOR)
    turn_on(client, owner)

    response = log_in(client, auditor)

    assert response.status_code == 302
    assert response["Location"] != CODE
    assert logged_in(client)


def test_auditors_may_turn_it_on_and_staff_may_not(
    client: Client, operator: Operator, make_member: Callable[..., User]
) -> None:
    auditor = make_member(operator, Role.AUDITOR)
    staff = make_member(operator, Role.STAFF)

    turn_on(client, auditor)
    client.force_login(staff)

    assert TOTPDevice.objects.filter(user=auditor, confirmed=True).exists()
    assert client.get(ACCOUNT).status_code == 403


def test_the_admin_login_goes_through_the_same_page(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_turning_it_on_ends_the_accounts_other_sessions(
    owner: User, operator: Operator, make_member: Callable[..., User]
) -> None:
    tablet, phone, colleague = Client(), Client(), Client()
    tablet.force_login(owner)
    colleague.force_login(make_member(operator, Role.STAFF))
    assert tablet.get(f"/{operator.slug}/").status_code == 200

    phone.force_login(owner)
    english(phone).get(ACCOUNT)
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert phone.post(ACCOUNT, {"code": code_of(device)}).status_code == 302

    # the tablet, logged in with the password alone, is logged out; the phone stays in
    assert tablet.get(f"/{operator.slug}/").status_code == 302
    assert not logged_in(tablet)
    assert logged_in(phone) and phone.get(f"/{operator.slug}/").status_code == 200
    # another person's session is untouched
    assert colleague.get(f"/{operator.slug}/").status_code == 200
