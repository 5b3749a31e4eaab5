"""Schemas of the dossier API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from dairyhaccp.web.apischema import OneOf

Lang = Literal["nl", "fr", "en"]


class DossierIn(Schema):
    """The period to cover, both days included (Brussels time)."""

    model_config = ConfigDict(extra="forbid")

    first_day: date = Field(description="First day, YYYY-MM-DD")
    last_day: date = Field(description="Last day, YYYY-MM-DD (included)")


class DossierOut(Schema):
    """A dossier asked for: its progress, and its files once it is done."""

    id: int
    first_day: date
    last_day: date
    language: Annotated[str, OneOf(["nl", "fr", "en"])]
    status: Literal["queued", "running", "done", "failed"]
    percent: int = Field(description="How far the making is, 0 to 100")
    requested_at: datetime
    finished_at: datetime | None
    made_by: str
    pdf_url: str | None = Field(description="The PDF, once done")
    zip_url: str | None = Field(description="The ZIP of CSV files, once done")
