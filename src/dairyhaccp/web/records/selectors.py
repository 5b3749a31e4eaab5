"""Reads of the records context."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Generic, NamedTuple, TypeVar

from django.apps import apps
from django.db.models import Count, Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Guide
from dairyhaccp.monitoring.agenda import (
    Agenda,
    BatchRef,
    Confirmed,
    Done,
    RoomRef,
    build_agenda,
)
from dairyhaccp.monitoring.duties import Check, Target, placement
from dairyhaccp.monitoring.schedule import counted_from
from dairyhaccp.plan.models import Plan
from dairyhaccp.web import compiled
from dairyhaccp.web.operators.models import Operator, latest_versions
from dairyhaccp.web.plans.selectors import current_plan_source, plan_of_version
from dairyhaccp.web.records.choices import DeviationStatus
from dairyhaccp.web.records.constants import HISTORY_LENGTH, RAW_MILK, RECENT_BATCHES
from dairyhaccp.web.records.models import (
    Batch,
    BatchSource,
    DayConfirmation,
    Deviation,
    DeviationLot,
    Registration,
    Room,
)

_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class OperatorPlan:
    """The operator's current plan, its version number and the guide it was built with."""

    plan: Plan
    number: int
    guide: Guide


def operator_plan(operator: Operator) -> OperatorPlan | None:
    """The plan registrations are judged against now, or None before the plan is made."""
    version = current_plan_source(operator)
    if version is None:
        return None
    return OperatorPlan(plan_of_version(version), version.number, load_guide(version.guide_version))


def rooms(operator: Operator, *, active_only: bool = True) -> QuerySet[Room]:
    """The operator's rooms and equipment, by name."""
    queryset = Room.objects.for_operator(operator)
    return queryset.filter(active=True) if active_only else queryset


def active_rooms(operator: Operator) -> list[Room]:
    """`rooms(operator)`, its query kept compiled (forms and the agenda ask it on every page)."""
    return compiled.instances(("rooms", operator.pk), lambda: rooms(operator))


def batches(operator: Operator) -> QuerySet[Batch]:
    """The operator's batches, newest first."""
    return Batch.objects.for_operator(operator).select_related("room")


def batches_out(operator: Operator) -> QuerySet[Batch]:
    """The operator's batches, newest first, with what the API shows (not the note, nor who
    entered them), and the lot codes they are made from."""
    return (
        Batch.objects.for_operator(operator)
        .only("pk", "lot_code", "product", "started_at", "room", "destroyed_at")
        .prefetch_related(Prefetch("made_from", queryset=Batch.objects.only("pk", "lot_code")))
    )


def milk_of(operator: Operator, batch_ids: Iterable[int]) -> dict[int, list[Batch]]:
    """The milkings (raw-milk batches) each of these batches is made from, oldest first: one
    query."""
    found: dict[int, list[Batch]] = {}
    ids = tuple(batch_ids)
    rows = compiled.instances(
        ("milk_of", operator.pk, ids),
        lambda: (
            BatchSource.objects.filter(
                operator=operator, from_batch_id__in=ids, to_batch__product=RAW_MILK
            )
            .select_related("to_batch")
            .order_by("to_batch__started_at", "to_batch_id")
        ),
    )
    for row in rows:
        found.setdefault(row.from_batch_id, []).append(row.to_batch)
    return found


def recent_batches(operator: Operator, now: datetime | None = None) -> QuerySet[Batch]:
    """Batches started recently and not destroyed: those the agenda asks production checks for."""
    now = now or timezone.now()
    return batches(operator).filter(
        started_at__gte=now - RECENT_BATCHES, started_at__lte=now, destroyed_at__isnull=True
    )


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


@dataclass(frozen=True)
class Page(Generic[_M]):
    """One page of a list, newest first, and whether there are newer or older pages."""

    rows: list[_M]
    number: int
    has_previous: bool
    has_next: bool


def page_of(queryset: QuerySet[_M], number: int, size: int) -> Page[_M]:
    """Rows of page `number` (from 1): one row more is read to know whether another page
    follows, so a page costs what it shows and never a count of the whole history."""
    number = max(1, number)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], number, number > 1, len(rows) > size)


def kept_page(key: Hashable, rows: Callable[[], QuerySet[_M]], number: int, size: int) -> Page[_M]:
    """`page_of(rows(), number, size)` with the page's query kept compiled by `key` (what the
    rows are made from: the operator, the list, its filters; `compiled.instances`)."""
    number = max(1, number)
    start = (number - 1) * size
    found = compiled.instances((key, start, size), lambda: rows()[start : start + size + 1])
    return Page(found[:size], number, number > 1, len(found) > size)


