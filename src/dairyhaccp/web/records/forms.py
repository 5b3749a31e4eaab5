"""Forms of the records context: quick to fill in on a phone, one thumb, numeric keypad."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.schedule import resolve_local_time
from dairyhaccp.web.records.choices import Outcome, RoomKind
from dairyhaccp.web.records.models import Batch, Room
from dairyhaccp.web.records.registration_csv import MAX_BYTES as MAX_IMPORT_BYTES
from dairyhaccp.web.records.registration_csv import decode
from dairyhaccp.web.records.wording import DERIVED_HELP, parameter_label, parameter_unit

YES, NO = "yes", "no"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DecimalField(forms.FloatField):
    """A number typed with a comma or a point (Dutch and French keypads give a comma)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("−", "-")
        return super().to_python(value)


def _number_widget(negative: bool) -> forms.TextInput:
    # inputmode="decimal" opens the numeric keypad; most such keypads have no minus sign, so a
    # field that takes negative values (freezers) gets the full keyboard.
    return forms.TextInput(
        attrs={
            "inputmode": "text" if negative else "decimal",
            "autocomplete": "off",
            "class": "input-number",
            "pattern": r"-?[0-9]*[.,]?[0-9]*" if negative else r"[0-9]*[.,]?[0-9]*",
        }
    )


