"""Checks shared by the lots services: texts, days, quantities, lots, versions, the write lock."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.lots.constants import (
    CLOCK_SLACK,
    EARLIEST_DAY,
    LONG_TEXT_CHARS,
    MAX_QUANTITY,
    QUANTITY_PLACES,
)
from dairyhaccp.web.lots.models import InputLot, Production, Versioned
from dairyhaccp.web.lots.presentation import number
from dairyhaccp.web.lots.services.book import parse_key
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch

_V = TypeVar("_V", bound=Versioned)


def lock(operator: Operator) -> None:
    """One write to an operator's lots at a time: each is checked against all that is stored."""
    Operator.objects.select_for_update().filter(pk=operator.pk).first()


def clean_text(
    field: str, value: str, limit: int, *, required: str | None = None, multiline: bool = False
) -> str:
    """A typed text, stripped and checked; `required` is the message when it is empty."""
    if "\x00" in value:
        raise LotError(field, _("This text contains a NUL character; remove it."))
    text = value.strip()
    if len(text) > limit:
        raise LotError(field, _("At most {limit} characters.").format(limit=limit))
    allowed = "\n\r\t" if multiline else ""
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text):
        raise LotError(field, _("This text contains a control character; write it on one line."))
    if required is not None and not text:
        raise LotError(field, required)
    return text


def today() -> date:
    return timezone.localdate()


def check_day(field: str, day: date, since: date | None = None) -> date:
    """A day of a record: from 1 January 2000 on, not before the business started (`since`,
    when known) and not after today."""
    if day < EARLIEST_DAY:
        raise LotError(field, _("Give a date from 1 January 2000 on."))
    if day > timezone.localtime(timezone.now() + CLOCK_SLACK).date():
        raise LotError(field, _("This date lies in the future."))
    if since is not None and day < since:
        raise LotError(
            field,
            _("This date lies before the business started ({date}).").format(
                date=formats.date_format(since, "SHORT_DATE_FORMAT")
            ),
        )
    return day


def check_date_mark(field: str, mark: date | None, made_on: date) -> date | None:
    """A best-before or use-by date: not before the lot was made."""
    if mark is not None and mark < made_on:
        raise LotError(field, _("This date lies before the lot was made or received."))
    return mark


def check_quantity(field: str, value: Any, *, zero_ok: bool = False) -> Decimal:
    """A quantity: a finite number above zero (or zero for a count), at most 3 decimals."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise LotError(field, _("Give a number.")) from None
    if isinstance(value, bool) or not amount.is_finite():
        raise LotError(field, _("Give a number."))
    if amount < 0 or (amount == 0 and not zero_ok):
        raise LotError(field, _("Give a quantity above zero."))
    if amount > MAX_QUANTITY:
        raise LotError(field, _("At most {maximum}.").format(maximum=number(MAX_QUANTITY)))
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > QUANTITY_PLACES:
        raise LotError(field, _("At most {places} decimals.").format(places=QUANTITY_PLACES))
    return amount


@dataclass(frozen=True)
class LotRef:
    """A lot of the operator: a batch, or the first version of a received lot."""

    batch: Batch | None
    input_lot: InputLot | None

    @property
    def key(self) -> str:
        if self.batch is not None:
            return f"b{self.batch.pk}"
        assert self.input_lot is not None
        return f"i{self.input_lot.pk}"


def first_version(row: _V) -> _V:
    """The first version of a versioned record (the identity of a received lot)."""
    if row.version == 1:
        return row
    return cast(_V, type(row).objects.get(operator=row.operator, chain=row.chain, version=1))


def current_version(row: _V) -> _V:
    """The version of a versioned record that no later version corrects."""
    latest = (
        type(row)
        .objects.filter(operator=row.operator, chain=row.chain)
        .order_by("-version")
        .first()
    )
    return cast(_V, latest) if latest is not None else row


def resolve_lot(operator: Operator, key: str, field: str = "lot") -> LotRef:
    """The operator's lot of a key ('b12', 'i7'); LotError for anything else."""
    parsed = parse_key(key.strip()) if isinstance(key, str) else None
    if parsed is not None:
        kind, pk = parsed
        if kind == "batch":
            batch = Batch.objects.filter(operator=operator, pk=pk).first()
            if batch is not None:
                return LotRef(batch, None)
        else:
            lot = InputLot.objects.filter(operator=operator, pk=pk, version=1).first()
            if lot is not None:
                return LotRef(None, lot)
    raise LotError(field, _("Choose a lot of your business."))


def lot_unit(ref: LotRef) -> str | None:
    """The unit of a lot as its current record gives it; None before its quantity is known."""
    if ref.batch is not None:
        row = Production.objects.filter(
            operator=ref.batch.operator, batch=ref.batch, correction__isnull=True, withdrawn=False
        ).first()
        return row.unit if row is not None else None
    assert ref.input_lot is not None
    lot = current_version(ref.input_lot)
    return None if lot.withdrawn else lot.unit


def require_current(row: _V) -> _V:
    """The row itself if it is the current version; LotError if it was corrected since."""
    latest = current_version(row)
    if latest.pk != row.pk:
        raise LotError(
            "correction_reason",
            _("This record was corrected meanwhile; start from its latest version."),
        )
    if row.withdrawn:
        raise LotError("correction_reason", _("This record is withdrawn."))
    return row


def new_version(
    current: _V, user: User, why: str, /, *, withdrawn: bool = False, **fields: Any
) -> _V:
    """A new version of `current` (not saved) with the same chain, who, when and why."""
    values = {
        f.name: getattr(current, f.name)
        for f in type(current)._meta.concrete_fields
        if f.name
        not in {
            "id",
            "version",
            "corrects",
            "correction_reason",
            "withdrawn",
            "recorded_by",
            "recorded_at",
        }
    }
    values.update(fields)
    return type(current)(
        **values,
        version=current.version + 1,
        corrects=current,
        correction_reason=why,
        withdrawn=withdrawn,
        recorded_by=user,
        recorded_at=timezone.now(),
    )


def check_reason(reason: str) -> str:
    """The reason for a correction or a withdrawal: required."""
    return clean_text(
        "correction_reason",
        reason,
        LONG_TEXT_CHARS,
        required=_("Say why the record is corrected."),
        multiline=True,
    )