def control_history(
    operator: Operator, control_id: str, page: int = 1, size: int | None = None
) -> Page[Registration]:
    """A page of the registrations of one control (current versions), newest first; without
    what the page does not show (who registered it, every limit checked)."""
    rows = (
        latest_versions(Registration.objects.for_operator(operator))
        .filter(control_id=control_id, task_id="")
        .select_related("batch", "room")
        .defer("checked_limits", "correction_reason", "batch__note")
    )
    return page_of(rows.order_by("-measured_at", "-pk"), page, size or HISTORY_LENGTH)


def has_registrations(operator: Operator, control_id: str) -> bool:
    """Whether anything was ever registered for this control (a control no longer in the plan
    keeps its history)."""
    return (
        Registration.objects.for_operator(operator)
        .filter(control_id=control_id, task_id="")
        .exists()
    )


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


def deviations(operator: Operator, status: str | None = None) -> QuerySet[Deviation]:
    """The operator's deviations, newest first, with their registration."""
    queryset = Deviation.objects.for_operator(operator).select_related(
        "registration", "registration__batch", "registration__room", "opened_by", "closed_by"
    )
    return queryset.filter(status=status) if status else queryset


def deviation_list(operator: Operator, status: str | None = None) -> QuerySet[Deviation]:
    """Deviations for a list, open ones first, then newest first; only what a list shows."""
    queryset = Deviation.objects.for_operator(operator).only(
        "pk", "control_id", "status", "outcome", "opened_at"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-status", "-opened_at", "-pk")


def lot_codes_of_deviations(operator: Operator, ids: Iterable[int]) -> dict[int, list[str]]:
    """The codes of the lots each deviation concerns, newest lot first, in one query."""
    asked = tuple(ids)
    links = compiled.rows(
        ("lot codes of deviations", operator.pk, asked),
        lambda: (
            DeviationLot.objects.filter(operator=operator, deviation_id__in=asked)
            .order_by("deviation_id", "-batch__started_at", "-batch_id")
            .values_list("deviation_id", "batch__lot_code")
        ),
    )
    codes: dict[int, list[str]] = {}
    for deviation_id, code in links:
        codes.setdefault(deviation_id, []).append(code)
    return codes


def deviations_of_chains(operator: Operator, chains: Iterable[Any]) -> dict[Any, Deviation]:
    """The deviation of each registration chain that has one, in one query; with what a list
    shows of it (its id, status and outcome), not its registration."""
    found: dict[Any, Deviation] = {}
    asked = tuple(sorted(set(chains)))
    rows = compiled.instances(
        ("deviations of chains", operator.pk, asked),
        lambda: (
            Deviation.objects.for_operator(operator)
            .filter(registration__chain__in=asked)
            .select_related("registration")
            .only("pk", "status", "outcome", "registration__chain")
            .order_by("opened_at", "pk")
        ),
    )
    for deviation in rows:
        found.setdefault(deviation.registration.chain, deviation)
    return found


def open_deviations(operator: Operator) -> QuerySet[Deviation]:
    """Deviations not closed yet: they stay on the dashboard until someone closes them."""
    return deviations(operator, DeviationStatus.OPEN).order_by("opened_at")


def open_deviation_count(operator: Operator) -> int:
    """How many deviations are open: one aggregate, its query kept compiled."""
    rows = compiled.rows(
        ("open deviation count", operator.pk),
        lambda: (
            Deviation.objects.filter(operator=operator, status=DeviationStatus.OPEN)
            .order_by()
            .values("operator_id")
            .annotate(open=Count("pk"))
            .values_list("open")
        ),
    )
    return int(rows[0][0]) if rows else 0


def open_deviations_with_lots(operator: Operator) -> QuerySet[Deviation]:
    """Open deviations that concern lots, oldest first, with what a list shows of them (what
    may call for a recall). Asked with EXISTS and no joins: a DISTINCT over the deviation, its
    registration, batch, room and users took PostgreSQL ten times longer to plan than to run."""
    concerned = DeviationLot.objects.filter(operator=operator, deviation=OuterRef("pk"))
    return (
        Deviation.objects.for_operator(operator)
        .filter(Exists(concerned), status=DeviationStatus.OPEN)
        .only("pk", "control_id", "opened_at")
        .order_by("opened_at", "pk")
    )


def open_deviation_heads(operator: Operator) -> QuerySet[Deviation]:
    """Open deviations, oldest first, with only what a list of them shows (the today page)."""
    return (
        Deviation.objects.for_operator(operator)
        .filter(status=DeviationStatus.OPEN)
        .only("pk", "control_id", "opened_at", "status")
        .order_by("opened_at", "pk")
    )


def blocked_lots(operator: Operator) -> QuerySet[Batch]:
    """Lots concerned by an open deviation or affected by an open recall (lots app): blocked
    until it is closed."""
    in_open_deviation = DeviationLot.objects.filter(
        deviation__operator=operator, deviation__status=DeviationStatus.OPEN
    ).values("batch_id")
    recall_lot = apps.get_model("lots", "RecallLot")
    in_open_recall = recall_lot._default_manager.filter(
        operator=operator, recall__closure__isnull=True, batch__isnull=False
    ).values("batch_id")
    # The few lots of what is open, not every batch joined with its deviations and recalls.
    open_lots = in_open_deviation.order_by().union(in_open_recall.order_by())
    return batches(operator).filter(pk__in=open_lots, destroyed_at__isnull=True)


def blocked_lot_ids(operator: Operator) -> set[int]:
    """The ids of `blocked_lots`, read by a query kept compiled."""
    rows = compiled.rows(
        ("blocked batches", operator.pk), lambda: blocked_lots(operator).values_list("pk")
    )
    return {pk for (pk,) in rows}


class _ControlsFrom(NamedTuple):
    """What the agenda reads: registrations of these controls (and tasks) from `start` on."""

    control_ids: tuple[str, ...]
    task_ids: tuple[str, ...] | None
    start: datetime


class _OfBatches(NamedTuple):
    """What the agenda reads: registrations of these batches."""

    batch_ids: tuple[int, ...]


# Plain values, so that the query can be kept by them (`compiled.rows`).
_Scope = _ControlsFrom | _OfBatches


def _agenda_scopes(plan: Plan, now: datetime, batch_ids: Sequence[int]) -> list[_Scope]:
    """The registrations the agenda can count at `now`, as ranges of the (operator, control,
    measured_at) index: those of the recent batches, and for each periodic check those of its
    control from the start of its previous window on (two days for a daily check, two years
    for a yearly one), or for a check that measures nothing those of its task; never the whole
    history."""
    starts: dict[str, datetime] = {}
    task_starts: dict[datetime, set[tuple[str, str]]] = {}
    for control in plan.controls:
        for item in control.monitoring:
            if item.frequency.period is None:
                continue
            if placement(item).target not in (Target.ROOM, Target.BUSINESS):
                continue
            start = counted_from(item.frequency, now)
            if Check(control, item).parameters:
                starts[control.id] = min(start, starts.get(control.id, start))
            else:
                # Done by its task alone: the control's measurements of two years are not read.
                task_starts.setdefault(start, set()).add((control.id, item.id))
    by_start: dict[datetime, list[str]] = {}
    for control_id, start in starts.items():
        by_start.setdefault(start, []).append(control_id)
    scopes: list[_Scope] = [
        _ControlsFrom(tuple(sorted(control_ids)), None, start)
        for start, control_ids in sorted(by_start.items())
    ]
    scopes += [
        _ControlsFrom(
            tuple(sorted({control_id for control_id, _ in items})),
            tuple(sorted({task_id for _, task_id in items})),
            start,
        )
        for start, items in sorted(task_starts.items())
    ]
    tasks_by_start: dict[datetime, list[str]] = {}
    for task in plan.hygiene:
        if task.frequency is not None:
            tasks_by_start.setdefault(counted_from(task.frequency, now), []).append(task.id)
    scopes += [
        _ControlsFrom(("",), tuple(sorted(task_ids)), start)
        for start, task_ids in sorted(tasks_by_start.items())
    ]
    if batch_ids:
        scopes.append(_OfBatches(tuple(batch_ids)))
    return scopes


def _scope_filter(scope: _Scope) -> Q:
    if isinstance(scope, _OfBatches):
        return Q(batch_id__in=scope.batch_ids)
    found = Q(control_id__in=scope.control_ids, measured_at__gte=scope.start)
    return found if scope.task_ids is None else found & Q(task_id__in=scope.task_ids)


# A registration's columns that tell which check it did (`done_of`).
DONE_COLUMNS = (
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


def done_of(row: Sequence[Any]) -> Done:
    """The check a registration did, from its `DONE_COLUMNS`."""
    control_id, measured_at, values, derived, room_id, batch_id, task_id, room_kind, category = row
    return Done(
        control_id=control_id or None,
        at=measured_at,
        parameters=frozenset(values) - frozenset(derived) if derived else frozenset(values),
        room=str(room_id) if room_id else None,
        batch=str(batch_id) if batch_id else None,
        task=task_id or None,
        room_kind=room_kind,
        category=category or None,
    )


def _agenda_read(operator_pk: int, scopes: Sequence[_Scope]) -> QuerySet[Registration]:
    # The columns and the join, built once and narrowed by each scope.
    read = (
        Registration.objects.filter(operator_id=operator_pk)
        .order_by()
        .values_list("pk", *DONE_COLUMNS)
    )
    selects = [read.filter(_scope_filter(scope)) for scope in scopes]
    return selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]


def agenda_done(
    operator: Operator, plan: Plan, now: datetime, batch_ids: Sequence[int]
) -> list[Done]:
    """The stored registrations the agenda counts at `now`, as far as it needs them.

    One query, a UNION ALL of one SELECT per scope, each naming the operator, so that each is a
    range of an index of the operator's rows. As one WHERE of OR terms, PostgreSQL with
    thousands of tenants read the operator's every registration instead, and filtered them
    (bench/bench_pages.py, 7 000 tenants). A row two scopes find is counted once. The versions
    corrected since are then left out by a second query on the few rows found: as a NOT EXISTS
    in the first, PostgreSQL may hash every tenant's registrations. Both are kept compiled by
    what they are made of (`compiled.rows`): the scopes change with the day and the recent
    batches, so rows measured after `now` (a later moment than the one asked) are left out
    here rather than in the query.
    """
    scopes = _agenda_scopes(plan, now, batch_ids)
    if not scopes:
        return []
    operator_pk = operator.pk
    read = compiled.rows(
        ("agenda", operator_pk, tuple(scopes)), partial(_agenda_read, operator_pk, scopes)
    )
    found = list({row[0]: row for row in read if row[2] <= now}.values())
    # By the unique index on `corrects` alone: the rows found are this operator's, and so are
    # their corrections. With the operator named too, SQLite reads the operator's whole index
    # instead (its statistics count every uncorrected row's NULL as one value).
    ids = tuple(row[0] for row in found)
    corrected = {
        row[0]
        for row in compiled.rows(
            ("corrected registrations", ids),
            lambda: (
                Registration.objects.filter(corrects_id__in=ids)
                .order_by()
                .values_list("corrects_id")
            ),
        )
    }
    return [done_of(row[1:]) for row in found if row[0] not in corrected]


def confirmations(operator: Operator, now: datetime) -> list[Confirmed]:
    """The duties confirmed "all in order" that can still count at `now`: a confirmation
    covers checks due by the end of its day or of a recent batch, so no older one matters."""
    rows = DayConfirmation.objects.filter(
        operator=operator, confirmed_at__gte=now - RECENT_BATCHES, confirmed_at__lte=now
    ).values_list("duties", "confirmed_at")
    return [
        Confirmed(str(duty["key"]), duty.get("target") or None, at)
        for duties, at in rows
        for duty in duties
    ]


def agenda(
    operator: Operator,
    plan: Plan,
    now: datetime | None = None,
    room_list: Sequence[Room] | None = None,
) -> Agenda:
    """What is due, overdue and done for the operator at `now`."""
    return agenda_with_batches(operator, plan, now, room_list)[0]


def _utc_midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _recent_batch_rows(operator: Operator, now: datetime) -> list[tuple[Any, ...]]:
    """`recent_batches(operator, now)` as (pk, lot code, product, start), read between whole
    days (UTC), so that the query is the same all day, and cut to the moments here."""
    first = _utc_midnight(now - RECENT_BATCHES)
    last = _utc_midnight(now) + timedelta(days=1)
    read = compiled.rows(
        ("recent batches", operator.pk, first, last),
        lambda: (
            batches(operator)
            .filter(started_at__gte=first, started_at__lt=last, destroyed_at__isnull=True)
            .values_list("pk", "lot_code", "product", "started_at")
        ),
    )
    return [row for row in read if now - RECENT_BATCHES <= row[3] <= now]


def agenda_with_batches(
    operator: Operator,
    plan: Plan,
    now: datetime | None = None,
    room_list: Sequence[Room] | None = None,
) -> tuple[Agenda, dict[int, str]]:
    """The agenda at `now`, and the product of each batch it asks production checks for."""
    now = now or timezone.now()
    if room_list is None:
        room_list = active_rooms(operator)
    room_refs = [RoomRef(str(r.pk), r.name, r.kind, r.created_at) for r in room_list]
    batch_rows = _recent_batch_rows(operator, now)
    batch_refs = [
        BatchRef(str(pk), lot_code, product, started_at)
        for pk, lot_code, product, started_at in batch_rows
    ]
    done = agenda_done(operator, plan, now, [row[0] for row in batch_rows])
    confirmed = (
        confirmations(operator, now) if plan.registration_mode == "non_conformities_only" else []
    )
    found = build_agenda(
        plan, room_refs, batch_refs, done, now, since=operator.created_at, confirmed=confirmed
    )
    return found, {pk: product for pk, _lot_code, product, _started_at in batch_rows}
