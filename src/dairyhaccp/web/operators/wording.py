"""Sentences of the operators context shared by pages, the API and e-mails."""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.models import Membership


def short_date(day: date) -> str:
    """A date in the page's language, e.g. 31-12-2026 in Dutch."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def period_refusal(membership: Membership) -> str:
    """Why a member is refused outside the period their access is limited to."""
    business = membership.operator.name
    start, end = membership.access_from, membership.access_until
    if start is not None and end is not None:
        return _("Your access to {business} runs from {start} to {end}.").format(
            business=business, start=short_date(start), end=short_date(end)
        )
    if start is not None:
        return _("Your access to {business} starts on {start}.").format(
            business=business, start=short_date(start)
        )
    if end is not None:
        return _("Your access to {business} ran until {end}.").format(
            business=business, end=short_date(end)
        )
    return _("Your access to {business} holds today.").format(business=business)
