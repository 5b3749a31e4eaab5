"""An operator's HACCP plan: the guide's flows, controls and analyses that apply to them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dairyhaccp.guide.models import (
    CorrectiveAction,
    Criterion,
    Frequency,
    Hazard,
    HygieneItem,
    Monitoring,
    Text,
)
from dairyhaccp.profile import Adaptation, Profile

RegistrationMode = Literal["non_conformities_only", "all_checks"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PlanStep(_Frozen):
    """A step of one of the operator's flows."""

    id: str
    title: Text
    controls: list[str]
    products: list[str] = Field(default_factory=list)
    to_flow: str | None = None
    justification: str | None = None


class PlanFlow(_Frozen):
    """A process flow adapted to the operator's products."""

    id: str
    title: Text
    products: list[str]
    reconstructed: bool
    steps: list[PlanStep]
    source: str


class PlanLimit(_Frozen):
    """A limit as it applies to this operator, possibly changed with a justification."""

    id: str
    parameter: str
    comparison: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str
    level: Literal["critical_limit", "guide_value"]
    products: list[str]
    at_temperature_c: float | None = None
    value_from: str | None = None
    category_values: dict[str, float] = Field(default_factory=dict)
    tolerance: float | None = None
    text: Text
    note: Text | None = None
    source: str
    guide_value: float | None = None
    guide_low: float | None = None
    guide_high: float | None = None
    justification: str | None = None

    @property
    def adapted(self) -> bool:
        return self.justification is not None


class PlanAction(_Frozen):
    """A corrective action the operator picks from when a limit is broken."""

    id: str
    text: Text
    justification: str | None = None

    @classmethod
    def from_guide(cls, action: CorrectiveAction) -> PlanAction:
        return cls(id=action.id, text=action.text)


class PlanControl(_Frozen):
    """A CCP or PVA of the operator's plan."""

    id: str
    kind: Literal["CCP", "PVA"]
    title: Text
    description: Text
    hazards: list[Hazard]
    limits: list[PlanLimit]
    monitoring: list[Monitoring]
    corrective_actions: list[PlanAction]
    footnotes: list[Text]
    notification: Text | None
    steps: list[str]
    source: str


class RawMilkAnalysisItem(_Frozen):
    """An analysis of raw milk the operator must have done (table 5.1)."""

    id: str
    parameter: str
    species: Literal["cow", "other"]
    milk_source: Literal["own_not_delivered", "own_delivered", "bought"]
    use: Literal["any", "raw_milk_products", "heat_treated"]
    frequency: Frequency
    also_after_withdrawal_period: bool
    norm: Text
    comparison: str
    value: float | None
    unit: str
    source: str


class FinishedProductAnalysis(_Frozen):
    """A parameter to analyse in a product family, with its criteria (table 5.2)."""

    family: str
    family_title: Text
    parameter: str
    products: list[str]
    frequency: Frequency
    criteria: list[Criterion]


class LabelObligation(_Frozen):
    """A labelling rule that applies to some of the operator's products."""

    id: str
    text: Text
    products: list[str]
    source: str


class PlanNotification(_Frozen):
    """When the operator must notify the FAVV."""

    id: str
    trigger: str
    text: Text
    exemption: Text | None
    source: str


class Plan(_Frozen):
    """The operator's own HACCP plan, built from their profile and the guide."""

    guide_id: str
    guide_version: str
    operator: str
    profile: Profile
    registration_mode: RegistrationMode
    registration_text: Text
    retention_months: int
    retention_text: Text
    flows: list[PlanFlow]
    controls: list[PlanControl]
    raw_milk_analyses: list[RawMilkAnalysisItem]
    finished_product_analyses: list[FinishedProductAnalysis]
    labelling: list[LabelObligation]
    hygiene: list[HygieneItem]
    notifications: list[PlanNotification]
    adaptations: list[Adaptation]

    def control(self, control_id: str) -> PlanControl:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)
