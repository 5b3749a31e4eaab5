"""Loggers: adding them to a room, and the push token a logger sends its readings with."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.bounds import text_problem
from dairyhaccp.web.loggers.constants import DEVICE_TOKEN_PREFIX, MAX_INTERVAL_MIN
from dairyhaccp.web.loggers.models import Device
from dairyhaccp.web.loggers.services.errors import LoggerError
from dairyhaccp.web.operators.choices import WRITING_ROLES
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.records.models import Room


@dataclass(frozen=True)
class DeviceSettings:
    """What a user sets of a logger."""

    name: str
    room: Room
    serial: str = ""
    max_interval_min: int = 30


@dataclass(frozen=True)
class IssuedDeviceToken:
    """A new push token: the logger and the clear token, shown to the user this once."""

    device: Device
    clear_token: str


def hash_device_token(clear_token: str) -> str:
    """The stored form of a clear push token (random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(clear_token.encode()).hexdigest()


def _checked(operator: Operator, settings: DeviceSettings) -> DeviceSettings:
    name, serial = settings.name.strip(), settings.serial.strip()
    if not name:
        raise LoggerError("name", _("give the logger a name"))
    for field, value, length in (("name", name, 100), ("serial", serial, 100)):
        problem = text_problem(value, length)
        if problem:
            raise LoggerError(field, problem)
    if settings.room.operator_id != operator.pk:
        raise LoggerError("room", _("not found"))
    interval = settings.max_interval_min
    if (
        isinstance(interval, bool)
        or not isinstance(interval, int)
        or not (1 <= interval <= MAX_INTERVAL_MIN)
    ):
        raise LoggerError(
            "max_interval_min",
            _("give a whole number of minutes from 1 to {most}").format(most=MAX_INTERVAL_MIN),
        )
    return DeviceSettings(name, settings.room, serial, interval)


@transaction.atomic
def create_device(operator: Operator, user: User, settings: DeviceSettings) -> Device:
    """Add a logger to a room of the operator."""
    settings = _checked(operator, settings)
    device = Device(
        operator=operator,
        name=settings.name,
        room=settings.room,
        serial=settings.serial,
        max_interval_min=settings.max_interval_min,
        created_by=user,
    )
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        raise LoggerError("name", _("another logger has this name")) from None
    return device


@transaction.atomic
def update_device(device: Device, settings: DeviceSettings, active: bool = True) -> Device:
    """Change a logger's name, room, serial or interval; its stored days stay as they were."""
    settings = _checked(device.operator, settings)
    device.name, device.room, device.serial = settings.name, settings.room, settings.serial
    device.max_interval_min = settings.max_interval_min
    device.active = active
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        raise LoggerError("name", _("another logger has this name")) from None
    return device


@transaction.atomic
def issue_device_token(device: Device, user: User) -> IssuedDeviceToken:
    """A new push token for the logger, acting for `user`; the previous one stops working."""
    membership = Membership.objects.filter(user=user, operator_id=device.operator_id).first()
    if membership is None or membership.role not in WRITING_ROLES:
        raise LoggerError("token", _("only an owner or staff member can give a logger a token"))
    clear_token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    device.token_hash = hash_device_token(clear_token)
    device.token_user = user
    device.token_issued_at = timezone.now()
    device.save(update_fields=["token_hash", "token_user", "token_issued_at"])
    return IssuedDeviceToken(device, clear_token)


@transaction.atomic
def revoke_device_token(device: Device) -> Device:
    """Stop the logger's push token; it can no longer send readings."""
    device.token_hash = None
    device.token_user = None
    device.token_issued_at = None
    device.save(update_fields=["token_hash", "token_user", "token_issued_at"])
    return device


def authenticate_device_token(clear_token: str) -> Device | None:
    """The logger of `clear_token`, if in use and its user still writes for the operator."""
    if not clear_token.startswith(DEVICE_TOKEN_PREFIX) or len(clear_token) > 200:
        return None
    device = (
        Device.objects.select_related("token_user", "operator", "room")
        .filter(token_hash=hash_device_token(clear_token), active=True)
        .first()
    )
    if device is None or device.token_user is None or not device.token_user.is_active:
        return None
    membership = Membership.objects.filter(
        user=device.token_user, operator_id=device.operator_id
    ).first()
    if membership is None or membership.role not in WRITING_ROLES:
        return None
    return device
