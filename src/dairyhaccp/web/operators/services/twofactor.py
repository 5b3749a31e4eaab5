"""Optional two-factor login (TOTP, django-otp) for owners and auditors."""

from __future__ import annotations

import base64

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership

# The roles that may protect their login with a code.
TWO_FACTOR_ROLES: frozenset[str] = frozenset({Role.OWNER, Role.AUDITOR})
DEVICE_NAME = "dairyhaccp"


def may_use_two_factor(user: User) -> bool:
    return Membership.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's authenticator, once a first code confirmed it."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up: made once, kept until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm(device: TOTPDevice, code: str) -> bool:
    """Turn two-factor login on when `code` is the authenticator's current code."""
    if device.confirmed or not verify(device, code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def turn_off(user: User, code: str) -> bool:
    """Turn two-factor login off with a current code; False when the code is wrong."""
    device = confirmed_device(user)
    if device is None or not verify(device, code):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def verify(device: TOTPDevice, code: str) -> bool:
    code = code.strip().replace(" ", "")
    return code.isdigit() and len(code) == device.digits and bool(device.verify_token(code))


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def end_other_sessions(user: User, keep: str | None) -> int:
    """Log the user out everywhere but in the session `keep` (its key): the sessions opened
    with the password alone before two-factor login was turned on. Returns how many ended."""
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep or "")
    for session in live.only("session_key", "session_data").iterator(chunk_size=500):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
