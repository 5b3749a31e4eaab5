"""Reading raw-milk results from a lab's CSV file: all rows, or the list of what is wrong.

The whole file is read and checked before anything is returned, so a caller stores every row
or none. Column mapping (headers are matched ignoring case, accents, spaces, dots, hyphens and
underscores; a unit may follow in brackets, e.g. "Kiemgetal (x1000/ml)"):

=========  ===========================================================================
field      headers accepted
=========  ===========================================================================
date       date, datum, monsterdatum, sampling date, date de prélèvement, prelevement
parameter  parameter, paramètre, analyse, analysis, bepaling
value      value, result, resultaat, waarde, uitslag, valeur, résultat
unit       unit, eenheid, unité
sample     sample, monster, monsternummer, sample id, échantillon
remark     remark, opmerking, remarque, comment, commentaar
=========  ===========================================================================

A file has either `parameter` and `value` columns (one result per line) or one column per
parameter (one sampling per line; an empty cell means not analysed):

=====================  ===================================================================
parameter              column headers or values accepted
=====================  ===================================================================
plate_count            plate count, kiemgetal, germes totaux, total bacteria
somatic_cells          somatic cells, somatische cellen, celgetal, cellules somatiques
antibiotic_residues    antibiotic residues, antibiotica, remstoffen, inhibitors, inhibiteurs
visible_cleanliness    visible cleanliness, zuiverheid, zichtbare zuiverheid, propreté
e_coli                 e coli, escherichia coli
=====================  ===================================================================

Any other column is refused, naming it. Values: dates as 2026-01-05 or 05/01/2026 (day first),
from 2000-01-01 up to today;
counts as 80000, 80 000, 1,5E5, or "<10" (read as 10); a thousands separator written as a point
or comma ("80.000") is ambiguous and refused. Units: /ml (default for plate count and cells),
x1000/ml (values multiplied by 1000), cfu/g or cfu/ml (E. coli). Antibiotics: detected or not
detected (also positive/negative, positief/negatief, positif/négatif, +/-). Cleanliness: ok or
not ok (also conform/not conform, yes/no, ja/nee, oui/non).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from dairyhaccp.lab.dates import EARLIEST_DAY, latest_sampling_day
from dairyhaccp.lab.raw_milk_verdict import RAW_MILK_PARAMETERS, VALUE_KINDS

MAX_ROWS = 10_000
MAX_ERRORS = 20

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "datum", "monsterdatum", "sampling date", "sample date", "date de prélèvement",
             "prelevement", "date prelevement", "staalname datum"),
    "parameter": ("parameter", "paramètre", "analyse", "analysis", "bepaling"),
    "value": ("value", "result", "resultaat", "waarde", "uitslag", "valeur", "résultat"),
    "unit": ("unit", "eenheid", "unité"),
    "sample": ("sample", "monster", "monsternummer", "sample id", "échantillon", "staal"),
    "remark": ("remark", "opmerking", "remarque", "comment", "commentaar"),
}  # fmt: skip

PARAMETER_ALIASES: dict[str, tuple[str, ...]] = {
    "plate_count": ("plate count", "plate_count", "kiemgetal", "germes totaux",
                    "total bacteria", "total count"),
    "somatic_cells": ("somatic cells", "somatic_cells", "somatische cellen", "celgetal",
                      "cellules somatiques", "cell count"),
    "antibiotic_residues": ("antibiotic residues", "antibiotic_residues", "antibiotica",
                            "antibioticaresiduen", "remstoffen", "inhibitors", "inhibiteurs",
                            "antibiotiques", "residus d'antibiotiques"),
    "visible_cleanliness": ("visible cleanliness", "visible_cleanliness", "zuiverheid",
                            "zichtbare zuiverheid", "propreté", "proprete visible"),
    "e_coli": ("e coli", "e_coli", "escherichia coli"),
}  # fmt: skip

PRESENCE_WORDS: dict[str, str] = {
    word: "detected"
    for word in ("detected", "positive", "positief", "positif", "pos", "+", "aangetoond")
} | {
    word: "not_detected"
    for word in (
        "not detected",
        "not_detected",
        "negative",
        "negatief",
        "négatif",
        "neg",
        "-",
        "niet aangetoond",
        "non détecté",
    )
}
CHECK_WORDS: dict[str, str] = {
    word: "ok" for word in ("ok", "conform", "yes", "ja", "oui", "true", "goed", "bon")
} | {
    word: "not_ok"
    for word in (
        "not ok",
        "not_ok",
        "nok",
        "not conform",
        "niet conform",
        "no",
        "nee",
        "non",
        "false",
        "slecht",
        "mauvais",
    )
}
UNIT_FACTORS: dict[str, float] = {
    "/ml": 1.0,
    "per ml": 1.0,
    "kiemen/ml": 1.0,
    "cellen/ml": 1.0,
    "cfu/ml": 1.0,
    "kve/ml": 1.0,
    "ufc/ml": 1.0,
    "x1000/ml": 1000.0,
    "*1000/ml": 1000.0,
    "1000/ml": 1000.0,
    "cfu/g": 1.0,
    "kve/g": 1.0,
    "ufc/g": 1.0,
}
_AMBIGUOUS = re.compile(r"^[1-9]\d{0,2}([.,]\d{3})+$")
_NUMBER = re.compile(r"^\d+([.,]\d+)?([eE][+-]?\d+)?$")
_HEADER_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[](?P<unit>[^)\]]*)[)\]]\s*$")


def _key(text: str) -> str:
    """A header or word compared ignoring case, accents, spaces, dots, hyphens, underscores."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s._\-]+", "", plain.lower())


