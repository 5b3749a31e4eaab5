"""Forms of the plans context: the profile wizard and the adaptation forms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.wording import describe_rule
from dairyhaccp.plan import Plan
from dairyhaccp.plan.adaptations import changeable_limit
from dairyhaccp.profile import CHEESE_KINDS, NEVER_PACKED, NEVER_RAW, ProfileError
from dairyhaccp.vocabulary import PACKAGING, PRODUCT_KINDS, SPECIES
from dairyhaccp.web.plans.labels import (
    PACKAGING_LABELS,
    PRODUCT_KIND_LABELS,
    SPECIES_LABELS,
    label,
)

PRODUCTS_PREFIX = "products"
JUSTIFICATION_MIN_LENGTH = 10

# --- the profile wizard ---------------------------------------------------------------------


YES, NO = "yes", "no"


class OperatorStepForm(forms.Form):
    """Step 1: the business and whether the relaxations for small businesses apply."""

    name = forms.CharField(label=_("Name of the business"), max_length=200)
    relaxations = forms.TypedChoiceField(
        label=_("Do you benefit from the relaxations for small businesses?"),
        help_text=_(
            "Small businesses that sell mainly to consumers register only what goes wrong and "
            "keep records for 6 months. Without them every check is registered and records are "
            "kept for 2 years."
        ),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
    )
    home_made_starter = forms.BooleanField(label=_("I make my own starter culture"), required=False)


class MilkStepForm(forms.Form):
    """Step 2: where the milk comes from and from which animals."""

    own_animals = forms.BooleanField(label=_("I milk my own animals"), required=False)
    delivers_to_buyers = forms.BooleanField(
        label=_("I also deliver raw milk to a dairy"), required=False
    )
    buys_raw_milk = forms.BooleanField(label=_("I buy raw milk"), required=False)
    species = forms.MultipleChoiceField(
        label=_("Milk from"),
        choices=[(s, SPECIES_LABELS[s]) for s in SPECIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("delivers_to_buyers") and not cleaned.get("own_animals"):
            self.add_error(
                "delivers_to_buyers",
                _("Only milk of your own animals can be delivered: tick “I milk my own animals”."),
            )
        uses_raw_milk = cleaned.get("own_animals") or cleaned.get("buys_raw_milk")
        if uses_raw_milk and not cleaned.get("species"):
            self.add_error("species", _("Choose at least one kind of animal."))
        return cleaned


class ProductForm(forms.Form):
    """Step 3: one product and the properties that change the plan."""

    kind = forms.ChoiceField(
        label=_("Product"),
        choices=[
            ("", _("Choose a product")),
            *((k, PRODUCT_KIND_LABELS[k]) for k in PRODUCT_KINDS),
        ],
    )
    name = forms.CharField(label=_("Your name for it (optional)"), max_length=200, required=False)
    raw_milk = forms.BooleanField(label=_("Made from raw milk"), required=False)
    packaging = forms.ChoiceField(
        label=_("Packed"),
        choices=[(p, PACKAGING_LABELS[p]) for p in PACKAGING],
        initial="none",
    )
    # The operator's own norm for packing under another modified atmosphere (CCP 23).
    gas_norm_o2_pct = forms.FloatField(
        label=_("Own norm: residual oxygen at most (%)"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Only for packing under another modified atmosphere."),
    )
    gas_norm_co2_pct = forms.FloatField(
        label=_("Own norm: deviation of the CO2 concentration at most (%)"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    brined = forms.BooleanField(label=_("Brined"), required=False)
    # Optional properties that decide the Listeria criterion of the finished product (5.2).
    ph = forms.FloatField(
        label=_("pH of the product"),
        required=False,
        min_value=0,
        max_value=14,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    aw = forms.FloatField(
        label=_("Water activity (aw)"),
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days)"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    frozen = forms.BooleanField(label=_("Sold frozen"), required=False)
    challenge_test = forms.BooleanField(
        label=_("A challenge test shows Listeria stays below 100 cfu/g"), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        product = label(PRODUCT_KIND_LABELS, kind)
        if cleaned.get("raw_milk") and kind in NEVER_RAW:
            self.add_error(
                "raw_milk",
                _("{product} is always made from pasteurised milk.").format(product=product),
            )
        if cleaned.get("brined") and kind not in CHEESE_KINDS:
            self.add_error("brined", _("Only cheese is brined."))
        if cleaned.get("packaging", "none") != "none" and kind in NEVER_PACKED:
            self.add_error("packaging", _("{product} is not packed.").format(product=product))
        if cleaned.get("packaging") != "modified_atmosphere":
            for name in ("gas_norm_o2_pct", "gas_norm_co2_pct"):
                if cleaned.get(name) is not None:
                    self.add_error(
                        name, _("An own gas norm is for packing under another modified atmosphere.")
                    )
        return cleaned

    def has_changed(self) -> bool:
        # "Not packed" is a default, not an answer: a row with nothing else is an empty row,
        # also when htmx removed it and its fields are missing from the data altogether.
        return any(
            name != "packaging" or self[name].value() not in (None, "", "none")
            for name in self.changed_data
        )

    def to_profile(self) -> dict[str, Any]:
        """The product as the profile's `products` entry."""
        data = dict(self.cleaned_data)
        data["name"] = data.get("name") or None
        return {key: value for key, value in data.items() if value is not None}


