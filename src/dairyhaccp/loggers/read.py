"""Reading a temperature logger's export: text in, the series of readings out, or every problem.

The whole file is read and checked before anything is returned, so a caller stores all the
readings or none. The delimiter (comma, semicolon, tab) is sniffed from the first lines unless
given; decimals may be written with a point or a comma. Times without an offset are local
wall-clock times in `zone` (see `localtime` for the repeated and skipped hours of daylight
saving); an offset in the cell or in the time column's header is honoured.

Readings must come in the order the logger took them: a time that is not after the one before
it (out of order, or the same time twice) is refused naming both lines, because the repeated
October hour can only be read by that order. Readings pushed one by one, in any order, are put
in order with `excursions.sort_readings` instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from dairyhaccp.loggers.cells import (
    DATE_ORDERS,
    CellError,
    DateOrder,
    guess_date_order,
    parse_humidity,
    parse_temperature,
    parse_time_cell,
)
from dairyhaccp.loggers.columns import LAYOUTS, ColumnMapping, ColumnPlan, Layout
from dairyhaccp.loggers.errors import FileProblem, LoggerFileError, SeriesError
from dairyhaccp.loggers.layouts import Row, column_plan, detect_layout
from dairyhaccp.loggers.localtime import (
    DEFAULT_ZONE,
    NonexistentTimeError,
    WallClock,
    parse_zone,
    wall_text,
)

MAX_CHARS = 100_000_000
MAX_READINGS = 2_000_000
MAX_LINE_CHARS = 4_096
MAX_PROBLEMS = 20
HEADER_ROOM = 100  # metadata and header rows allowed beside the readings
SNIFF_LINES = 60
DELIMITERS = ("\t", ";", ",")  # preferred in this order when the first lines fit several
NDArrayT = TypeVar("NDArrayT", bound=npt.NDArray[np.generic])


@dataclass(frozen=True, slots=True)
class FileNotice:
    """Something the reader decided that the person importing should see (not an error).

    Codes: layout, zone, date_order, repeated_hour, fahrenheit, skipped_empty.
    """

    code: str
    text: str
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class LoggerReadings:
    """The readings of one file, in time order; the arrays are read-only."""

    times: npt.NDArray[np.int64]  # UTC, seconds since 1970-01-01
    temperatures_c: npt.NDArray[np.float64]
    humidity_pct: npt.NDArray[np.float64] | None
    lines: npt.NDArray[np.int64]  # the file line of each reading
    layout: Layout
    serial: str | None
    time_column: str
    temperature_column: str
    humidity_column: str | None
    delimiter: str
    notices: tuple[FileNotice, ...]

    def __len__(self) -> int:
        return int(self.times.size)


def decode_logger_bytes(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 or UTF-16 (by their byte order marks), UTF-8
    without one, else Windows-1252 (older Windows logger software)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _fail(code: str, text: str, line: int | None = None) -> LoggerFileError:
    return LoggerFileError([FileProblem(code, text, line=line)])


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise _fail("unreadable", "file: not text; decode it first (decode_logger_bytes)")
    if len(text) > MAX_CHARS:
        raise _fail("too_large", f"file: larger than {MAX_CHARS:,} characters")
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise _fail(
            "nul_character",
            f"line {line}: contains a NUL character (is the file UTF-16 or binary?)",
            line,
        )
    if not text.strip():
        raise _fail("file_empty", "file: empty")
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of cells most often."""
    lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
    tail = lines[len(lines) // 3 :]  # data lines rather than the metadata at the top
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(tail, delimiter=delimiter)]
        mode = max(set(counts), key=counts.count) if counts else 0
        score = counts.count(mode) if mode >= 2 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _rows(text: str, delimiter: str) -> list[Row]:
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells))
                if len(rows) > MAX_READINGS + HEADER_ROOM:
                    raise _fail(
                        "too_many_readings",
                        f"file: more than {MAX_READINGS:,} readings; split it by month",
                    )
    except csv.Error as exc:
        line = reader.line_num
        raise _fail("unreadable", f"line {line}: not readable as CSV: {exc}", line) from None
    return rows


