"""Certificate validity after an audit, the next audit due, and reminders before it lapses."""

from __future__ import annotations

from datetime import date

import pytest

from dairyhaccp.ikm.certificate import (
    AuditResult,
    Certificate,
    CertificateStatus,
    add_months,
    certificate_after_audit,
    certificate_status,
)
from dairyhaccp.ikm.loader import load_lastenboek
from dairyhaccp.ikm.models import Lastenboek


@pytest.fixture(scope="module")
def lastenboek() -> Lastenboek:
    return load_lastenboek()


def test_a_standard_certificate_runs_three_years(lastenboek: Lastenboek) -> None:
    result = AuditResult(decided_on=date(2024, 3, 15), decision="standard")

    assert certificate_after_audit(result, lastenboek) == Certificate(
        "standard", date(2024, 3, 15), date(2027, 3, 15), date(2027, 3, 15)
    )


def test_a_short_certificate_runs_eighteen_months_to_the_shorter_month_end(
    lastenboek: Lastenboek,
) -> None:
    result = AuditResult(decided_on=date(2024, 8, 31), decision="short")

    certificate = certificate_after_audit(result, lastenboek)

    assert certificate.expires_on == date(2026, 2, 28)
    assert certificate.next_audit_due == date(2026, 2, 28)


def test_poor_farmyard_hygiene_gives_no_certificate(lastenboek: Lastenboek) -> None:
    result = AuditResult(
        decided_on=date(2024, 6, 1),
        decision="standard",
        failed_criteria=frozenset({"H-surroundings-hygiene", "H-feed-troughs"}),
    )

    assert certificate_after_audit(result, lastenboek) == Certificate(
        "none", None, None, None, ("H-surroundings-hygiene",)
    )


def test_failing_an_ordinary_criterion_leaves_the_decision_to_the_body(
    lastenboek: Lastenboek,
) -> None:
    result = AuditResult(
        date(2024, 6, 1), "short", failed_criteria=frozenset({"A-antibiotics-registered"})
    )

    assert certificate_after_audit(result, lastenboek).decision == "short"


def test_refusing_an_unannounced_audit_loses_the_certificate(lastenboek: Lastenboek) -> None:
    result = AuditResult(date(2024, 6, 1), "standard", unannounced_audit_refused=True)

    certificate = certificate_after_audit(result, lastenboek)

    assert certificate.decision == "none"
    assert certificate.reasons == ("unannounced_audit_refused",)


def test_an_unknown_failed_criterion_is_refused(lastenboek: Lastenboek) -> None:
    result = AuditResult(date(2024, 6, 1), "standard", failed_criteria=frozenset({"Z-9"}))

    with pytest.raises(ValueError, match="failed_criteria: unknown criterion 'Z-9'"):
        certificate_after_audit(result, lastenboek)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 3, 14), CertificateStatus("none", None)),
        (date(2024, 3, 15), CertificateStatus("valid", 1095)),
        (date(2027, 1, 13), CertificateStatus("valid", 61)),
        (date(2027, 1, 14), CertificateStatus("expiring", 60)),
        (date(2027, 3, 14), CertificateStatus("expiring", 1)),
        (date(2027, 3, 15), CertificateStatus("lapsed", 0)),
    ],
)
def test_status_on_a_day(lastenboek: Lastenboek, on: date, expected: CertificateStatus) -> None:
    certificate = certificate_after_audit(AuditResult(date(2024, 3, 15), "standard"), lastenboek)

    assert certificate_status(certificate, on, remind_days=60) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2024, 12, 15), 18, date(2026, 6, 15)),
        (date(2024, 7, 31), 18, date(2026, 1, 31)),
    ],
)
def test_months_are_added_on_the_calendar(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected
