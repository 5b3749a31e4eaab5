"""Forms of the loggers context: a logger, a file to import, how to read it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticError

from dairyhaccp.loggers import LAYOUTS, ColumnMapping
from dairyhaccp.web.bounds import text_problem
from dairyhaccp.web.loggers.constants import (
    DAY_ZONE,
    DEFAULT_MAX_INTERVAL_MIN,
    MAX_INTERVAL_MIN,
    MAX_UPLOAD_BYTES,
)
from dairyhaccp.web.loggers.models import Device
from dairyhaccp.web.loggers.services import DeviceSettings, ReadSettings
from dairyhaccp.web.loggers.wording import layout_name
from dairyhaccp.web.records.models import Room

AUTO = ""


def _text(value: str, length: int) -> str:
    problem = text_problem(value, length)
    if problem:
        raise ValidationError(problem)
    return value.strip()


class DeviceForm(forms.Form):
    """A logger: its name, the room it hangs in, its serial, how often it reads."""

    name = forms.CharField(label=_("Name"), max_length=100)
    room = forms.ModelChoiceField(label=_("Room or equipment"), queryset=Room.objects.none())
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    max_interval_min = forms.IntegerField(
        label=_("Longest time between readings (minutes)"),
        min_value=1,
        max_value=MAX_INTERVAL_MIN,
        initial=DEFAULT_MAX_INTERVAL_MIN,
        help_text=_(
            "Readings further apart leave a gap: that time is not vouched for. Set the logger "
            "to read at least this often."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-number"}),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, rooms: QuerySet[Room], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean_name(self) -> str:
        return _text(self.cleaned_data["name"], 100)

    def clean_serial(self) -> str:
        return _text(self.cleaned_data["serial"], 100)

    def settings(self) -> DeviceSettings:
        data = self.cleaned_data
        return DeviceSettings(data["name"], data["room"], data["serial"], data["max_interval_min"])


class UploadForm(forms.Form):
    """A logger's export to import."""

    device = forms.ModelChoiceField(label=_("Logger"), queryset=Device.objects.none())
    file = forms.FileField(
        label=_("Logger file (CSV or text export)"),
        help_text=_(
            "Tinytag Explorer, Lascar EasyLog, Onset HOBOware, or any CSV with a time "
            "and a temperature column."
        ),
    )

    def __init__(self, devices: QuerySet[Device], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = devices  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than {size} MB; export it by month.").format(
                    size=MAX_UPLOAD_BYTES // (1024 * 1024)
                )
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        return upload


def _column(value: str) -> str | int | None:
    value = value.strip()
    if not value:
        return None
    return int(value) if value.isdigit() else value


class ReadForm(forms.Form):
    """How to read a file: detected unless chosen here."""

    layout = forms.ChoiceField(
        label=_("Layout"),
        required=False,
        choices=[(AUTO, _("Recognise it"))] + [(name, "") for name in LAYOUTS],
    )
    zone = forms.ChoiceField(
        label=_("Times in the file"),
        required=False,
        choices=[
            (DAY_ZONE, _("Belgian time (summer and winter time)")),
            ("+01:00", _("Winter time all year (UTC+1)")),
            ("UTC", _("UTC")),
        ],
    )
    date_order = forms.ChoiceField(
        label=_("Dates"),
        required=False,
        choices=[
            (AUTO, _("Recognise them")),
            ("dmy", _("Day first: 31/01/2026")),
            ("mdy", _("Month first: 01/31/2026")),
            ("ymd", _("Year first: 2026-01-31")),
        ],
    )
    time_column = forms.CharField(
        label=_("Time column"),
        required=False,
        max_length=200,
        help_text=_("Its heading as in the file, or its number (1 is the first column)."),
    )
    date_column = forms.CharField(
        label=_("Date column (when the date stands apart)"), required=False, max_length=200
    )
    temperature_column = forms.CharField(
        label=_("Temperature column"), required=False, max_length=200
    )
    humidity_column = forms.CharField(
        label=_("Humidity column (optional)"), required=False, max_length=200
    )
    no_header = forms.BooleanField(
        label=_("The file has no heading line (give column numbers)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        layout = self.fields["layout"]
        layout.choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (AUTO, _("Recognise it")),
            *((name, layout_name(name)) for name in LAYOUTS),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("time_column", "date_column", "temperature_column", "humidity_column"):
            value = data.get(name) or ""
            problem = text_problem(value, 200)
            if problem:
                self.add_error(name, problem)
        time, temperature = data.get("time_column"), data.get("temperature_column")
        chosen = [data.get(n) for n in ("date_column", "humidity_column")]
        if (time or temperature or any(chosen) or data.get("no_header")) and not (
            time and temperature
        ):
            self.add_error(
                "time_column" if not time else "temperature_column",
                _("Give both the time and the temperature column."),
            )
        if data.get("no_header"):
            for name in ("time_column", "date_column", "temperature_column", "humidity_column"):
                value = (data.get(name) or "").strip()
                if value and not value.isdigit():
                    self.add_error(name, _("Without a heading line, give the column's number."))
        return data

    def mapping(self) -> ColumnMapping | None:
        data = self.cleaned_data
        time, temperature = _column(data["time_column"]), _column(data["temperature_column"])
        if time is None or temperature is None:
            return None
        return ColumnMapping(
            time=time,
            temperature=temperature,
            date=_column(data["date_column"]),
            humidity=_column(data["humidity_column"]),
            has_header=not data["no_header"],
        )

    def read_settings(self) -> ReadSettings:
        """The settings, or ValidationError on the form when the columns do not make sense."""
        data = self.cleaned_data
        try:
            mapping = self.mapping()
        except PydanticError:
            self.add_error("time_column", _("Give a heading or a number from 1 to 10 000."))
            raise ValidationError("mapping") from None
        return ReadSettings(
            layout=data["layout"] or None,
            zone=data["zone"] or DAY_ZONE,
            date_order=data["date_order"] or None,
            mapping=mapping,
        )


class TraceUploadForm(forms.Form):
    """A pasteuriser recorder's export of one run (time, temperature at the holding point)."""

    file = forms.FileField(
        label=_("Pasteuriser trace (CSV or text export)"),
        help_text=_(
            "A time column and a column with the temperature at the holding point, as the "
            "recorder exports them."
        ),
    )
