"""Forms of the farm context: quick on a phone; every refusal is shown next to its field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dairyhaccp.ikm.models import Initiative
from dairyhaccp.ikm.withdrawal import local_instant
from dairyhaccp.web.farm.choices import (
    AnswerChoice,
    AuditKind,
    Decision,
    NotificationKind,
    Region,
    Route,
    Species,
    WithdrawalUnit,
)
from dairyhaccp.web.farm.constants import (
    MAX_ANIMALS,
    MAX_EVIDENCE_BYTES,
    MAX_MEAT_WITHDRAWAL_DAYS,
    MAX_WITHDRAWAL_HOURS,
)
from dairyhaccp.web.farm.models import CertificationBody
from dairyhaccp.web.farm.services import FarmInputError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATE_FORMAT = "%Y-%m-%d"
_DATETIME_INPUTS = (DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time of Brussels; in the hour the clocks repeat or skip, the later
    reading (the core's `local_instant`: a withdrawal never ends too early)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        for pattern in _DATETIME_INPUTS:
            try:
                naive = datetime.strptime(text, pattern)
            except ValueError:
                continue
            return local_instant(naive, ZoneInfo(settings.TIME_ZONE))
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class CommaDecimalField(forms.DecimalField):
    """A number typed with a comma or a point, whatever the page's language (phone keypads
    in Dutch and French give a comma)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _date_field(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


def _text(
    label: StrOrPromise, max_length: int, *, required: bool = True, **kw: Any
) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kw)


