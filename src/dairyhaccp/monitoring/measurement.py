"""What a registration measured: the input of an evaluation."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dairyhaccp.vocabulary import PACKAGING

NUMERIC_FIELDS: tuple[str, ...] = (
    "temperature_c",
    "hold_s",
    "elapsed_min",
    "ph",
    "relative_humidity_pct",
    "baume",
    "residual_o2_pct",
    "co2_deviation_pct",
    "storage_h",
    "processed_after_min",
    "silage_ph",
    "grain_size_cm",
    "productions_since_industrial_starter",
    "excursion_min",
)
BOOLEAN_FIELDS: tuple[str, ...] = (
    "visual_ok",
    "taste_ok",
    "salt_on_bottom",
)


class MeasurementError(ValueError):
    """A measurement that cannot be judged, with the field at fault."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class Measurement(BaseModel):
    """One check of one control: what was measured, for which product or category."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    control: str
    product: str | None = None
    category: str | None = None
    raw_milk: bool | None = None
    packaging: str | None = None
    temperature_c: float | None = Field(default=None, ge=-60, le=200)
    hold_s: float | None = Field(default=None, ge=0)
    elapsed_min: float | None = Field(default=None, ge=0)
    ph: float | None = Field(default=None, ge=0, le=14)
    relative_humidity_pct: float | None = Field(default=None, ge=0, le=100)
    baume: float | None = Field(default=None, ge=0, le=40)
    residual_o2_pct: float | None = Field(default=None, ge=0, le=100)
    co2_deviation_pct: float | None = Field(default=None, ge=0, le=100)
    storage_h: float | None = Field(default=None, ge=0)
    processed_after_min: float | None = Field(default=None, ge=0)
    silage_ph: float | None = Field(default=None, ge=0, le=14)
    grain_size_cm: float | None = Field(default=None, ge=0, le=100)
    productions_since_industrial_starter: int | None = Field(default=None, ge=0)
    excursion_min: float | None = Field(default=None, ge=0)
    visual_ok: bool | None = None
    taste_ok: bool | None = None
    salt_on_bottom: bool | None = None
    remark: str | None = Field(default=None, max_length=2000)

    @field_validator(*NUMERIC_FIELDS, mode="before")
    @classmethod
    def _finite_number(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("expected a number, not true/false")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("expected a finite number")
        return value

    @field_validator(*BOOLEAN_FIELDS, "raw_milk", mode="before")
    @classmethod
    def _strict_bool(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value

    @field_validator("packaging")
    @classmethod
    def _known_packaging(cls, value: str | None) -> str | None:
        if value is not None and value not in PACKAGING:
            raise ValueError(f"unknown packaging {value!r}; known: {', '.join(PACKAGING)}")
        return value

    def value_of(self, parameter: str) -> float | bool | None:
        """The measured value for a guide parameter, or None when it was not measured."""
        value = getattr(self, parameter, None)
        return value if isinstance(value, (int, float, bool)) else None


def measurement_from_dict(data: Any) -> Measurement:
    """Validate a measurement; the first problem raises MeasurementError naming the field."""
    if not isinstance(data, dict):
        raise MeasurementError("measurement", "expected a JSON object")
    try:
        return Measurement.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "measurement"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        elif first["type"] == "missing":
            message = "is required"
        raise MeasurementError(field, message) from exc
