"""Reads of the farm context. The rules (withdrawal, treatment days, readiness, certificate)
are the core's (`dairyhaccp.ikm`); these functions gather the stored rows and call it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dairyhaccp.ikm import (
    BenchmarkLimits,
    Certificate,
    CertificateStatus,
    Lastenboek,
    Period,
    TreatmentCourse,
    benchmark_zone,
    certificate_status,
    first_milking_at_or_after,
    load_lastenboek,
    withheld_until,
)
from dairyhaccp.ikm.treatment_days import PeriodKind, calendar_periods, treatment_days_by_period
from dairyhaccp.monitoring.schedule import local_day_bounds
from dairyhaccp.web import compiled
from dairyhaccp.web.farm.constants import CERTIFICATE_REMINDER_DAYS
from dairyhaccp.web.farm.models import (
    AssessmentAnswer,
    Audit,
    AuditFinding,
    CertificationBody,
    FarmProfile,
    HygieneRating,
    Notification,
    SectorSnapshot,
    SustainabilityEntry,
    Treatment,
)
from dairyhaccp.web.operators.models import Operator


def lastenboek() -> Lastenboek:
    """The lastenboek version in force (cached by the core)."""
    return load_lastenboek()


# Profile and certification bodies


def current_profile(operator: Operator) -> FarmProfile | None:
    """The latest version of the farm's profile, or None before it is filled in (the query kept
    compiled: the farm's pages ask it several times a page)."""
    return compiled.first(
        ("farm profile", operator.pk),
        lambda: (
            FarmProfile.objects.for_operator(operator)
            .select_related("certification_body__operator")
            .order_by("-version")[:1]
        ),
    )


def profile_versions(operator: Operator) -> QuerySet[FarmProfile]:
    """Every version of the farm's profile, newest first, with who changed it."""
    return (
        FarmProfile.objects.for_operator(operator)
        .select_related("changed_by", "certification_body__operator")
        .order_by("-version")
    )


def certification_bodies() -> QuerySet[CertificationBody]:
    """The bodies a farm may choose, by name."""
    return CertificationBody.objects.select_related("operator").order_by("operator__name")


def body_of(operator: Operator) -> CertificationBody | None:
    """The certification body `operator` is, or None."""
    return CertificationBody.objects.filter(operator=operator).first()


def farms_of_body(body: CertificationBody) -> list[tuple[Operator, FarmProfile]]:
    """The farms whose current profile names `body`, by name, with that profile."""
    candidates = (
        FarmProfile.objects.filter(certification_body=body)
        .values_list("operator_id", flat=True)
        .distinct()
    )
    farms = []
    for operator in Operator.objects.filter(pk__in=candidates).order_by("name"):
        profile = current_profile(operator)
        if profile is not None and profile.certification_body_id == body.pk:
            farms.append((operator, profile))
    return farms


def milking_times(profile: FarmProfile | None) -> tuple[time, ...]:
    """The daily milking times of the profile, sorted (none for a robot or no profile)."""
    if profile is None:
        return ()
    return tuple(sorted(time.fromisoformat(value) for value in profile.milking_times))


# Antibiotics register


def hours(value: Decimal | float) -> timedelta:
    """A period in hours as a timedelta, exactly to the microsecond (a day is 24 h)."""
    return timedelta(microseconds=int(Decimal(value) * 3_600_000_000))


def current_treatments(operator: Operator) -> QuerySet[Treatment]:
    """The latest version of every treatment, withdrawn ones included, newest dose first."""
    return (
        Treatment.objects.for_operator(operator)
        .latest_versions()
        .select_related("recorded_by")
        .order_by("-last_dose_at", "-pk")
    )


def register(operator: Operator) -> QuerySet[Treatment]:
    """The treatments that stand: the latest versions, not withdrawn."""
    return current_treatments(operator).filter(withdrawn=False)


def treatment_versions(treatment: Treatment) -> QuerySet[Treatment]:
    """Every version of a treatment, oldest first, with who made them."""
    return (
        Treatment.objects.filter(operator=treatment.operator, chain=treatment.chain)
        .select_related("recorded_by")
        .order_by("version")
    )


@dataclass(frozen=True)
class Withheld:
    """An animal (or group) whose milk is withheld now: until when, and the first usable
    milking with the farm's milking times."""

    animal: str
    until: datetime
    first_milking: datetime | None


