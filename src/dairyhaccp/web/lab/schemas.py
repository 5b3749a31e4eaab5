"""API schemas of the lab context.

Input refuses unknown fields, text longer than its column and NUL characters; a refusal is a
422 whose `loc` names the field. Verdicts out are the `dairyhaccp lab evaluate` output as stored
when judged; `verdict_now` is what the guide in force now says, only where it says otherwise.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt

from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.lab.choices import EntryMethod, MilkSource, ProductParameter, RawMilkParameter


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


# Text without NUL characters, as long as its column at most.
NoNul = AfterValidator(_without_nul)
Text20 = Annotated[str, Field(max_length=20), NoNul]
Text100 = Annotated[str, Field(max_length=100), NoNul]
Text200 = Annotated[str, Field(max_length=200), NoNul]
Text500 = Annotated[str, Field(max_length=500), NoNul]
Text2000 = Annotated[str, Field(max_length=2000), NoNul]
# A result value: a count, or a word such as detected / not_detected / ok / not_ok.
Word = Text20
Count = Annotated[float, Field(allow_inf_nan=False)]
MAX_SUB_SAMPLES = 60


class _In(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class RawMilkResultIn(_In):
    """A raw-milk result: a count, or 'detected'/'not_detected' (antibiotics), 'ok'/'not_ok'.

    `sampled_on` lies between 2000-01-01 and today; `left_control`: whether the milk or what
    was made from it has left the business (null: not known), which decides who notifies the
    FAVV of an unfavourable result, as does the `laboratory` (MCC or Comité du Lait notify
    antibiotic residues they find).
    """

    species: Text20
    source: MilkSource
    parameter: RawMilkParameter
    sampled_on: date
    value: Count | Word
    sample_ref: Text100 = ""
    laboratory: Text200 = ""
    lots: Text500 = ""
    left_control: StrictBool | None = None
    remark: Text2000 = ""


class RawMilkResultOut(Schema):
    """A raw-milk result as it stands (its last version)."""

    entry: uuid.UUID
    version: int
    species: str
    source: Annotated[str, OneOf(MilkSource)]
    parameter: Annotated[str, OneOf(RawMilkParameter)]
    sampled_on: date
    value: float | str
    sample_ref: str
    laboratory: str
    lots: str
    left_control: bool | None
    remark: str
    method: Annotated[str, OneOf(EntryMethod)]
    recorded_by: str
    recorded_at: datetime


class RawMilkVerdictOut(Schema):
    """The verdict on one analysis of table 5.1 for one milk source.

    `verdict`: the `dairyhaccp lab evaluate` output for raw milk as stored when the analysis's
    results last changed (null without results); `stored` false when none is stored yet and
    `verdict` was judged now. `verdict_now`: judged with the guide in force now, only when that
    says otherwise than the stored verdict.
    """

    species: str
    source: Annotated[str, OneOf(MilkSource)]
    analysis: str
    parameter: Annotated[str, OneOf(RawMilkParameter)]
    verdict: dict[str, Any] | None
    stored: bool
    guide_version: str | None
    judged_at: datetime | None
    verdict_now: dict[str, Any] | None = None


class CriterionIn(_In):
    """An own sampling plan in place of table 5.2's: n, c, m, M (cfu/g) and the type.

    Giving M as null makes a 2-class plan.
    """

    n: StrictInt | None = Field(None, ge=1, le=1000)
    c: StrictInt | None = Field(None, ge=0, le=1000)
    m: float | None = Field(None, ge=0, allow_inf_nan=False)
    M: float | None = Field(None, ge=0, allow_inf_nan=False)
    type: Literal["VV", "PH"] | None = None


class ProductResultIn(_In):
    """A finished product's results: counts in cfu/g, or 'detected'/'not_detected' per sub-sample.

    `criterion` may replace n, c, m, M of table 5.2; `left_control`: has the lot left the
    business (null: not known).
    """

    product_name: Text200
    parameter: ProductParameter
    sampled_on: date
    results: (
        Annotated[list[Count], Field(min_length=1, max_length=MAX_SUB_SAMPLES)]
        | Annotated[list[Word], Field(min_length=1, max_length=MAX_SUB_SAMPLES)]
    )
    lot: Text100 = ""
    laboratory: Text200 = ""
    criterion: CriterionIn | None = None
    left_control: StrictBool | None = None
    remark: Text2000 = ""


class ProductResultOut(Schema):
    """A finished product's result as it stands, with its verdict as stored when judged (the
    `lab evaluate` output; null when none is stored and the guide in force cannot judge it).
    `verdict_now`: judged with the guide in force now, only when that says otherwise."""

    entry: uuid.UUID
    version: int
    product_name: str
    parameter: Annotated[str, OneOf(ProductParameter)]
    sampled_on: date
    results: list[float] | list[str]
    lot: str
    laboratory: str
    left_control: bool | None
    remark: str
    method: Annotated[str, OneOf(EntryMethod)]
    recorded_by: str
    recorded_at: datetime
    verdict: dict[str, Any] | None
    stored: bool
    guide_version: str | None
    judged_at: datetime | None
    verdict_now: dict[str, Any] | None = None


class DueOut(Schema):
    """An analysis on the schedule."""

    kind: str
    key: str
    parameter: str
    target: str
    frequency: str
    status: str | None
    deadline: datetime | None
    planned_product: str | None = None
