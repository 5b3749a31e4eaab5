"""Reads of the dossier: the records of one operator over one period, from every context.

Each read is bounded by the period (or by the windows that overlap it), never the whole
history; counts are aggregated by the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from dairyhaccp.monitoring.agenda import BatchRef, Done, RoomRef
from dairyhaccp.monitoring.schedule import BRUSSELS, window_of
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult, RawMilkVerdict
from dairyhaccp.web.operators.models import Operator, latest_versions
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import plan_of_version
from dairyhaccp.web.records.choices import Verdict
from dairyhaccp.web.records.models import Batch, Deviation, DeviationEvent, Registration
from dairyhaccp.web.records.selectors import DONE_COLUMNS, done_of, rooms


@dataclass(frozen=True)
class VersionInForce:
    """A plan version and the local days of the period it was in force."""

    version: PlanVersion
    plan: Plan
    first: date
    last: date


def _local_day(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()


def versions_in_force(operator: Operator, period: Period) -> list[VersionInForce]:
    """The plan versions in force during the period, oldest first: the one in force when it
    began and those made during it. A day belongs to the version in force at its end.

    When no version was in force when the period began (records entered afterwards for days
    before the first plan, e.g. imported), the first version made since covers the days
    before it: the records of those days were judged with it."""
    versions = PlanVersion.objects.for_operator(operator).select_related("created_by")
    before = versions.filter(created_at__lt=period.starts_at).order_by("-number").first()
    during = list(
        versions.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_at).order_by(
            "number"
        )
    )
    chosen = [before, *during] if before is not None else during
    if not chosen:
        later = versions.filter(created_at__gte=period.ends_at).order_by("number").first()
        chosen = [later] if later is not None else []
    found = []
    for index, version in enumerate(chosen):
        following = chosen[index + 1] if index + 1 < len(chosen) else None
        first = period.first if index == 0 else max(period.first, _local_day(version.created_at))
        last = (
            _local_day(following.created_at) - timedelta(days=1)
            if following is not None
            else period.last
        )
        found.append(
            VersionInForce(
                version,
                plan_of_version(version),
                first,
                min(last, period.last),
            )
        )
    return found


def plans_by_number(operator: Operator, numbers: set[int]) -> dict[int, Plan]:
    """The plans of the given version numbers (those registrations were judged with)."""
    versions = PlanVersion.objects.for_operator(operator).filter(number__in=numbers)
    return {version.number: plan_of_version(version) for version in versions}


# --- checks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationCount:
    """Registrations (current versions) of one control or task in the period, by verdict."""

    control_id: str
    task_id: str
    total: int
    warnings: int
    deviations: int


def current_registrations(operator: Operator) -> QuerySet[Registration]:
    """The operator's registrations as they stand (corrected versions left out)."""
    return latest_versions(Registration.objects.for_operator(operator))


def registration_counts(operator: Operator, period: Period) -> list[RegistrationCount]:
    """Per control (and task), the registrations of the period, counted by the database."""
    rows = (
        current_registrations(operator)
        .filter(measured_at__gte=period.starts_at, measured_at__lt=period.ends_at)
        .values("control_id", "task_id")
        .annotate(
            total=Count("id"),
            warnings=Count("id", filter=Q(verdict=Verdict.WARNING)),
            deviations=Count("id", filter=Q(verdict=Verdict.DEVIATION)),
        )
        .order_by("control_id", "task_id")
    )
    return [
        RegistrationCount(
            row["control_id"], row["task_id"], row["total"], row["warnings"], row["deviations"]
        )
        for row in rows
    ]


def room_refs(operator: Operator) -> list[RoomRef]:
    """The operator's rooms in use, as the schedule takes them."""
    return [RoomRef(str(r.pk), r.name, r.kind, r.created_at) for r in rooms(operator)]


def period_batches(operator: Operator, period: Period) -> QuerySet[Batch]:
    """Batches started in the period (destroyed ones too: their checks were due)."""
    return Batch.objects.for_operator(operator).filter(
        started_at__gte=period.starts_at, started_at__lt=period.ends_at
    )


