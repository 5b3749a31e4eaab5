"""What is due, in Brussels time across the daylight-saving changes, and the daily e-mail."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dairyhaccp.monitoring.schedule import DueStatus
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.services import (
    RegistrationInput,
    create_batch,
    create_room,
    record_registration,
    send_daily_summary,
)

from .conftest import demo_profile

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


def status_of(operator: Operator, key: str, target: str) -> DueStatus:
    current = selectors.operator_plan(operator)
    assert current is not None
    agenda = selectors.agenda(operator, current.plan)
    return next(d.status for d in agenda.duties if d.key == key and d.target_name == target)


@pytest.fixture
def strict_with_cellar(operator: Operator, owner: User) -> Operator:
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        Operator.objects.filter(pk=operator.pk).update(created_at=at(2026, 3, 20, 9))
        operator.refresh_from_db()
        save_profile(operator, owner, demo_profile(relaxations=False))
        create_room(operator, "Kelder", "ripening_room", product="Hoevekaas")
    return operator


def test_a_daily_check_across_the_spring_change(strict_with_cellar: Operator, owner: User) -> None:
    operator = strict_with_cellar
    room = selectors.rooms(operator).get()
    # given the check done late on Saturday 28 March (the night the clocks go forward)
    with time_machine.travel(at(2026, 3, 28, 23, 30), tick=False):
        record_registration(
            operator, owner, RegistrationInput("CCP 13", {"temperature_c": 13}, room=room)
        )
        assert status_of(operator, "ccp13-temperature", "Kelder") is DueStatus.DONE
    # then Sunday, 23 hours long, asks its own check until its last minute
    with time_machine.travel(at(2026, 3, 29, 23, 59), tick=False):
        assert status_of(operator, "ccp13-temperature", "Kelder") is DueStatus.DUE
    # and just after midnight on Monday, Sunday's missed check is overdue
    with time_machine.travel(at(2026, 3, 30, 0, 1), tick=False):
        assert status_of(operator, "ccp13-temperature", "Kelder") is DueStatus.OVERDUE


def test_a_production_check_turns_overdue_after_24_real_hours_across_the_autumn_change(
    strict: Operator, owner: User
) -> None:
    with time_machine.travel(at(2026, 10, 24, 12), tick=False):
        create_batch(strict, owner, "Y-24", "Roeryoghurt")
    # 25 October has 25 hours: 24 real hours after 12:00 summer time is 11:00 winter time.
    with time_machine.travel(at(2026, 10, 25, 10, 59), tick=False):
        assert status_of(strict, "ccp9-time-temperature", "Y-24") is DueStatus.DUE
    with time_machine.travel(at(2026, 10, 25, 11, 1), tick=False):
        assert status_of(strict, "ccp9-time-temperature", "Y-24") is DueStatus.OVERDUE


def test_the_today_page_shows_what_is_overdue_in_red(
    client: Client, owner: User, strict_with_cellar: Operator
) -> None:
    client.force_login(owner)
    with time_machine.travel(at(2026, 3, 30, 8), tick=False):
        html = client.get(
            reverse("records:today", kwargs={"operator_slug": "de-wei"})
        ).content.decode()
    cellar = html.split('id="place-ripening-cellar"')[1].split("</section>")[0]
    assert "duty-overdue" in cellar and "Kelder" in cellar


def test_the_daily_summary_mails_overdue_checks_and_open_deviations(
    owner: User,
    strict_with_cellar: Operator,
    make_member,  # type: ignore[no-untyped-def]
) -> None:
    operator = strict_with_cellar
    owner.email = "kaas@example.org"
    owner.save()
    auditor = make_member(operator, Role.AUDITOR)
    auditor.email = "auditor@example.org"
    auditor.save()
    with time_machine.travel(at(2026, 3, 30, 6), tick=False):
        batch = create_batch(operator, owner, "Y-30", "Roeryoghurt")
        record_registration(
            operator,
            owner,
            RegistrationInput("CCP 9", {"temperature_c": 70, "hold_s": 20}, batch=batch),
        )
        call_command("send_daily_summary", "--base-url", "https://haccp.example")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kaas@example.org"]
    assert "CCP 9" in message.body and "CCP 13" in message.body
    assert "https://haccp.example/de-wei/records/deviations/" in message.body


def test_no_summary_when_there_is_nothing_to_report(owner: User, planned: Operator) -> None:
    owner.email = "kaas@example.org"
    owner.save()
    assert send_daily_summary(planned) is None
    call_command("send_daily_summary")
    assert mail.outbox == []
