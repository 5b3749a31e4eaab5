"""Forms of the dossier context: the period to cover."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.dossier.period import Period, PeriodError, checked_period


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    """The first and last day of the dossier's period, both included."""

    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("To (included)"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first is None or last is None:
            return cleaned
        try:
            cleaned["period"] = checked_period(first, last)
        except PeriodError as error:
            self.add_error(error.field, error.text())
        return cleaned

    @property
    def period(self) -> Period:
        period = self.cleaned_data["period"]
        assert isinstance(period, Period)
        return period
