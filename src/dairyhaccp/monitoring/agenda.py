"""The operator's agenda: every check of the plan on its target, with its due status.

Built from the plan, the rooms and recent batches the operator has, and what was registered.
Per batch for the checks of each production, per room for the daily, weekly and yearly ones,
once for the business otherwise; a room check whose kind of room the operator has not entered
yet is asked for the business, so that nothing falls out of the schedule.

With the relaxations only non-conformities must be registered: a check without a registration
may well have been done, so nothing becomes overdue. A day's checks can be confirmed "all in
order" at once (a `Confirmed` entry per duty counts as done); what was neither registered nor
confirmed expires at the end of its period (a periodic check with its window, a production check
after the batch's grace) instead of piling up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from dairyhaccp.guide.models import Frequency, Text
from dairyhaccp.monitoring.duties import (
    Check,
    Placement,
    Target,
    batch_checks,
    hygiene_placement,
    periodic_business_checks,
    plan_checks,
    room_checks,
    room_tasks,
)
from dairyhaccp.monitoring.schedule import (
    BRUSSELS,
    DueItem,
    DueStatus,
    event_item,
    local_day_bounds,
    periodic_item,
)
from dairyhaccp.plan.models import Plan


@dataclass(frozen=True)
class RoomRef:
    """A room or piece of equipment of the operator, and since when it is tracked."""

    key: str
    name: str
    kind: str
    since: datetime | None = None


@dataclass(frozen=True)
class BatchRef:
    """A production batch (or a batch of raw milk) and when it was made or milked."""

    key: str
    lot_code: str
    product: str
    started_at: datetime


@dataclass(frozen=True)
class Confirmed:
    """A duty confirmed "all in order" without a registration of its own (relaxations)."""

    key: str
    target_key: str | None
    at: datetime


@dataclass(frozen=True)
class Done:
    """A stored registration, as far as the agenda needs it."""

    control_id: str | None
    at: datetime
    parameters: frozenset[str] = frozenset()
    room: str | None = None
    batch: str | None = None
    task: str | None = None
    room_kind: str | None = None
    category: str | None = None


class TargetKind(StrEnum):
    BATCH = "batch"
    ROOM = "room"
    BUSINESS = "business"


@dataclass(frozen=True)
class Duty:
    """One check or task on one target, with its status."""

    key: str
    control_id: str | None
    title: Text
    target_kind: TargetKind
    target_key: str | None
    target_name: str
    parameters: tuple[str, ...]
    item: DueItem
    is_task: bool = False
    room_kind: str | None = None

    @property
    def status(self) -> DueStatus:
        return self.item.status

    @property
    def frequency(self) -> Frequency:
        return self.item.frequency


@dataclass(frozen=True)
class Agenda:
    """The duties, sorted: overdue first, then by deadline."""

    duties: tuple[Duty, ...]
    relaxed: bool
    day: date
    sections: dict[str, tuple[Duty, ...]] = field(default_factory=dict)
    expired: tuple[Duty, ...] = ()

    def section(self, name: str) -> tuple[Duty, ...]:
        return self.sections.get(name, ())


class _Registered:
    """The stored registrations, by task and by control, so that each check looks only at
    those that can count for it (a registration of a task counts for that task only)."""

    def __init__(self, done: Iterable[Done]) -> None:
        self.by_task: dict[str, list[Done]] = {}
        self.by_control: dict[str, list[Done]] = {}
        for registration in done:
            if registration.task is not None:
                self.by_task.setdefault(registration.task, []).append(registration)
            elif registration.control_id is not None:
                self.by_control.setdefault(registration.control_id, []).append(registration)

    def of_task(self, task: str) -> list[Done]:
        return self.by_task.get(task, [])


def _moments(
    done: Iterable[Done] | _Registered,
    key: str,
    control_id: str | None,
    params: Sequence[str],
    *,
    room: str | None = None,
    batch: str | None = None,
    where: Placement | None = None,
) -> list[datetime]:
    """When the check `key` of `control_id` was registered: as its task, or for its control
    with one of its parameters. A check that measures nothing is done by its task alone: the
    control's measurements belong to its other checks (a weekly brine check is no yearly
    renewal of the brine)."""
    if not isinstance(done, _Registered):
        done = _Registered(done)
    candidates: list[Done] = done.of_task(key)
    if control_id is not None and params:
        wanted = set(params)
        candidates = candidates + [
            d for d in done.by_control.get(control_id, ()) if not wanted.isdisjoint(d.parameters)
        ]
    return [
        d.at
        for d in candidates
        if (room is None or d.room == room)
        and (batch is None or d.batch == batch)
        and (where is None or _done_in(d, where))
    ]


def _done_in(done: Done, where: Placement) -> bool:
    """Whether a registration made without the room's own entry counts for a room check:
    made in a room of its kinds, or without a room for one of its storage categories."""
    if where.target is not Target.ROOM:
        return True
    if done.room_kind is not None:
        return done.room_kind in where.room_kinds
    return not where.categories or done.category in where.categories


def _expired(duty: Duty, relaxed: bool, now: datetime) -> bool:
    """With the relaxations, a production check neither registered nor confirmed by the end of
    its batch's grace expires (a periodic one expires with its window by itself)."""
    item = duty.item
    return (
        relaxed
        and duty.target_kind is TargetKind.BATCH
        and item.status is not DueStatus.DONE
        and item.deadline is not None
        and now > item.deadline
    )