def withheld(operator: Operator, now: datetime | None = None) -> list[Withheld]:
    """The animals whose milk is withheld at `now`, by animal (core: withheld_until): from the
    day of the first administration up to the end of the withdrawal."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        now = timezone.make_aware(now)
    day = timezone.localdate(now)
    day_start = local_day_bounds(day)[0]
    # Read from the start of the day, so that the query is kept compiled for the day, and held
    # to the moment here.
    running = compiled.rows(
        ("milk withheld", operator.pk, day, day_start),
        lambda: (
            register(operator)
            .filter(milk_usable_from__gt=day_start, first_dose_on__lte=day)
            .values_list("animal", "last_dose_at", "withdrawal_milk_hours", "milk_usable_from")
        ),
    )
    treatments = [
        (animal, last_dose, hours(period))
        for animal, last_dose, period, usable_from in running
        if usable_from > now
    ]
    milkings = milking_times(current_profile(operator))
    return [
        Withheld(
            animal=animal,
            until=until,
            first_milking=first_milking_at_or_after(until, milkings) if milkings else None,
        )
        for animal, until in withheld_until(treatments, now).items()
    ]


def first_usable_milking(treatment: Treatment, profile: FarmProfile | None) -> datetime | None:
    """The first milking at or after the end of a treatment's milk withdrawal."""
    milkings = milking_times(profile)
    if not milkings:
        return None
    return first_milking_at_or_after(treatment.milk_usable_from, milkings)


def treatment_courses(rows: Iterable[tuple[int, date, datetime]]) -> list[TreatmentCourse]:
    """Courses of administration from (animals, first day, last dose) rows."""
    zone = timezone.get_current_timezone()  # once: looking it up per row is the slow part
    courses = []
    for animals, first_day, last_dose in rows:
        last_day = last_dose.astimezone(zone).date()
        courses.append(TreatmentCourse(animals, min(first_day, last_day), last_day))
    return courses


def courses(operator: Operator) -> list[TreatmentCourse]:
    """The farm's courses of administration, for the treatment-day figures."""
    return treatment_courses(
        register(operator).values_list("animals", "first_dose_on", "last_dose_at")
    )


@dataclass(frozen=True)
class PeriodFigure:
    """Treatment days per 100 days of one period, and its zone against the sector."""

    period: Period
    value: float
    zone: str | None


def treatment_days(
    operator: Operator, year: int, kind: PeriodKind, limits: BenchmarkLimits | None
) -> list[PeriodFigure] | None:
    """Treatment days per 100 days of each month, quarter or the year up to today (core:
    treatment_days_per_100 over the animals in milk); None without a profile. The zone is
    given for the year only, where the sector's limits are of years."""
    profile = current_profile(operator)
    if profile is None or profile.animals_in_milk < 1:
        return None
    # Periods up to today only, the current one ending today (as the sector's figures do).
    today = timezone.localdate()
    periods = [
        Period(period.first_day, min(period.last_day, today))
        for period in calendar_periods(year, kind)
        if period.first_day <= today
    ]
    figures = treatment_days_by_period(courses(operator), profile.animals_in_milk, periods)
    return [
        PeriodFigure(
            period,
            value,
            benchmark_zone(value, limits) if limits is not None and kind == "year" else None,
        )
        for period, value in figures
    ]


def latest_snapshot(operator: Operator | None = None) -> SectorSnapshot | None:
    """The latest sector figures (of one sector organisation, or of any)."""
    snapshots = SectorSnapshot.objects.all()
    if operator is not None:
        snapshots = snapshots.filter(operator=operator)
    return snapshots.order_by("-computed_at", "-pk").first()


def benchmark_for(year: int) -> BenchmarkLimits | None:
    """The sector's attention (P50) and action (P90) values of `year`, if computed and shown."""
    snapshot = latest_snapshot()
    if snapshot is None:
        return None
    for row in snapshot.figures.get("treatment_days", []):
        if row.get("year") == year and row.get("shown"):
            return BenchmarkLimits(
                attention=row["attention"], action=row["action"], farms=row["farms"]
            )
    return None


def sector_year(year: int) -> dict[str, Any] | None:
    """The sector's figures of `year` (all regions), if computed and shown."""
    snapshot = latest_snapshot()
    if snapshot is None:
        return None
    for row in snapshot.figures.get("years", []):
        if row.get("year") == year and row.get("shown"):
            return dict(row)
    return None


# Self-assessment


def latest_answers(operator: Operator) -> dict[str, AssessmentAnswer]:
    """The farmer's latest answer to each criterion answered."""
    answers: dict[str, AssessmentAnswer] = {}
    for answer in compiled.instances(
        ("assessment answers", operator.pk),
        lambda: (
            AssessmentAnswer.objects.for_operator(operator)
            .select_related("answered_by", "evidence_file")
            .order_by("criterion_id", "-version")
        ),
    ):
        answers.setdefault(answer.criterion_id, answer)
    return answers


