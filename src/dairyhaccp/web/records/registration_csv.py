"""Reading registrations from a CSV file (paper sheets typed in a spreadsheet, a logger's
export): every row read and checked, or the list of what is wrong, before anything is judged.

One registration per line. Headers are matched ignoring case, accents, spaces, dots, hyphens,
underscores and a unit in brackets ("Temperatuur (°C)"):

==================  ===============================================================
column              headers accepted
==================  ===============================================================
control             control, controle, contrôle, ccp, pva, ccp/pva
measured_at         measured at, date, datum, when, moment, tijdstip, gemeten op,
                    date et heure, mesuré le
product             product, produit
room                room, ruimte, lokaal, room or equipment, local, pièce, équipement
lot                 lot, lot code, batch, partij, lotnummer, charge
category            category, storage category, categorie, catégorie, bewaarcategorie
industrial_starter  industrial starter, industrieel zuursel, ferment industriel
delivery            delivery, levering, livraison
remark              remark, opmerking, remarque, comment, commentaar
a parameter         its id in parameters.yaml (temperature_c) or its nl, fr or en label
==================  ===============================================================

Any other column is refused, naming it. Separator: semicolon, comma or tab (found from the header
line). Numbers with a decimal comma or point (4,5 or 4.5). Yes/no values: ok, yes, ja, oui, 1,
true, goed, conform; not ok, no, nee, non, 0, false, nok, niet conform. Moments in local time
(Europe/Brussels), day first: 2026-01-05 14:30, 05/01/2026 14:30 or 05-01-2026 14:30 (seconds
optional); in the hour the clocks repeat, the later one that is not in the future.
An empty cell is a value not measured.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.schedule import resolve_local_time
from dairyhaccp.web.records.constants import BULK_MAX_ITEMS

MAX_BYTES = 2_000_000
MAX_PROBLEMS = 30
MAX_CELL = 2000

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "control": ("control", "controle", "ccp", "pva", "ccp pva", "controlepunt"),
    "measured_at": ("measured at", "measured", "date", "datum", "when", "moment", "tijdstip",
                    "gemeten op", "date et heure", "mesure le", "date time", "datetime"),
    "product": ("product", "produit"),
    "room": ("room", "ruimte", "lokaal", "room or equipment", "local", "piece", "equipement",
             "ruimte of toestel"),
    "lot": ("lot", "lot code", "batch", "partij", "lotnummer", "lotcode", "charge"),
    "category": ("category", "storage category", "categorie", "bewaarcategorie",
                 "categorie de stockage"),
    "industrial_starter": ("industrial starter", "industrieel zuursel", "ferment industriel",
                           "industriele starter"),
    "delivery": ("delivery", "levering", "livraison"),
    "remark": ("remark", "opmerking", "remarque", "comment", "commentaar", "commentaire"),
}  # fmt: skip

YES_WORDS = frozenset(
    ("ok", "yes", "ja", "oui", "1", "true", "waar", "vrai", "goed", "bon", "conform", "conforme")
)
NO_WORDS = frozenset(
    (
        "not ok",
        "nok",
        "no",
        "nee",
        "non",
        "0",
        "false",
        "onwaar",
        "faux",
        "slecht",
        "mauvais",
        "niet ok",
        "pas ok",
        "not conform",
        "niet conform",
        "non conforme",
    )
)
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
)
_CONTROL = re.compile(r"^(ccp|pva)\s*-?\s*(\d{1,3})$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def normalise(header: str) -> str:
    """A header as it is matched: no accents, no unit in brackets, lowercase, single spaces."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", header)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[\s._/-]+", " ", text).split())


def _parameter_headers() -> dict[str, str]:
    headers: dict[str, str] = {}
    for parameter in load_guide().parameters:
        if parameter.measured != "on_site":
            continue
        names = (parameter.id, parameter.label.nl, parameter.label.en, parameter.label.get("fr"))
        for name in names:
            headers.setdefault(normalise(name), parameter.id)
    return headers


def header_map() -> dict[str, str]:
    """Every accepted header (normalised) and the field or parameter it is."""
    found = _parameter_headers()
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            found[normalise(alias)] = name
    return found


@dataclass(frozen=True)
class CsvProblem:
    """What is wrong at one line (1 is the header line) and column."""

    line: int
    column: str
    problem: str


@dataclass(frozen=True)
class CsvRow:
    """One line read: the fields as typed (room and lot still by name) and the values."""

    line: int
    control_id: str
    measured_at: datetime
    product: str = ""
    room: str = ""
    lot: str = ""
    category: str = ""
    industrial_starter: bool | None = None
    delivery: str = ""
    remark: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CsvFile:
    """The rows of a file, or what is wrong with it; `digest` names the file's content."""

    rows: tuple[CsvRow, ...]
    problems: tuple[CsvProblem, ...]
    digest: str


