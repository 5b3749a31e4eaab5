"""Schemas of the farm API.

Input refuses unknown fields, text longer than its column and NUL characters; the services
then check what only they can (dates from 2000 to now, the withdrawal's bounds). Output gives
ids and values (`route`, `answer`, `decision` as their stable codes).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator

from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.farm.choices import AuditKind, Decision
from dairyhaccp.web.farm.constants import MAX_ANIMALS, MAX_MEAT_WITHDRAWAL_DAYS


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


NoNul = AfterValidator(_without_nul)
Lang = Literal["nl", "fr", "en"]
Text60 = Annotated[str, Field(max_length=60), NoNul]
Text100 = Annotated[str, Field(max_length=100), NoNul]
Text200 = Annotated[str, Field(max_length=200), NoNul]
Text2000 = Annotated[str, Field(max_length=2000), NoNul]
Hours = Annotated[Decimal, Field(ge=0, le=24 * 366, allow_inf_nan=False, decimal_places=4)]
RouteCode = Literal[
    "intramammary",
    "intramuscular",
    "intravenous",
    "subcutaneous",
    "oral",
    "intrauterine",
    "topical",
    "other",
]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class TreatmentIn(_In):
    """A treatment for the antibiotics register. `last_dose_at` without an offset is Brussels
    time; give the milk withdrawal in hours or in days (a day is 24 h), not both."""

    animal: Text60 = Field(description="Ear tag, or a name for a group")
    is_group: StrictBool = False
    animals: StrictInt = Field(1, ge=1, le=MAX_ANIMALS)
    first_dose_on: date | None = Field(None, description="Default: the day of the last dose")
    last_dose_at: datetime
    indication: Text200
    product: Text200
    active_substance: Text200
    dose: Text100
    route: RouteCode
    prescribing_vet: Text200
    withdrawal_milk_h: Hours | None = None
    withdrawal_milk_days: Hours | None = None
    withdrawal_meat_days: StrictInt = Field(ge=0, le=MAX_MEAT_WITHDRAWAL_DAYS)
    remark: Text2000 = ""

    @model_validator(mode="after")
    def _one_milk_withdrawal(self) -> TreatmentIn:
        given = [v for v in (self.withdrawal_milk_h, self.withdrawal_milk_days) if v is not None]
        if len(given) != 1:
            raise ValueError("give withdrawal_milk_h or withdrawal_milk_days (one of them)")
        return self


class TreatmentOut(Schema):
    """A treatment as it stands in the register (its latest version, or the one asked for)."""

    id: int
    chain: uuid.UUID
    version: int
    withdrawn: bool
    correction_reason: str
    animal: str
    is_group: bool
    animals: int
    first_dose_on: date
    last_dose_at: datetime
    indication: str
    product: str
    active_substance: str
    dose: str
    route: str
    prescribing_vet: str
    withdrawal_milk_h: Decimal
    withdrawal_meat_days: int
    milk_usable_from: datetime
    first_usable_milking: datetime | None
    recorded_by: str
    recorded_as: str
    recorded_at: datetime


class WithheldOut(Schema):
    """An animal whose milk is withheld now."""

    animal: str
    until: datetime
    first_milking: datetime | None


class ProfileOut(Schema):
    """The farm's current profile."""

    version: int
    species: str
    animals_in_milk: int
    sanitel_number: str
    region: str
    milking_times: list[str]
    milking_equipment: str
    cooling_equipment: str
    herd_vet: str
    herd_vet_contract_from: date | None
    substitute_vet: str
    substitute_vet_contract_from: date | None
    certification_body: str | None
    milk_buyer: str


class CriterionOut(Schema):
    """A criterion's answer: the farmer's, or the app's from its own records."""

    criterion: str
    answer: str | None
    by_app: bool
    evidence: list[str]
    open_point: str
    open_point_due: date | None


class ModuleOut(Schema):
    """Readiness of one module (or `preconditions`)."""

    module: str
    criteria: int
    met: int
    not_met: int
    not_applicable: int
    unanswered: int
    readiness_pct: float | None
    ready: bool
    answers: list[CriterionOut]


class FindingOut(Schema):
    criterion: str
    grade: str
    description: str
    deadline: date | None
    closed_on: date | None


class AuditOut(Schema):
    """An audit, the decision and the certificate it gave."""

    id: int
    body: str
    held_on: date
    auditor_name: str
    kind: Annotated[str, OneOf(AuditKind)]
    decision: Annotated[str, OneOf(Decision)]
    decided_on: date
    certificate: Annotated[str, OneOf(Decision)]
    valid_from: date | None
    expires_on: date | None
    next_audit_due: date | None
    findings: list[FindingOut]


