"""Schemas of the labels API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt

from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.labels.choices import LabelLanguage
from dairyhaccp.web.labels.constants import MAX_COPIES

Lang = Literal["nl", "fr", "en"]
# A row id as the database can hold it (64-bit): larger numbers are refused as bad input.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class LabelVersionOut(Schema):
    """One stored version of a label: what it says, whether it is in use, who, when and why."""

    number: int
    in_use: bool
    language: Annotated[str, OneOf(LabelLanguage)]
    sales_name: str
    composition: dict[str, Any]
    mentions: list[str]
    net_quantity: str
    operator_address: str
    approval_number: str
    nutrition: str
    own_text: str
    missing: list[str]
    check: dict[str, Any]
    reason: str
    created_by: str
    created_at: datetime
    guide_version: str


class ProductLabelOut(Schema):
    """A product of the plan and its label."""

    product: str
    kind: str
    raw_milk: bool
    label_id: int | None
    latest_version: int | None
    version_in_use: int | None
    versions: list[LabelVersionOut]


class FindingOut(Schema):
    mention: str
    code: str
    text: str
    source: str
    wording: str | None = None
    date_type: str | None = None
    allergens: list[str] = []


class CheckOut(Schema):
    """The answer of `dairyhaccp label check`: names allowed, mentions missing, findings."""

    allowed_names: list[str]
    sales_name_ok: bool | None
    missing: list[str]
    findings: list[FindingOut]


class PrintIn(Schema):
    """A print of labels for a lot, with the label version in use for its product."""

    model_config = ConfigDict(extra="forbid")

    batch_id: DbId
    copies: StrictInt = Field(ge=1, le=MAX_COPIES)
    layout: str = Field("a4-3x7", max_length=40, description="a4-3x7, a4-2x4 or roll-62")
    net_quantity: str = Field("", max_length=60, description="Default: the label's")
    first_position: StrictInt = Field(1, ge=1, le=1000, description="First free place on a sheet")


class PrintOut(Schema):
    id: int
    batch_id: int
    lot_code: str
    product: str
    label_id: int
    label_version: int
    copies: int
    layout: str
    first_position: int
    net_quantity: str
    date_on_label: date | None
    date_type: str
    printed_by: str
    printed_at: datetime
    pdf: str