def _relaxed(item: DueItem, relaxed: bool) -> DueItem:
    if relaxed and item.status is DueStatus.OVERDUE:
        return replace(item, status=DueStatus.DUE)
    return item


def _with_relaxed(duty: Duty, relaxed: bool) -> Duty:
    item = _relaxed(duty.item, relaxed)
    return duty if item is duty.item else replace(duty, item=item)


def _confirmed_at(
    confirmed: Sequence[Confirmed], key: str, target_key: str | None
) -> list[datetime]:
    return [c.at for c in confirmed if c.key == key and c.target_key == target_key]


def _batch_duties(
    plan: Plan,
    batches: Sequence[BatchRef],
    done: _Registered,
    now: datetime,
    grace: timedelta,
    confirmed: Sequence[Confirmed] = (),
) -> list[Duty]:
    duties = []
    for batch in batches:
        for check in batch_checks(plan, batch.product):
            item = check.monitoring
            moments = _moments(done, item.id, check.control.id, check.parameters, batch=batch.key)
            moments += _confirmed_at(confirmed, item.id, batch.key)
            due = event_item(
                item.id, batch.lot_code, item.frequency, batch.started_at, bool(moments), now, grace
            )
            duties.append(_duty(check, TargetKind.BATCH, batch.key, batch.lot_code, due))
    return duties


def _duty(
    check: Check,
    kind: TargetKind,
    key: str | None,
    name: str,
    item: DueItem,
    room_kind: str | None = None,
) -> Duty:
    return Duty(
        key=check.monitoring.id,
        control_id=check.control.id,
        title=check.monitoring.text,
        target_kind=kind,
        target_key=key,
        target_name=name,
        parameters=check.parameters,
        item=item,
        is_task=not check.parameters,
        room_kind=room_kind,
    )


def _periodic(
    check: Check,
    kind: TargetKind,
    room: RoomRef | None,
    done: _Registered,
    now: datetime,
    since: datetime | None,
    confirmed: Sequence[Confirmed] = (),
) -> Duty | None:
    item = check.monitoring
    if item.frequency.period is None:
        return None
    where = check.where
    moments = _moments(
        done,
        item.id,
        check.control.id,
        check.parameters,
        room=room.key if room else None,
        where=None if room else where,
    )
    moments += _confirmed_at(confirmed, item.id, room.key if room else None)
    tracked_since = room.since if room and room.since else since
    due = periodic_item(
        item.id, room.name if room else "", item.frequency, moments, now, tracked_since
    )
    kind_of_room = room.kind if room else (where.room_kinds[0] if where.room_kinds else None)
    return _duty(
        check, kind, room.key if room else None, room.name if room else "", due, kind_of_room
    )


