"""Forms of the lab context: result entry, corrections, CSV import, the OC curve."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.lab.acceptance import DEFAULT_SIGMA
from dairyhaccp.lab.csv_import import parse_count
from dairyhaccp.lab.raw_milk_verdict import VALUE_KINDS
from dairyhaccp.plan import Plan
from dairyhaccp.web.lab.choices import MilkSource, Outcome, ProductParameter, RawMilkParameter
from dairyhaccp.web.lab.selectors import milk_streams, sampled_products
from dairyhaccp.web.lab.services import ProductInput, RawMilkInput
from dairyhaccp.web.plans.labels import SPECIES_LABELS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


def stream_label(species: str, source: str) -> str:
    species_label = SPECIES_LABELS.get(species, species)
    return f"{species_label} – {MilkSource(source).label}"


def stream_choices(plan: Plan) -> list[tuple[str, str]]:
    return [(s.key, stream_label(s.species, s.source)) for s in milk_streams(plan)]


class RawMilkResultForm(forms.Form):
    """A raw-milk result: which milk, which parameter, when, and the count or outcome."""

    stream = forms.ChoiceField(label=_("Milk"))
    parameter = forms.ChoiceField(label=_("Parameter"), choices=RawMilkParameter.choices)
    sampled_on = forms.DateField(label=_("Sampled on"), widget=DateInput)
    count = forms.FloatField(
        label=_("Count"),
        required=False,
        min_value=0,
        help_text=_("Plate count and somatic cells per ml; E. coli in cfu/g."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", "—"), *Outcome.choices],
        help_text=_("Antibiotic residues: detected or not; visible cleanliness: OK or not."),
    )
    sample_ref = forms.CharField(label=_("Sample number"), max_length=100, required=False)
    laboratory = forms.CharField(
        label=_("Laboratory"),
        max_length=200,
        required=False,
        help_text=_(
            "Melkcontrolecentrum Vlaanderen (MCC) and Comité du Lait notify the FAVV themselves "
            "of antibiotic residues they find."
        ),
    )
    lots = forms.CharField(
        label=_("Production lots made from this milk"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas; listed for destruction when antibiotics are found."),
    )
    left_control = forms.ChoiceField(
        label=_("Has this milk, or anything made from it, left your business?"),
        choices=[("", _("I do not know")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
        help_text=_("It decides whether you must notify the FAVV of an unfavourable result."),
    )
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, plan: Plan, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stream"].choices = stream_choices(plan)  # type: ignore[attr-defined]
        if fixed:  # a correction keeps the milk and the parameter of the result
            self.fields["stream"].disabled = True
            self.fields["parameter"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = VALUE_KINDS.get(data.get("parameter", ""))
        count, outcome = data.get("count"), data.get("outcome")
        if kind == "count":
            if count is None or count <= 0:
                self.add_error("count", _("Give the count (above 0) for this parameter."))
            data["value"] = count
        elif kind is not None:
            allowed = ("detected", "not_detected") if kind == "presence" else ("ok", "not_ok")
            if outcome not in allowed:
                choices = ", ".join(str(Outcome(value).label) for value in allowed)
                self.add_error("outcome", _("Choose one of: {choices}.").format(choices=choices))
            data["value"] = outcome
        return data

    def to_input(self) -> RawMilkInput:
        data = self.cleaned_data
        species, source = data["stream"].split(":", 1)
        return RawMilkInput(
            species=species,
            source=source,
            parameter=data["parameter"],
            sampled_on=data["sampled_on"],
            value=data["value"],
            sample_ref=data["sample_ref"],
            laboratory=data["laboratory"],
            lots=data["lots"],
            remark=data["remark"],
            left_control={"yes": True, "no": False}.get(data.get("left_control") or ""),
        )


class ReasonForm(forms.Form):
    """Why a result is corrected or withdrawn."""

    reason = forms.CharField(
        label=_("Why does the result change?"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CsvImportForm(forms.Form):
    """A lab's CSV file of raw-milk results for one milk source."""

    stream = forms.ChoiceField(label=_("Milk"))
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stream"].choices = stream_choices(plan)  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload


_PRESENCE_WORDS = {
    "detected": "detected",
    "+": "detected",
    "pos": "detected",
    "positive": "detected",
    "present": "detected",
    "aanwezig": "detected",
    "aangetoond": "detected",
    "présent": "detected",
    "not_detected": "not_detected",
    "-": "not_detected",
    "−": "not_detected",
    "neg": "not_detected",
    "negative": "not_detected",
    "absent": "not_detected",
    "afwezig": "not_detected",
}


def parse_sub_samples(text: str) -> list[float] | list[str]:
    """Sub-sample results: counts, or + and − (detected, not detected), one per sub-sample."""
    tokens = [token.strip(",") for token in re.split(r"[;\n]+|,\s+|\s+", text.strip())]
    tokens = [token for token in tokens if token]
    if not tokens:
        raise ValidationError(_("Give the result of at least one sub-sample."))
    words = [_PRESENCE_WORDS.get(token.lower()) for token in tokens]
    if all(word is not None for word in words):
        return [word for word in words if word is not None]
    counts = []
    for token in tokens:
        try:
            counts.append(0.0 if token == "0" else parse_count(token))
        except ValueError:
            raise ValidationError(
                _("{value} is not a count, nor + or −.").format(value=token)
            ) from None
    return counts


