"""Reads of the records context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Control, Guide
from dairyhaccp.monitoring.agenda import Agenda, BatchRef, Done, RoomRef, build_agenda
from dairyhaccp.monitoring.history import StarterUse
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.selectors import current_plan_version, plan_of_version
from dairyhaccp.web.records.choices import DeviationStatus
from dairyhaccp.web.records.constants import (
    AGENDA_HISTORY,
    HISTORY_LENGTH,
    RAW_MILK,
    RECENT_BATCHES,
)
from dairyhaccp.web.records.models import Batch, Deviation, Registration, Room


@dataclass(frozen=True)
class OperatorPlan:
    """The operator's current plan, its version number and the guide it was built with."""

    plan: Plan
    number: int
    guide: Guide


def operator_plan(operator: Operator) -> OperatorPlan | None:
    """The plan registrations are judged against now, or None before the plan is made."""
    version = current_plan_version(operator)
    if version is None:
        return None
    return OperatorPlan(plan_of_version(version), version.number, load_guide(version.guide_version))


def rooms(operator: Operator, *, active_only: bool = True) -> QuerySet[Room]:
    """The operator's rooms and equipment, by name."""
    queryset = Room.objects.for_operator(operator)
    return queryset.filter(active=True) if active_only else queryset


def batches(operator: Operator) -> QuerySet[Batch]:
    """The operator's batches, newest first."""
    return Batch.objects.for_operator(operator).select_related("room")


def recent_batches(operator: Operator, now: datetime | None = None) -> QuerySet[Batch]:
    """Batches started recently and not destroyed: those the agenda asks production checks for."""
    now = now or timezone.now()
    return batches(operator).filter(
        started_at__gte=now - RECENT_BATCHES, started_at__lte=now, destroyed_at__isnull=True
    )


