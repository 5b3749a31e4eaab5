"""Audit readiness per module from the farmer's self-assessment answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import get_args

from dairyhaccp.ikm.inputs import IkmInputError
from dairyhaccp.ikm.models import Answer, Criterion, Lastenboek

PRECONDITIONS = "preconditions"
_ANSWERS: dict[str, Answer] = {answer: answer for answer in get_args(Answer)}


@dataclass(frozen=True, slots=True)
class ModuleReadiness:
    """Counts of answers for one module (or the preconditions) and what is still open.

    `readiness_pct` is met / (criteria - not applicable) × 100, None when nothing applies;
    `ready` means every applicable criterion is met.
    """

    module: str
    criteria: int
    met: int
    not_met: int
    not_applicable: int
    unanswered: int
    open: tuple[str, ...]
    readiness_pct: float | None
    ready: bool


def check_answers(lastenboek: Lastenboek, answers: Mapping[str, object]) -> dict[str, Answer]:
    """The answers, or IkmInputError for an unknown criterion or answer."""
    known = {c.id for c in (*lastenboek.preconditions, *lastenboek.criteria)}
    checked: dict[str, Answer] = {}
    for criterion_id, answer in answers.items():
        if criterion_id not in known:
            raise IkmInputError("answers", f"unknown criterion {criterion_id!r:.60}")
        if not isinstance(answer, str) or answer not in _ANSWERS:
            raise IkmInputError(
                f"answers.{criterion_id}", f"{answer!r:.40} is not one of {sorted(_ANSWERS)}"
            )
        checked[criterion_id] = _ANSWERS[answer]
    return checked


def _readiness(
    name: str, criteria: list[Criterion], answers: Mapping[str, Answer]
) -> ModuleReadiness:
    given = [answers.get(c.id) for c in criteria]
    met = given.count("met")
    not_applicable = given.count("not_applicable")
    applicable = len(criteria) - not_applicable
    return ModuleReadiness(
        module=name,
        criteria=len(criteria),
        met=met,
        not_met=given.count("not_met"),
        not_applicable=not_applicable,
        unanswered=given.count(None),
        open=tuple(c.id for c, a in zip(criteria, given, strict=True) if a in (None, "not_met")),
        readiness_pct=round(100.0 * met / applicable, 1) if applicable else None,
        ready=met == applicable,
    )


def readiness(lastenboek: Lastenboek, answers: Mapping[str, object]) -> list[ModuleReadiness]:
    """Readiness of the preconditions, then of each module in the lastenboek's order."""
    checked = check_answers(lastenboek, answers)
    result = [_readiness(PRECONDITIONS, list(lastenboek.preconditions), checked)]
    for module in sorted(lastenboek.modules, key=lambda m: m.order):
        result.append(_readiness(module.id, lastenboek.criteria_of(module.id), checked))
    return result


def days_covered(days: Iterable[date], first_day: date, last_day: date) -> tuple[int, int]:
    """Days from `first_day` to `last_day` with at least one record, and the days in all.

    For evidence the app fills in itself: "tank cooling registered 212 of 214 days".
    """
    if last_day < first_day:
        raise ValueError("the period ends before it starts")
    covered = {d for d in days if first_day <= d <= last_day}
    return len(covered), (last_day - first_day).days + 1