def _area(
    label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def add_error(form: forms.Form, error: FarmInputError) -> None:
    """Show a service's refusal next to its field (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.problem)


class ProfileForm(forms.Form):
    """The farm: herd, equipment, vets, certification body and milk buyer."""

    species = forms.ChoiceField(label=_("Dairy animals"), choices=Species.choices)
    animals_in_milk = forms.IntegerField(
        label=_("Animals in milk"),
        min_value=1,
        max_value=MAX_ANIMALS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sanitel_number = _text(_("Sanitel herd number"), 30)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    milking_times = _text(
        _("Milking times"),
        60,
        required=False,
        help_text=_("For example 06:00, 17:30. Leave empty for a milking robot."),
    )
    milking_equipment = _text(_("Milking equipment"), 200, required=False)
    cooling_equipment = _text(_("Cooling equipment (milk tank)"), 200, required=False)
    herd_vet = _text(_("Herd veterinarian"), 200, required=False)
    herd_vet_contract_from = _date_field(_("Contract since"), required=False)
    substitute_vet = _text(_("Substitute veterinarian"), 200, required=False)
    substitute_vet_contract_from = _date_field(_("Substitute's contract since"), required=False)
    certification_body = forms.ModelChoiceField(
        label=_("Certification body"),
        queryset=CertificationBody.objects.none(),
        required=False,
        help_text=_("Its auditors see this farm's audit pages."),
    )
    milk_buyer = _text(_("Milk buyer (dairy)"), 200, required=False)

    def __init__(self, *args: Any, bodies: QuerySet[CertificationBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["certification_body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = bodies

    def milkings(self) -> tuple[str, ...]:
        raw = self.cleaned_data.get("milking_times", "") or ""
        return tuple(part for part in raw.replace(";", ",").split(",") if part.strip())


class TreatmentForm(forms.Form):
    """A treatment in the antibiotics register."""

    animal = _text(
        _("Ear tag or group"), 60, help_text=_("The ear tag of the animal, or a name for a group.")
    )
    is_group = forms.BooleanField(label=_("A group of animals"), required=False)
    animals = forms.IntegerField(
        label=_("Number of animals treated"),
        min_value=1,
        max_value=MAX_ANIMALS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    first_dose_on = _date_field(
        _("First administration on"),
        required=False,
        help_text=_("Leave empty when the treatment was given on one day."),
    )
    last_dose_at = LocalDateTimeField(label=_("Last administration (date and time)"))
    indication = _text(_("Indication"), 200, help_text=_("What the animal was treated for."))
    product = _text(_("Product"), 200)
    active_substance = _text(_("Active substance"), 200)
    dose = _text(_("Dose"), 100, help_text=_("For example 10 ml, or 1 tube per quarter."))
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    prescribing_vet = _text(_("Prescribing veterinarian"), 200)
    withdrawal_milk = CommaDecimalField(
        label=_("Withdrawal period for milk"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_WITHDRAWAL_HOURS),
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    withdrawal_milk_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=WithdrawalUnit.choices,
        initial=WithdrawalUnit.HOURS,
        widget=forms.RadioSelect,
    )
    withdrawal_meat = forms.IntegerField(
        label=_("Withdrawal period for meat (days)"),
        min_value=0,
        max_value=MAX_MEAT_WITHDRAWAL_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    remark = _area(_("Remark"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, unit = data.get("withdrawal_milk"), data.get("withdrawal_milk_unit")
        if (
            amount is not None
            and unit == WithdrawalUnit.DAYS
            and amount * 24 > MAX_WITHDRAWAL_HOURS
        ):
            self.add_error("withdrawal_milk", _("longer than a year"))
        return data

    def milk_hours(self) -> Decimal:
        """The milk withdrawal period in hours (a day is 24 h)."""
        amount: Decimal = self.cleaned_data["withdrawal_milk"]
        if self.cleaned_data["withdrawal_milk_unit"] == WithdrawalUnit.DAYS:
            return amount * 24
        return amount


class TreatmentCorrectionForm(TreatmentForm):
    """A corrected version of a treatment, with the reason."""

    reason = _area(_("Why is the treatment corrected?"), required=True)


class WithdrawForm(forms.Form):
    """Withdraw a treatment entered in error."""

    reason = _area(_("Why is the treatment withdrawn?"), required=True)


class EvidenceFileField(forms.FileField):
    """A photo or PDF, at most MAX_EVIDENCE_BYTES (its kind is checked by the service)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        uploaded = super().clean(data, initial)
        if uploaded and uploaded.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(
                _("larger than {size} MB").format(size=MAX_EVIDENCE_BYTES // (1024 * 1024))
            )
        return uploaded


def _file_field() -> EvidenceFileField:
    return EvidenceFileField(
        label=_("Photo or document"),
        required=False,
        max_length=200,
        help_text=_("A photo (JPEG, PNG, WebP, HEIC) or a PDF."),
        widget=forms.FileInput(attrs={"accept": "image/*,application/pdf"}),
    )


class AnswerForm(forms.Form):
    """The answer to one criterion, its evidence and what is still open."""

    answer = forms.ChoiceField(
        label=_("Answer"), choices=AnswerChoice.choices, widget=forms.RadioSelect
    )
    evidence_note = _area(_("Evidence"), help_text=_("Where the evidence is, or what shows it."))
    evidence_link = forms.URLField(
        label=_("Link to the evidence"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = _file_field()
    open_point = _area(_("Open point"), help_text=_("What is still to be done."))
    open_point_due = _date_field(_("Open point due on"), required=False)


class FindingForm(forms.Form):
    """A criterion found not met at the audit."""

    criterion = forms.ChoiceField(label=_("Criterion"), required=False)
    grade = _text(_("Grade"), 10, required=False)
    description = _area(_("What was found"))
    deadline = _date_field(_("To be closed by"), required=False)

    def __init__(self, *args: Any, criteria: Sequence[tuple[str, str]] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["criterion"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *criteria]


FindingFormSet = forms.formset_factory(FindingForm, extra=5, max_num=50, absolute_max=60)


class AuditForm(forms.Form):
    """An audit and the certification decision after it."""

    body = forms.ModelChoiceField(
        label=_("Certification body"), queryset=CertificationBody.objects.none()
    )
    held_on = _date_field(_("Audit held on"))
    auditor_name = _text(_("Auditor"), 200)
    kind = forms.ChoiceField(label=_("Kind of audit"), choices=AuditKind.choices)
    decision = forms.ChoiceField(
        label=_("Certification decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    decided_on = _date_field(_("Decided on"))
    unannounced_audit_refused = forms.BooleanField(
        label=_("The unannounced audit was refused"), required=False
    )
    remark = _area(_("Remark"))

    def __init__(self, *args: Any, bodies: QuerySet[CertificationBody], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = bodies


class ClosureForm(forms.Form):
    """The evidence that closes a finding."""

    evidence_note = _area(_("What was done"), required=True)
    evidence_link = forms.URLField(
        label=_("Link to the evidence"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = _file_field()
    closed_on = _date_field(_("Closed on"))


class SustainabilityForm(forms.Form):
    """The initiatives taken in one year: a box and a line of evidence for each."""

    def __init__(self, *args: Any, initiatives: Sequence[tuple[Initiative, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.initiative_ids = [initiative.id for initiative, _label in initiatives]
        for initiative, label in initiatives:
            self.fields[f"take_{initiative.id}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"evidence_{initiative.id}"] = forms.CharField(
                label=_("Evidence"), max_length=500, required=False
            )

    def chosen(self) -> list[str]:
        return [i for i in self.initiative_ids if self.cleaned_data.get(f"take_{i}")]

    def evidence(self) -> dict[str, str]:
        chosen = set(self.chosen())
        return {
            i: self.cleaned_data.get(f"evidence_{i}", "")
            for i in self.initiative_ids
            if i in chosen and self.cleaned_data.get(f"evidence_{i}")
        }

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"take_{i}"], self[f"evidence_{i}"]) for i in self.initiative_ids]


class NotificationForm(forms.Form):
    """A notification the farm made, and its follow-up."""

    kind = forms.ChoiceField(label=_("What was notified"), choices=NotificationKind.choices)
    occurred_on = _date_field(_("Found on"))
    notified_on = _date_field(_("Notified on"))
    notified_to = _text(_("Notified to"), 200, help_text=_("For example the FAVV, the dairy."))
    description = _area(_("Description"))
    follow_up = _area(_("Follow-up"))
    closed = forms.BooleanField(label=_("Followed up and closed"), required=False)


class HygieneForm(forms.Form):
    """The hygiene score as the audit or inspection report gives it."""

    scored_on = _date_field(_("Scored on"))
    given_by = _text(
        _("Given by"),
        200,
        help_text=_("The certification body or inspection service, and the auditor."),
    )
    rating = forms.ChoiceField(label=_("Hygiene of the surroundings"), widget=forms.RadioSelect)
    score = _text(
        _("Hygiene score"),
        40,
        required=False,
        help_text=_("As the report writes it (the scale is not public)."),
    )
    remark = _area(_("Remark"))

    def __init__(self, *args: Any, ratings: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.choices = list(ratings)
