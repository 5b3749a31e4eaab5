"""Reading one cell of a logger file: a time stamp, a temperature, a humidity.

Time stamps: 2026-01-05 10:00[:00], 2026-01-05T10:00:00+01:00, 2026/01/05 10:00, and with the
day or month first 05/01/2026 10:00, 05-01-2026 10:00, 05.01.26 10:00, 01/05/26 10:00:00 AM.
An offset (Z, +01:00, +0100, UTC, GMT+1) after the time is honoured. Seconds with a fraction
other than zero are refused: readings are kept to the second. Years outside 1990-2100 are
refused (a logger whose clock was never set writes 2000 or 1970).

Numbers: 4.5 and 4,5 (decimal comma), a sign (also the typographic minus), and a unit in the
cell ("13.1 °C", "56.3 %RH", "39.2 °F"). Thousands separators do not occur in temperatures and
are refused ("1.234,5").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from dairyhaccp.loggers.localtime import parse_offset, wall_seconds

DateOrder = Literal["ymd", "dmy", "mdy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("ymd", "dmy", "mdy")
TemperatureUnit = Literal["C", "F"]

LOWEST_YEAR = 1990
HIGHEST_YEAR = 2100
# Wider than any cold room, cheese cellar or pasteuriser; outside it a cell is a misreading.
LOWEST_TEMPERATURE_C = -100.0
HIGHEST_TEMPERATURE_C = 300.0

_CLOCK = (
    r"(?:[T ]+|\s*,\s*)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:[.,](?P<fraction>\d{1,9}))?\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
)
_ZONE = r"\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)?"
_YEAR_FIRST = re.compile(
    rf"^(?P<a>\d{{4}})[-/.](?P<b>\d{{1,2}})[-/.](?P<c>\d{{1,2}})(?:{_CLOCK})?{_ZONE}$",
    re.IGNORECASE,
)
_YEAR_LAST = re.compile(
    rf"^(?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}})[-/.](?P<c>\d{{4}}|\d{{2}})(?:{_CLOCK})?{_ZONE}$",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^(?P<sign>[+\-\u2212]?)\s*(?P<whole>\d{1,7})(?:[.,](?P<part>\d{1,9}))?\s*"
    r"(?P<unit>[°º]\s*[CF]|[CF]|%\s*RH|%)?$",
    re.IGNORECASE,
)


_PLAIN_NUMBER = re.compile(r"-?\d{1,7}(?:[.,]\d{1,9})?")


class CellError(ValueError):
    """A cell that cannot be read: a code and the problem in English."""

    def __init__(self, code: str, problem: str) -> None:
        self.code = code
        self.problem = problem
        super().__init__(problem)


@dataclass(frozen=True, slots=True)
class CellTime:
    """A time stamp read from a cell: wall-clock seconds and the offset written beside it."""

    wall: int
    offset_s: int | None


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


def guess_date_order(cells: Iterable[str]) -> DateOrder:
    """The date order of a column: year first if written so; day first unless the cells show
    a month first (a second number above 12, or a 12-hour clock with AM/PM, as US software
    writes it); day first when nothing tells (Belgian regional settings)."""
    twelve_hour = False
    for cell in cells:
        match = _YEAR_LAST.match(_clean(cell))
        if not match:
            continue
        if int(match["a"]) > 12:
            return "dmy"
        if int(match["b"]) > 12:
            return "mdy"
        twelve_hour = twelve_hour or bool(match["half"])
    return "mdy" if twelve_hour else "dmy"


def _hour(raw_hour: int, half: str | None) -> int:
    if not half:
        return raw_hour
    if not 1 <= raw_hour <= 12:
        raise ValueError(f"hour {raw_hour} with {half.upper()}")
    pm = half.lower().startswith("p")
    return raw_hour % 12 + (12 if pm else 0)


def parse_time_cell(text: str, date_order: DateOrder) -> CellTime:
    """The time stamp of a cell, in the given date order unless the year comes first."""
    raw = _clean(text)
    match = (_YEAR_FIRST.match(raw) or _YEAR_LAST.match(raw)) if len(raw) <= 64 else None
    if not match:
        raise CellError(
            "not_a_time", f"{raw[:40]!r} is not a time like 2026-01-05 10:00 or 05/01/2026 10:00"
        )
    a, b, c, hour_text, minute_text, second_text, fraction, half, zone_text = match.groups()
    if hour_text is None:
        raise CellError("no_time_of_day", f"{raw!r} has a date but no time of day")
    if fraction and int(fraction) != 0:
        raise CellError(
            "sub_second_time",
            f"{raw!r} has a fraction of a second; readings are kept to the second",
        )
    if match.re is _YEAR_FIRST:
        year, month, day = int(a), int(b), int(c)
    else:
        year = int(c) + 2000 if len(c) == 2 else int(c)
        day, month = (int(a), int(b)) if date_order == "dmy" else (int(b), int(a))
    if not LOWEST_YEAR <= year <= HIGHEST_YEAR:
        raise CellError(
            "implausible_year",
            f"{raw!r}: year {year} is not plausible (is the logger's clock set?)",
        )
    minute, second = int(minute_text), int(second_text or 0)
    try:
        hour = _hour(int(hour_text), half)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError("hour, minute or second out of range")
        wall = wall_seconds(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise CellError("not_a_time", f"{raw!r} is not a valid time: {exc}") from None
    offset = None
    if zone_text:
        zone = parse_offset(zone_text)
        if zone is None:
            raise CellError("not_a_time", f"{raw!r}: {zone_text!r} is not an offset")
        delta = zone.utcoffset(None)
        offset = 0 if delta is None else int(delta.total_seconds())
    return CellTime(wall, offset)


def _number(text: str) -> tuple[float, str]:
    raw = text.strip()
    if _PLAIN_NUMBER.fullmatch(raw):  # the common case, without a unit
        return float(raw.replace(",", ".")), ""
    raw = _clean(raw)
    match = _NUMBER.match(raw) if len(raw) <= 32 else None
    if not match:
        raise CellError("not_a_number", f"{raw[:40]!r} is not a number")
    value = float(f"{match['whole']}.{match['part'] or '0'}")
    if match["sign"] in ("-", "\u2212"):
        value = -value
    unit = "".join(match["unit"].split()).lstrip("°º").upper() if match["unit"] else ""
    return value, "%" if unit.startswith("%") else unit


def parse_temperature(text: str, column_unit: TemperatureUnit | None) -> float:
    """A temperature in °C; a Fahrenheit column or cell is converted."""
    value, unit = _number(text)
    if unit == "%":
        raise CellError("wrong_unit", f"{_clean(text)!r} is a percentage, not a temperature")
    if unit and column_unit and unit != column_unit:
        raise CellError(
            "wrong_unit", f"{_clean(text)!r} is in °{unit} in a column in °{column_unit}"
        )
    if (unit or column_unit) == "F":
        value = (value - 32.0) * 5.0 / 9.0
    if not LOWEST_TEMPERATURE_C <= value <= HIGHEST_TEMPERATURE_C:
        raise CellError(
            "implausible_value",
            f"{_clean(text)!r} is not a plausible temperature "
            f"({LOWEST_TEMPERATURE_C:g} to {HIGHEST_TEMPERATURE_C:g} °C)",
        )
    return value


def parse_humidity(text: str) -> float:
    """A relative humidity in %, 0 to 100."""
    value, unit = _number(text)
    if unit not in ("", "%"):
        raise CellError("wrong_unit", f"{_clean(text)!r} is not a relative humidity in %")
    if not 0.0 <= value <= 100.0:
        raise CellError("implausible_value", f"{_clean(text)!r} is not a humidity (0 to 100 %)")
    return value
