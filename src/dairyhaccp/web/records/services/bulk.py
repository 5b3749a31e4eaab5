"""Many registrations at once (the bulk API, a CSV import): each judged as one registration
would be, by the same code and the one judge, all stored or none.

One plan and one lookup of stored facts serve the whole run; the checks are judged in the order
given, each one counting those before it as stored (a pasteurisation, then the time since it).
Each item carries an idempotency key: a key stored before, or given twice, refuses the run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.monitoring import Evaluation, Verdict
from dairyhaccp.web.bounds import text_problem
from dairyhaccp.web.inserts import insert_values
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.constants import BULK_MAX_ITEMS
from dairyhaccp.web.records.facts import FactLookup
from dairyhaccp.web.records.models import Deviation, IdempotencyKey, Registration
from dairyhaccp.web.records.selectors import OperatorPlan
from dairyhaccp.web.records.services.deviations import open_deviations
from dairyhaccp.web.records.services.errors import RegistrationError, checked_for_storage
from dairyhaccp.web.records.services.registrations import (
    RegistrationInput,
    _judge,
    _Judged,
    _lock,
    _plan,
    _row,
)

KEY_MAX_LENGTH = IdempotencyKey._meta.get_field("key").max_length or 100


@dataclass(frozen=True)
class BulkItem:
    """One check of a bulk run, with the client's key for it."""

    key: str
    data: RegistrationInput


@dataclass(frozen=True)
class ItemProblem:
    """Why one item of a run was refused: its place in the run, its key, the field at fault.

    `registration_id` names the registration stored before under the same key."""

    index: int
    key: str
    field: str
    problem: str
    registration_id: int | None = None


class BulkRefusedError(Exception):
    """A run refused whole: nothing was stored. `repeated`: every problem is a key stored
    before (the run, or part of it, was sent already)."""

    def __init__(self, problems: Sequence[ItemProblem]) -> None:
        super().__init__(f"{len(problems)} item(s) refused")
        self.problems = tuple(problems)

    @property
    def repeated(self) -> bool:
        return all(p.registration_id is not None for p in self.problems)


@dataclass(frozen=True)
class BulkRecorded:
    """One item stored: its key, its registration, the verdict and any deviation it opened."""

    key: str
    registration: Registration
    evaluation: Evaluation
    deviation: Deviation | None


def _moment(data: RegistrationInput, now: datetime) -> datetime:
    return data.measured_at or now


def _judge_all(
    operator: Operator, inputs: Sequence[RegistrationInput], current: OperatorPlan
) -> list[_Judged | RegistrationError]:
    """Judge every check in order with one plan and one lookup of stored facts."""
    now = timezone.now()
    lookup = FactLookup(operator)
    lookup.preload(inputs, [_moment(data, now) for data in inputs])
    results: list[_Judged | RegistrationError] = []
    for data in inputs:
        try:
            judged = _judge(operator, data, current, lookup)
        except RegistrationError as error:
            results.append(error)
            continue
        lookup.remember(data, judged.measured_at, data.industrial_starter)
        results.append(judged)
    return results


def judge_registrations(
    operator: Operator, inputs: Sequence[RegistrationInput]
) -> list[Evaluation | RegistrationError]:
    """Judge many checks as a bulk run would, each counting those before it; store nothing
    (the preview of an import). Raises RegistrationError when there is no plan."""
    if len(inputs) > BULK_MAX_ITEMS:
        raise RegistrationError(
            "items", _("at most {count} registrations at once").format(count=BULK_MAX_ITEMS)
        )
    results = _judge_all(operator, inputs, _plan(operator))
    return [r if isinstance(r, RegistrationError) else r.evaluation for r in results]


def _key_problems(operator: Operator, items: Sequence[BulkItem]) -> list[ItemProblem]:
    problems: list[ItemProblem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        problem = text_problem(item.key, KEY_MAX_LENGTH)
        if not item.key.strip():
            problem = _("give every registration a key")
        elif problem is None and item.key in first:
            problem = _("the same key as item {index}").format(index=first[item.key])
        if problem is not None:
            problems.append(ItemProblem(index, item.key, "key", problem))
        else:
            first[item.key] = index
    stored = dict(
        IdempotencyKey.objects.filter(operator=operator, key__in=list(first)).values_list(
            "key", "registration_id"
        )
    )
    for key, registration_id in stored.items():
        problems.append(
            ItemProblem(first[key], key, "key", _("stored before under this key"), registration_id)
        )
    return sorted(problems, key=lambda p: p.index)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A run's thousands of rows, links and keys live until it ends: the garbage collector's
    passes over them free nothing and took a tenth of a run's time. It waits for the run's end,
    refused or not."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_collector_paused()
@transaction.atomic
def record_registrations(
    operator: Operator, user: User, items: Sequence[BulkItem]
) -> list[BulkRecorded]:
    """Judge many checks against the operator's current plan and store them all, or none.

    Raises BulkRefusedError naming every item at fault (index, key, field, problem) when one cannot
    be judged or stored, or its key was used before; RegistrationError when there is no plan.
    Deviations open as one registration at a time would open them.
    """
    if len(items) > BULK_MAX_ITEMS:
        raise RegistrationError(
            "items", _("at most {count} registrations at once").format(count=BULK_MAX_ITEMS)
        )
    _lock(operator)
    current = _plan(operator)
    problems = _key_problems(operator, items)
    if any(p.registration_id is not None for p in problems):
        raise BulkRefusedError([p for p in problems if p.registration_id is not None])
    inputs = [item.data for item in items]
    rows: list[Registration] = []
    judged_items: list[_Judged] = []
    for index, (item, result) in enumerate(
        zip(items, _judge_all(operator, inputs, current), strict=True)
    ):
        if isinstance(result, RegistrationError):
            problems.append(ItemProblem(index, item.key, result.field, result.problem))
            continue
        try:
            rows.append(checked_for_storage(_row(operator, user, item.data, result, current)))
        except RegistrationError as error:
            problems.append(ItemProblem(index, item.key, error.field, error.problem))
            continue
        judged_items.append(result)
    if problems:
        raise BulkRefusedError(sorted(problems, key=lambda p: p.index))
    stored = _insert(operator, items, rows)
    deviating = [
        registration
        for registration, judged in zip(stored, judged_items, strict=True)
        if judged.evaluation.verdict is Verdict.DEVIATION
    ]
    opened = dict(zip(deviating, open_deviations(deviating, user, current.plan), strict=True))
    return [
        BulkRecorded(item.key, registration, judged.evaluation, opened.get(registration))
        for item, registration, judged in zip(items, stored, judged_items, strict=True)
    ]


def _insert(
    operator: Operator, items: Sequence[BulkItem], rows: list[Registration]
) -> list[Registration]:
    """Insert the rows and their keys in a few statements; a key stored meanwhile refuses."""
    stored = Registration.objects.bulk_create(rows)
    now = timezone.now()
    keys = [
        (operator.pk, item.key, registration.pk, now)
        for item, registration in zip(items, stored, strict=True)
    ]
    try:
        with transaction.atomic():
            insert_values(
                IdempotencyKey, ("operator_id", "key", "registration_id", "created_at"), keys
            )
    except IntegrityError as error:
        problems = [
            ItemProblem(index, item.key, "key", _("stored before under this key"))
            for index, item in enumerate(items)
        ]
        raise BulkRefusedError(problems) from error
    return stored
