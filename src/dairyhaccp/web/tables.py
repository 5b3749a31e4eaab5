"""Lists an inspector reads: a filter form in GET parameters, and the filtered rows exported as
CSV or XLSX, written row by row (never the whole list in memory).

CSV: UTF-8 with a byte order mark, a header row in the reader's language, ISO dates, moments
in Brussels time with their offset, numbers with a decimal point. XLSX: real date and number
cells. In both, text a spreadsheet would run as a formula is kept as text.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dairyhaccp.monitoring.schedule import BRUSSELS

# The query parameter that asks a list for its export, and the formats it knows.
EXPORT_PARAMETER = "export"
CSV = "csv"
XLSX = "xlsx"
EXPORT_FORMATS = (CSV, XLSX)
# Rows read from the database at a time while an export is written.
EXPORT_CHUNK = 500
# The days a filter accepts: nothing before the records of this software, nothing absurd.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ListFilterForm(forms.Form):
    """The period of a list (`from`, `to`: local days, both included); subclasses add the
    dimensions their list has. Read from GET parameters; a bad value is an error next to its
    field and that filter is not applied."""

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields = {
            "from": forms.DateField(
                label=gettext_lazy("From"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            ),
            "to": forms.DateField(
                label=gettext_lazy("To"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            ),
            **self.fields,
        }

    def _day(self, name: str) -> date | None:
        day: date | None = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Choose a day between {first} and {last}.").format(
                    first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
                )
            )
        return day

    def clean_from(self) -> date | None:
        return self._day("from")

    def clean_to(self) -> date | None:
        return self._day("to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from"), data.get("to")
        if first is not None and last is not None and last < first:
            self.add_error("to", _("The last day lies before the first day."))
        return data

    def key(self) -> tuple[tuple[str, Any], ...]:
        """Every filter's value: what the list's query is made from besides the operator."""
        return tuple((name, self.value(name)) for name in self.fields)

    def value(self, name: str) -> Any:
        """The cleaned value of a filter, None when it is empty or wrong."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return value if value not in ("", None) else None

    @property
    def starts_at(self) -> datetime | None:
        first = self.value("from")
        return datetime.combine(first, time.min, tzinfo=BRUSSELS) if first else None

    @property
    def ends_at(self) -> datetime | None:
        """The moment the period is over: midnight after its last day."""
        last = self.value("to")
        return (
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=BRUSSELS) if last else None
        )

    def query(self) -> str:
        """The filters as typed, as a query string ending in "&" (empty when none): kept in
        the pager's and the export's links."""
        if not self.is_bound:
            return ""
        pairs = [(name, str(self.data.get(name, ""))) for name in self.fields]
        kept = urlencode([(name, value) for name, value in pairs if value])
        return f"{kept}&" if kept else ""

    @property
    def period_label(self) -> str:
        """The period as a printed page names it."""
        first, last = self.value("from"), self.value("to")
        if first and last:
            return _("from {first} to {last}").format(
                first=first.isoformat(), last=last.isoformat()
            )
        if first:
            return _("from {first}").format(first=first.isoformat())
        if last:
            return _("until {last}").format(last=last.isoformat())
        return _("the whole history")


def filter_form(form_class: type[ListFilterForm], request: HttpRequest, **kwargs: Any) -> Any:
    """The filter form of a list, bound to the request's GET parameters (checked at once)."""
    wanted = [name for name in request.GET if name not in ("page", EXPORT_PARAMETER)]
    form = form_class(request.GET if wanted else None, **kwargs)
    if form.is_bound:
        form.is_valid()
    else:
        form.cleaned_data = {}
    return form


def export_format(request: HttpRequest) -> str:
    """The export asked for (?export=csv or xlsx), "" for the page itself."""
    asked = request.GET.get(EXPORT_PARAMETER, "")
    return asked if asked in EXPORT_FORMATS else ""


@dataclass(frozen=True)
class Column:
    """A column of an export: its header (translated when written) and how a row gives it."""

    header: str | Promise
    value: Callable[[Any], object]


def chunked(rows: Iterable[Any]) -> Iterator[Any]:
    """The rows of a queryset read a chunk at a time (prefetches done per chunk)."""
    iterator = getattr(rows, "iterator", None)
    if iterator is not None:
        yield from iterator(chunk_size=EXPORT_CHUNK)
    else:
        yield from rows


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        text = "; ".join(str(item) for item in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object csv.writer writes a line to and gets it back."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    name: str, columns: Sequence[Column], rows: Iterable[Any]
) -> StreamingHttpResponse:
    """The rows as a CSV file, streamed line by line."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([str(column.header) for column in columns])
        for row in chunked(rows):
            yield writer.writerow([csv_cell(column.value(row)) for column in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    return str(value)


def xlsx_response(name: str, columns: Sequence[Column], rows: Iterable[Any]) -> FileResponse:
    """The rows as an XLSX workbook, written row by row to a temporary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name[:31])
    sheet.append([str(column.header) for column in columns])
    for row in chunked(rows):
        cells = []
        for column in columns:
            value = xlsx_cell(column.value(row))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    # Closed by the response once sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_TYPE)


def export_response(
    kind: str, name: str, columns: Sequence[Column], rows: Iterable[Any]
) -> StreamingHttpResponse | FileResponse:
    """The export of `kind` (csv or xlsx)."""
    if kind == XLSX:
        return xlsx_response(name, columns, rows)
    return csv_response(name, columns, rows)