def _ok_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(YES, _("OK")), (NO, _("not OK"))],
        widget=forms.RadioSelect(attrs={"class": "choice-big"}),
        required=False,
    )


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in local time, also in the hour the clocks repeat or skip."""

    def to_python(self, value: Any) -> datetime | None:
        try:
            return super().to_python(value)
        except ValidationError:
            naive = self._naive(value)
            if naive is None:
                raise
            return resolve_local_time(naive, timezone.now(), timezone.get_current_timezone())

    def _naive(self, value: Any) -> datetime | None:
        if not isinstance(value, str):
            return None
        for pattern in self.input_formats or ():
            try:
                return datetime.strptime(value.strip(), pattern)
            except ValueError:
                continue
        return None


def _local_datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class FocusForm(forms.Form):
    """A form that, once refused, puts the cursor in the first field at fault: the browser
    scrolls to it, so the message beside it is the first thing read."""

    def full_clean(self) -> None:
        super().full_clean()
        self._focus_first_error()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._focus_first_error()

    def _focus_first_error(self) -> None:
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        for name, field in self.fields.items():
            if name in self.errors:
                field.widget.attrs["autofocus"] = True
                return


class RegistrationForm(FocusForm):
    """The values one control measures, and what they were measured on."""

    measured_at = LocalDateTimeField(
        label=_("Measured at"),
        widget=_local_datetime_widget(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    product = forms.ChoiceField(label=_("Product"), required=False)
    batch = forms.ModelChoiceField(
        label=_("Batch (lot)"), queryset=Batch.objects.none(), required=False
    )
    room = forms.ModelChoiceField(
        label=_("Room or equipment"), queryset=Room.objects.none(), required=False
    )
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("With a short fluctuation or a problem: what caused it."),
    )

    def __init__(
        self,
        *args: Any,
        measured: Sequence[str],
        products: Sequence[str],
        batches: QuerySet[Batch],
        rooms: QuerySet[Room],
        negative_temperatures: bool = False,
        ask_starter: bool = False,
        ask_delivery: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.measured = tuple(measured)
        product_field = self.fields["product"]
        assert isinstance(product_field, forms.ChoiceField)
        product_field.choices = [("", "—"), *((p, p) for p in products)]
        batch_field = self.fields["batch"]
        room_field = self.fields["room"]
        assert isinstance(batch_field, forms.ModelChoiceField)
        assert isinstance(room_field, forms.ModelChoiceField)
        batch_field.queryset = batches
        room_field.queryset = rooms
        guide = load_guide()
        for name in self.measured:
            label = parameter_label(name)
            unit = parameter_unit(name)
            parameter = guide.parameter(name)
            if parameter.is_boolean:
                self.fields[name] = _ok_field(label)
                continue
            negative = negative_temperatures and parameter.min is not None and parameter.min < 0
            self.fields[name] = DecimalField(
                label=f"{label} ({unit})" if unit else label,
                required=False,
                min_value=parameter.min,
                max_value=parameter.max,
                widget=_number_widget(negative),
                help_text=str(DERIVED_HELP[name]) if name in DERIVED_HELP else "",
            )
        if ask_starter:
            self.fields["industrial_starter"] = forms.ChoiceField(
                label=_("Industrial starter used for this processing?"),
                choices=[(YES, _("Yes, industrial starter")), (NO, _("No, home-made starter"))],
                widget=forms.RadioSelect(attrs={"class": "choice-big"}),
            )
        if ask_delivery:
            self.fields["delivery"] = forms.CharField(
                label=_("Delivery (supplier, what)"), required=False, max_length=200
            )

    def measured_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.measured]

    def values(self) -> dict[str, Any]:
        """The measured values typed (blank ones left out), yes/no as booleans."""
        values: dict[str, Any] = {}
        for name in self.measured:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            values[name] = (
                value == YES if isinstance(self.fields[name], forms.ChoiceField) else value
            )
        return values

    def industrial_starter_used(self) -> bool | None:
        value = self.cleaned_data.get("industrial_starter")
        return None if value in (None, "") else value == YES


class CorrectionForm(RegistrationForm):
    """A registration form for a new version, with the reason for the correction.

    A correction stays with the batch or room of the registration: those are not asked.
    """

    reason = forms.CharField(
        label=_("Why is this registration corrected?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["batch"]
        del self.fields["room"]


class TaskForm(FocusForm):
    """That a task without measurements was done."""

    done_at = LocalDateTimeField(
        label=_("Done at"),
        widget=_local_datetime_widget(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    remark = forms.CharField(
        label=_("Remark"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RoomForm(FocusForm):
    """A room or piece of equipment."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("What is it?"), choices=RoomKind.choices)
    product = forms.ChoiceField(
        label=_("Product kept here"),
        required=False,
        help_text=_("The limits of a ripening room depend on the cheese ripened there."),
    )
    storage_category = forms.ChoiceField(
        label=_("Storage category"),
        required=False,
        help_text=_("For cold rooms and cabinets: the category whose maximum temperature applies."),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(
        self, *args: Any, products: Sequence[str], categories: Sequence[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        product_field = self.fields["product"]
        category_field = self.fields["storage_category"]
        assert isinstance(product_field, forms.ChoiceField)
        assert isinstance(category_field, forms.ChoiceField)
        product_field.choices = [("", "—"), *((p, p) for p in products)]
        category_field.choices = [("", "—"), *categories]


class BatchForm(FocusForm):
    """A production batch (lot) or a milking."""

    lot_code = forms.CharField(label=_("Lot code"), max_length=60)
    product = forms.ChoiceField(label=_("Product"))
    started_at = LocalDateTimeField(
        label=_("Made or milked at"),
        widget=_local_datetime_widget(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    room = forms.ModelChoiceField(label=_("Kept in"), queryset=Room.objects.none(), required=False)
    made_from = forms.ModelMultipleChoiceField(
        label=_("Made from (milk batches)"),
        queryset=Batch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        products: Sequence[str],
        rooms: QuerySet[Room],
        sources: QuerySet[Batch],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        product_field = self.fields["product"]
        room_field = self.fields["room"]
        sources_field = self.fields["made_from"]
        assert isinstance(product_field, forms.ChoiceField)
        assert isinstance(room_field, forms.ModelChoiceField)
        assert isinstance(sources_field, forms.ModelMultipleChoiceField)
        product_field.choices = [(p, p) for p in products]
        room_field.queryset = rooms
        sources_field.queryset = sources


class DeviationForm(FocusForm):
    """Corrective actions, notification and outcome of a deviation; saved or closed at once."""

    actions = forms.MultipleChoiceField(
        label=_("Corrective actions taken"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-big"}),
    )
    own_action = forms.CharField(
        label=_("Another corrective action"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notified_on = forms.DateField(
        label=_("Notified to the FAVV on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outcome = forms.ChoiceField(
        label=_("What became of the products?"),
        choices=Outcome.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "choice-big"}),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to release the products, and when a notification was not needed."),
    )

    def __init__(self, *args: Any, actions: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actions"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(actions)


class ImportForm(FocusForm):
    """A CSV file of registrations to preview; the previewed text comes back to be stored."""

    file = forms.FileField(label=_("CSV file"), required=False)
    csv = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"hidden": True, "rows": 1}),
        max_length=MAX_IMPORT_BYTES,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("file") and not data.get("csv"):
            self.add_error("file", _("Choose a CSV file."))
        return data

    def text(self) -> str:
        """The file's text (a new upload), or the text previewed before."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return decode(upload.read())
        return str(self.cleaned_data.get("csv") or "")