def answer_versions(operator: Operator, criterion_id: str) -> QuerySet[AssessmentAnswer]:
    """Every version of the answer to one criterion, newest first."""
    return (
        AssessmentAnswer.objects.for_operator(operator)
        .filter(criterion_id=criterion_id)
        .select_related("answered_by", "evidence_file")
        .order_by("-version")
    )


# Audits and certificate


def audits(operator: Operator) -> QuerySet[Audit]:
    """The farm's audits, the latest decision first."""
    return (
        Audit.objects.for_operator(operator)
        .select_related("body__operator", "recorded_by")
        .prefetch_related("findings__closures")
        .order_by("-decided_on", "-pk")
    )


def certificate_of(audit: Audit) -> Certificate:
    """The certificate an audit gave, as stored when it was entered."""
    return Certificate(
        decision=audit.certificate,  # type: ignore[arg-type]  # one of Decision's values
        valid_from=audit.valid_from,
        expires_on=audit.expires_on,
        next_audit_due=audit.next_audit_due,
        reasons=tuple(audit.no_certificate_because),
    )


@dataclass(frozen=True)
class CertificateNow:
    """The audit whose decision stands, its certificate, and its state today."""

    audit: Audit | None
    certificate: Certificate | None
    status: CertificateStatus


def certificate_now(operator: Operator, today: date | None = None) -> CertificateNow:
    """The certificate of the latest decision and its state (core: certificate_status)."""
    today = today or timezone.localdate()
    audit = compiled.first(
        ("latest decided audit", operator.pk, today),
        lambda: (
            Audit.objects.for_operator(operator)
            .filter(decided_on__lte=today)
            .select_related("body__operator")
            .order_by("-decided_on", "-pk")[:1]
        ),
    )
    if audit is None:
        return CertificateNow(None, None, CertificateStatus("none", None))
    certificate = certificate_of(audit)
    return CertificateNow(
        audit, certificate, certificate_status(certificate, today, CERTIFICATE_REMINDER_DAYS)
    )


def open_findings(operator: Operator) -> QuerySet[AuditFinding]:
    """Findings of the farm's audits that no evidence has closed yet, by deadline."""
    return (
        AuditFinding.objects.for_operator(operator)
        .filter(closures__isnull=True)
        .select_related("audit")
        .order_by("deadline", "pk")
    )


def hygiene_ratings(operator: Operator) -> QuerySet[HygieneRating]:
    """Every hygiene score of the farm, the latest first, with who entered it."""
    return (
        HygieneRating.objects.for_operator(operator)
        .select_related("recorded_by")
        .order_by("-scored_on", "-pk")
    )


def latest_hygiene(operator: Operator, on: date | None = None) -> HygieneRating | None:
    """The latest hygiene score given on or before `on` (today)."""
    on = on or timezone.localdate()
    return hygiene_ratings(operator).filter(scored_on__lte=on).first()


# Sustainability monitor and notifications


def sustainability_entries(operator: Operator) -> dict[int, SustainabilityEntry]:
    """The latest entry of each year, newest year first."""
    entries: dict[int, SustainabilityEntry] = {}
    for entry in (
        SustainabilityEntry.objects.for_operator(operator)
        .select_related("recorded_by")
        .order_by("-year", "-version")
    ):
        entries.setdefault(entry.year, entry)
    return entries


def current_notifications(operator: Operator) -> QuerySet[Notification]:
    """The latest version of each notification, newest first."""
    return (
        Notification.objects.for_operator(operator)
        .filter(
            pk__in=_latest_in_chains(Notification.objects.for_operator(operator)),
        )
        .select_related("recorded_by")
        .order_by("-notified_on", "-pk")
    )


def notification_versions(notification: Notification) -> QuerySet[Notification]:
    """Every version of a notification, oldest first."""
    return (
        Notification.objects.filter(operator=notification.operator, chain=notification.chain)
        .select_related("recorded_by")
        .order_by("version")
    )


def _latest_in_chains(rows: QuerySet[Any]) -> list[int]:
    latest: dict[Any, tuple[int, int]] = {}
    for pk, chain, version in rows.values_list("pk", "chain", "version"):
        if chain not in latest or version > latest[chain][1]:
            latest[chain] = (pk, version)
    return [pk for pk, _version in latest.values()]