class FindingIn(_In):
    criterion: Text100
    grade: Annotated[str, Field(max_length=10), NoNul] = ""
    description: Text2000 = ""
    deadline: date | None = None


class AuditIn(_In):
    """An audit recorded by an auditor of the body the farm chose."""

    held_on: date
    auditor_name: Text200
    kind: Literal["regular", "unannounced", "follow_up"]
    decision: Literal["standard", "short", "none"]
    decided_on: date
    unannounced_audit_refused: StrictBool = False
    remark: Text2000 = ""
    findings: list[FindingIn] = Field(default_factory=list, max_length=200)


class CertificateOut(Schema):
    """The certificate of the latest decision and its state today."""

    state: Literal["valid", "expiring", "lapsed", "none"]
    days_left: int | None
    decision: Annotated[str, OneOf(Decision)] | None
    valid_from: date | None
    expires_on: date | None
    next_audit_due: date | None


class BodyFarmOut(Schema):
    """A farm that chose the token's certification body."""

    slug: str
    name: str
    sanitel_number: str
    certificate: CertificateOut


class SectorOut(Schema):
    """The sector's figures: aggregates only; a group too small has `shown: false` only."""

    computed_at: datetime
    farms: int
    figures: dict[str, Any]


class TreatmentCorrectionIn(TreatmentIn):
    """A corrected version of a treatment: the whole treatment again, with the reason."""

    reason: Text2000


class ReasonIn(_In):
    """Why a treatment entered in error is withdrawn."""

    reason: Text2000


class PeriodOut(Schema):
    """Treatment days per 100 days of one period; `zone` against the sector for a year."""

    first_day: date
    last_day: date
    value: float
    zone: str | None


class TreatmentDaysOut(Schema):
    """Treatment days of a year per month, quarter or year, and the sector's limits."""

    year: int
    per: Literal["month", "quarter", "year"]
    periods: list[PeriodOut]
    p50: float | None
    p90: float | None


class AnswerIn(_In):
    """The farmer's answer to one criterion (a file is added on the page)."""

    answer: Literal["met", "not_met", "not_applicable"]
    evidence_note: Text2000 = ""
    evidence_link: Annotated[str, Field(max_length=500), NoNul] = ""
    open_point: Text2000 = ""
    open_point_due: date | None = None


class AnswerOut(Schema):
    """One version of the answer to a criterion."""

    criterion: str
    version: int
    answer: str
    evidence_note: str
    evidence_link: str
    has_file: bool
    open_point: str
    open_point_due: date | None
    answered_by: str
    answered_at: datetime


class OpenFindingOut(FindingOut):
    """A finding no evidence has closed yet, with its audit."""

    id: int
    audit_id: int


class SustainabilityOut(Schema):
    """The initiatives ticked for one year (its latest version), with evidence."""

    year: int
    version: int
    initiatives: list[str]
    evidence: dict[str, str]
    recorded_by: str
    recorded_at: datetime


NotificationKindCode = Literal[
    "antibiotics_in_milk", "notifiable_disease", "feed_contamination", "water_contamination"
]


class NotificationIn(_In):
    """A notification the farm made, or its follow-up (the whole notification again)."""

    kind: NotificationKindCode
    occurred_on: date
    notified_on: date
    notified_to: Text200
    description: Text2000 = ""
    follow_up: Text2000 = ""
    closed: StrictBool = False


class NotificationOut(Schema):
    """One version of a notification."""

    id: int
    chain: uuid.UUID
    version: int
    kind: str
    occurred_on: date
    notified_on: date
    notified_to: str
    description: str
    follow_up: str
    closed: bool
    recorded_by: str
    recorded_at: datetime


class HygieneIn(_In):
    """A hygiene score as the audit or inspection report gives it."""

    scored_on: date
    given_by: Text200
    rating: str = Field(
        max_length=30, description="A rating id of the data: sufficient, weak, poor"
    )
    score: Annotated[str, Field(max_length=40), NoNul] = ""
    remark: Text2000 = ""


class HygieneOut(Schema):
    """A hygiene score and the rating of the surroundings; `no_certificate` from the data."""

    id: int
    scored_on: date
    given_by: str
    rating: str
    no_certificate: bool
    score: str
    remark: str
    recorded_by: str
    recorded_at: datetime
