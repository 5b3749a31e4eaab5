"""Forms of the labels context: the label editor and the print of a lot."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dairyhaccp.labels import load_label_rules
from dairyhaccp.profile import ProductSpec
from dairyhaccp.vocabulary import SPECIES
from dairyhaccp.web.labels.choices import LabelLanguage
from dairyhaccp.web.labels.composing import TEXT_LIMITS, LabelContent, LabelError
from dairyhaccp.web.labels.constants import (
    EXTRA_INGREDIENT_ROWS,
    MAX_COPIES,
    MAX_INGREDIENT_ROWS,
    MAX_REASON,
)
from dairyhaccp.web.labels.layouts import layout_choices
from dairyhaccp.web.labels.mentions import mention_title, printed_mentions
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.plans.labels import SPECIES_LABELS

INGREDIENT_CATEGORIES = [
    ("milk_product", _("Milk or a milk product")),
    ("enzyme", _("Enzyme (rennet)")),
    ("culture", _("Culture")),
    ("salt", _("Salt")),
    ("other", _("Other ingredient")),
]


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class DecimalField(forms.FloatField):
    """A number typed with a comma or a point (Dutch and French keypads give a comma)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".").replace("−", "-")
        return super().to_python(value)


def _number(low: float, high: float, label: Any, help_text: Any = "") -> DecimalField:
    return DecimalField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-number"}
        ),
    )


def _text(name: str, label: Any, rows: int = 0, help_text: Any = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMITS[name],
        help_text=help_text,
        widget=widget,
        strip=False,
    )


class MentionCheckboxes(forms.CheckboxSelectMultiple):
    """Tick boxes whose ids name the mention, so the check can point at them."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["id"] = f"mention-{option['value']}"
        return option


class LabelForm(forms.Form):
    """The label of one product: its composition, its texts and the mentions printed."""

    language = forms.ChoiceField(
        label=_("Language of the label"),
        choices=LabelLanguage.choices,
        widget=forms.RadioSelect,
        help_text=_("A shop in Brussels or Wallonia needs French. The pages keep their language."),
    )
    sales_name = _text("sales_name", _("Sales name"))
    species = forms.MultipleChoiceField(
        label=_("Milk of"),
        choices=[(s, SPECIES_LABELS[s]) for s in SPECIES],
        widget=forms.CheckboxSelectMultiple,
    )
    fat_pct = _number(0, 100, _("Fat (%)"), _("Grams of fat per 100 g of product."))
    fat_dm_pct = _number(0, 100, _("Fat on dry matter (%)"))
    msnf_pct = _number(0, 100, _("Non-fat milk solids (%)"))
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("From the production date; the date on each print is counted from it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-number"}),
    )
    storage_temperature_c = _number(-60, 60, _("Storage temperature (°C, at most)"))
    prepacked = forms.BooleanField(label=_("Prepacked"), required=False)
    small_quantities_direct = forms.BooleanField(
        label=_("Small quantities, sold directly to consumers or local shops"), required=False
    )
    approved_establishment = forms.BooleanField(
        label=_("Approved establishment (identification mark)"), required=False
    )
    net_quantity = _text(
        "net_quantity", _("Net quantity"), help_text=_("For example 500 g; changeable per print.")
    )
    operator_address = _text("operator_address", _("Name and address of the business"), rows=2)
    approval_number = _text("approval_number", _("Approval number"))
    nutrition = _text(
        "nutrition",
        _("Nutrition declaration"),
        rows=3,
        help_text=_("As it is to be printed, per 100 g."),
    )
    own_text = _text("own_text", _("Own text"), rows=2)
    mentions = forms.MultipleChoiceField(
        label=_("Print on the label"), required=False, widget=MentionCheckboxes
    )
    layout = forms.ChoiceField(label=_("Preview at the size of"), required=False)
    reason = forms.CharField(
        label=_("Why this change?"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, product: ProductSpec, needs_reason: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.product = product
        self.needs_reason = needs_reason
        rules = load_label_rules()
        _choice_field(self, "mentions").choices = [
            (m, mention_title(m)) for m in printed_mentions()
        ]
        _choice_field(self, "layout").choices = layout_choices()
        if not rules.kind(product.kind).cheese:
            del self.fields["fat_dm_pct"]
        table = rules.table_for(product.kind)
        if table is None or table.msnf_too_low is None:
            del self.fields["msnf_pct"]

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data.get("reason", "").strip()
        if self.needs_reason and not reason and self._saving():
            raise ValidationError(_("Say why the label changes."))
        return reason

    def _saving(self) -> bool:
        return bool(self.data) and ("save" in self.data or "save_in_use" in self.data)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        fat, fat_dm = data.get("fat_pct"), data.get("fat_dm_pct")
        if fat is not None and fat_dm is not None and fat_dm < fat:
            self.add_error("fat_dm_pct", _("The fat on dry matter cannot be lower than the fat."))
        msnf = data.get("msnf_pct")
        if fat is not None and msnf is not None and fat + msnf > 100:
            self.add_error("msnf_pct", _("Fat and non-fat milk solids make more than 100 %."))
        return data

    def composition(self, ingredients: list[dict[str, Any]] | None) -> dict[str, Any]:
        """The composition as the core reads it; the plan adds the kind and the raw milk."""
        data = self.cleaned_data
        composition: dict[str, Any] = {
            "species": list(data["species"]),
            "prepacked": bool(data["prepacked"]),
            "small_quantities_direct": bool(data["small_quantities_direct"]),
            "approved_establishment": bool(data["approved_establishment"]),
            "ingredients": ingredients,
        }
        for name in ("fat_pct", "fat_dm_pct", "msnf_pct", "storage_temperature_c"):
            if data.get(name) is not None:
                composition[name] = float(data[name])
        if data.get("shelf_life_days") is not None:
            composition["shelf_life_days"] = int(data["shelf_life_days"])
        return composition

    def content(self, ingredients: list[dict[str, Any]] | None) -> LabelContent:
        data = self.cleaned_data
        return LabelContent(
            composition=self.composition(ingredients),
            sales_name=data["sales_name"],
            language=data["language"],
            mentions=tuple(data["mentions"]),
            **{name: data[name] for name in TEXT_LIMITS if name != "sales_name"},
        )

    def add_label_error(self, error: LabelError) -> None:
        """Show a refusal of the services next to its field, or above the form."""
        field = error.field.split(".")[0].split("[")[0]
        aliases = {"in_use": None, "product": None, "nutrition_declaration": "nutrition"}
        name = aliases.get(field, field)
        self.add_error(name if name in self.fields else None, error.problem)


def initial_of(content: LabelContent) -> dict[str, Any]:
    """The editor's initial values for a stored content."""
    composition = content.composition
    initial: dict[str, Any] = {
        "language": content.language,
        "sales_name": content.sales_name,
        "mentions": list(content.mentions),
        "species": composition.get("species", ["cow"]),
        "prepacked": composition.get("prepacked", True),
        "small_quantities_direct": composition.get("small_quantities_direct", False),
        "approved_establishment": composition.get("approved_establishment", False),
    }
    for name in ("fat_pct", "fat_dm_pct", "msnf_pct", "storage_temperature_c", "shelf_life_days"):
        if composition.get(name) is not None:
            initial[name] = composition[name]
    for name in TEXT_LIMITS:
        if name != "sales_name":
            initial[name] = content.text(name)
    return initial