def _room_duties(
    plan: Plan,
    rooms: Sequence[RoomRef],
    done: _Registered,
    now: datetime,
    since: datetime | None,
    confirmed: Sequence[Confirmed] = (),
) -> list[Duty]:
    duties: list[Duty] = []
    for room in rooms:
        for check in room_checks(plan, room.kind):
            duty = _periodic(check, TargetKind.ROOM, room, done, now, since, confirmed)
            if duty is not None:
                duties.append(duty)
        for task in room_tasks(plan, room.kind):
            assert task.frequency is not None
            moments = [d.at for d in done.of_task(task.id) if d.room == room.key]
            moments += _confirmed_at(confirmed, task.id, room.key)
            due = periodic_item(
                task.id, room.name, task.frequency, moments, now, room.since or since
            )
            duties.append(
                Duty(
                    task.id,
                    None,
                    task.text,
                    TargetKind.ROOM,
                    room.key,
                    room.name,
                    (),
                    due,
                    True,
                    room.kind,
                )
            )
    return duties


def _business_duties(
    plan: Plan,
    rooms: Sequence[RoomRef],
    done: _Registered,
    now: datetime,
    since: datetime | None,
    confirmed: Sequence[Confirmed] = (),
) -> list[Duty]:
    kinds = {room.kind for room in rooms}
    checks = list(periodic_business_checks(plan))
    for check in plan_checks(plan):
        where = check.where
        if where.target is Target.ROOM and not kinds & set(where.room_kinds):
            checks.append(check)
    duties = [
        duty
        for check in checks
        if (duty := _periodic(check, TargetKind.BUSINESS, None, done, now, since, confirmed))
        is not None
    ]
    for task in plan.hygiene:
        where = hygiene_placement(task)
        if task.frequency is None or kinds & set(where.room_kinds):
            continue
        moments = [d.at for d in done.of_task(task.id)]
        moments += _confirmed_at(confirmed, task.id, None)
        due = periodic_item(task.id, "", task.frequency, moments, now, since)
        duties.append(Duty(task.id, None, task.text, TargetKind.BUSINESS, None, "", (), due, True))
    return duties


_ORDER = {DueStatus.OVERDUE: 0, DueStatus.DUE: 1, DueStatus.DONE: 2}


def _sections(duties: Sequence[Duty], day: date) -> dict[str, tuple[Duty, ...]]:
    monday = day - timedelta(days=day.weekday())
    _, week_end = local_day_bounds(monday + timedelta(days=6))
    _, day_end = local_day_bounds(day)
    sections: dict[str, list[Duty]] = {
        name: [] for name in ("overdue", "today", "week", "later", "done")
    }
    for duty in duties:
        deadline = duty.item.deadline
        if duty.status is DueStatus.DONE:
            sections["done"].append(duty)
        elif duty.status is DueStatus.OVERDUE:
            sections["overdue"].append(duty)
        elif duty.item.window is None:
            sections["today"].append(duty)  # a production check is due while the batch is made
        elif deadline is not None and deadline <= day_end:
            sections["today"].append(duty)
        elif deadline is not None and deadline <= week_end:
            sections["week"].append(duty)
        else:
            sections["later"].append(duty)
    return {name: tuple(items) for name, items in sections.items()}


def build_agenda(
    plan: Plan,
    rooms: Sequence[RoomRef],
    batches: Sequence[BatchRef],
    done: Sequence[Done],
    now: datetime,
    since: datetime | None = None,
    grace: timedelta = timedelta(hours=24),
    confirmed: Sequence[Confirmed] = (),
) -> Agenda:
    """Every check and task of the plan on its target, with its status at `now`.

    `since`: when the operator started keeping records here; windows before it are not missed.
    `confirmed`: duties confirmed "all in order" (relaxations), counted as done when made.
    """
    relaxed = plan.registration_mode == "non_conformities_only"
    confirmed = confirmed if relaxed else ()
    registered = _Registered(done)
    every = [
        *_batch_duties(plan, batches, registered, now, grace, confirmed),
        *_room_duties(plan, rooms, registered, now, since, confirmed),
        *_business_duties(plan, rooms, registered, now, since, confirmed),
    ]
    expired = tuple(d for d in every if _expired(d, relaxed, now))
    gone = {id(d) for d in expired}
    duties = [_with_relaxed(d, relaxed) for d in every if id(d) not in gone]
    far = datetime.max.replace(tzinfo=UTC)
    duties.sort(key=lambda d: (_ORDER[d.status], d.item.deadline or far, d.target_name, d.key))
    day = now.astimezone(BRUSSELS).date()
    return Agenda(tuple(duties), relaxed, day, _sections(duties, day), expired)
