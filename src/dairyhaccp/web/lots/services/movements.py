"""What leaves a lot: deliveries, sales to consumers, destructions; and stock counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.choices import MovementKind
from dairyhaccp.web.lots.constants import SHORT_TEXT_CHARS
from dairyhaccp.web.lots.models import Customer, Movement
from dairyhaccp.web.lots.services.book import (
    Change,
    check_change,
    lot_key_of,
    movement_event,
    movement_tag,
)
from dairyhaccp.web.lots.services.common import (
    check_day,
    check_quantity,
    check_reason,
    clean_text,
    lock,
    lot_unit,
    new_version,
    require_current,
    resolve_lot,
)
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.operators.models import Operator

# Movements that hand a lot over to someone: refused while the lot is blocked.
HAND_OVER = frozenset({MovementKind.DELIVER, MovementKind.SELL})


@dataclass(frozen=True)
class MovementInput:
    """A movement as a form or the API gives it; `lot` is a key ('b12', 'i7')."""

    kind: str
    lot: str
    quantity: Decimal
    moved_on: date
    customer_id: int | None = None
    reason: str = ""


def _movement_field(name: str) -> str:
    return {"date": "moved_on", "lot": "lot"}.get(name, name)


def _fields(operator: Operator, data: MovementInput) -> dict[str, Any]:
    if data.kind not in MovementKind.values:
        raise LotError("kind", _("Choose what happened to the lot."))
    ref = resolve_lot(operator, data.lot)
    customer = None
    if data.kind == MovementKind.DELIVER:
        if data.customer_id is not None:
            customer = Customer.objects.filter(operator=operator, pk=data.customer_id).first()
        if customer is None:
            raise LotError("customer", _("Choose the customer."))
    reason = clean_text("reason", data.reason, SHORT_TEXT_CHARS)
    if data.kind == MovementKind.DESTROY and not reason:
        raise LotError("reason", _("Say why the quantity was destroyed or lost."))
    moved_on = check_day("moved_on", data.moved_on, operator.active_since)
    amount = check_quantity("quantity", data.quantity, zero_ok=data.kind == MovementKind.COUNT)
    if data.kind in HAND_OVER and ref.key in selectors.blocked_keys(operator):
        raise LotError(
            "lot",
            _("This lot is blocked by an open deviation or recall: it may not leave the business."),
        )
    return {
        "kind": data.kind,
        "batch": ref.batch,
        "input_lot": ref.input_lot,
        "quantity": amount,
        "moved_on": moved_on,
        "customer": customer,
        "reason": reason,
    }


def _with_unit(operator: Operator, fields: dict[str, Any], data: MovementInput) -> dict[str, Any]:
    unit = lot_unit(resolve_lot(operator, data.lot))
    if unit is None:
        raise LotError("lot", _("Record the quantity of this lot first."))
    return {**fields, "unit": unit}


@transaction.atomic
def record_movement(operator: Operator, user: User, data: MovementInput) -> Movement:
    """Record a delivery, a sale, a destruction or a stock count; refused when it takes more
    than what is left of the lot."""
    lock(operator)
    fields = _fields(operator, data)
    key = resolve_lot(operator, data.lot).key
    movement = Movement(operator=operator, recorded_by=user, **_with_unit(operator, fields, data))
    check_change(operator, Change(add=[movement_event(movement, key)]), _movement_field)
    movement.save()
    return movement


@transaction.atomic
def correct_movement(movement: Movement, user: User, data: MovementInput, reason: str) -> Movement:
    """Store a corrected version of a movement, with who, when and why."""
    operator = movement.operator
    lock(operator)
    current = require_current(movement)
    why = check_reason(reason)
    fields = _fields(operator, data)
    key = resolve_lot(operator, data.lot).key
    corrected = new_version(current, user, why, **_with_unit(operator, fields, data))
    check_change(
        operator,
        Change(replace={movement_tag(current.pk): movement_event(corrected, key)}),
        _movement_field,
        lots=[lot_key_of(current.batch_id, current.input_lot_id)],
    )
    corrected.save()
    return corrected


@transaction.atomic
def withdraw_movement(movement: Movement, user: User, reason: str) -> Movement:
    """Take a movement out (entered by mistake) as a new, withdrawing version."""
    operator = movement.operator
    lock(operator)
    current = require_current(movement)
    why = check_reason(reason)
    check_change(
        operator,
        Change(replace={movement_tag(current.pk): None}),
        lambda name: "correction_reason",
        lots=[lot_key_of(current.batch_id, current.input_lot_id)],
    )
    withdrawn = new_version(current, user, why, withdrawn=True)
    withdrawn.save()
    return withdrawn
