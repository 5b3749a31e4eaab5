"""Schemas of the lots API. Quantities go in as JSON numbers or decimal strings and come out as
decimal strings (exact); a lot is named by its key: 'b12' for a batch, 'i7' for a received lot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool

from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.lots.choices import (
    CustomerKind,
    DispositionKind,
    MovementKind,
    Origin,
    RecallTrigger,
)
from dairyhaccp.web.lots.choices import Unit as UnitChoice
from dairyhaccp.web.lots.constants import (
    CODE_CHARS,
    LONG_TEXT_CHARS,
    NAME_CHARS,
    QUANTITY_DIGITS,
    QUANTITY_PLACES,
    SHORT_TEXT_CHARS,
)

Lang = Literal["nl", "fr", "en"]
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]
LotKey = Annotated[str, Field(min_length=2, max_length=20, pattern=r"^[bi][0-9]+$")]
Quantity = Annotated[
    Decimal,
    Field(gt=0, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, allow_inf_nan=False),
]
Counted = Annotated[
    Decimal,
    Field(ge=0, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, allow_inf_nan=False),
]
Unit = Literal["kg", "l", "pieces"]
DateKind = Literal["best_before", "use_by"]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class SupplierIn(_Strict):
    name: str = Field(max_length=NAME_CHARS)
    favv_number: str = Field("", max_length=40)
    contact: str = Field("", max_length=SHORT_TEXT_CHARS)
    address: str = Field("", max_length=SHORT_TEXT_CHARS)
    active: StrictBool = True


class SupplierOut(Schema):
    id: int
    name: str
    favv_number: str
    contact: str
    address: str
    active: bool


class CustomerIn(_Strict):
    name: str = Field(max_length=NAME_CHARS)
    kind: Literal["shop", "restaurant", "wholesaler", "dairy", "other"]
    contact: str = Field("", max_length=SHORT_TEXT_CHARS)
    address: str = Field("", max_length=SHORT_TEXT_CHARS)
    active: StrictBool = True


class CustomerOut(Schema):
    id: int
    name: str
    kind: Annotated[str, OneOf(CustomerKind)]
    contact: str
    address: str
    active: bool


class ReceivedIn(_Strict):
    """A lot received from a supplier."""

    kind: Literal[
        "raw_milk", "starter", "rennet", "salt", "culture", "herbs", "fruit", "packaging", "other"
    ]
    supplier_id: DbId
    quantity: Quantity
    unit: Unit
    received_on: dt.date
    lot_code: str = Field("", max_length=CODE_CHARS, description="Default: the supplier's lot")
    supplier_lot: str = Field("", max_length=100)
    delivery_note: str = Field("", max_length=100)
    species: str = Field("", max_length=20)
    date_kind: DateKind = "best_before"
    date_mark: dt.date | None = None
    remark: str = Field("", max_length=SHORT_TEXT_CHARS)


class MilkingIn(_Strict):
    """A milking (or tank day) of the own herd, in litres."""

    lot_code: str = Field(max_length=CODE_CHARS)
    milked_at: dt.datetime
    quantity: Quantity
    species: str = Field("cow", max_length=20)
    room_id: DbId | None = Field(None, description="The tank")
    remark: str = Field("", max_length=SHORT_TEXT_CHARS)
    withheld_milk_kept_apart: bool = Field(
        False,
        description="Required while a milk withdrawal runs: the withheld animals' milk was "
        "kept apart from this milking",
    )


class InputIn(_Strict):
    lot: LotKey
    quantity: Quantity


class ProductionIn(_Strict):
    """A production: the lots used with quantities (in each lot's unit), and what it yields."""

    lot_code: str = Field(max_length=CODE_CHARS)
    product: str = Field(max_length=NAME_CHARS, description="A product of the plan")
    made_at: dt.datetime
    quantity: Quantity
    unit: Unit
    inputs: list[InputIn] = Field(min_length=1, max_length=100)
    date_kind: DateKind = "best_before"
    date_mark: dt.date | None = Field(
        None, description="Default: counted from the product's shelf life in the plan"
    )
    room_id: DbId | None = None
    remark: str = Field("", max_length=SHORT_TEXT_CHARS)


class LotOut(Schema):
    key: str
    code: str
    kind: str
    product: str
    quantity: Decimal
    unit: Annotated[str, OneOf(UnitChoice)]
    date: dt.date
    best_before: dt.date | None
    use_by: dt.date | None
    supplier: str | None
    supplier_lot: str
    in_stock: Decimal
    blocked: bool


class BalanceOut(Schema):
    lot: str
    unit: Annotated[str, OneOf(UnitChoice)]
    received: Decimal
    used: Decimal
    delivered: Decimal
    sold: Decimal
    destroyed: Decimal
    in_stock: Decimal
    counted: bool
    accounted_pct: Decimal


class MovementIn(_Strict):
    kind: Literal["deliver", "sell", "destroy", "count"]
    lot: LotKey
    quantity: Counted = Field(description="More than 0; a count may be 0")
    date: dt.date
    customer_id: DbId | None = Field(None, description="For a delivery")
    reason: str = Field("", max_length=SHORT_TEXT_CHARS, description="For a destruction")


class MovementCorrectionIn(MovementIn):
    correction_reason: str = Field(min_length=1, max_length=LONG_TEXT_CHARS)


class WithdrawalIn(_Strict):
    correction_reason: str = Field(min_length=1, max_length=LONG_TEXT_CHARS)


class MovementOut(Schema):
    id: int
    chain: str
    version: int
    corrects_id: int | None
    correction_reason: str
    withdrawn: bool
    kind: Annotated[str, OneOf(MovementKind)]
    lot: str
    lot_code: str
    quantity: Decimal
    unit: Annotated[str, OneOf(UnitChoice)]
    date: dt.date
    customer_id: int | None
    customer: str | None
    reason: str
    recorded_by: str
    recorded_at: dt.datetime


class LotDetailOut(LotOut):
    balance: BalanceOut
    movements: list[MovementOut]


class TraceOut(Schema):
    """The `dairyhaccp trace` answer (quantities as numbers), lots named by their codes, with
    the key of each lot beside it."""

    lot: str
    key: str
    direction: Literal["forward", "backward"]
    lots: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    sold_to_consumers: list[dict[str, Any]]
    in_stock: list[dict[str, Any]]
    left_control: bool
    balance: list[dict[str, Any]]
    keys: dict[str, str]


class MockRecallOut(Schema):
    id: int
    lot_code: str
    duration_ms: int
    accounted_pct: Decimal
    lowest_pct: Decimal
    lots_reached: int
    deliveries: int
    customers: int
    left_control: bool
    ran_at: dt.datetime


class RecallIn(_Strict):
    trigger: Literal["deviation", "lab_result", "antibiotics", "supplier_alert", "manual"]
    lots: list[LotKey] = Field(min_length=1, max_length=100)
    hazard: str = Field(min_length=1, max_length=LONG_TEXT_CHARS)
    origin: Literal["in_house", "supplier"]
    measures: str = Field("", max_length=LONG_TEXT_CHARS)
    deviation_id: DbId | None = None
    product_result_id: DbId | None = None
    raw_milk_result_id: DbId | None = None


class RecallLotOut(Schema):
    id: int
    lot: str
    lot_code: str
    product: str
    starting: bool
    to_account_for: Decimal
    disposed: Decimal
    unit: Annotated[str, OneOf(UnitChoice)]


class DispositionIn(_Strict):
    recall_lot_id: DbId
    kind: Literal["destroyed", "reprocessed", "returned", "released"]
    quantity: Quantity
    date: dt.date
    note: str = Field("", max_length=SHORT_TEXT_CHARS)


class DispositionCorrectionIn(_Strict):
    kind: Literal["destroyed", "reprocessed", "returned", "released"]
    quantity: Quantity
    date: dt.date
    note: str = Field("", max_length=SHORT_TEXT_CHARS)
    correction_reason: str = Field(min_length=1, max_length=LONG_TEXT_CHARS)


class DispositionOut(Schema):
    id: int
    recall_lot_id: int
    kind: Annotated[str, OneOf(DispositionKind)]
    quantity: Decimal
    date: dt.date
    note: str
    recorded_by: str
    recorded_at: dt.datetime
    corrects_id: int | None = None
    correction_reason: str = ""


class RecallStepIn(_Strict):
    kind: Literal["notified", "customer_informed"]
    date: dt.date
    customer_id: DbId | None = None
    note: str = Field("", max_length=SHORT_TEXT_CHARS)


class RecallCloseIn(_Strict):
    remark: str = Field("", max_length=SHORT_TEXT_CHARS)


class RecallOut(Schema):
    id: int
    number: int
    status: Literal["open", "closed"]
    trigger: Annotated[str, OneOf(RecallTrigger)]
    hazard: str
    origin: Annotated[str, OneOf(Origin)]
    measures: str
    notify_favv: bool
    why: str
    lots_out: list[str]
    lots: list[RecallLotOut]
    deliveries: list[dict[str, Any]]
    dispositions: list[DispositionOut]
    notified_on: dt.date | None
    opened_at: dt.datetime
    opened_by: str
    closed_at: dt.datetime | None
    closed_by: str | None
