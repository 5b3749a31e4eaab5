"""Reminders e-mailed to a farm's owners: before the certificate lapses, before the next audit
is due, before the deadlines of open audit findings. Each is sent once (recorded in
FarmReminder), so running the command twice a day, or every day, sends nothing twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.constants import (
    AUDIT_REMINDER_LEADS,
    CERTIFICATE_REMINDER_LEADS,
    FINDING_REMINDER_LEADS,
)
from dairyhaccp.web.farm.models import Audit, FarmProfile, FarmReminder
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.operators.models import Membership, Operator

CERTIFICATE = "certificate"
AUDIT = "audit"
FINDING = "finding"


@dataclass(frozen=True)
class Reminder:
    """One reminder: what, about which record, the lead reached, the date, the line to send."""

    kind: str
    ref: str
    lead: int
    due_on: date
    line: str


@dataclass(frozen=True)
class RemindersSent:
    operator: Operator
    reminders: tuple[Reminder, ...]
    recipients: tuple[str, ...]


def _lead(days_left: int, leads: Sequence[int]) -> int | None:
    """The nearest lead already reached (the smallest lead at or above `days_left`)."""
    reached = [lead for lead in leads if days_left <= lead]
    return min(reached) if reached else None


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _certificate_reminders(operator: Operator, today: date) -> list[Reminder]:
    now = selectors.certificate_now(operator, today)
    audit, certificate = now.audit, now.certificate
    if audit is None or certificate is None or certificate.expires_on is None:
        return []
    found = []
    days_left = (certificate.expires_on - today).days
    lead = _lead(days_left, CERTIFICATE_REMINDER_LEADS) if days_left > 0 else None
    if lead is not None:
        found.append(
            Reminder(
                CERTIFICATE,
                str(audit.pk),
                lead,
                certificate.expires_on,
                _("The certificate ends on {day} ({days} days from now).").format(
                    day=_day(certificate.expires_on), days=days_left
                ),
            )
        )
    due = certificate.next_audit_due
    held_since = Audit.objects.for_operator(operator).filter(held_on__gt=audit.held_on).exists()
    if due is not None and not held_since:
        days_left = (due - today).days
        lead = _lead(days_left, AUDIT_REMINDER_LEADS) if days_left > 0 else None
        if lead is not None:
            found.append(
                Reminder(
                    AUDIT,
                    str(audit.pk),
                    lead,
                    due,
                    _("The next audit is due before {day}: agree on a date with {body}.").format(
                        day=_day(due), body=audit.body.operator.name
                    ),
                )
            )
    return found


def _finding_reminders(operator: Operator, today: date) -> list[Reminder]:
    book = selectors.lastenboek()
    found = []
    for finding in selectors.open_findings(operator).filter(deadline__isnull=False):
        assert finding.deadline is not None
        days_left = (finding.deadline - today).days
        lead = _lead(days_left, FINDING_REMINDER_LEADS)
        if lead is None:
            continue
        try:
            criterion = book.criterion(finding.criterion_id).text.get(guide_language())
        except KeyError:
            criterion = finding.criterion_id
        line = (
            _("Open finding, to be closed by {day}: {criterion}")
            if days_left >= 0
            else _("Open finding, overdue since {day}: {criterion}")
        ).format(day=_day(finding.deadline), criterion=criterion)
        found.append(Reminder(FINDING, str(finding.pk), lead, finding.deadline, line))
    return found


def due_reminders(operator: Operator, today: date) -> list[Reminder]:
    """The reminders a farm should get today that were not sent before."""
    candidates = _certificate_reminders(operator, today) + _finding_reminders(operator, today)
    sent = set(FarmReminder.objects.for_operator(operator).values_list("kind", "ref", "lead_days"))
    return [r for r in candidates if (r.kind, r.ref, r.lead) not in sent]


def reminder_recipients(operator: Operator) -> list[str]:
    """The e-mail addresses of the farm's owners."""
    emails = (
        Membership.objects.filter(operator=operator, role=Role.OWNER, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def farms() -> list[Operator]:
    """The operators with a farm profile, by slug."""
    return list(
        Operator.objects.filter(pk__in=FarmProfile.objects.values("operator_id")).order_by("slug")
    )


@transaction.atomic
def send_farm_reminders(
    operator: Operator, today: date | None = None, base_url: str = ""
) -> RemindersSent | None:
    """E-mail the farm's owners the reminders due and not yet sent, and record them; None
    when there is none or nobody to send them to (then they stay due)."""
    today = today or timezone.localdate()
    recipients = reminder_recipients(operator)
    if not recipients:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        reminders = due_reminders(operator, today)
        if not reminders:
            return None
        context = {
            "operator": operator,
            "day": today,
            "reminders": reminders,
            "today_url": base_url.rstrip("/")
            + reverse("farm:today", kwargs={"operator_slug": operator.slug}),
            "audits_url": base_url.rstrip("/")
            + reverse("farm:audits", kwargs={"operator_slug": operator.slug}),
        }
        subject = render_to_string("farm/email/reminders_subject.txt", context).strip()
        body = render_to_string("farm/email/reminders.txt", context)
    FarmReminder.objects.bulk_create(
        [
            FarmReminder(
                operator=operator,
                kind=r.kind,
                ref=r.ref,
                lead_days=r.lead,
                due_on=r.due_on,
                sent_on=today,
                sent_to=", ".join(recipients),
            )
            for r in reminders
        ]
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return RemindersSent(operator, tuple(reminders), tuple(recipients))
