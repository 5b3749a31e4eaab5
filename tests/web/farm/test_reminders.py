"""Reminders e-mailed to the farm's owners: before the certificate lapses, before the next
audit is due and before the deadlines of open findings; each sent once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dairyhaccp.web.farm.models import FarmReminder
from dairyhaccp.web.farm.services import AuditInput, FindingInput, record_audit
from dairyhaccp.web.farm.services.reminders import send_farm_reminders

from .conftest import Sector

END = date(2029, 2, 20)


def before(days: int) -> date:
    return END - timedelta(days=days)


def _morning(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 7, 0))


def _certified(world: Sector, finding_deadline: date | None = None) -> None:
    """A standard certificate decided on 2026-02-20: it ends on 2029-02-20."""
    world.owner.email = "boer@example.org"
    world.owner.save()
    world.staff.email = "knecht@example.org"
    world.staff.save()
    findings = (
        (FindingInput("C-milk-cooling", grade="B", deadline=finding_deadline),)
        if finding_deadline
        else ()
    )
    with time_machine.travel(_morning(date(2026, 2, 21)), tick=False):
        record_audit(
            world.farm,
            world.auditor_a,
            AuditInput(
                body=world.body_a,
                held_on=date(2026, 2, 10),
                auditor_name="J. Auditeur",
                kind="regular",
                decision="standard",
                decided_on=date(2026, 2, 20),
                findings=findings,
            ),
        )


def _run(day: date) -> None:
    with time_machine.travel(_morning(day), tick=False):
        call_command("send_farm_reminders", "--base-url", "https://haccp.example")


def test_the_certificate_and_the_next_audit_are_reminded_once_per_lead(world: Sector) -> None:
    _certified(world)

    _run(before(121))  # nothing yet
    assert mail.outbox == []

    _run(before(120))  # 120 days before: the audit
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["boer@example.org"]  # owners only
    assert "Certalent" in message.body
    assert "https://haccp.example/klaver/farm/audits/" in message.body

    _run(before(120))  # the same day again: nothing new
    _run(before(119))
    assert len(mail.outbox) == 1

    _run(before(90))  # the certificate
    _run(before(60))  # the audit again
    _run(before(30))  # the certificate
    _run(before(7))  # the certificate
    _run(END)  # lapsed: no more
    assert len(mail.outbox) == 5
    sent = sorted(FarmReminder.objects.values_list("kind", "lead_days"))
    assert sent == [
        ("audit", 60),
        ("audit", 120),
        ("certificate", 7),
        ("certificate", 30),
        ("certificate", 90),
    ]


def test_a_missed_day_sends_the_nearest_lead_once(world: Sector) -> None:
    _certified(world)

    _run(before(19))  # the 30-day and 60-day reminders, not the 90-day one

    assert len(mail.outbox) == 1
    assert set(FarmReminder.objects.values_list("kind", "lead_days")) == {
        ("certificate", 30),
        ("audit", 60),
    }


def test_open_findings_are_reminded_before_their_deadline(world: Sector) -> None:
    _certified(world, finding_deadline=date(2026, 4, 1))

    _run(date(2026, 3, 10))
    assert mail.outbox == []
    _run(date(2026, 3, 18))  # 14 days before
    _run(date(2026, 3, 29))  # 3 days before
    _run(date(2026, 4, 1))  # the day itself
    _run(date(2026, 4, 5))  # overdue: sent already
    assert len(mail.outbox) == 3
    assert "milk" in mail.outbox[0].body.lower() or "melk" in mail.outbox[0].body.lower()


def test_no_owner_address_no_mail_and_the_reminder_stays_due(world: Sector) -> None:
    _certified(world)
    world.owner.email = ""
    world.owner.save()

    with time_machine.travel(_morning(before(19)), tick=False):
        assert send_farm_reminders(world.farm) is None
    assert mail.outbox == [] and not FarmReminder.objects.exists()
