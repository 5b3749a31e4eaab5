"""The daily summary e-mail: overdue checks and open deviations, to owners and staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dairyhaccp.web.operators.choices import WRITING_ROLES
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.presentation import control_title, duty_rows


@dataclass(frozen=True)
class SummarySent:
    """What the summary of one operator held, and to whom it went."""

    operator: Operator
    overdue: int
    open_deviations: int
    recipients: tuple[str, ...]


def summary_recipients(operator: Operator) -> list[str]:
    """The e-mail addresses of the operator's owners and staff (auditors are not sent it)."""
    emails = (
        Membership.objects.filter(operator=operator, role__in=WRITING_ROLES, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def send_daily_summary(
    operator: Operator, now: datetime | None = None, base_url: str = ""
) -> SummarySent | None:
    """E-mail the overdue checks and open deviations of one operator; None when there is
    nothing to report, no plan, or nobody to send it to."""
    current = selectors.operator_plan(operator)
    if current is None:
        return None
    now = now or timezone.now()
    recipients = summary_recipients(operator)
    with translation.override(settings.LANGUAGE_CODE):
        agenda = selectors.agenda(operator, current.plan, now)
        overdue = duty_rows(agenda.section("overdue"), operator.slug)
        deviations = [
            {
                "title": control_title(current.plan, d.control_id),
                "opened_at": d.opened_at,
                "url": base_url.rstrip("/")
                + reverse(
                    "records:deviation",
                    kwargs={"operator_slug": operator.slug, "deviation_id": d.pk},
                ),
            }
            for d in selectors.open_deviations(operator)
        ]
        if not (overdue or deviations) or not recipients:
            return None
        context = {
            "operator": operator,
            "day": timezone.localtime(now).date(),
            "overdue": overdue,
            "deviations": deviations,
            "today_url": base_url.rstrip("/")
            + reverse("records:today", kwargs={"operator_slug": operator.slug}),
        }
        subject = render_to_string("records/email/daily_summary_subject.txt", context).strip()
        body = render_to_string("records/email/daily_summary.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return SummarySent(operator, len(overdue), len(deviations), tuple(recipients))
