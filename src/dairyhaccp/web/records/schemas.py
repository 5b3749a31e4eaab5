"""Schemas of the records API: the CLI's measurement fields in, the stored verdicts out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, create_model

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import Parameter
from dairyhaccp.monitoring.evaluate import FindingCode
from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.records.choices import DeviationStatus, Outcome, RoomKind, Verdict
from dairyhaccp.web.records.constants import BULK_MAX_ITEMS

Lang = Literal["nl", "fr", "en"]
# A row id as the database can hold it (64-bit): larger numbers are refused as bad input.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# Plain pydantic models, not ninja's Schema: ninja wraps every Schema object it validates in
# an attribute getter and validates a Schema input twice; a list of 500 registrations out, or
# 1000 in, spent most of its time there. These models are built from data, never from ORM rows.
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    pass


def _value_field(parameter: Parameter) -> tuple[Any, Any]:
    description = f"{parameter.label.en} ({parameter.unit})"
    if parameter.is_boolean:
        return StrictBool | None, Field(None, description=description)
    kind: Any = StrictInt if parameter.type == "integer" else StrictFloat | StrictInt
    return kind | None, Field(
        None, ge=parameter.min, le=parameter.max, allow_inf_nan=False, description=description
    )


# The measured values of `dairyhaccp evaluate`, made from the guide's one parameter list.
_VALUE_FIELDS: dict[str, Any] = {
    parameter.id: _value_field(parameter)
    for parameter in load_guide().parameters
    if parameter.measured == "on_site"
}
MeasuredValues: type[_Strict] = create_model(
    "MeasuredValues",
    __base__=_Strict,
    __doc__="Measured values; numbers are numbers, yes/no values are booleans.",
    **_VALUE_FIELDS,
)

VALUE_FIELDS: tuple[str, ...] = tuple(MeasuredValues.model_fields)


class RegistrationIn(MeasuredValues):
    """A check to register: the control, what was measured, and on what."""

    control: str = Field(description="A control of the operator's plan")
    product: str = Field("", description="A product of the plan, or raw_milk, milk, cream, frozen")
    category: str = Field("", description="A storage category (controls of storage temperatures)")
    measured_at: datetime | None = Field(None, description="Default: now")
    batch_id: DbId | None = None
    room_id: DbId | None = None
    delivery: str = Field("", max_length=200)
    industrial_starter: StrictBool | None = Field(
        None,
        description="Whether this processing used industrial starter (controls that count the"
        " processings with home-made starter)",
    )
    remark: str = Field("", max_length=2000)
    raw_milk: StrictBool | None = Field(
        None, description="For a product the profile does not describe: made from raw milk"
    )
    packaging: Literal["", "none", "vacuum", "low_oxygen_atmosphere", "modified_atmosphere"] = (
        Field("", description="For a product the profile does not describe: how it is packed")
    )


class BulkRegistrationIn(RegistrationIn):
    """A check of a bulk request, with the client's key for it."""

    key: str = Field(
        min_length=1,
        max_length=100,
        description="Your idempotency key for this check (e.g. the device and its reading number):"
        " a key stored before refuses the request, so a retried request never stores twice",
    )


class BulkIn(_Strict):
    """Checks to register at once: each judged, all stored or none."""

    items: list[BulkRegistrationIn] = Field(min_length=1, max_length=BULK_MAX_ITEMS)


class BulkItemOut(_Out):
    key: str
    id: int
    verdict: Annotated[str, OneOf(Verdict)]
    reasons: list[str]
    deviation_id: int | None


class BulkOut(_Out):
    stored: int
    deviations: int
    items: list[BulkItemOut]


class BulkProblemOut(_Out):
    index: int
    key: str
    field: str
    problem: str
    registration_id: int | None = Field(
        None, description="The registration stored before under this key"
    )


class BulkRefusedOut(_Out):
    detail: str
    problems: list[BulkProblemOut]


class CorrectionIn(RegistrationIn):
    """A corrected version of a registration, with the reason."""

    reason: str = Field(min_length=1, max_length=2000)


class RequirementOut(_Out):
    comparison: str
    bound: float | None
    low: float | None
    high: float | None


class FindingOut(_Out):
    code: Annotated[str, OneOf(FindingCode)]
    limit: str
    parameter: str
    measured: float | bool
    required: str
    requirement: RequirementOut
    unit: str
    level: str
    severity: Annotated[str, OneOf(Verdict)]


class CheckOut(_Out):
    limit: str
    parameter: str
    measured: float | bool
    required: str
    requirement: RequirementOut
    unit: str
    level: str
    met: bool


class EvaluationOut(_Out):
    """The verdict of `dairyhaccp evaluate`, judged against the operator's plan."""

    control: str
    verdict: Annotated[str, OneOf(Verdict)]
    reasons: list[str]
    required: dict[str, float]
    corrective_actions: list[str]
    findings: list[FindingOut]
    checked: list[CheckOut]
    values: dict[str, float | bool]
    derived: dict[str, float]
    observed: dict[str, float | bool]
    guide_version: str


class RegistrationOut(_Out):
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
    verdict: Annotated[str, OneOf(Verdict)]
    reasons: list[str]
    required: dict[str, float]
    findings: list[FindingOut]
    checked: list[CheckOut]
    corrective_actions: list[str]
    deviation_id: int | None
    plan_version: int | None


class DeviationOut(_Out):
    id: int
    registration_id: int
    control: str
    status: Annotated[str, OneOf(DeviationStatus)]
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
    outcome: Annotated[str, OneOf(Outcome, blank=True)]
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


class RoomOut(_Out):
    id: int
    name: str
    kind: Annotated[str, OneOf(RoomKind)]
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


class BatchOut(_Out):
    id: int
    lot_code: str
    product: str
    started_at: datetime
    room_id: int | None
    made_from: list[str]
    destroyed_at: datetime | None
    blocked: bool


class DutyOut(_Out):
    key: str
    control: str | None
    title: str
    target: str
    status: str
    deadline: datetime | None
    frequency: str


class AgendaOut(_Out):
    relaxed: bool
    overdue: list[DutyOut]
    today: list[DutyOut]
    week: list[DutyOut]
    open_deviations: list[int]