class IngredientForm(forms.Form):
    """One ingredient: its name, what it is, its quantity and the allergens it carries."""

    name = forms.CharField(label=_("Ingredient"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("What it is"), choices=INGREDIENT_CATEGORIES, initial="other"
    )
    quantity_pct = _number(0, 100, _("Quantity (%)"))
    allergens = forms.MultipleChoiceField(label=_("Allergens it carries"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = guide_language()
        _choice_field(self, "allergens").choices = [
            (a.id, a.name.get(lang)) for a in load_label_rules().allergens.items
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("name") or "").strip() and data.get("quantity_pct") is not None:
            self.add_error("name", _("Give the name of the ingredient."))
        return data

    def ingredient(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        name = (data.get("name") or "").strip()
        if not name:
            return None
        ingredient: dict[str, Any] = {"name": name, "category": data.get("category") or "other"}
        if data.get("quantity_pct") is not None:
            ingredient["quantity_pct"] = float(data["quantity_pct"])
        if data.get("allergens"):
            ingredient["allergens"] = list(data["allergens"])
        return ingredient


class BaseIngredientFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        total = sum(
            form.cleaned_data.get("quantity_pct") or 0.0
            for form in self.forms
            if form.cleaned_data.get("name")
        )
        if total > 100:
            raise ValidationError(_("The quantities add up to more than 100 %."))

    def ingredients(self) -> list[dict[str, Any]] | None:
        """The ingredients filled in, or None when none is (then they are not known)."""
        found = [i for i in (form.ingredient() for form in self.forms) if i is not None]
        return found or None


IngredientFormSet = forms.formset_factory(
    IngredientForm,
    formset=BaseIngredientFormSet,
    extra=0,
    max_num=MAX_INGREDIENT_ROWS,
    absolute_max=MAX_INGREDIENT_ROWS,
    validate_max=True,
)


def ingredient_formset(
    data: Any = None, ingredients: list[dict[str, Any]] | None = None
) -> BaseIngredientFormSet:
    """The ingredient rows: those stored, and a few empty ones to add more."""
    initial = [
        {
            "name": i.get("name", ""),
            "category": i.get("category", "other"),
            "quantity_pct": i.get("quantity_pct"),
            "allergens": i.get("allergens", []),
        }
        for i in ingredients or []
    ]
    initial += [{"category": "other"}] * EXTRA_INGREDIENT_ROWS
    formset = IngredientFormSet(data, initial=None if data is not None else initial, prefix="ing")
    return cast(BaseIngredientFormSet, formset)


class PrintForm(forms.Form):
    """A print of labels for a lot."""

    layout = forms.ChoiceField(label=_("Label size"), widget=forms.RadioSelect)
    copies = forms.IntegerField(
        label=_("Number of labels"),
        min_value=1,
        max_value=MAX_COPIES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-number"}),
    )
    first_position = forms.IntegerField(
        label=_("Start at place"),
        min_value=1,
        initial=1,
        help_text=_("On a partly used sheet: the first free place, counted from the top left."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-number"}),
    )
    net_quantity = _text("net_quantity", _("Net quantity"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "layout").choices = layout_choices()

    def add_label_error(self, error: LabelError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.problem)
