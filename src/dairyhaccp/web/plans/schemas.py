"""API schemas of the plans context."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from dairyhaccp.profile import AdaptationKind
from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.plans.choices import VersionChange


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


# Texts as long as the web form's fields allow; a NUL is refused (PostgreSQL cannot store it).
Identifier = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_no_nul)]
Title = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_no_nul)]
ActionText = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_no_nul)]
Justification = Annotated[str, Field(min_length=10, max_length=4000), AfterValidator(_no_nul)]
# A limit's new value: a finite number (the plan builder checks the parameter's range).
LimitValue = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class PlanVersionOut(Schema):
    """One stored version of the plan: who made it, when and why."""

    number: int
    created_at: datetime
    created_by: str
    change: Annotated[str, OneOf(VersionChange)]
    reason: str
    guide_version: str
    adaptation: dict[str, Any] | None


class AdaptationIn(BaseModel):
    """One justified change to the plan, as an `[[adaptations]]` table of a profile gives it."""

    model_config = ConfigDict(extra="forbid")

    kind: AdaptationKind
    justification: Justification
    flow: Identifier | None = None
    step: Identifier | None = None
    after: Identifier | None = None
    title: Title | None = None
    controls: list[Identifier] = Field(default_factory=list, max_length=100)
    control: Identifier | None = None
    limit: Identifier | None = None
    value: LimitValue | None = None
    low: LimitValue | None = None
    high: LimitValue | None = None
    action: Identifier | None = None
    text: ActionText | None = None
