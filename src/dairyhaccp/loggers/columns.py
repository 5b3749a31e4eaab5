"""Which column of a logger file holds what: headers in Dutch, French or English, or a mapping.

Headers are compared ignoring case, accents, punctuation and what stands in brackets or after
a comma (a unit, a serial number: "Temp, °C (LGR S/N: 1234)" reads as "temp"). Recognised:

===========  =====================================================================
field        headers (a header may go on after these words)
===========  =====================================================================
date + time  date time, datetime, timestamp, time stamp, tijdstip, datum tijd,
             datum uur, date heure, date et heure, horodatage
date         date, datum, jour, dag, day (with a separate time column)
time         time, tijd, heure, uur, hour (alone: date and time in one cell)
temperature  temperature, température, temperatuur, temp, t, celsius, fahrenheit
humidity     humidity, relative humidity, rh, hr, rv, vochtigheid, luchtvochtigheid,
             relatieve vochtigheid, humidité, humidité relative
===========  =====================================================================

A unit in the header (°C, °F, Celsius, Fahrenheit) sets the column's unit; an offset in the
time header ("Date Time, GMT+01:00", "Time (UTC)") sets the offset of every time in it. Any
other column (a reading number, a dew point, a serial number) is left aside.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import tzinfo
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dairyhaccp.loggers.cells import DateOrder, TemperatureUnit
from dairyhaccp.loggers.localtime import parse_offset

Layout = Literal["generic", "tinytag", "easylog", "hobo"]
LAYOUTS: tuple[Layout, ...] = ("generic", "tinytag", "easylog", "hobo")
HeaderField = Literal["datetime", "date", "clock", "temperature", "humidity", "serial"]

HEADER_PHRASES: dict[HeaderField, tuple[str, ...]] = {
    "datetime": ("date time", "datetime", "timestamp", "time stamp", "tijdstip", "datum tijd",
                 "datum uur", "date heure", "horodatage", "date hour"),
    "date": ("date", "datum", "jour", "dag", "day"),
    "clock": ("time", "tijd", "heure", "uur", "hour"),
    "temperature": ("temperature", "temperatuur", "temp", "t", "celsius", "fahrenheit"),
    "humidity": ("humidity", "relative humidity", "rh", "hr", "rv", "vochtigheid",
                 "luchtvochtigheid", "relatieve vochtigheid", "humidite", "humidite relative"),
    "serial": ("serial number", "serial", "serienummer", "numero de serie", "s n"),
}  # fmt: skip
_CONNECTORS = {"and", "et", "en"}
_HEADER_OFFSET = re.compile(r"(?:gmt|utc)\s*[+-]\d{1,2}(?::?\d{2})?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What a header names, its temperature unit and the fixed offset it states."""

    field: HeaderField | None
    unit: TemperatureUnit | None
    offset: tzinfo | None


def header_words(text: str) -> str:
    """A header's name as plain lower-case words, without units and brackets."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[(\[][^)\]]*[)\]]?", " ", plain).split(",")[0]
    return " ".join(word for word in re.findall(r"[a-z0-9]+", plain) if word not in _CONNECTORS)


def classify_header(text: str) -> HeaderInfo:
    """What a header cell names (None: a column this reader leaves aside)."""
    words = header_words(text)
    field: HeaderField | None = None
    for candidate, phrases in HEADER_PHRASES.items():
        if any(words == phrase or words.startswith(phrase + " ") for phrase in phrases):
            field = candidate
            break
    lower = text.lower()
    unit: TemperatureUnit | None = None
    if re.search(r"[°º]\s*f\b|fahrenheit|\(f\)", lower):
        unit = "F"
    elif re.search(r"[°º]\s*c\b|celsius|\(c\)", lower):
        unit = "C"
    offset = None
    if field in ("datetime", "date", "clock"):
        found = _HEADER_OFFSET.search(text)
        if found:
            offset = parse_offset(found[0])
        elif re.search(r"\b(utc|gmt)\b", lower):
            offset = parse_offset("UTC")
    return HeaderInfo(field, unit, offset)


ColumnName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ColumnNumber = Annotated[int, Field(ge=1, le=10_000)]
Column = ColumnName | ColumnNumber


class ColumnMapping(BaseModel):
    """Which columns hold the readings: a header's text or a column number (1 = first)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    time: Column = Field(description="the time stamp, or the time of day beside `date`")
    temperature: Column
    date: Column | None = Field(default=None, description="the date, if in its own column")
    humidity: Column | None = None
    unit: TemperatureUnit | None = Field(default=None, description="None: from the header")
    has_header: bool = True

    def columns(self) -> dict[str, str | int]:
        """The mapped fields and their columns."""
        mapped: dict[str, str | int | None] = {
            "time": self.time,
            "date": self.date,
            "temperature": self.temperature,
            "humidity": self.humidity,
        }
        return {name: column for name, column in mapped.items() if column is not None}


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """Where the readings stand in a file and how to read them."""

    layout: Layout
    first_data_row: int  # index into the file's non-blank rows
    headers: tuple[str, ...]  # the header row's cells; empty without a header row
    time: int  # 0-based column indexes
    temperature: int
    date: int | None = None
    humidity: int | None = None
    unit: TemperatureUnit | None = None
    offset: tzinfo | None = None  # a fixed offset the header states
    date_order: DateOrder | None = None  # None: guessed from the cells
    skip_empty_temperature: bool = False
    serial: str | None = None
    serial_column: int | None = None  # the serial number stands in the first data row

    def name(self, index: int) -> str:
        """A column for messages: its header and number, or its number."""
        if index < len(self.headers) and self.headers[index].strip():
            return f"{self.headers[index].strip()!r} ({index + 1})"
        return f"{index + 1}"
