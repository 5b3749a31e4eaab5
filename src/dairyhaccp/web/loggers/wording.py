"""What the core says about a logger file, worded in the page's language.

The core gives each problem and notice a code, the line, the column and the cell; the English
text it also gives is the fallback for a code this table does not know.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dairyhaccp.loggers import FileNotice, FileProblem

# Problems of a cell: "Line {line}, column {column}: ..." goes before.
_CELL_PROBLEMS = {
    "not_a_time": gettext_lazy("“{value}” is not a time like 2026-01-05 10:00 or 05/01/2026 10:00"),
    "no_time_of_day": gettext_lazy("“{value}” has a date but no time of day"),
    "sub_second_time": gettext_lazy("“{value}” has a fraction of a second"),
    "implausible_year": gettext_lazy("“{value}”: the year is not plausible (is the clock set?)"),
    "nonexistent_local_time": gettext_lazy(
        "“{value}” does not exist here: the clocks go forward at that hour. If the logger keeps "
        "winter time all year, read the file at +01:00"
    ),
    "not_after_previous": gettext_lazy(
        "“{value}” does not come after the reading before it; readings must be in the order "
        "the logger took them"
    ),
    "not_a_number": gettext_lazy("“{value}” is not a number"),
    "wrong_unit": gettext_lazy("“{value}” is not in the column's unit"),
    "implausible_value": gettext_lazy("“{value}” is not a plausible value"),
    "empty_cell": gettext_lazy("the cell is empty"),
    "short_row": gettext_lazy("the line has too few cells"),
}

# Problems of the whole file.
_FILE_PROBLEMS = {
    "file_empty": gettext_lazy("The file is empty."),
    "too_large": gettext_lazy("The file is too large; export it by month."),
    "too_many_readings": gettext_lazy("The file has too many readings; export it by month."),
    "nul_character": gettext_lazy(
        "The file contains a NUL character: is it a text (CSV) export of the logger software?"
    ),
    "line_too_long": gettext_lazy("A line is far too long: this is not a logger export."),
    "unreadable": gettext_lazy("The file cannot be read as CSV."),
    "not_a_layout": gettext_lazy("The file does not have the layout chosen."),
    "no_header": gettext_lazy(
        "No line of the file names a time and a temperature column: choose the columns below."
    ),
    "missing_column": gettext_lazy("A column was not found: choose the columns below."),
    "ambiguous_column": gettext_lazy(
        "The file has several columns of one kind (several temperatures?): choose the columns "
        "below."
    ),
    "no_readings": gettext_lazy("The file has no readings."),
}

# Problems that ask for the columns to be chosen.
MAPPING_CODES = frozenset({"no_header", "missing_column", "ambiguous_column", "not_a_layout"})


def file_problem(problem: FileProblem) -> str:
    """One problem of a file, worded."""
    cell = _CELL_PROBLEMS.get(problem.code)
    if cell is not None and problem.line is not None:
        detail = str(cell).format(value=problem.value)
        if problem.column:
            return _("Line {line}, column {column}: {problem}.").format(
                line=problem.line, column=problem.column, problem=detail
            )
        return _("Line {line}: {problem}.").format(line=problem.line, problem=detail)
    whole = _FILE_PROBLEMS.get(problem.code)
    if whole is not None:
        where = _("line {line}").format(line=problem.line) if problem.line else ""
        return f"{whole} ({where})" if where else str(whole)
    return problem.text


_DATE_ORDERS = {
    "dates read day first": gettext_lazy("Dates were read day first (31/01/2026)."),
    "dates read month first": gettext_lazy("Dates were read month first (01/31/2026)."),
    "dates read year first": gettext_lazy("Dates were read year first."),
}


def file_notice(notice: FileNotice, layout: str, zone: str) -> str:
    """Something the reader decided, worded for the person importing."""
    if notice.code == "layout":
        return _("Read as a {layout} export.").format(layout=layout_name(layout))
    if notice.code == "zone":
        if "header" in notice.text:
            return _("Times were read at the offset the file's header states.")
        return _("Times without an offset were read as local time ({zone}).").format(zone=zone)
    if notice.code == "date_order" and notice.text in _DATE_ORDERS:
        return str(_DATE_ORDERS[notice.text])
    if notice.code == "repeated_hour" and notice.lines:
        return _(
            "Lines {first} to {last} fall in the hour the clocks go back: they were placed by "
            "their order (first summer time, then winter time)."
        ).format(first=notice.lines[0], last=notice.lines[-1])
    if notice.code == "fahrenheit":
        return _("Temperatures were converted from °F to °C.")
    if notice.code == "skipped_empty":
        count = len(notice.lines)
        return ngettext(
            "{count} line without a temperature (a logger event) was left out.",
            "{count} lines without a temperature (logger events) were left out.",
            count,
        ).format(count=count)
    return notice.text


def layout_name(layout: str) -> str:
    """A layout as people know it."""
    names = {
        "generic": _("generic CSV"),
        "tinytag": "Tinytag Explorer",
        "easylog": "Lascar EasyLog",
        "hobo": "Onset HOBOware",
    }
    return names.get(layout, layout)
