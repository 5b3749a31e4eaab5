"""Schemas of the records API: the CLI's measurement fields in, the stored verdicts out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictFloat

Lang = Literal["nl", "fr", "en"]
# A row id as the database can hold it (64-bit): larger numbers are refused as bad input.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class MeasuredValues(_Strict):
    """The measurement fields of `dairyhaccp evaluate`; numbers are numbers, yes/no are booleans."""

    temperature_c: StrictFloat | None = None
    hold_s: StrictFloat | None = None
    elapsed_min: StrictFloat | None = None
    excursion_min: StrictFloat | None = None
    ph: StrictFloat | None = None
    relative_humidity_pct: StrictFloat | None = None
    baume: StrictFloat | None = None
    salt_on_bottom: StrictBool | None = None
    residual_o2_pct: StrictFloat | None = None
    co2_deviation_pct: StrictFloat | None = None
    storage_h: StrictFloat | None = None
    grain_size_cm: StrictFloat | None = None
    silage_ph: StrictFloat | None = None
    productions_since_industrial_starter: StrictFloat | None = None
    visual_ok: StrictBool | None = None
    taste_ok: StrictBool | None = None


VALUE_FIELDS: tuple[str, ...] = tuple(MeasuredValues.model_fields)


class RegistrationIn(MeasuredValues):
    """A check to register: the control, what was measured, and on what."""

    control: str = Field(examples=["CCP 9"])
    product: str = Field("", description="A product of the plan, or raw_milk, milk, cream, frozen")
    category: str = Field("", description="A storage category (CCP 1, CCP 3)")
    measured_at: datetime | None = Field(None, description="Default: now")
    batch_id: DbId | None = None
    room_id: DbId | None = None
    delivery: str = Field("", max_length=200)
    industrial_starter: StrictBool | None = Field(
        None, description="PVA 11: whether this processing used industrial starter"
    )
    remark: str = Field("", max_length=2000)


class CorrectionIn(RegistrationIn):
    """A corrected version of a registration, with the reason."""

    reason: str = Field(min_length=1, max_length=2000)


class FindingOut(Schema):
    code: str
    limit: str
    parameter: str
    measured: float | bool
    required: str
    unit: str
    level: str
    severity: str


class RegistrationOut(Schema):
    id: int
    chain: UUID
    version: int
    corrects_id: int | None
    correction_reason: str
    control: str
    task: str
    measured_at: datetime
    recorded_at: datetime
    recorded_by: str
    batch_id: int | None
    lot_code: str | None
    room_id: int | None
    room: str | None
    delivery: str
    product: str
    category: str
    values: dict[str, Any]
    derived: dict[str, Any]
    verdict: str
    reasons: list[str]
    required: dict[str, float]
    findings: list[FindingOut]
    corrective_actions: list[str]
    deviation_id: int | None
    plan_version: int | None


class DeviationOut(Schema):
    id: int
    registration_id: int
    control: str
    status: str
    opened_at: datetime
    opened_by: str
    reasons: list[str]
    lots: list[str]
    notification_required: bool
    notified_on: date | None
    actions: list[str]
    action_texts: list[str]
    available_actions: dict[str, str]
    own_action: str
    outcome: str
    justification: str
    closed_at: datetime | None
    closed_by: str | None


class DeviationProgressIn(_Strict):
    """Corrective actions picked from the plan's list (by id) or written, and the notification."""

    actions: list[str] = Field(default_factory=list)
    own_action: str = Field("", max_length=2000)
    notified_on: date | None = None


class DeviationCloseIn(DeviationProgressIn):
    outcome: Literal["repasteurised", "further_cooled", "destroyed", "released", "other"]
    justification: str = Field("", max_length=4000)


class RoomOut(Schema):
    id: int
    name: str
    kind: str
    product: str
    storage_category: str
    active: bool


class BatchIn(_Strict):
    lot_code: str = Field(min_length=1, max_length=60)
    product: str
    started_at: datetime | None = None
    room_id: DbId | None = None
    made_from: list[DbId] = Field(default_factory=list)
    note: str = Field("", max_length=2000)


class BatchOut(Schema):
    id: int
    lot_code: str
    product: str
    started_at: datetime
    room_id: int | None
    made_from: list[str]
    destroyed_at: datetime | None
    blocked: bool


class DutyOut(Schema):
    key: str
    control: str | None
    title: str
    target: str
    status: str
    deadline: datetime | None
    frequency: str


class AgendaOut(Schema):
    relaxed: bool
    overdue: list[DutyOut]
    today: list[DutyOut]
    week: list[DutyOut]
    open_deviations: list[int]
