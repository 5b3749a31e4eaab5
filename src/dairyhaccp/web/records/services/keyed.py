"""A registration sent from a form with the client's idempotency key (a form kept in the
browser while offline and sent when the connection returns): stored once, refused after."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.services.bulk import BulkItem, BulkRefusedError, record_registrations
from dairyhaccp.web.records.services.errors import RegistrationError
from dairyhaccp.web.records.services.registrations import (
    Recorded,
    RegistrationInput,
    record_registration,
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