class ProductResultForm(forms.Form):
    """A finished product's results for one parameter, with an optional own sampling plan."""

    product_name = forms.ChoiceField(label=_("Product"))
    parameter = forms.ChoiceField(label=_("Parameter"), choices=ProductParameter.choices)
    sampled_on = forms.DateField(label=_("Sampled on"), widget=DateInput)
    lot = forms.CharField(label=_("Lot"), max_length=100, required=False)
    laboratory = forms.CharField(label=_("Laboratory"), max_length=200, required=False)
    results = forms.CharField(
        label=_("Results of the sub-samples"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per sub-sample, separated by spaces: counts in cfu/g (e.g. 50 150 <10), "
            "or + and − for detected and not detected in 25 g."
        ),
    )
    left_control = forms.ChoiceField(
        label=_("Has the lot left your business?"),
        choices=[("", _("I do not know")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    own_n = forms.IntegerField(label=_("Own plan: n"), required=False, min_value=1)
    own_c = forms.IntegerField(label=_("Own plan: c"), required=False, min_value=0)
    own_m = forms.FloatField(label=_("Own plan: m"), required=False, min_value=0)
    own_upper = forms.FloatField(label=_("Own plan: M"), required=False, min_value=0)
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, plan: Plan, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_name"].choices = [  # type: ignore[attr-defined]
            (p.label, p.label) for p in sampled_products(plan)
        ]
        if fixed:
            self.fields["product_name"].disabled = True
            self.fields["parameter"].disabled = True

    def clean_results(self) -> list[float] | list[str]:
        return parse_sub_samples(self.cleaned_data["results"])

    def override(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        given = {
            key: data.get(field)
            for key, field in (("n", "own_n"), ("c", "own_c"), ("m", "own_m"), ("M", "own_upper"))
            if data.get(field) is not None
        }
        return given or None

    def to_input(self) -> ProductInput:
        data = self.cleaned_data
        left = {"yes": True, "no": False}.get(data.get("left_control") or "")
        return ProductInput(
            product_name=data["product_name"],
            parameter=data["parameter"],
            sampled_on=data["sampled_on"],
            results=data["results"],
            lot=data["lot"],
            laboratory=data["laboratory"],
            criterion_override=self.override(),
            left_control=left,
            remark=data["remark"],
        )


class WithdrawalPeriodForm(forms.Form):
    """The end of a treated animal's withdrawal period."""

    species = forms.ChoiceField(label=_("Species"))
    animal = forms.CharField(label=_("Animal (name or number)"), max_length=100)
    ends_on = forms.DateField(label=_("The withdrawal period ends on"), widget=DateInput)
    remark = forms.CharField(
        label=_("Remark"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        species = dict.fromkeys(
            s.species for s in milk_streams(plan) if "antibiotic_residues" in s.parameters
        )
        self.fields["species"].choices = [  # type: ignore[attr-defined]
            (s, SPECIES_LABELS.get(s, s)) for s in species
        ]


def count_criteria(plan: Plan | None) -> list[tuple[str, str]]:
    """The count criteria of table 5.2 (the plan's first), as choices."""
    guide = load_guide()
    own = {c.id for a in plan.finished_product_analyses for c in a.criteria} if plan else set()
    choices = []
    for family in guide.product_families:
        for criterion in family.criteria:
            if criterion.m is None:
                continue
            plan_text = f"n={criterion.n}, c={criterion.c}, m={criterion.m:g}"
            if criterion.M is not None:
                plan_text += f", M={criterion.M:g}"
            choices.append((criterion.id, f"{criterion.id} ({plan_text})"))
    return sorted(choices, key=lambda choice: choice[0] not in own)


class OcCurveForm(forms.Form):
    """A sampling plan to draw the operating characteristic of."""

    criterion = forms.ChoiceField(label=_("Criterion of table 5.2"), required=False)
    n = forms.IntegerField(label=_("n (sub-samples)"), required=False, min_value=1, max_value=60)
    c = forms.IntegerField(label=_("c"), required=False, min_value=0, max_value=60)
    m = forms.FloatField(label=_("m (cfu/g)"), required=False, min_value=0.001)
    upper = forms.FloatField(label=_("M (cfu/g)"), required=False, min_value=0.001)
    sigma = forms.FloatField(
        label=_("Standard deviation of log10 counts in a lot"),
        initial=DEFAULT_SIGMA,
        min_value=0.05,
        max_value=3,
        required=False,
    )
    compare_n = forms.IntegerField(
        label=_("Compare with n ="), initial=1, required=False, min_value=1, max_value=60
    )

    def __init__(self, plan: Plan | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *count_criteria(plan),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("criterion") and (data.get("n") is None or data.get("m") is None):
            raise ValidationError(_("Choose a criterion, or give at least n and m."))
        n, c = data.get("n"), data.get("c")
        if n is not None and c is not None and c > n:
            self.add_error("c", _("c cannot be more than n."))
        m, upper = data.get("m"), data.get("upper")
        if m is not None and upper is not None and upper < m:
            self.add_error("upper", _("M cannot be below m."))
        return data
