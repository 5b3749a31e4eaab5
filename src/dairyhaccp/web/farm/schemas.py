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