class BaseProductFormSet(BaseFormSet):
    """The products: rows can be added and removed freely, empty rows are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Unbound, show one row per product given, or one empty row to start with.
        self.extra = max(len(self.initial or []), 1)

    def initial_form_count(self) -> int:
        # No row is obligatory: a removed row simply leaves no data behind.
        return 0

    def filled_forms(self) -> list[ProductForm]:
        """The rows the user filled in (an untouched empty row is no product)."""
        return [form for form in self.forms if form.has_changed()]

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = self.filled_forms()
        if not filled:
            raise forms.ValidationError(_("Add at least one product."))
        seen: set[str] = set()
        for form in filled:
            name = form.cleaned_data.get("name")
            if name and name in seen:
                form.add_error("name", _("Two products have the same name."))
            if name:
                seen.add(name)


ProductFormSet = formset_factory(ProductForm, formset=BaseProductFormSet, extra=1)


class ReasonForm(forms.Form):
    """Why the answers change (asked once a plan exists)."""

    reason = forms.CharField(
        label=_("What changed, and why?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


def _bound_values(form: forms.Form) -> dict[str, Any]:
    return {name: form[name].value() for name in form.fields}


class ProfileWizard:
    """The three short steps of the profile wizard, validated together into a profile."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        profile: Mapping[str, Any] | None = None,
        operator_name: str = "",
        needs_reason: bool = False,
    ) -> None:
        profile = profile or {}
        operator = dict(profile.get("operator") or {"name": operator_name})
        if "relaxations" in operator:
            operator["relaxations"] = YES if operator["relaxations"] else NO
        milk = profile.get("milk") or {"species": ["cow"]}
        products = list(profile.get("products") or [])
        self.needs_reason = needs_reason
        self.operator = OperatorStepForm(data, prefix="operator", initial=operator)
        self.milk = MilkStepForm(data, prefix="milk", initial=milk)
        self.products = cast(
            BaseProductFormSet, ProductFormSet(data, prefix=PRODUCTS_PREFIX, initial=products)
        )
        self.change = ReasonForm(data, prefix="change")
        self.change.fields["reason"].required = needs_reason
        self.problems: list[str] = []

    @classmethod
    def edited(
        cls,
        data: Mapping[str, Any],
        *,
        add_product: bool = False,
        remove_product: int | None = None,
        needs_reason: bool = False,
    ) -> ProfileWizard:
        """The posted answers, unchecked, with a product row added or removed (without JS)."""
        posted = cls(data, needs_reason=needs_reason)
        products = [_bound_values(form) for form in posted.products.forms]
        if remove_product is not None and 0 <= remove_product < len(products):
            del products[remove_product]
        if add_product:
            products.append({"packaging": "none"})
        wizard = cls(
            profile={
                "operator": _bound_values(posted.operator),
                "milk": _bound_values(posted.milk),
                "products": products,
            },
            needs_reason=needs_reason,
        )
        wizard.change.initial = _bound_values(posted.change)
        return wizard

    def is_valid(self) -> bool:
        valid = all(
            [
                self.operator.is_valid(),
                self.milk.is_valid(),
                self.products.is_valid(),
                self.change.is_valid(),
            ]
        )
        return self._check_raw_milk_source() and valid

    def _check_raw_milk_source(self) -> bool:
        if not self.milk.is_valid() or not self.products.is_valid():
            return True
        milk = self.milk.cleaned_data
        if milk["own_animals"] or milk["buys_raw_milk"]:
            return True
        raw = [f for f in self.products.filled_forms() if f.cleaned_data.get("raw_milk")]
        for form in raw:
            form.add_error(
                "raw_milk",
                _(
                    "A raw-milk product needs raw milk: tick “I milk my own animals” or "
                    "“I buy raw milk”."
                ),
            )
        return not raw

    @property
    def reason(self) -> str:
        return str(self.change.cleaned_data.get("reason", ""))

    def profile_data(self) -> dict[str, Any]:
        """The answers as a profile mapping (call after `is_valid`)."""
        return {
            "operator": dict(self.operator.cleaned_data),
            "milk": dict(self.milk.cleaned_data),
            "products": [form.to_profile() for form in self.products.filled_forms()],
        }

    def add_profile_error(self, error: ProfileError) -> None:
        """Show a problem the plan builder found next to the field it names."""
        message = _("This answer does not fit the guide: {problem}").format(problem=error.problem)
        path = error.field
        if match := re.fullmatch(r"products\[(\d+)\](?:\.(\w+))?", path):
            filled = self.products.filled_forms()
            index = int(match[1])
            # A whole-product problem starts with the field it is about ("raw_milk: ...").
            field = match[2] or error.problem.partition(":")[0]
            if index < len(filled):
                product = filled[index]
                product.add_error(field if field in product.fields else None, message)
                return
        section, _dot, field = path.partition(".")
        form = {"operator": self.operator, "milk": self.milk}.get(section)
        if form is not None:
            form.add_error(field if field in form.fields else None, message)
            return
        if path.startswith("adaptations["):
            number = int(path.split("[")[1].split("]")[0]) + 1
            self.problems.append(
                str(
                    _(
                        "Adaptation {number} of your plan no longer fits these answers: {problem}"
                    ).format(number=number, problem=error.problem)
                )
            )
            return
        self.problems.append(str(message))