def _check_line_lengths(text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise _fail(
                "line_too_long",
                f"line {number}: longer than {MAX_LINE_CHARS} characters; not a logger export",
                number,
            )


class _Problems:
    def __init__(self) -> None:
        self.items: list[FileProblem] = []

    def add(self, code: str, line: int, column: str, value: str, problem: str) -> None:
        where = f"line {line}, column {column}" if column else f"line {line}"
        self.items.append(
            FileProblem(code, f"{where}: {problem}", line=line, column=column, value=value[:80])
        )
        if len(self.items) >= MAX_PROBLEMS:
            raise LoggerFileError(self.items)


def _date_order(plan: ColumnPlan, data: Sequence[Row], given: DateOrder | None) -> DateOrder:
    if given is not None:
        return given
    if plan.date_order is not None:
        return plan.date_order
    column = plan.date if plan.date is not None else plan.time
    return guess_date_order(cells[column] for _, cells in data if len(cells) > column)


@dataclass
class _Parsed:
    """The readings of the data rows, as read one by one."""

    clock: WallClock
    times: list[int] = field(default_factory=list)
    temperatures: list[float] = field(default_factory=list)
    humidities: list[float] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def _read_rows(
    plan: ColumnPlan, data: Sequence[Row], zone: tzinfo, date_order: DateOrder
) -> _Parsed:
    parsed = _Parsed(WallClock(zone))
    clock = parsed.clock
    problems = _Problems()
    times, temperatures, humidities = parsed.times, parsed.temperatures, parsed.humidities
    lines, skipped = parsed.lines, parsed.skipped
    needed = max(
        i for i in (plan.time, plan.date, plan.temperature, plan.humidity) if i is not None
    )
    time_name = plan.name(plan.time)
    fixed = plan.offset.utcoffset(None) if plan.offset is not None else None
    header_offset = None if fixed is None else int(fixed.total_seconds())
    temperature_name = plan.name(plan.temperature)
    humidity_name = "" if plan.humidity is None else plan.name(plan.humidity)
    previous: int | None = None
    previous_line = 0
    for line, cells in data:
        if len(cells) <= needed:
            problems.add(
                "short_row",
                line,
                "",
                "",
                f"has {len(cells)} cells; the readings need column {needed + 1}",
            )
            continue
        temperature_text = cells[plan.temperature]
        if not temperature_text.strip() and plan.skip_empty_temperature:
            skipped.append(line)
            continue
        time_text = cells[plan.time]
        if plan.date is not None:
            time_text = f"{cells[plan.date].strip()} {time_text.strip()}"
        if not time_text.strip():
            problems.add("empty_cell", line, time_name, "", "no time")
            continue
        try:
            stamp = parse_time_cell(time_text, date_order)
            if stamp.offset_s is not None:
                utc = stamp.wall - stamp.offset_s
            elif header_offset is not None:
                utc = stamp.wall - header_offset
            else:
                utc = clock.to_utc(stamp.wall, previous, len(times))
        except CellError as exc:
            problems.add(exc.code, line, time_name, time_text, exc.problem)
            continue
        except NonexistentTimeError as exc:
            problems.add(
                "nonexistent_local_time",
                line,
                time_name,
                time_text,
                f"{exc} does not exist in {zone} (the clocks go forward there); if the logger "
                "keeps winter time all year, read the file with a fixed offset such as +01:00",
            )
            continue
        if previous is not None and utc <= previous:
            same = "the same time as" if utc == previous else "earlier than"
            problems.add(
                "not_after_previous",
                line,
                time_name,
                time_text,
                f"{wall_text(stamp.wall)} is {same} line {previous_line}; readings must be in "
                "the order the logger took them",
            )
            continue
        try:
            if not temperature_text.strip():
                raise CellError("empty_cell", "no temperature")
            temperature = parse_temperature(temperature_text, plan.unit)
        except CellError as exc:
            problems.add(exc.code, line, temperature_name, temperature_text, exc.problem)
            continue
        humidity = float("nan")
        if plan.humidity is not None:
            try:
                if not cells[plan.humidity].strip():
                    raise CellError("empty_cell", "no humidity")
                humidity = parse_humidity(cells[plan.humidity])
            except CellError as exc:
                problems.add(exc.code, line, humidity_name, cells[plan.humidity], exc.problem)
                continue
        times.append(utc)
        temperatures.append(temperature)
        humidities.append(humidity)
        lines.append(line)
        previous, previous_line = utc, line
    if problems.items:
        raise LoggerFileError(problems.items)
    return parsed


def _notices(
    plan: ColumnPlan, zone_text: str, date_order: DateOrder, data: Sequence[Row], parsed: _Parsed
) -> tuple[FileNotice, ...]:
    lines, clock, skipped = parsed.lines, parsed.clock, parsed.skipped
    notices = [FileNotice("layout", f"read with the {plan.layout} layout")]
    if plan.offset is not None:
        notices.append(FileNotice("zone", f"times read at {plan.offset}, as the header states"))
    else:
        notices.append(
            FileNotice("zone", f"times without an offset read as local time in {zone_text}")
        )
    column = plan.date if plan.date is not None else plan.time
    sample = next((cells[column] for _, cells in data if len(cells) > column), "")
    if not sample.strip()[:4].isdigit():
        wording = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}[date_order]
        notices.append(FileNotice("date_order", f"dates read {wording}"))
    if clock.repeated:
        repeated = tuple(lines[index] for index in clock.repeated)
        notices.append(
            FileNotice(
                "repeated_hour",
                f"lines {repeated[0]}-{repeated[-1]}: times in the hour the clocks go back were "
                "placed by their order (first summer time, then winter time)",
                repeated,
            )
        )
    if plan.unit == "F":
        notices.append(FileNotice("fahrenheit", "temperatures converted from °F to °C"))
    if skipped:
        notices.append(
            FileNotice(
                "skipped_empty",
                f"{len(skipped)} row{'s' if len(skipped) > 1 else ''} without a temperature "
                "(logger events) left out",
                tuple(skipped),
            )
        )
    return tuple(notices)