_FIELDS = {_key(alias): field for field, aliases in FIELD_ALIASES.items() for alias in aliases}
_PARAMETERS = {
    _key(alias): parameter for parameter, aliases in PARAMETER_ALIASES.items() for alias in aliases
}
_SIGNS = ("+", "-")


def _word_key(text: str) -> str:
    return text if text in _SIGNS else _key(text)


_PRESENCE = {_word_key(word): value for word, value in PRESENCE_WORDS.items()}
_CHECK = {_word_key(word): value for word, value in CHECK_WORDS.items()}
_UNITS = {_key(unit): factor for unit, factor in UNIT_FACTORS.items()}


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One thing wrong with a file: a code, where, and what; `text` says it in English.

    The codes and their fields, for wording at the edges: file_empty, too_many_lines (count,
    limit), no_results, unreadable (detail), unnamed_column (index), unknown_column (column,
    known), unknown_unit (column, value), duplicate_column (column, other), missing_date,
    mixed_forms (column), missing_beside (column, other), missing_parameter, extra_cells (line,
    limit), not_a_parameter (line, column, value, known), empty_value (line, column),
    not_analysed (line, column, value), no_result_in_row (line), and for a cell's value (line,
    column, value): not_a_date, date_before_2000, date_in_future, ambiguous_number,
    lower_bound, not_a_number, not_positive, not_a_word (known).
    """

    code: str
    text: str
    line: int | None = None
    column: str = ""
    value: str = ""
    other: str = ""
    known: str = ""
    count: int = 0
    limit: int = 0


class CsvValueError(ValueError):
    """A cell value that cannot be read, with the problem's code."""

    def __init__(self, code: str, value: str, text: str, known: str = "") -> None:
        super().__init__(text)
        self.code = code
        self.value = value
        self.known = known