def decode(raw: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _dialect(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _number(raw: str, parameter: str) -> float | int:
    text = raw.replace(" ", "").replace("\u00a0", "").replace("−", "-")
    if not _NUMBER.match(text):
        raise ValueError(_("not a number"))
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(_("not a number"))
    if load_guide().parameter(parameter).type == "integer":
        if not value.is_integer():
            raise ValueError(_("not a whole number"))
        return int(value)
    return value


def _yes_no(raw: str) -> bool:
    word = " ".join(raw.lower().split())
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError(_("write OK or not OK (yes or no)"))


def _control(raw: str) -> str:
    match = _CONTROL.match(" ".join(raw.lower().split()))
    if match is None:
        raise ValueError(_("not the id of a control of the plan"))
    return f"{match.group(1).upper()} {int(match.group(2))}"


def _moment(raw: str, now: datetime) -> datetime:
    text = " ".join(raw.split())
    for pattern in _DATE_FORMATS:
        try:
            naive = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return resolve_local_time(naive, now, timezone.get_current_timezone())
    raise ValueError(_("write the date and time as 2026-01-05 14:30 or 05/01/2026 14:30"))


def _cell_problem(value: str) -> str | None:
    if "\x00" in value:
        return _("contains a character that is not allowed")
    if len(value) > MAX_CELL:
        return _("at most {count} characters").format(count=MAX_CELL)
    return None


def read_registrations(text: str, now: datetime | None = None) -> CsvFile:
    """Every registration of a CSV file, or every problem found (up to MAX_PROBLEMS)."""
    now = now or timezone.now()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    problems: list[CsvProblem] = []
    if "\x00" in text:
        return CsvFile((), (CsvProblem(0, "", _("the file is not a text (CSV) file")),), digest)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return CsvFile((), (CsvProblem(1, "", _("the file has no header line")),), digest)
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(lines[0]))
    try:
        header = next(reader)
    except csv.Error as error:
        return CsvFile((), (CsvProblem(1, "", str(error)),), digest)
    known = header_map()
    columns: list[str] = []
    for name in header:
        found = known.get(normalise(name))
        if found is None:
            problems.append(CsvProblem(1, name, _("unknown column")))
        elif found in columns:
            problems.append(CsvProblem(1, name, _("this column comes twice")))
        columns.append(found or "")
    for needed in ("control", "measured_at"):
        if needed not in columns:
            problems.append(CsvProblem(1, needed, _("this column is missing")))
    if problems:
        return CsvFile((), tuple(problems), digest)
    rows: list[CsvRow] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= BULK_MAX_ITEMS:
                problems.append(
                    CsvProblem(
                        line,
                        "",
                        _("at most {count} registrations per file").format(count=BULK_MAX_ITEMS),
                    )
                )
                break
            row = _row(line, header, columns, cells, now, problems)
            if row is not None:
                rows.append(row)
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error as error:
        problems.append(CsvProblem(reader.line_num, "", str(error)))
    if not rows and not problems:
        problems.append(CsvProblem(2, "", _("the file has no registrations")))
    return CsvFile(tuple(rows), tuple(problems), digest)


def _row(
    line: int,
    header: list[str],
    columns: list[str],
    cells: list[str],
    now: datetime,
    problems: list[CsvProblem],
) -> CsvRow | None:
    if len(cells) > len(columns):
        problems.append(CsvProblem(line, "", _("more cells than columns")))
        return None
    fields: dict[str, Any] = {}
    values: dict[str, Any] = {}
    before = len(problems)
    for name, column, raw in zip(header, columns, cells, strict=False):
        value = raw.strip()
        problem = _cell_problem(value)
        if problem is not None:
            problems.append(CsvProblem(line, name, problem))
            continue
        if not value:
            continue
        try:
            if column == "control":
                fields["control_id"] = _control(value)
            elif column == "measured_at":
                fields["measured_at"] = _moment(value, now)
            elif column == "industrial_starter":
                fields["industrial_starter"] = _yes_no(value)
            elif column in FIELD_ALIASES:
                fields[column] = value
            elif load_guide().parameter(column).is_boolean:
                values[column] = _yes_no(value)
            else:
                values[column] = _number(value, column)
        except ValueError as error:
            problems.append(CsvProblem(line, name, str(error)))
    for needed, label in (("control_id", "control"), ("measured_at", "measured_at")):
        if needed not in fields and len(problems) == before:
            problems.append(CsvProblem(line, label, _("this cell is empty")))
    if len(problems) > before:
        return None
    return CsvRow(line=line, values=values, **fields)
