"""A registration or a task sent from a form with the client's idempotency key (a form kept in
the browser while offline and sent when the connection returns): stored once, refused after."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dairyhaccp.web.bounds import text_problem
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import IdempotencyKey, Registration, Room
from dairyhaccp.web.records.services.bulk import (
    KEY_MAX_LENGTH,
    BulkItem,
    BulkRefusedError,
    record_registrations,
)
from dairyhaccp.web.records.services.errors import RegistrationError, create_checked
from dairyhaccp.web.records.services.registrations import (
    Recorded,
    RegistrationInput,
    _lock,
    record_registration,
    record_task,
)


class RepeatedKeyError(Exception):
    """The key was stored before: this registration was received already."""

    def __init__(self, registration_id: int | None) -> None:
        super().__init__("stored before under this key")
        self.registration_id = registration_id


def record_keyed_registration(
    operator: Operator, user: User, data: RegistrationInput, key: str
) -> Recorded:
    """Judge and store one check under `key` (none: as a plain registration).

    Raises RepeatedKeyError when the key was stored before, RegistrationError naming the field
    when the check cannot be judged or stored."""
    key = key.strip()
    if not key:
        return record_registration(operator, user, data)
    try:
        (stored,) = record_registrations(operator, user, [BulkItem(key, data)])
    except BulkRefusedError as refused:
        problem = refused.problems[0]
        stored_meanwhile = problem.field == "key" and problem.problem == _(
            "stored before under this key"
        )
        if refused.repeated or stored_meanwhile:
            raise RepeatedKeyError(problem.registration_id) from refused
        raise RegistrationError(problem.field, problem.problem) from refused
    return Recorded(stored.registration, stored.evaluation, stored.deviation)


@transaction.atomic
def record_keyed_task(
    operator: Operator,
    user: User,
    task_id: str,
    key: str,
    room: Room | None = None,
    done_at: datetime | None = None,
    remark: str = "",
) -> Registration:
    """Register a task without measurements under `key` (none: as a plain task), the key kept
    in the same table as the keys of registrations.

    Raises RepeatedKeyError when the key was stored before, RegistrationError naming the field
    when the task cannot be stored."""
    key = key.strip()
    if not key:
        return record_task(operator, user, task_id, room=room, done_at=done_at, remark=remark)
    problem = text_problem(key, KEY_MAX_LENGTH)
    if problem is not None:
        raise RegistrationError("key", problem)
    _lock(operator)
    stored = IdempotencyKey.objects.filter(operator=operator, key=key).first()
    if stored is not None:
        raise RepeatedKeyError(stored.registration_id)
    registration = record_task(operator, user, task_id, room=room, done_at=done_at, remark=remark)
    try:
        with transaction.atomic():
            create_checked(IdempotencyKey(operator=operator, key=key, registration=registration))
    except IntegrityError as error:
        # Stored meanwhile by another request: this one stores nothing (the task rolls back).
        raise RepeatedKeyError(None) from error
    return registration