class CsvImportError(ValueError):
    """A file that cannot be imported, with every problem found (up to MAX_ERRORS)."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = tuple(problems)
        self.errors = tuple(problem.text for problem in problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{self.errors[0]}{more}")


@dataclass(frozen=True, slots=True)
class ImportedResult:
    """One result read from the file, with its line number for messages."""

    line: int
    day: date
    parameter: str
    value: float | str
    sample: str = ""
    remark: str = ""


def decode_csv(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unit_factor(unit: str) -> float | None:
    if not unit.strip():
        return 1.0
    return _UNITS.get(_key(unit))


def parse_day(text: str, latest: date | None = None) -> date:
    """2026-01-05, or 05/01/2026, 05-01-2026, 05.01.2026 (day first), from 2000-01-01 up to
    `latest` (default: today in Belgium)."""
    raw = text.strip()
    day = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = date.fromisoformat(raw)
        elif match := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", raw):
            day = date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as exc:
        raise CsvValueError("not_a_date", raw, f"{raw!r} is not a date: {exc}") from exc
    if day is None:
        shown = raw if len(raw) <= 40 else f"{raw[:37]}..."
        raise CsvValueError(
            "not_a_date", shown, f"{shown!r} is not a date like 2026-01-05 or 05/01/2026"
        )
    if day < EARLIEST_DAY:
        raise CsvValueError("date_before_2000", raw, f"{raw!r} is before 2000-01-01")
    if day > (latest if latest is not None else latest_sampling_day()):
        raise CsvValueError("date_in_future", raw, f"{raw!r} lies in the future")
    return day


def parse_count(text: str) -> float:
    """A count: 80000, 80 000, 1,5E5; '<10' is read as 10."""
    shown = text.strip()
    raw = shown.replace("\u00a0", " ").replace("\u202f", " ")
    if raw.startswith("<"):
        raw = raw[1:].strip()
    if raw.startswith(">"):
        raise CsvValueError(
            "lower_bound", shown, f"{shown!r} is a lower bound; give the counted number"
        )
    if _AMBIGUOUS.match(raw):
        raise CsvValueError(
            "ambiguous_number",
            shown,
            f"{shown!r} is ambiguous (thousands or decimals?); write it without a point "
            "or comma between thousands, e.g. 80000",
        )
    compact = raw.replace(" ", "").replace("'", "")
    if not _NUMBER.match(compact):
        raise CsvValueError("not_a_number", shown, f"{shown!r} is not a number")
    value = float(compact.replace(",", "."))
    if value <= 0:
        raise CsvValueError("not_positive", shown, f"{shown!r} is not a positive number")
    return value


def parse_value(parameter: str, text: str, factor: float) -> float | str:
    """A cell's value for `parameter`: a count times the unit's factor, or a word."""
    kind = VALUE_KINDS[parameter]
    if kind == "count":
        return parse_count(text) * factor
    table, words = (
        (_PRESENCE, "detected, not detected") if kind == "presence" else (_CHECK, "ok, not ok")
    )
    raw = text.strip()
    value = table.get(_word_key(raw))
    if value is None:
        raise CsvValueError("not_a_word", raw, f"{raw!r} is not one of {words}", known=words)
    return value


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str
    field: str
    factor: float


_KNOWN_COLUMNS = ", ".join([*FIELD_ALIASES, *PARAMETER_ALIASES])
_KNOWN_PARAMETERS = ", ".join(PARAMETER_ALIASES)


def _columns(header: list[str]) -> tuple[list[_Column], list[CsvProblem]]:
    columns: list[_Column] = []
    problems: list[CsvProblem] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        header_text = raw.strip()
        name, unit = header_text, ""
        match = _HEADER_UNIT.match(name)
        if match:
            name, unit = match["name"], match["unit"]
        key = _key(name)
        field = _FIELDS.get(key) or _PARAMETERS.get(key)
        if not key:
            problems.append(
                CsvProblem("unnamed_column", f"column {index + 1}: has no name", count=index + 1)
            )
            continue
        if field is None:
            problems.append(
                CsvProblem(
                    "unknown_column",
                    f"column {header_text!r}: unknown column; known columns: {_KNOWN_COLUMNS}",
                    column=header_text,
                    known=_KNOWN_COLUMNS,
                )
            )
            continue
        factor = _unit_factor(unit)
        if factor is None:
            problems.append(
                CsvProblem(
                    "unknown_unit",
                    f"column {header_text!r}: unknown unit {unit!r}",
                    column=header_text,
                    value=unit,
                )
            )
            continue
        if field in seen:
            problems.append(
                CsvProblem(
                    "duplicate_column",
                    f"column {header_text!r}: the same as column {seen[field]!r}",
                    column=header_text,
                    other=seen[field],
                )
            )
            continue
        seen[field] = header_text
        columns.append(_Column(index, header_text, field, factor))
    if not problems:
        problems += _form_problems(columns, seen)
    return columns, problems


def _form_problems(columns: list[_Column], seen: dict[str, str]) -> list[CsvProblem]:
    """The file must have a date and either parameter and value columns or parameter columns."""
    fields = {column.field for column in columns}
    long_form = {"parameter", "value"} & fields
    wide = fields & set(RAW_MILK_PARAMETERS)
    if "date" not in fields:
        return [
            CsvProblem(
                "missing_date",
                "column 'date': missing; every file needs the sampling date",
                column="date",
            )
        ]
    if long_form and wide:
        column = seen[sorted(wide)[0]]
        return [
            CsvProblem(
                "mixed_forms",
                f"column {column!r}: a file has either parameter and value columns or one "
                "column per parameter, not both",
                column=column,
            )
        ]
    if long_form and long_form != {"parameter", "value"}:
        missing = ({"parameter", "value"} - long_form).pop()
        other = seen[long_form.pop()]
        return [
            CsvProblem(
                "missing_beside",
                f"column {missing!r}: missing beside column {other!r}",
                column=missing,
                other=other,
            )
        ]
    if not long_form and not wide:
        return [
            CsvProblem(
                "missing_parameter",
                "column 'parameter': missing; give parameter and value columns",
                column="parameter",
            )
        ]
    return []


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=";,\t")
    except csv.Error:
        return csv.excel


def parse_raw_milk_csv(
    text: str,
    allowed_parameters: Collection[str] | None = None,
    latest_day: date | None = None,
) -> list[ImportedResult]:
    """Every result of the file, or CsvImportError listing the problems (nothing half-read).

    `allowed_parameters`: the parameters the operator's milk is analysed for (table 5.1);
    `latest_day`: the last sampling day accepted (default: today in Belgium).
    """
    latest = latest_day if latest_day is not None else latest_sampling_day()
    reader = csv.reader(io.StringIO(text), _sniff(text))
    try:
        # Line numbers as an editor shows them; blank lines are skipped.
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        line = reader.line_num
        raise CsvImportError(
            [CsvProblem("unreadable", f"line {line}: not readable as CSV: {exc}", line=line)]
        ) from exc
    if not rows:
        raise CsvImportError(
            [CsvProblem("file_empty", "file: empty; the first line names the columns")]
        )
    if len(rows) - 1 > MAX_ROWS:
        count = len(rows) - 1
        raise CsvImportError(
            [
                CsvProblem(
                    "too_many_lines",
                    f"file: {count} lines; at most {MAX_ROWS}",
                    count=count,
                    limit=MAX_ROWS,
                )
            ]
        )
    header = rows[0][1]
    columns, problems = _columns(header)
    if problems:
        raise CsvImportError(problems)
    if len(rows) == 1:
        raise CsvImportError([CsvProblem("no_results", "file: no results below the column names")])
    results: list[ImportedResult] = []
    for number, row in rows[1:]:
        results += _read_row(
            number, row, columns, len(header), allowed_parameters, problems, latest
        )
        if len(problems) >= MAX_ERRORS:
            break
    if problems:
        raise CsvImportError(problems)
    return results


def _cell_problem(
    line: int, column: str, code: str, what: str, value: str = "", known: str = ""
) -> CsvProblem:
    return CsvProblem(
        code,
        f"line {line}, column {column!r}: {what}",
        line=line,
        column=column,
        value=value,
        known=known,
    )


def _read_row(
    number: int,
    row: list[str],
    columns: list[_Column],
    width: int,
    allowed: Collection[str] | None,
    problems: list[CsvProblem],
    latest: date,
) -> list[ImportedResult]:
    def cell(column: _Column) -> str:
        return row[column.index].strip() if column.index < len(row) else ""

    found = len(problems)
    if any(value.strip() for value in row[width:]):
        problems.append(
            CsvProblem(
                "extra_cells",
                f"line {number}: more cells than the {width} columns of the first line",
                line=number,
                limit=width,
            )
        )
        return []
    by_field = {column.field: column for column in columns}
    day: date | None = None
    try:
        day = parse_day(cell(by_field["date"]), latest)
    except CsvValueError as exc:
        problems.append(
            _cell_problem(number, by_field["date"].header, exc.code, str(exc), value=exc.value)
        )
    readings: list[tuple[str, float | str]] = []
    if "parameter" in by_field:
        pairs = [(by_field["parameter"], by_field["value"])]
    else:
        pairs = [(column, column) for column in columns if column.field in VALUE_KINDS]
    for name_column, value_column in pairs:
        text = cell(value_column)
        header = value_column.header
        if name_column is value_column:
            if not text:
                continue  # one column per parameter: an empty cell was not analysed
            parameter = name_column.field
        else:
            raw_name = cell(name_column)
            parameter = _PARAMETERS.get(_key(raw_name), "")
            if not parameter:
                problems.append(
                    _cell_problem(
                        number,
                        name_column.header,
                        "not_a_parameter",
                        f"{raw_name!r} is not a parameter; known: {_KNOWN_PARAMETERS}",
                        value=raw_name,
                        known=_KNOWN_PARAMETERS,
                    )
                )
                continue
            if not text:
                problems.append(_cell_problem(number, header, "empty_value", "empty"))
                continue
        if allowed is not None and parameter not in allowed:
            problems.append(
                _cell_problem(
                    number,
                    header,
                    "not_analysed",
                    f"your raw milk is not analysed for {parameter} (table 5.1)",
                    value=parameter,
                )
            )
            continue
        factor = value_column.factor
        if "unit" in by_field and cell(by_field["unit"]):
            unit_factor = _unit_factor(cell(by_field["unit"]))
            if unit_factor is None:
                unit = cell(by_field["unit"])
                problems.append(
                    _cell_problem(
                        number,
                        by_field["unit"].header,
                        "unknown_unit",
                        f"unknown unit {unit!r}",
                        value=unit,
                    )
                )
                continue
            factor = unit_factor
        try:
            readings.append((parameter, parse_value(parameter, text, factor)))
        except CsvValueError as exc:
            problems.append(
                _cell_problem(number, header, exc.code, str(exc), value=exc.value, known=exc.known)
            )
    if not readings and len(problems) == found:
        problems.append(
            CsvProblem(
                "no_result_in_row",
                f"line {number}: no result in any parameter column",
                line=number,
            )
        )
    if len(problems) > found or day is None:
        return []
    sample = cell(by_field["sample"]) if "sample" in by_field else ""
    remark = cell(by_field["remark"]) if "remark" in by_field else ""
    return [
        ImportedResult(number, day, parameter, value, sample, remark)
        for parameter, value in readings
    ]
