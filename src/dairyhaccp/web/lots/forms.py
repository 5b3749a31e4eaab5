"""Forms of the lots context: quick to fill in on a phone, numeric keypad for quantities."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dairyhaccp.vocabulary import SPECIES
from dairyhaccp.web.lots.choices import (
    CustomerKind,
    DateKind,
    DispositionKind,
    InputKind,
    Origin,
    RecallTrigger,
    Unit,
)
from dairyhaccp.web.lots.constants import (
    CODE_CHARS,
    INPUT_ROWS,
    LONG_TEXT_CHARS,
    NAME_CHARS,
    QUANTITY_DIGITS,
    QUANTITY_PLACES,
    SHORT_TEXT_CHARS,
)
from dairyhaccp.web.plans.labels import SPECIES_LABELS
from dairyhaccp.web.records.forms import DATETIME_FORMAT, FocusForm, LocalDateTimeField

Choices = Sequence[tuple[str, str]]


class QuantityField(forms.DecimalField):
    """A quantity typed with a comma or a point (Dutch and French keypads give a comma)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", QUANTITY_DIGITS)
        kwargs.setdefault("decimal_places", QUANTITY_PLACES)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "input-number",
                    "pattern": r"[0-9]*[.,]?[0-9]*",
                }
            ),
        )
        super().__init__(**kwargs)

    # The stubs type DecimalField.to_python after IntegerField's; it returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        result: Decimal | None = super().to_python(value)
        return result


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(label: Any) -> LocalDateTimeField:
    return LocalDateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def species_choices(species: Sequence[str]) -> list[tuple[str, str]]:
    """Species with their names in the page's language."""
    return [(s, str(SPECIES_LABELS.get(s, s))) for s in species]


def _choices(field: forms.Field, choices: Choices, blank: bool = True) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", "—"), *choices] if blank else list(choices)


class LotSearchForm(FocusForm):
    """A lot found by (part of) its code, however old."""

    q = forms.CharField(
        label=_("Find a lot by its code"),
        max_length=CODE_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SupplierForm(FocusForm):
    """A supplier of raw milk, ingredients or packaging."""

    name = forms.CharField(label=_("Name"), max_length=NAME_CHARS)
    favv_number = forms.CharField(
        label=_("FAVV unit number"),
        max_length=40,
        required=False,
        help_text=_("The supplier's establishment unit number, e.g. for bought raw milk."),
    )
    contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=SHORT_TEXT_CHARS, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=SHORT_TEXT_CHARS, required=False)
    active = forms.BooleanField(label=_("Still a supplier"), required=False, initial=True)


class CustomerForm(FocusForm):
    """A customer delivered by name."""

    name = forms.CharField(label=_("Name"), max_length=NAME_CHARS)
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomerKind.choices)
    contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=SHORT_TEXT_CHARS, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=SHORT_TEXT_CHARS, required=False)
    active = forms.BooleanField(label=_("Still a customer"), required=False, initial=True)


