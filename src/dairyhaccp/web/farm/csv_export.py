"""CSV exports: the antibiotics register for the vet or the register, and the sector figures.

Machine-readable: English column names (a stable contract), ISO dates and times in Brussels
time with their offset, numbers with a decimal point. A cell that a spreadsheet would run as a
formula (starting with =, +, -, @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from dairyhaccp.ikm import withdrawal_end
from dairyhaccp.ikm.withdrawal import format_local
from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.models import FarmProfile, Treatment

TREATMENT_COLUMNS = (
    "treatment",
    "version",
    "animal",
    "group",
    "animals",
    "first_administration",
    "last_administration",
    "indication",
    "product",
    "active_substance",
    "dose",
    "route",
    "prescribing_vet",
    "withdrawal_milk_h",
    "milk_usable_from",
    "first_usable_milking",
    "withdrawal_meat_days",
    "meat_usable_from",
    "withdrawn",
    "entered_by",
    "entered_as",
    "entered_at",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, made inert for spreadsheets."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _moment(value: datetime | None) -> str:
    return format_local(value) if value is not None else ""


def treatment_row(treatment: Treatment, profile: FarmProfile | None) -> list[Any]:
    """One line of the register."""
    meat_end = withdrawal_end(
        treatment.last_dose_at, timedelta(days=treatment.withdrawal_meat_days)
    )
    return [
        treatment.chain,
        treatment.version,
        treatment.animal,
        "yes" if treatment.is_group else "no",
        treatment.animals,
        treatment.first_dose_on.isoformat(),
        _moment(treatment.last_dose_at),
        treatment.indication,
        treatment.product,
        treatment.active_substance,
        treatment.dose,
        treatment.route,
        treatment.prescribing_vet,
        f"{treatment.withdrawal_milk_hours.normalize():f}",
        _moment(treatment.milk_usable_from),
        _moment(selectors.first_usable_milking(treatment, profile)),
        treatment.withdrawal_meat_days,
        _moment(meat_end),
        "yes" if treatment.withdrawn else "no",
        treatment.recorded_by.get_username(),
        treatment.recorded_as,
        _moment(treatment.recorded_at),
    ]


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document with a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def treatments_csv(treatments: Iterable[Treatment], profile: FarmProfile | None) -> str:
    """The register as CSV, one line per treatment (its latest version)."""
    return write_csv(TREATMENT_COLUMNS, (treatment_row(t, profile) for t in treatments))


SECTOR_COLUMNS = ("table", "year", "group", "measure", "value")


def sector_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """The sector figures in long form; a group too small reads "<N" and nothing else."""
    hidden = f"<{figures.get('min_farms', '')}"
    rows: list[list[Any]] = []
    for table, group_keys in (
        ("years", ()),
        ("regions", ("region",)),
        ("audits", ("body", "result")),
        ("open_findings", ("module", "criterion")),
        ("treatment_days", ()),
    ):
        for row in figures.get(table, []):
            group = "/".join(str(row.get(key, "")) for key in group_keys)
            year = row.get("year", "")
            if not row.get("shown"):
                rows.append([table, year, group, "farms", hidden])
                continue
            for measure, value in row.items():
                if measure in ("year", "shown", *group_keys):
                    continue
                if isinstance(value, dict):
                    rows.extend(
                        [table, year, group, f"{measure}.{key}", hidden if item is None else item]
                        for key, item in value.items()
                    )
                else:
                    rows.append([table, year, group, measure, value])
    return rows


def sector_csv(figures: dict[str, Any]) -> str:
    """The sector figures as CSV."""
    return write_csv(SECTOR_COLUMNS, sector_rows(figures))