def latest_versions(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """The rows of `queryset` that no later version corrects (NOT EXISTS on the unique index
    of `corrects`, which PostgreSQL estimates well, unlike the LEFT JOIN ... IS NULL)."""
    corrected = Registration.objects.filter(corrects=OuterRef("pk"))
    return queryset.filter(~Exists(corrected))


def current_registrations(operator: Operator) -> QuerySet[Registration]:
    """The latest version of every registration (corrected versions left out)."""
    return latest_versions(Registration.objects.for_operator(operator)).select_related(
        "batch", "room", "recorded_by"
    )


def registration_versions(registration: Registration) -> QuerySet[Registration]:
    """Every version of a registration, oldest first, with who made them."""
    return (
        Registration.objects.filter(operator=registration.operator, chain=registration.chain)
        .select_related("recorded_by")
        .order_by("version")
    )


def is_current(registration: Registration) -> bool:
    return not Registration.objects.filter(corrects=registration).exists()


def control_history(operator: Operator, control_id: str) -> list[Registration]:
    """The latest registrations of one control (current versions), oldest first."""
    rows = current_registrations(operator).filter(control_id=control_id, task_id="")
    latest = list(rows.order_by("-measured_at", "-pk")[:HISTORY_LENGTH])
    return list(reversed(latest))


def last_values(
    operator: Operator, control_id: str, room: Room | None = None, batch: Batch | None = None
) -> dict[str, Any]:
    """The values of the last registration of this control in this room (or for this batch)."""
    rows = current_registrations(operator).filter(control_id=control_id, task_id="")
    if room is not None:
        rows = rows.filter(room=room)
    elif batch is not None:
        rows = rows.filter(batch=batch)
    else:
        return {}
    last = rows.order_by("-measured_at", "-pk").first()
    if last is None:
        return {}
    return {k: v for k, v in last.values.items() if k not in last.derived}


def _controls_that(test: Callable[[Control], bool]) -> list[str]:
    return [control.id for control in load_guide().controls if test(control)]


def starter_uses(operator: Operator, *, except_chain: Any = None) -> list[StarterUse]:
    """Every stored processing with a starter (PVA 11), for the count of home-made uses."""
    rows = current_registrations(operator).filter(
        control_id__in=_controls_that(lambda c: c.counts_starter_uses),
        industrial_starter__isnull=False,
    )
    if except_chain is not None:
        rows = rows.exclude(chain=except_chain)
    return [
        StarterUse(at, bool(industrial))
        for at, industrial in rows.values_list("measured_at", "industrial_starter")
    ]


def pasteurised_at(batch: Batch | None) -> datetime | None:
    """When the batch's pasteurisation was registered, if it was."""
    if batch is None:
        return None
    row = (
        current_registrations(batch.operator)
        .filter(batch=batch, control_id__in=_controls_that(lambda c: c.has_pasteurisation))
        .order_by("-measured_at")
        .first()
    )
    return row.measured_at if row else None


def milked_at(batch: Batch | None, room: Room | None) -> datetime | None:
    """When the milk concerned was milked: the raw-milk batch itself, the raw milk it was made
    from, or the oldest raw milk kept in the room (tank) and not yet used."""
    if batch is not None:
        if batch.product == RAW_MILK:
            return batch.started_at
        sources = batch.made_from.filter(product=RAW_MILK).order_by("started_at").first()
        return sources.started_at if sources else None
    if room is not None:
        oldest = (
            Batch.objects.filter(
                operator=room.operator, room=room, product=RAW_MILK, destroyed_at__isnull=True
            )
            .filter(used_in__isnull=True)
            .order_by("started_at")
            .first()
        )
        return oldest.started_at if oldest else None
    return None


def processed_at(batch: Batch | None) -> datetime | None:
    """When the first batch made from a batch of raw milk was started (None if not yet)."""
    if batch is None or batch.product != RAW_MILK:
        return None
    first = batch.used_in.order_by("started_at").first()
    return first.started_at if first else None


def deviations(operator: Operator, status: str | None = None) -> QuerySet[Deviation]:
    """The operator's deviations, newest first, with their registration."""
    queryset = Deviation.objects.for_operator(operator).select_related(
        "registration", "registration__batch", "registration__room", "opened_by", "closed_by"
    )
    return queryset.filter(status=status) if status else queryset


def open_deviations(operator: Operator) -> QuerySet[Deviation]:
    """Deviations not closed yet: they stay on the dashboard until someone closes them."""
    return deviations(operator, DeviationStatus.OPEN).order_by("opened_at")


def blocked_lots(operator: Operator) -> QuerySet[Batch]:
    """Lots concerned by an open deviation or affected by an open recall (lots app): blocked
    until it is closed."""
    open_recall = Q(recall_lots__isnull=False, recall_lots__recall__closure__isnull=True)
    return (
        batches(operator)
        .filter(Q(deviations__status=DeviationStatus.OPEN) | open_recall, destroyed_at__isnull=True)
        .distinct()
    )


def agenda(operator: Operator, plan: Plan, now: datetime | None = None) -> Agenda:
    """What is due, overdue and done for the operator at `now`."""
    now = now or timezone.now()
    room_refs = [RoomRef(str(r.pk), r.name, r.kind, r.created_at) for r in rooms(operator)]
    batch_refs = [
        BatchRef(str(b.pk), b.lot_code, b.product, b.started_at)
        for b in recent_batches(operator, now)
    ]
    rows = current_registrations(operator).filter(
        Q(measured_at__gte=now - AGENDA_HISTORY), measured_at__lte=now
    )
    done = [
        Done(
            control_id=control_id or None,
            at=measured_at,
            parameters=frozenset(k for k in values if k not in derived),
            room=str(room_id) if room_id else None,
            batch=str(batch_id) if batch_id else None,
            task=task_id or None,
            room_kind=room_kind,
            category=category or None,
        )
        for (
            control_id,
            measured_at,
            values,
            derived,
            room_id,
            batch_id,
            task_id,
            room_kind,
            category,
        ) in rows.values_list(
            "control_id",
            "measured_at",
            "values",
            "derived",
            "room_id",
            "batch_id",
            "task_id",
            "room__kind",
            "category",
        )
    ]
    return build_agenda(plan, room_refs, batch_refs, done, now, since=operator.created_at)
