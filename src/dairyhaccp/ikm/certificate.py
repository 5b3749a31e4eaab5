"""The certificate after an audit: how long it runs, when the next audit is due, its state today.

The certification body decides between a standard (3-year) and a short (18-month) certificate;
the rule it applies is not public, so its decision is an input. The data gives the months of
each; a failed knock-out criterion or a refused unannounced audit gives no certificate.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from dairyhaccp.ikm.models import Lastenboek

Decision = Literal["standard", "short", "none"]
CertificateState = Literal["valid", "expiring", "lapsed", "none"]


@dataclass(frozen=True, slots=True)
class AuditResult:
    """The outcome of an audit as the certification body decided it."""

    decided_on: date
    decision: Decision
    failed_criteria: frozenset[str] = frozenset()
    unannounced_audit_refused: bool = False


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate runs from `valid_from` up to, not including, `expires_on`.

    `decision` is "none" when no certificate is given; `reasons` then names the knock-out
    criteria or the event that decided it.
    """

    decision: Decision
    valid_from: date | None
    expires_on: date | None
    next_audit_due: date | None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """The state of a certificate on a day, with the days left before it lapses."""

    state: CertificateState
    days_left: int | None


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where that month is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _knock_outs(lastenboek: Lastenboek, failed: Iterable[str]) -> tuple[str, ...]:
    found = []
    for criterion_id in sorted(failed):
        try:
            criterion = lastenboek.criterion(criterion_id)
        except KeyError:
            raise ValueError(f"failed_criteria: unknown criterion {criterion_id!r}") from None
        if criterion.knock_out is not None:
            found.append(criterion_id)
    return tuple(found)


def certificate_after_audit(result: AuditResult, lastenboek: Lastenboek) -> Certificate:
    """The certificate an audit result gives, by the validity rules of the lastenboek."""
    reasons = _knock_outs(lastenboek, result.failed_criteria)
    if result.unannounced_audit_refused:
        reasons = (*reasons, "unannounced_audit_refused")
    if reasons or result.decision == "none":
        return Certificate("none", None, None, None, reasons)
    months = lastenboek.certificate.months_for(result.decision)
    expires_on = add_months(result.decided_on, months)
    return Certificate(result.decision, result.decided_on, expires_on, expires_on)


def certificate_status(certificate: Certificate, on: date, remind_days: int) -> CertificateStatus:
    """valid, expiring (within `remind_days` of the end: the app's choice), lapsed, or none.

    A certificate that is not yet in force on `on` counts as none.
    """
    if remind_days < 0:
        raise ValueError("remind_days is zero or more")
    if certificate.expires_on is None or certificate.valid_from is None:
        return CertificateStatus("none", None)
    if on < certificate.valid_from:
        return CertificateStatus("none", None)
    days_left = (certificate.expires_on - on).days
    if days_left <= 0:
        return CertificateStatus("lapsed", 0)
    return CertificateStatus("expiring" if days_left <= remind_days else "valid", days_left)


def hygiene_blocks_certificate(lastenboek: Lastenboek, rating_id: str) -> bool:
    """Whether this rating of the hygiene of the surroundings gives no certificate (the data's
    rule); ValueError for a rating the data does not know."""
    try:
        rating = lastenboek.hygiene_score.surroundings.rating(rating_id)
    except KeyError:
        raise ValueError(f"rating: unknown rating {rating_id!r}") from None
    return rating.no_certificate
