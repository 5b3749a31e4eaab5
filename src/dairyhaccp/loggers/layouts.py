"""Where the readings stand in a file: found from its headers, a column mapping, or the export
layout of a known logger (research notes: shared reference on loggers, §2).

- generic: the first of the first 50 rows that names a time and a temperature column is the
  header; the readings follow it.
- tinytag (Tinytag Explorer, Gemini): header rows ",Time,1,2,3", "S/N,,<serial>,...",
  "Type,,...", "Description,,...", "Property,,Temperature,Humidity,Dew Point", then rows
  "1,2020-01-06 11:26:00,13.1 °C,56.3 %RH,4.6 °C" with the unit in each cell; date order as the
  PC's regional settings. Seen in one real export.
- easylog (Lascar EasyLog USB): "Name,Time,Celsius(°C),Humidity(%rh),Dew Point(°C),Serial
  Number", the serial in the first data row only; °F columns read "Fahrenheit(°F)".
  Unverified: known only from third-party parsers.
- hobo (Onset HOBOware): a "Plot Title: ..." line, then a header whose time column states a
  fixed offset ("Date Time, GMT+01:00") and whose sensor columns name the logger
  ("LGR S/N: 1234"); times as 01/06/20 11:26:00 AM (month first) or 2020-01-06 11:26:00.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from dairyhaccp.loggers.cells import CellError, TemperatureUnit, parse_time_cell
from dairyhaccp.loggers.columns import (
    ColumnMapping,
    ColumnPlan,
    HeaderInfo,
    Layout,
    classify_header,
    header_words,
)
from dairyhaccp.loggers.errors import FileProblem, LoggerFileError

Row = tuple[int, list[str]]  # (line number in the file, cells)

HEADER_SEARCH_ROWS = 50
_HOBO_SERIAL = re.compile(r"LGR S/N:\s*([^,;)\s]+)", re.IGNORECASE)


def _fail(code: str, text: str, line: int | None = None, column: str = "") -> LoggerFileError:
    return LoggerFileError([FileProblem(code, text, line=line, column=column)])


def detect_layout(rows: Sequence[Row]) -> Layout:
    """The known export layout the first rows look like, or 'generic'."""
    head = rows[:HEADER_SEARCH_ROWS]
    labels = {cells[0].strip().lower() for _, cells in head if cells}
    if "s/n" in labels and "property" in labels:
        return "tinytag"
    if head and head[0][1] and head[0][1][0].strip().lower().startswith("plot title"):
        return "hobo"
    for _, cells in head[:5]:
        words = [header_words(cell) for cell in cells]
        if any(_HOBO_SERIAL.search(cell) for cell in cells):
            return "hobo"
        if "serial number" in words and any(w in ("celsius", "fahrenheit") for w in words):
            return "easylog"
    return "generic"


def _single(
    infos: list[HeaderInfo], cells: list[str], field: str, line: int
) -> int | LoggerFileError | None:
    found = [index for index, info in enumerate(infos) if info.field == field]
    if len(found) > 1:
        names = ", ".join(f"{cells[i].strip()!r} ({i + 1})" for i in found)
        return _fail(
            "ambiguous_column",
            f"line {line}: several {field} columns ({names}); choose one with a column mapping",
            line,
            cells[found[1]].strip(),
        )
    return found[0] if found else None


def _plan_from_header(
    layout: Layout, rows: Sequence[Row], index: int
) -> ColumnPlan | LoggerFileError | None:
    """The plan if row `index` is a header naming a time and a temperature; None if not one."""
    line, cells = rows[index]
    infos = [classify_header(cell) for cell in cells]
    fields = {info.field for info in infos}
    if "temperature" not in fields or not fields & {"datetime", "date", "clock"}:
        return None
    chosen: dict[str, int | None] = {}
    for field in ("datetime", "date", "clock", "temperature", "humidity", "serial"):
        single = _single(infos, cells, field, line)
        if isinstance(single, LoggerFileError):
            return single
        chosen[field] = single
    date_column, time_column = None, chosen["datetime"]
    if chosen["date"] is not None and chosen["clock"] is not None:
        date_column, time_column = chosen["date"], chosen["clock"]
    elif time_column is None:
        time_column = chosen["date"] if chosen["date"] is not None else chosen["clock"]
    temperature = chosen["temperature"]
    assert time_column is not None and temperature is not None
    return ColumnPlan(
        layout=layout,
        first_data_row=index + 1,
        headers=tuple(cells),
        time=time_column,
        date=date_column,
        temperature=temperature,
        humidity=chosen["humidity"],
        unit=infos[temperature].unit,
        offset=infos[time_column].offset,
        serial_column=chosen["serial"],
    )


def _find_header(layout: Layout, rows: Sequence[Row]) -> ColumnPlan:
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        plan = _plan_from_header(layout, rows, index)
        if isinstance(plan, LoggerFileError):
            raise plan
        if plan is not None:
            return plan
    raise _fail(
        "no_header",
        f"file: none of the first {HEADER_SEARCH_ROWS} lines names a time and a temperature "
        "column; give a column mapping",
    )


def _matches(cell: str, name: str) -> bool:
    return cell.strip().casefold() == name.strip().casefold() or (
        bool(header_words(name)) and header_words(cell) == header_words(name)
    )


def _mapped_index(column: str | int, headers: Sequence[str], field: str, line: int | None) -> int:
    if isinstance(column, int):
        return column - 1
    found = [index for index, cell in enumerate(headers) if _matches(cell, column)]
    if not found:
        where = f"line {line}" if line is not None else "file"
        raise _fail(
            "missing_column",
            f"{where}: no column {column!r} for the {field}",
            line,
            column,
        )
    return found[0]


def _starts_with_reading(rows: Sequence[Row], mapping: ColumnMapping) -> bool:
    """Whether the first row is a reading rather than a header (its time cell reads as one)."""
    if not rows or not isinstance(mapping.time, int) or len(rows[0][1]) < mapping.time:
        return False
    try:
        parse_time_cell(rows[0][1][mapping.time - 1], "dmy")
    except CellError:
        return False
    return True


def apply_mapping(
    plan: ColumnPlan | None, mapping: ColumnMapping, rows: Sequence[Row]
) -> ColumnPlan:
    """A plan with the mapping's columns: in the layout's header row, or in a header row found
    by the mapped names (without names: the first row, unless it already holds a reading), or
    without a header row."""
    names = [column for column in mapping.columns().values() if isinstance(column, str)]
    if not mapping.has_header:
        if names:
            raise _fail(
                "missing_column",
                f"mapping: column {names[0]!r} is a header's name, but the file has no header "
                "row; give column numbers",
                column=names[0],
            )
        headers: tuple[str, ...] = ()
        first_data_row, header_line = 0, None
    elif plan is not None:
        headers, first_data_row, header_line = plan.headers, plan.first_data_row, None
    elif not names and _starts_with_reading(rows, mapping):
        headers, first_data_row, header_line = (), 0, None
    else:
        header_index = 0
        if names:
            for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
                if all(any(_matches(cell, name) for cell in cells) for name in names):
                    header_index = index
                    break
            else:
                raise _fail(
                    "missing_column",
                    f"file: no line among the first {HEADER_SEARCH_ROWS} names the columns "
                    + ", ".join(repr(name) for name in names),
                    column=names[0],
                )
        header_line, cells = rows[header_index] if rows else (None, [])
        headers, first_data_row = tuple(cells), header_index + 1
    found = {
        field: _mapped_index(column, headers, field, header_line)
        for field, column in mapping.columns().items()
    }
    temperature = found["temperature"]
    header_unit: TemperatureUnit | None = None
    offset = plan.offset if plan is not None and plan.time == found["time"] else None
    if temperature < len(headers):
        header_unit = classify_header(headers[temperature]).unit
    if found["time"] < len(headers):
        offset = classify_header(headers[found["time"]]).offset or offset
    serials = [i for i, cell in enumerate(headers) if classify_header(cell).field == "serial"]
    base = plan or ColumnPlan(
        layout="generic",
        first_data_row=first_data_row,
        headers=headers,
        time=0,
        temperature=0,
        serial_column=serials[0] if serials else None,
    )
    return ColumnPlan(
        layout=base.layout,
        first_data_row=first_data_row,
        headers=headers,
        time=found["time"],
        date=found.get("date"),
        temperature=temperature,
        humidity=found.get("humidity"),
        unit=mapping.unit or header_unit,
        offset=offset,
        date_order=base.date_order,
        skip_empty_temperature=base.skip_empty_temperature,
        serial=base.serial,
        serial_column=base.serial_column,
    )


def _tinytag(rows: Sequence[Row], mapped: bool) -> ColumnPlan:
    head = list(enumerate(rows[:HEADER_SEARCH_ROWS]))
    header = next(
        (i for i, (_, cells) in head if len(cells) > 2 and cells[1].strip().lower() == "time"),
        None,
    )
    properties = next(
        (cells for _, (_, cells) in head if cells and cells[0].strip().lower() == "property"),
        None,
    )
    if header is None or properties is None:
        raise _fail(
            "not_a_layout",
            "file: not a Tinytag export (no ',Time,...' header row or no 'Property' row)",
        )
    kinds = [cell.strip().lower() for cell in properties]
    line = rows[header][0]
    temperatures = [i for i, kind in enumerate(kinds) if kind == "temperature"]
    if len(temperatures) != 1 and not mapped:
        problem = "several channels measure" if temperatures else "no channel measures"
        raise _fail(
            "ambiguous_column" if temperatures else "missing_column",
            f"line {line}: {problem} temperature; choose the channel with a column mapping",
            line,
        )
    temperature = temperatures[0] if temperatures else 2
    humidities = [i for i, kind in enumerate(kinds) if kind == "humidity"]
    serial_row = next(
        (cells for _, (_, cells) in head if cells and cells[0].strip().lower() == "s/n"), []
    )
    serial = serial_row[temperature].strip() if len(serial_row) > temperature else ""
    # Unverified beyond the one example: the readings start at the first row numbered 1, 2, ...
    first = next(
        (i for i in range(header + 1, len(rows)) if rows[i][1] and rows[i][1][0].strip().isdigit()),
        len(rows),
    )
    return ColumnPlan(
        layout="tinytag",
        first_data_row=first,
        headers=tuple(rows[header][1]),
        time=1,
        temperature=temperature,
        humidity=humidities[0] if len(humidities) == 1 else None,
        serial=serial or None,
    )


def _first_row_serial(plan: ColumnPlan, rows: Sequence[Row]) -> str | None:
    if plan.serial_column is None or plan.first_data_row >= len(rows):
        return None
    cells = rows[plan.first_data_row][1]
    return cells[plan.serial_column].strip() or None if len(cells) > plan.serial_column else None


def column_plan(
    rows: Sequence[Row], layout: Layout | None, mapping: ColumnMapping | None
) -> ColumnPlan:
    """Where the readings stand: by the layout (detected when None) and the mapping."""
    chosen = detect_layout(rows) if layout is None else layout
    if chosen == "tinytag":
        plan = _tinytag(rows, mapped=mapping is not None)
        return plan if mapping is None else apply_mapping(plan, mapping, rows)
    if mapping is not None:
        plan = replace(apply_mapping(None, mapping, rows), layout=chosen)
    else:
        plan = _find_header(chosen, rows)
    if chosen == "easylog":
        return replace(plan, serial=_first_row_serial(plan, rows))
    if chosen == "hobo":
        found = _HOBO_SERIAL.search(",".join(plan.headers))
        # Unverified: rows that only log an event ("Logged", "Stopped") leave the sensor
        # cells empty; they are skipped and counted in a notice.
        return replace(
            plan,
            serial=found[1] if found else None,
            date_order="mdy",
            skip_empty_temperature=True,
        )
    return plan
