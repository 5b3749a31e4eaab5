"""How many checks the plan asked for over a period, and how many of them were done.

The agenda says what is due at one moment; an audit asks the same over months. Every occasion
the schedule sets in the period is counted once: each monitoring item of a production batch
started in the period, and each calendar window of a periodic check (per room, or for the
business) that overlaps the period, as often as its frequency asks (`times`). An occasion is
done when a registration satisfies it as the agenda would count it; a window still running at
`now` is due only as far as it is done already, a batch check only once its time has passed.

Checks at a delivery, on demand or at the laboratory are not scheduled: they have no count
of occasions (the lab's own schedule covers the analyses).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dairyhaccp.guide.models import Frequency
from dairyhaccp.monitoring.agenda import BatchRef, Done, RoomRef, _moments
from dairyhaccp.monitoring.duties import (
    Check,
    Target,
    batch_checks,
    hygiene_placement,
    periodic_business_checks,
    placement,
    room_checks,
    room_tasks,
)
from dairyhaccp.monitoring.schedule import BRUSSELS, Window, window_of
from dairyhaccp.plan.models import Plan


@dataclass(frozen=True)
class Tally:
    """Occasions due and done for one control (or one hygiene task without a control)."""

    control_id: str | None
    task_id: str | None
    due: int
    done: int

    @property
    def key(self) -> str:
        return self.control_id or self.task_id or ""

    @property
    def missed(self) -> int:
        return self.due - self.done


@dataclass(frozen=True)
class Span:
    """The local days [first, last] counted; windows that began before `first` are counted
    only when `with_earlier_windows` (the first span of a period split by plan versions)."""

    first: date
    last: date
    with_earlier_windows: bool = True

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a span ends on or after its first day")


def windows(frequency: Frequency, span: Span) -> Iterator[Window]:
    """The windows of a periodic frequency that overlap the span, oldest first."""
    window = window_of(frequency, span.first)
    while window.start <= span.last:
        if span.with_earlier_windows or window.start >= span.first:
            yield window
        window = window_of(frequency, window.end)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()


class _Counter:
    def __init__(self) -> None:
        self.due: dict[tuple[str | None, str | None], int] = defaultdict(int)
        self.done: dict[tuple[str | None, str | None], int] = defaultdict(int)

    def add(self, key: tuple[str | None, str | None], due: int, done: int) -> None:
        self.due[key] += due
        self.done[key] += done

    def tallies(self) -> list[Tally]:
        return [
            Tally(control_id, task_id, due, self.done[(control_id, task_id)])
            for (control_id, task_id), due in self.due.items()
        ]


def periodic_tally(
    frequency: Frequency,
    moments: Iterable[datetime],
    span: Span,
    now: datetime,
    since: datetime | None,
) -> tuple[int, int]:
    """Occasions due and done of one periodic check on one target over the span.

    A window that ended before `since` (the target was not tracked yet) is not counted; a
    window still running at `now` is due only as far as it is done.
    """
    if frequency.period is None:
        return 0, 0
    per_window = Counter(window_of(frequency, _local_day(moment)).start for moment in moments)
    due = done = 0
    for window in windows(frequency, span):
        if since is not None and since >= window.ends_at:
            continue
        got = min(frequency.times, per_window[window.start])
        due += frequency.times if window.ends_at <= now else got
        done += got
    return due, done


def _index(done: Sequence[Done]) -> tuple[dict[str | None, list[Done]], dict[str, list[Done]]]:
    by_control: dict[str | None, list[Done]] = defaultdict(list)
    by_batch: dict[str, list[Done]] = defaultdict(list)
    for item in done:
        by_control[item.control_id].append(item)
        if item.batch is not None:
            by_batch[item.batch].append(item)
    return by_control, by_batch


def _business_checks(plan: Plan, rooms: Sequence[RoomRef]) -> list[Check]:
    """The periodic checks done once for the business, as the agenda places them: those placed
    there, and room checks for kinds of room the operator has not entered."""
    kinds = {room.kind for room in rooms}
    checks = list(periodic_business_checks(plan))
    for control in plan.controls:
        for item in control.monitoring:
            where = placement(item)
            if where.target is Target.ROOM and not kinds & set(where.room_kinds):
                checks.append(Check(control, item))
    return checks


def coverage(
    plan: Plan,
    rooms: Sequence[RoomRef],
    batches: Sequence[BatchRef],
    done: Sequence[Done],
    span: Span,
    now: datetime,
    since: datetime | None = None,
    grace: timedelta = timedelta(hours=24),
) -> list[Tally]:
    """Per control (and hygiene task), the occasions the plan set in the span and those done.

    `batches`: the batches started in the span. `done`: the registrations that may satisfy an
    occasion: those of these batches, and the others of every window overlapping the span.
    Only controls and tasks the schedule sets occasions for appear.
    """
    counter = _Counter()
    by_control, by_batch = _index(done)
    for batch in batches:
        for check in batch_checks(plan, batch.product):
            item = check.monitoring
            found = _moments(
                by_batch.get(batch.key, ()), item.id, check.control.id, check.parameters
            )
            deadline = batch.started_at + grace
            if found:
                counter.add((check.control.id, None), 1, 1)
            elif now > deadline:
                counter.add((check.control.id, None), 1, 0)
            else:
                counter.add((check.control.id, None), 0, 0)
    for room in rooms:
        tracked = room.since or since
        for check in room_checks(plan, room.kind):
            item = check.monitoring
            if item.frequency.period is None:
                continue
            moments = _moments(
                by_control.get(check.control.id, ()),
                item.id,
                check.control.id,
                check.parameters,
                room=room.key,
            )
            counter.add(
                (check.control.id, None),
                *periodic_tally(item.frequency, moments, span, now, tracked),
            )
        for task in room_tasks(plan, room.kind):
            assert task.frequency is not None
            moments = [d.at for d in done if d.task == task.id and d.room == room.key]
            counter.add(
                (None, task.id), *periodic_tally(task.frequency, moments, span, now, tracked)
            )
    for check in _business_checks(plan, rooms):
        item = check.monitoring
        if item.frequency.period is None:
            continue
        moments = _moments(
            by_control.get(check.control.id, ()),
            item.id,
            check.control.id,
            check.parameters,
            where=placement(item),
        )
        counter.add(
            (check.control.id, None), *periodic_tally(item.frequency, moments, span, now, since)
        )
    kinds = {room.kind for room in rooms}
    for task in plan.hygiene:
        if task.frequency is None or kinds & set(hygiene_placement(task).room_kinds):
            continue
        moments = [d.at for d in done if d.task == task.id]
        counter.add((None, task.id), *periodic_tally(task.frequency, moments, span, now, since))
    return counter.tallies()


def add_up(parts: Iterable[Sequence[Tally]]) -> list[Tally]:
    """Tallies of several spans (one per plan version in force) summed per control and task."""
    counter = _Counter()
    for tallies in parts:
        for tally in tallies:
            counter.add((tally.control_id, tally.task_id), tally.due, tally.done)
    return counter.tallies()
