"""The farm's notifications (duty to notify) and their follow-up, as versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dairyhaccp.web.farm.choices import NotificationKind
from dairyhaccp.web.farm.models import Notification
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.profile import lock
from dairyhaccp.web.operators.models import Operator


@dataclass(frozen=True)
class NotificationInput:
    """What was notified, when, to whom, and what followed."""

    kind: str
    occurred_on: date
    notified_on: date
    notified_to: str
    description: str = ""
    follow_up: str = ""
    closed: bool = False


def _fields(data: NotificationInput) -> dict[str, object]:
    if data.kind not in NotificationKind.values:
        raise FarmInputError("kind", _("unknown kind of notification"))
    occurred_on = checks.past_day(data.occurred_on, "occurred_on")
    notified_on = checks.past_day(data.notified_on, "notified_on")
    if notified_on < occurred_on:
        raise FarmInputError("notified_on", _("lies before the day it was found"))
    return {
        "kind": data.kind,
        "occurred_on": occurred_on,
        "notified_on": notified_on,
        "notified_to": checks.text(data.notified_to, "notified_to", 200, required=True),
        "description": checks.text(data.description, "description", 2000),
        "follow_up": checks.text(data.follow_up, "follow_up", 2000),
        "closed": bool(data.closed),
    }


@transaction.atomic
def record_notification(operator: Operator, user: User, data: NotificationInput) -> Notification:
    """Record a notification the farm made."""
    return Notification.objects.create(operator=operator, recorded_by=user, **_fields(data))


@transaction.atomic
def follow_up_notification(
    notification: Notification, user: User, data: NotificationInput
) -> Notification:
    """Store a new version of a notification (its follow-up); the earlier versions stay."""
    lock(notification.operator)
    latest = (
        Notification.objects.filter(operator=notification.operator, chain=notification.chain)
        .order_by("-version")
        .first()
    )
    assert latest is not None
    if latest.pk != notification.pk:
        raise FarmInputError("notification", _("only the latest version can be changed"))
    return Notification.objects.create(
        operator=notification.operator,
        chain=notification.chain,
        version=latest.version + 1,
        recorded_by=user,
        **_fields(data),
    )