def _read_only(values: NDArrayT) -> NDArrayT:
    values.flags.writeable = False
    return values


def read_logger_file(
    text: str,
    *,
    layout: Layout | None = None,
    mapping: ColumnMapping | None = None,
    zone: str = DEFAULT_ZONE,
    delimiter: str | None = None,
    date_order: DateOrder | None = None,
) -> LoggerReadings:
    """Every reading of a logger's export, or LoggerFileError listing what is wrong.

    `layout`: 'generic', 'tinytag', 'easylog' or 'hobo'; None detects it. `mapping` names the
    columns when the headers are not recognised (or picks one channel of several). `zone`: the
    zone of times without an offset. `delimiter`: ',', ';' or a tab; None sniffs it.
    `date_order`: 'dmy', 'mdy' or 'ymd' for dates written with the year last; None guesses.
    Bad settings raise SeriesError naming the setting.
    """
    if layout is not None and layout not in LAYOUTS:
        raise SeriesError("layout", f"{layout!r} is not one of {list(LAYOUTS)}")
    if delimiter is not None and delimiter not in DELIMITERS:
        raise SeriesError("delimiter", f"{delimiter!r} is not one of ',', ';' or a tab")
    if date_order is not None and date_order not in DATE_ORDERS:
        raise SeriesError("date_order", f"{date_order!r} is not one of {list(DATE_ORDERS)}")
    if mapping is not None and not isinstance(mapping, ColumnMapping):
        raise SeriesError("mapping", "give a ColumnMapping")
    tz = parse_zone(zone)
    text = _check_text(text)
    _check_line_lengths(text)
    chosen_delimiter = delimiter or sniff_delimiter(text)
    rows = _rows(text, chosen_delimiter)
    plan = column_plan(rows, layout, mapping)
    data = rows[plan.first_data_row :]
    if not data:
        raise _fail("no_readings", "file: no readings after the header")
    order = _date_order(plan, data, date_order)
    parsed = _read_rows(plan, data, tz, order)
    if not parsed.times:
        raise _fail("no_readings", "file: no readings")
    if len(parsed.times) > MAX_READINGS:
        raise _fail(
            "too_many_readings", f"file: more than {MAX_READINGS:,} readings; split it by month"
        )
    humidity = None
    if plan.humidity is not None:
        humidity = _read_only(np.array(parsed.humidities, dtype=np.float64))
    return LoggerReadings(
        times=_read_only(np.array(parsed.times, dtype=np.int64)),
        temperatures_c=_read_only(np.array(parsed.temperatures, dtype=np.float64)),
        humidity_pct=humidity,
        lines=_read_only(np.array(parsed.lines, dtype=np.int64)),
        layout=plan.layout,
        serial=plan.serial,
        time_column=plan.name(plan.time),
        temperature_column=plan.name(plan.temperature),
        humidity_column=None if plan.humidity is None else plan.name(plan.humidity),
        delimiter=chosen_delimiter,
        notices=_notices(plan, zone, order, data, parsed),
    )


__all__ = [
    "FileNotice",
    "LoggerReadings",
    "decode_logger_bytes",
    "detect_layout",
    "read_logger_file",
    "sniff_delimiter",
]
