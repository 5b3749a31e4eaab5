"""Per control, the checks the plan asked for in the period, those done, and their verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.monitoring.coverage import Span, Tally, add_up, coverage
from dairyhaccp.monitoring.schedule import BRUSSELS
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections.common import control_title, hygiene_title
from dairyhaccp.web.dossier.selectors import (
    VersionInForce,
    batch_refs,
    done_in_reach,
    registration_counts,
    room_refs,
)
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.operators.models import Operator


@dataclass(frozen=True)
class ControlRow:
    """One control (or hygiene task): occasions due and done, registrations by verdict.

    `due` and `done` are None for what the schedule sets no occasions for (checks at a
    delivery, on demand); `registrations` counts every registration of the period."""

    control: str
    title: str
    frequency: str
    due: int | None
    done: int | None
    registrations: int
    warnings: int
    deviations: int

    @property
    def missed(self) -> int | None:
        return None if self.due is None or self.done is None else max(0, self.due - self.done)


def tallies(
    operator: Operator, period: Period, versions: list[VersionInForce], now: datetime
) -> list[Tally]:
    """Occasions due and done per control, each span of the period counted with the plan
    version in force then (a window belongs to the span it begins in)."""
    plans = [item.plan for item in versions]
    done = done_in_reach(operator, period, plans)
    rooms = room_refs(operator)
    batches = batch_refs(operator, period)
    parts: list[list[Tally]] = []
    for item in versions:
        if item.last < item.first:
            continue  # replaced the day it came into force
        # The windows begun before the period belong to its first span.
        span = Span(item.first, item.last, with_earlier_windows=not parts)
        in_span = [
            b
            for b in batches
            if item.first <= b.started_at.astimezone(BRUSSELS).date() <= item.last
        ]
        parts.append(
            coverage(item.plan, rooms, in_span, done, span, now, since=operator.created_at)
        )
    return add_up(parts)


def _frequencies(plans: list[Plan], control_id: str) -> str:
    lang = guide_language()
    for plan in reversed(plans):
        try:
            control = plan.control(control_id)
        except KeyError:
            continue
        texts = [describe_frequency(item.frequency, lang) for item in control.monitoring]
        return ", ".join(dict.fromkeys(texts))
    return ""


def _hygiene_frequency(plans: list[Plan], task_id: str) -> str:
    for plan in reversed(plans):
        for task in plan.hygiene:
            if task.id == task_id and task.frequency is not None:
                return describe_frequency(task.frequency, guide_language())
    return ""


def _order(plans: list[Plan]) -> dict[str, int]:
    """Controls in the order of the plan (the guide's), hygiene tasks after them."""
    order: dict[str, int] = {}
    for plan in reversed(plans):
        for control in plan.controls:
            order.setdefault(control.id, len(order))
    for plan in reversed(plans):
        for task in plan.hygiene:
            order.setdefault(task.id, 10_000 + len(order))
    return order


def control_rows(
    operator: Operator, period: Period, versions: list[VersionInForce], now: datetime
) -> list[ControlRow]:
    """A row per control of the plans in force that had occasions or registrations, and per
    hygiene task with a frequency."""
    plans = [item.plan for item in versions]
    scheduled = {tally.key: tally for tally in tallies(operator, period, versions, now)}
    counted: dict[str, list[int]] = {}
    for count in registration_counts(operator, period):
        key = count.control_id or count.task_id
        totals = counted.setdefault(key, [0, 0, 0])
        totals[0] += count.total
        totals[1] += count.warnings
        totals[2] += count.deviations
    keys = set(scheduled) | set(counted)
    order = _order(plans)
    control_ids = {control.id for plan in plans for control in plan.controls}
    task_ids = {task.id for plan in plans for task in plan.hygiene}
    rows = []
    for key in sorted(keys, key=lambda k: (order.get(k, 20_000), k)):
        tally = scheduled.get(key)
        total, warnings, deviations = counted.get(key, [0, 0, 0])
        is_task = key in task_ids and key not in control_ids
        rows.append(
            ControlRow(
                control="" if is_task else key,
                title=hygiene_title(plans, key) if is_task else control_title(plans, key),
                frequency=_hygiene_frequency(plans, key) if is_task else _frequencies(plans, key),
                due=tally.due if tally is not None else None,
                done=tally.done if tally is not None else None,
                registrations=total,
                warnings=warnings,
                deviations=deviations,
            )
        )
    return rows