class ReceiveForm(FocusForm):
    """A lot received from a supplier."""

    kind = forms.ChoiceField(label=_("What was received?"), choices=InputKind.choices)
    supplier = forms.ChoiceField(label=_("Supplier"))
    supplier_lot = forms.CharField(label=_("Supplier's lot"), max_length=100, required=False)
    lot_code = forms.CharField(
        label=_("Your lot code"),
        max_length=CODE_CHARS,
        required=False,
        help_text=_("Leave empty to use the supplier's lot."),
    )
    quantity = QuantityField(label=_("Quantity"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    received_on = forms.DateField(label=_("Received on"), widget=_date_widget())
    delivery_note = forms.CharField(label=_("Delivery note"), max_length=100, required=False)
    species = forms.ChoiceField(
        label=_("Species (raw milk)"),
        required=False,
        choices=[("", "—"), *((s, s) for s in SPECIES)],
    )
    date_kind = forms.ChoiceField(
        label=_("Date mark"), choices=DateKind.choices, initial=DateKind.BEST_BEFORE
    )
    date_mark = forms.DateField(label=_("Date"), required=False, widget=_date_widget())
    remark = forms.CharField(label=_("Remark"), max_length=SHORT_TEXT_CHARS, required=False)

    def __init__(self, *args: Any, suppliers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["supplier"], suppliers)
        _choices(self.fields["species"], species_choices(SPECIES))


class CorrectReceiveForm(ReceiveForm):
    """A corrected version of a received lot, with the reason."""

    correction_reason = forms.CharField(
        label=_("Why is this record corrected?"),
        max_length=LONG_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MilkingForm(FocusForm):
    """A milking (or a tank day) of the own herd."""

    lot_code = forms.CharField(label=_("Lot code"), max_length=CODE_CHARS)
    made_at = _datetime_field(_("Milked at"))
    quantity = QuantityField(label=_("Volume (l)"))
    species = forms.ChoiceField(label=_("Species"))
    room = forms.ChoiceField(label=_("Tank"), required=False)
    remark = forms.CharField(label=_("Remark"), max_length=SHORT_TEXT_CHARS, required=False)
    withheld_milk_kept_apart = forms.BooleanField(
        label=_("The milk of the withheld animals was kept apart from this milking"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        species: Choices,
        rooms: Choices,
        ask_kept_apart: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["species"], species, blank=False)
        _choices(self.fields["room"], rooms)
        if not ask_kept_apart:
            del self.fields["withheld_milk_kept_apart"]


class ProductionForm(FocusForm):
    """A production: what it was made from, with quantities, and what it yields."""

    lot_code = forms.CharField(label=_("Lot code"), max_length=CODE_CHARS)
    product = forms.ChoiceField(label=_("Product"))
    made_at = _datetime_field(_("Made at"))
    quantity = QuantityField(label=_("Quantity made"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.KG)
    date_kind = forms.ChoiceField(
        label=_("Date mark"), choices=DateKind.choices, initial=DateKind.BEST_BEFORE
    )
    date_mark = forms.DateField(
        label=_("Date"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave empty to count it from the product's shelf life in your plan."),
    )
    room = forms.ChoiceField(label=_("Kept in"), required=False)
    remark = forms.CharField(label=_("Remark"), max_length=SHORT_TEXT_CHARS, required=False)

    def __init__(
        self,
        *args: Any,
        products: Choices,
        rooms: Choices,
        lots: Choices,
        rows: int = INPUT_ROWS,
        fixed_batch: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["product"], products, blank=False)
        _choices(self.fields["room"], rooms)
        self.rows = rows
        for row in range(1, rows + 1):
            self.fields[f"lot_{row}"] = forms.ChoiceField(
                label=_("Made from lot"), required=False, choices=[("", "—"), *lots]
            )
            self.fields[f"quantity_{row}"] = QuantityField(label=_("Quantity used"), required=False)
        if fixed_batch:
            for name in ("lot_code", "product", "room"):
                del self.fields[name]

    def main_fields(self) -> list[forms.BoundField]:
        """The fields besides the input rows and the reason for a correction."""
        rows = {
            f"{prefix}_{row}" for row in range(1, self.rows + 1) for prefix in ("lot", "quantity")
        }
        return [self[name] for name in self.fields if name not in rows | {"correction_reason"}]

    def input_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"lot_{row}"], self[f"quantity_{row}"]) for row in range(1, self.rows + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, self.rows + 1):
            lot, amount = data.get(f"lot_{row}"), data.get(f"quantity_{row}")
            if lot and amount is None:
                self.add_error(f"quantity_{row}", _("Give the quantity used of this lot."))
            if amount is not None and not lot:
                self.add_error(f"lot_{row}", _("Choose the lot this quantity was taken from."))
        return data

    def lines(self) -> list[tuple[int, str, Decimal]]:
        """(row, lot key, quantity) of the rows filled in."""
        found = []
        for row in range(1, self.rows + 1):
            lot, amount = (
                self.cleaned_data.get(f"lot_{row}"),
                self.cleaned_data.get(f"quantity_{row}"),
            )
            if lot and amount is not None:
                found.append((row, lot, amount))
        return found


class CorrectProductionForm(ProductionForm):
    """A corrected version of a production or milking, with the reason."""

    correction_reason = forms.CharField(
        label=_("Why is this record corrected?"),
        max_length=LONG_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SplitForm(FocusForm):
    """A batch split into sub-lots: one row (lot code, quantity) per sub-lot."""

    made_at = _datetime_field(_("Split on"))
    date_kind = forms.ChoiceField(
        label=_("Date mark"), choices=DateKind.choices, initial=DateKind.BEST_BEFORE
    )
    date_mark = forms.DateField(
        label=_("Date"),
        required=False,
        widget=_date_widget(),
        help_text=_("The batch's date mark; leave empty to count it from the shelf life."),
    )

    def __init__(self, *args: Any, codes: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = len(codes)
        self.proposed = list(codes)
        for row, code in enumerate(codes, start=1):
            self.fields[f"code_{row}"] = forms.CharField(
                label=_("Lot code of the sub-lot"),
                max_length=CODE_CHARS,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": code}),
            )
            self.fields[f"quantity_{row}"] = QuantityField(
                label=_("Quantity of the sub-lot"), required=False
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("made_at", "date_kind", "date_mark")]

    def sub_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"code_{row}"], self[f"quantity_{row}"]) for row in range(1, self.rows + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = 0
        for row in range(1, self.rows + 1):
            code, amount = data.get(f"code_{row}"), data.get(f"quantity_{row}")
            if code and amount is None and f"quantity_{row}" not in self.errors:
                self.add_error(f"quantity_{row}", _("Give the quantity of this sub-lot."))
            if amount is not None:
                filled += 1
        if not filled and not self.errors:
            self.add_error("quantity_1", _("Give at least one sub-lot."))
        return data

    def lines(self) -> list[tuple[int, str, Decimal]]:
        """(row, lot code, quantity) of the rows with a quantity; the proposed code if none
        was typed."""
        found = []
        for row in range(1, self.rows + 1):
            amount = self.cleaned_data.get(f"quantity_{row}")
            if amount is not None:
                code = self.cleaned_data.get(f"code_{row}") or self.proposed[row - 1]
                found.append((row, code, amount))
        return found


class MovementForm(FocusForm):
    """A delivery, a sale to consumers, a destruction or a stock count."""

    lot = forms.ChoiceField(label=_("Lot"))
    customer = forms.ChoiceField(label=_("Customer"), required=False)
    quantity = QuantityField(label=_("Quantity"))
    moved_on = forms.DateField(label=_("Date"), widget=_date_widget())
    reason = forms.CharField(label=_("Reason"), max_length=SHORT_TEXT_CHARS, required=False)

    def __init__(
        self, *args: Any, kind: str, lots: Choices, customers: Choices, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["lot"], lots)
        if kind == "deliver":
            _choices(self.fields["customer"], customers)
            self.fields["customer"].required = True
        else:
            del self.fields["customer"]
        if kind != "destroy":
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
        if kind == "count":
            self.fields["quantity"].label = _("Quantity counted")


class CorrectMovementForm(MovementForm):
    """A corrected version of a movement, with the reason; or its withdrawal."""

    correction_reason = forms.CharField(
        label=_("Why is this record corrected?"),
        max_length=LONG_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(FocusForm):
    """The reason a record is withdrawn."""

    correction_reason = forms.CharField(
        label=_("Why is this record withdrawn?"),
        max_length=LONG_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RecallForm(FocusForm):
    """A withdrawal or recall to open."""

    trigger = forms.ChoiceField(label=_("What opened it?"), choices=RecallTrigger.choices)
    lots = forms.MultipleChoiceField(
        label=_("Lots concerned"),
        help_text=_("Everything made from these lots is affected too."),
    )
    hazard = forms.CharField(
        label=_("Hazard"), max_length=LONG_TEXT_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )
    origin = forms.ChoiceField(
        label=_("Where did the hazard arise?"),
        choices=Origin.choices,
        widget=forms.RadioSelect(attrs={"class": "choice-big"}),
    )
    measures = forms.CharField(
        label=_("Corrective measures taken"),
        max_length=LONG_TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, lots: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lots"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(lots)


class DispositionForm(FocusForm):
    """What became of a quantity of an affected lot."""

    lot = forms.ChoiceField(label=_("Lot"))
    kind = forms.ChoiceField(label=_("What became of it?"), choices=DispositionKind.choices)
    quantity = QuantityField(label=_("Quantity"))
    done_on = forms.DateField(label=_("Date"), widget=_date_widget())
    note = forms.CharField(
        label=_("Note"),
        max_length=SHORT_TEXT_CHARS,
        required=False,
        help_text=_("For a release: the favourable analysis (laboratory, date, result)."),
    )

    def __init__(self, *args: Any, lots: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["lot"], lots, blank=False)


class CorrectDispositionForm(FocusForm):
    """A corrected version of a disposition, with the reason."""

    kind = forms.ChoiceField(label=_("What became of it?"), choices=DispositionKind.choices)
    quantity = QuantityField(label=_("Quantity"))
    done_on = forms.DateField(label=_("Date"), widget=_date_widget())
    note = forms.CharField(
        label=_("Note"),
        max_length=SHORT_TEXT_CHARS,
        required=False,
        help_text=_("For a release: the favourable analysis (laboratory, date, result)."),
    )
    correction_reason = forms.CharField(
        label=_("Why is this record corrected?"),
        max_length=LONG_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RecallStepForm(FocusForm):
    """The FAVV notified or a customer informed, on a day."""

    customer = forms.ChoiceField(label=_("Customer"), required=False)
    done_on = forms.DateField(label=_("On"), widget=_date_widget())
    note = forms.CharField(label=_("Note"), max_length=SHORT_TEXT_CHARS, required=False)

    def __init__(self, *args: Any, customers: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["customer"], customers)


class CloseRecallForm(FocusForm):
    """The closing of a recall."""

    remark = forms.CharField(label=_("Remark"), max_length=SHORT_TEXT_CHARS, required=False)


class MilkLinkForm(FocusForm):
    """The milking a batch is made from."""

    milk = forms.ChoiceField(
        label=_("Made from the milking"),
        widget=forms.RadioSelect(attrs={"class": "choice-big"}),
        error_messages={
            "required": _("Choose the milking this batch is made from."),
            "invalid_choice": _("This milking cannot be used: choose one of the list."),
        },
    )

    def __init__(self, *args: Any, milkings: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["milk"], milkings, blank=False)