def batch_refs(operator: Operator, period: Period) -> list[BatchRef]:
    rows = period_batches(operator, period).values_list("pk", "lot_code", "product", "started_at")
    return [
        BatchRef(str(pk), lot_code, product, started_at)
        for pk, lot_code, product, started_at in rows
    ]


def reach(plans: list[Plan], period: Period) -> tuple[datetime, datetime]:
    """From when to when registrations can satisfy a check of the period: the first and last
    windows of the plans' frequencies that overlap it."""
    start, end = period.starts_at, period.ends_at
    for plan in plans:
        frequencies = [item.frequency for control in plan.controls for item in control.monitoring]
        frequencies += [task.frequency for task in plan.hygiene if task.frequency is not None]
        for frequency in frequencies:
            if frequency.period is None:
                continue
            start = min(start, window_of(frequency, period.first).starts_at)
            end = max(end, window_of(frequency, period.last).ends_at)
    return start, end


def done_in_reach(operator: Operator, period: Period, plans: list[Plan]) -> list[Done]:
    """The registrations that may satisfy a check of the period, as far as the schedule needs
    them: those in the windows overlapping it and those of its batches."""
    start, end = reach(plans, period)
    in_windows = Q(measured_at__gte=start, measured_at__lt=end)
    of_batches = Q(batch__in=period_batches(operator, period).values("pk"))
    rows = (
        current_registrations(operator).filter(in_windows | of_batches).values_list(*DONE_COLUMNS)
    )
    return [done_of(row) for row in rows.iterator(chunk_size=2000)]


def period_registrations(operator: Operator, period: Period) -> QuerySet[Registration]:
    """The registrations of the period as they stand, oldest first, for the CSV file."""
    return (
        current_registrations(operator)
        .filter(measured_at__gte=period.starts_at, measured_at__lt=period.ends_at)
        .order_by("measured_at", "pk")
    )


# --- deviations -------------------------------------------------------------------------------


def period_deviations(operator: Operator, period: Period) -> QuerySet[Deviation]:
    """The deviations of the checks made in the period (a check entered later still belongs to
    the day it was made), oldest first, with their registration, lots and every step of their
    follow-up."""
    events = DeviationEvent.objects.select_related("by").order_by("at", "pk")
    return (
        Deviation.objects.for_operator(operator)
        .filter(
            registration__measured_at__gte=period.starts_at,
            registration__measured_at__lt=period.ends_at,
        )
        .select_related(
            "registration",
            "registration__room",
            "registration__batch",
            "opened_by",
            "closed_by",
        )
        .prefetch_related("lots", Prefetch("events", queryset=events))
        .order_by("registration__measured_at", "pk")
    )


# --- lab --------------------------------------------------------------------------------------


def raw_milk_results(operator: Operator, period: Period) -> QuerySet[RawMilkResult]:
    """Raw-milk results sampled in the period, as they stand."""
    return (
        RawMilkResult.objects.for_operator(operator)
        .current()
        .filter(sampled_on__gte=period.first, sampled_on__lte=period.last)
        .order_by("sampled_on", "parameter", "pk")
    )


def latest_raw_milk_verdict(
    operator: Operator, species: str, source: str, parameter: str
) -> RawMilkVerdict | None:
    """The stored verdict of one analysis of one milk as it stands: the last one judged."""
    return (
        RawMilkVerdict.objects.for_operator(operator)
        .filter(species=species, source=source, parameter=parameter)
        .order_by("-pk")
        .first()
    )


def raw_milk_verdicts(operator: Operator, period: Period) -> QuerySet[RawMilkVerdict]:
    """The raw-milk verdicts judged and stored during the period, oldest first."""
    return (
        RawMilkVerdict.objects.for_operator(operator)
        .filter(judged_at__gte=period.starts_at, judged_at__lt=period.ends_at)
        .order_by("judged_at", "pk")
    )


def product_results(operator: Operator, period: Period) -> QuerySet[ProductResult]:
    """Finished-product results sampled in the period, as they stand, with their verdicts."""
    return (
        ProductResult.objects.for_operator(operator)
        .current()
        .filter(sampled_on__gte=period.first, sampled_on__lte=period.last)
        .select_related("stored_verdict")
        .order_by("sampled_on", "pk")
    )
