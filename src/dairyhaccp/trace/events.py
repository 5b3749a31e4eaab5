"""Lot events: what comes in, what is made, what goes out, and stock counts.

Quantities are `Decimal`, rounded to 6 decimal places, in the unit of their lot (kg, l or pieces):
sums and balances are exact. Floats appear only at the JSON edge.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError

Unit = Literal["kg", "l", "pieces"]
UNITS: tuple[str, ...] = ("kg", "l", "pieces")
EARLIEST_DATE = date(2000, 1, 1)
MAX_QUANTITY = Decimal(1_000_000_000)
QUANTUM = Decimal("0.000001")
MAX_TEXT_CHARS = 200

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class FieldError(ValueError):
    """Input refused, with the field at fault and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def to_quantity(value: object) -> Decimal:
    """A JSON number as a quantity: finite, at most MAX_QUANTITY, rounded to 6 decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError("must be a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        number = Decimal(repr(value))
    else:
        number = Decimal(value)
        if not number.is_finite():
            raise ValueError("must be a finite number")
    if abs(number) > MAX_QUANTITY:
        raise ValueError(f"must be at most {MAX_QUANTITY}")
    return number.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


def _positive_quantity(value: object) -> Decimal:
    number = to_quantity(value)
    if number <= 0:
        raise ValueError("must be more than 0")
    return number


def _counted_quantity(value: object) -> Decimal:
    number = to_quantity(value)
    if number < 0:
        raise ValueError("must not be negative")
    return number


def to_date(value: object) -> date:
    """A date written YYYY-MM-DD (or a date object), not before 2000-01-01."""
    if isinstance(value, date) and type(value) is date:
        parsed = value
    elif not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    else:
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value} is not a day of the calendar") from None
    if parsed < EARLIEST_DATE:
        raise ValueError(f"{parsed.isoformat()} is before {EARLIEST_DATE.isoformat()}")
    return parsed


def _optional_date(value: object) -> date | None:
    return None if value is None else to_date(value)


def _label(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"is longer than {MAX_TEXT_CHARS} characters")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise ValueError("contains a control character")
    return text


def _optional_label(value: object) -> str | None:
    return None if value is None else _label(value)


PositiveQuantity = Annotated[Decimal, PlainValidator(_positive_quantity)]
CountedQuantity = Annotated[Decimal, PlainValidator(_counted_quantity)]
Day = Annotated[date, PlainValidator(to_date)]
OptionalDay = Annotated[date | None, PlainValidator(_optional_date)]
Label = Annotated[str, PlainValidator(_label)]
OptionalLabel = Annotated[str | None, PlainValidator(_optional_label)]


class _Event(BaseModel):
    """Base of the events: immutable; fields beyond the known ones are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class ReceivedLot(_Event):
    """A lot received: own milk (no supplier), bought milk, an ingredient or packaging."""

    type: Literal["lot"] = "lot"
    lot: Label
    kind: Label
    quantity: PositiveQuantity
    unit: Unit
    date: Day
    supplier: OptionalLabel = None
    supplier_lot: OptionalLabel = None
    best_before: OptionalDay = None
    use_by: OptionalDay = None


class InputUse(_Event):
    """A quantity of a lot used in a production, in that lot's unit."""

    lot: Label
    quantity: PositiveQuantity
    unit: Unit | None = None


class ProducedLot(_Event):
    """A batch or sub-lot made from quantities of other lots."""

    type: Literal["produce"] = "produce"
    lot: Label
    product: Label
    quantity: PositiveQuantity
    unit: Unit
    date: Day
    best_before: OptionalDay = None
    use_by: OptionalDay = None
    inputs: tuple[InputUse, ...] = Field(min_length=1)


class Delivery(_Event):
    """A quantity of a lot delivered to a named customer."""

    type: Literal["deliver"] = "deliver"
    lot: Label
    customer: Label
    quantity: PositiveQuantity
    date: Day
    unit: Unit | None = None


class Sale(_Event):
    """A quantity of a lot sold to consumers (farm shop, market), without names."""

    type: Literal["sell"] = "sell"
    lot: Label
    quantity: PositiveQuantity
    date: Day
    unit: Unit | None = None


class Destruction(_Event):
    """A quantity of a lot destroyed or lost, with the reason."""

    type: Literal["destroy"] = "destroy"
    lot: Label
    quantity: PositiveQuantity
    date: Day
    reason: Label
    unit: Unit | None = None


class StockCount(_Event):
    """What a count found left of a lot on a day; it replaces the book stock from then on."""

    type: Literal["count"] = "count"
    lot: Label
    quantity: CountedQuantity
    date: Day
    unit: Unit | None = None


LotEvent = ReceivedLot | ProducedLot
Movement = Delivery | Sale | Destruction | StockCount
Event = ReceivedLot | ProducedLot | Delivery | Sale | Destruction | StockCount

EVENT_TYPES: dict[str, type[Event]] = {
    "lot": ReceivedLot,
    "produce": ProducedLot,
    "deliver": Delivery,
    "sell": Sale,
    "destroy": Destruction,
    "count": StockCount,
}

_MESSAGES = {
    "missing": "is required",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "too_short": "must not be empty",
}


def field_path(location: tuple[int | str, ...]) -> str:
    """('inputs', 0, 'quantity') as 'inputs[0].quantity'."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "event"


def field_error(exc: ValidationError) -> FieldError:
    """The first problem of a validation error, as a FieldError."""
    error = exc.errors(include_url=False, include_input=False)[0]
    message = _MESSAGES.get(error["type"]) or error["msg"].removeprefix("Value error, ")
    return FieldError(field_path(tuple(error["loc"])), message)


def parse_event(data: object) -> Event:
    """One event from JSON-like data, or FieldError naming the field and the problem."""
    if not isinstance(data, Mapping):
        raise FieldError("event", "must be a JSON object")
    kind: Any = data.get("type")
    if kind is None:
        raise FieldError("type", "is required")
    model = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise FieldError("type", f"must be one of {', '.join(EVENT_TYPES)}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise field_error(exc) from None
