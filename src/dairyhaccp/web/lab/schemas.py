"""API schemas of the lab context."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from ninja import Schema


class RawMilkResultIn(Schema):
    """A raw-milk result: a count, or 'detected'/'not_detected' (antibiotics), 'ok'/'not_ok'."""

    species: str
    source: str
    parameter: str
    sampled_on: date
    value: float | str
    sample_ref: str = ""
    laboratory: str = ""
    lots: str = ""
    remark: str = ""


class RawMilkResultOut(Schema):
    """A raw-milk result as it stands (its last version)."""

    entry: uuid.UUID
    version: int
    species: str
    source: str
    parameter: str
    sampled_on: date
    value: float | str
    sample_ref: str
    laboratory: str
    lots: str
    remark: str
    method: str
    recorded_by: str
    recorded_at: datetime


class RawMilkVerdictOut(Schema):
    """The verdict on one analysis of table 5.1 for one milk source.

    `verdict` is the `dairyhaccp lab evaluate` output for raw milk, or null without results.
    """

    species: str
    source: str
    analysis: str
    parameter: str
    verdict: dict[str, Any] | None


class ProductResultIn(Schema):
    """A finished product's results: counts in cfu/g, or 'detected'/'not_detected' per sub-sample.

    `criterion` may replace n, c, m, M of table 5.2; `left_control`: has the lot left the
    business (null: not known).
    """

    product_name: str
    parameter: str
    sampled_on: date
    results: list[float] | list[str]
    lot: str = ""
    laboratory: str = ""
    criterion: dict[str, Any] | None = None
    left_control: bool | None = None
    remark: str = ""


class ProductResultOut(Schema):
    """A finished product's result as it stands, with its verdict (the `lab evaluate` output)."""

    entry: uuid.UUID
    version: int
    product_name: str
    parameter: str
    sampled_on: date
    results: list[float] | list[str]
    lot: str
    laboratory: str
    left_control: bool | None
    remark: str
    method: str
    recorded_by: str
    recorded_at: datetime
    verdict: dict[str, Any]


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