# --- adapting the plan ----------------------------------------------------------------------


def _justification_field() -> forms.CharField:
    return forms.CharField(
        label=_("Justification: why does this change keep your products safe?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=JUSTIFICATION_MIN_LENGTH,
        max_length=4000,
        error_messages={
            "required": _("A justification is required: write why this change is safe."),
            "min_length": _("Write a justification of at least 10 characters."),
        },
    )


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _short(text: str, length: int = 90) -> str:
    return Truncator(text).chars(length)


Choices = list[tuple[str, Any]]


class AdaptationForm(forms.Form):
    """Base of the adaptation forms: each builds one Adaptation of its kind."""

    kind = ""
    # Which form field shows a problem with a field of the Adaptation.
    field_for: dict[str, str] = {}

    def __init__(self, *args: Any, plan: Plan, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.lang = lang
        self.fields["justification"] = _justification_field()

    def step_choices(self) -> Choices:
        return [
            (
                flow.title.get(self.lang),
                [(f"{flow.id}/{step.id}", step.title.get(self.lang)) for step in flow.steps],
            )
            for flow in self.plan.flows
        ]

    def control_choices(self) -> Choices:
        return [(c.id, f"{c.id} · {c.title.get(self.lang)}") for c in self.plan.controls]

    def adaptation(self) -> dict[str, Any]:
        """The adaptation as the profile's `adaptations` entry (call after `is_valid`)."""
        return {"kind": self.kind, "justification": self.cleaned_data["justification"]}

    def add_profile_error(self, error: ProfileError) -> None:
        field = error.field.rpartition(".")[2]
        target = self.field_for.get(field)
        message = _("This change does not fit the plan: {problem}").format(problem=error.problem)
        self.add_error(target if target in self.fields else None, message)


class AddStepForm(AdaptationForm):
    """Add a step of the operator's own after a step of a flow."""

    kind = "add_step"
    field_for = {"flow": "after", "after": "after", "step": "title", "title": "title"}

    after = forms.ChoiceField(label=_("Add the new step after"))
    title = forms.CharField(label=_("Name of the new step"), max_length=120)
    controls = forms.MultipleChoiceField(
        label=_("CCPs and PVAs checked at this step"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, guide_controls: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "after").choices = self.step_choices()
        _choice_field(self, "controls").choices = [(c, c) for c in guide_controls]

    def adaptation(self) -> dict[str, Any]:
        flow_id, after = self.cleaned_data["after"].split("/", 1)
        flow = next(f for f in self.plan.flows if f.id == flow_id)
        taken = {step.id for step in flow.steps}
        base = "own-" + (slugify(self.cleaned_data["title"])[:40] or "step")
        step_id, number = base, 1
        while step_id in taken:
            number += 1
            step_id = f"{base}-{number}"
        return {
            **super().adaptation(),
            "flow": flow_id,
            "after": after,
            "step": step_id,
            "title": self.cleaned_data["title"],
            "controls": self.cleaned_data["controls"],
        }


class DropStepForm(AdaptationForm):
    """Drop a step that does not happen at this operator."""

    kind = "drop_step"
    field_for = {"flow": "step", "step": "step"}

    step = forms.ChoiceField(label=_("Step to drop"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "step").choices = self.step_choices()

    def adaptation(self) -> dict[str, Any]:
        flow_id, step_id = self.cleaned_data["step"].split("/", 1)
        return {**super().adaptation(), "flow": flow_id, "step": step_id}


class ChangeLimitForm(AdaptationForm):
    """Set the operator's own value for a limit (or a range's low and high)."""

    kind = "change_limit"
    field_for = {
        "control": "limit",
        "limit": "limit",
        "value": "value",
        "low": "low",
        "high": "high",
    }

    limit = forms.ChoiceField(label=_("Limit to change"))
    value = forms.FloatField(
        label=_("New value"), required=False, help_text=_("For a limit with one value.")
    )
    low = forms.FloatField(label=_("New lowest value"), required=False, help_text=_("For a range."))
    high = forms.FloatField(
        label=_("New highest value"), required=False, help_text=_("For a range.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comparisons: dict[str, str] = {}
        choices: Choices = []
        guide = load_guide()  # the guide in force: adapting makes a version of it
        for control in self.plan.controls:
            options = []
            for limit in control.limits:
                if not changeable_limit(limit, guide):
                    continue  # a yes/no check has no value to change
                key = f"{control.id}/{limit.id}"
                self.comparisons[key] = limit.comparison
                text = f"{_short(limit.text.get(self.lang), 70)} — {describe_rule(limit)}"
                options.append((key, text))
            if options:
                choices.append((f"{control.id} · {control.title.get(self.lang)}", options))
        _choice_field(self, "limit").choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        comparison = self.comparisons.get(cleaned.get("limit", ""))
        if comparison == "between":
            low, high = cleaned.get("low"), cleaned.get("high")
            if low is None:
                self.add_error("low", _("This limit is a range: give the lowest value."))
            if high is None:
                self.add_error("high", _("This limit is a range: give the highest value."))
            if low is not None and high is not None and low > high:
                self.add_error("high", _("The highest value must not be below the lowest."))
        elif comparison is not None and cleaned.get("value") is None:
            self.add_error("value", _("Give the new value."))
        return cleaned

    def adaptation(self) -> dict[str, Any]:
        control, limit = self.cleaned_data["limit"].split("/", 1)
        data: dict[str, Any] = {**super().adaptation(), "control": control, "limit": limit}
        if self.comparisons[self.cleaned_data["limit"]] == "between":
            data.update(low=self.cleaned_data["low"], high=self.cleaned_data["high"])
        else:
            data["value"] = self.cleaned_data["value"]
        return data


class AddActionForm(AdaptationForm):
    """Add a corrective action of the operator's own to a CCP or PVA."""

    kind = "add_action"
    field_for = {"control": "control", "text": "text"}

    control = forms.ChoiceField(label=_("CCP or PVA"))
    text = forms.CharField(
        label=_("The corrective action"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "control").choices = self.control_choices()

    def adaptation(self) -> dict[str, Any]:
        return {
            **super().adaptation(),
            "control": self.cleaned_data["control"],
            "text": self.cleaned_data["text"],
        }


class DropActionForm(AdaptationForm):
    """Drop a corrective action that does not fit the operator."""

    kind = "drop_action"
    field_for = {"control": "action", "action": "action"}

    action = forms.ChoiceField(label=_("Corrective action to drop"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "action").choices = [
            (
                f"{control.id} · {control.title.get(self.lang)}",
                [
                    (f"{control.id}/{action.id}", _short(action.text.get(self.lang)))
                    for action in control.corrective_actions
                ],
            )
            for control in self.plan.controls
            if control.corrective_actions
        ]

    def adaptation(self) -> dict[str, Any]:
        control, action = self.cleaned_data["action"].split("/", 1)
        return {**super().adaptation(), "control": control, "action": action}


class DropControlForm(AdaptationForm):
    """Drop a CCP or PVA whose hazard does not arise at this operator (and it from every step)."""

    kind = "drop_control"
    field_for = {"control": "control"}

    control = forms.ChoiceField(label=_("CCP or PVA to drop"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "control").choices = self.control_choices()

    def adaptation(self) -> dict[str, Any]:
        return {**super().adaptation(), "control": self.cleaned_data["control"]}


ADAPTATION_FORMS: dict[str, type[AdaptationForm]] = {
    form.kind: form
    for form in (
        AddStepForm,
        DropStepForm,
        ChangeLimitForm,
        AddActionForm,
        DropActionForm,
        DropControlForm,
    )
}


class CompareForm(forms.Form):
    """Two versions of the plan to compare."""

    before = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    after = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version {number}").format(number=n)) for n in numbers]
        _choice_field(self, "before").choices = choices
        _choice_field(self, "after").choices = choices
