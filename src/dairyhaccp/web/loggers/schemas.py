"""Schemas of the loggers API: readings a logger sends, judged days out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field, StrictFloat, StrictInt

from dairyhaccp.web.apischema import OneOf
from dairyhaccp.web.loggers.choices import DayVerdict
from dairyhaccp.web.loggers.constants import MAX_PUSH_READINGS
from dairyhaccp.web.records.choices import Verdict

Lang = Literal["nl", "fr", "en"]
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Number = StrictFloat | StrictInt


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ReadingIn(_Strict):
    """One reading: when (ISO 8601 with an offset, or UTC seconds since 1970) and how warm."""

    time: AwareDatetime | Annotated[int, Field(ge=946_684_800, le=7_258_118_399)] = Field(
        description="2026-01-12T10:00:00+01:00, or 1768208400 (UTC seconds)"
    )
    temperature_c: Number = Field(ge=-100, le=300, allow_inf_nan=False)
    humidity_pct: Number | None = Field(None, ge=0, le=100, allow_inf_nan=False)


class ReadingsIn(_Strict):
    """Readings in any order; a reading already stored is skipped, so sending again is safe."""

    readings: list[ReadingIn] = Field(max_length=MAX_PUSH_READINGS)


class JudgedDayOut(Schema):
    day: date
    verdict: Annotated[str, OneOf(DayVerdict)]
    readings: int
    peak_c: float | None
    longest_excursion_min: float
    registration_id: int | None
    registration_verdict: Annotated[str, OneOf(Verdict)] | None


class PushedOut(Schema):
    received: int
    stored: int
    duplicates: int
    days: list[date]
    judged: list[JudgedDayOut]


class DeviceOut(Schema):
    id: int
    name: str
    room_id: int
    room: str
    serial: str
    max_interval_min: int
    active: bool
    can_push: bool
    last_push_at: datetime | None


class ExcursionOut(Schema):
    start: datetime
    end: datetime
    peak_c: float
    duration_min: float
    verdict: str


class GapOut(Schema):
    start: datetime
    end: datetime
    duration_min: float


class DayOut(Schema):
    day: date
    version: int
    readings: int
    verdict: Annotated[str, OneOf(DayVerdict)] | None
    maximum_c: float | None
    ceiling_c: float | None
    peak_c: float | None
    longest_excursion_min: float | None
    excursions: list[ExcursionOut]
    gaps: list[GapOut]
    registration_id: int | None


class SeriesOut(Schema):
    day: date
    version: int
    times: list[datetime]
    temperatures_c: list[float]
    humidity_pct: list[float | None] | None
