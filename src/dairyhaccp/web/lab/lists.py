"""The lab lists an inspector reads (raw-milk and finished-product results): their filters,
the queries behind them and the columns of their exports. Verdicts as they were stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dairyhaccp.lab.stored import StoredRecordError, raw_milk_from_record
from dairyhaccp.web.lab.choices import (
    VERDICT_LABELS,
    Outcome,
    ProductParameter,
    ProductVerdictChoice,
    RawMilkParameter,
)
from dairyhaccp.web.lab.models import ProductResult, ProductVerdict, RawMilkResult, RawMilkVerdict
from dairyhaccp.web.lab.presentation import count, source_label, species_label
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.parameters import parameter_label
from dairyhaccp.web.tables import Column, ListFilterForm, chunked

CONFORM = "conform"
NOT_CONFORM = "not_conform"
OUTCOMES = dict(Outcome.choices)


def _choice(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", _("All")), *choices])


def _text(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=200, strip=True)


class RawMilkFilter(ListFilterForm):
    """Raw-milk results: period (sampled), analysis, lot made from the milk, own verdict."""

    parameter = _choice(_("Analysis"), list(RawMilkParameter.choices))
    lot = _text(_("Lot code"))
    verdict = _choice(
        _("Verdict"), [(CONFORM, VERDICT_LABELS["conform"]), (NOT_CONFORM, _("not conform"))]
    )


class ProductFilter(ListFilterForm):
    """Finished-product results: period (sampled), analysis, product, lot, verdict."""

    parameter = _choice(_("Analysis"), list(ProductParameter.choices))
    product = _text(_("Product"))
    lot = _text(_("Lot code"))
    verdict = _choice(_("Verdict"), list(ProductVerdictChoice.choices))


def _period(rows: QuerySet, form: ListFilterForm) -> QuerySet:
    if first := form.value("from"):
        rows = rows.filter(sampled_on__gte=first)
    if last := form.value("to"):
        rows = rows.filter(sampled_on__lte=last)
    return rows


# --- raw milk -----------------------------------------------------------------------------


def raw_milk_results(operator: Operator, form: RawMilkFilter) -> QuerySet[RawMilkResult]:
    """Raw-milk results as they stand that pass the filters, newest first."""
    rows = _period(RawMilkResult.objects.for_operator(operator).current(), form)
    if parameter := form.value("parameter"):
        rows = rows.filter(parameter=parameter)
    if lot := form.value("lot"):
        rows = rows.filter(lots__icontains=lot)
    if verdict := form.value("verdict"):
        wanted = verdict == CONFORM
        judged = SingleVerdicts(operator).all(parameter or None)
        rows = rows.filter(entry__in=[ref for ref, conform in judged.items() if conform == wanted])
    return rows.order_by("-sampled_on", "-pk")


class SingleVerdicts:
    """Each result's own verdict (conform or not) as stored with its analysis's last verdict;
    one query per analysis met, whatever the number of results."""

    def __init__(self, operator: Operator) -> None:
        self.operator = operator
        self.analyses: dict[tuple[str, str, str], dict[str, bool]] = {}

    def of(self, result: RawMilkResult) -> bool | None:
        key = (result.species, result.source, result.parameter)
        if key not in self.analyses:
            self.analyses[key] = self._load(*key)
        return self.analyses[key].get(str(result.entry))

    def all(self, parameter: str | None = None) -> dict[str, bool]:
        """Every judged result's own verdict by entry, over the analyses of the operator (of
        one parameter when given): one query per analysis."""
        analyses = RawMilkVerdict.objects.for_operator(self.operator)
        if parameter:
            analyses = analyses.filter(parameter=parameter)
        verdicts: dict[str, bool] = {}
        for key in analyses.order_by().values_list("species", "source", "parameter").distinct():
            if key not in self.analyses:
                self.analyses[key] = self._load(*key)
            verdicts.update(self.analyses[key])
        return verdicts

    def _load(self, species: str, source: str, parameter: str) -> dict[str, bool]:
        stored = (
            RawMilkVerdict.objects.for_operator(self.operator)
            .filter(species=species, source=source, parameter=parameter)
            .order_by("-pk")
            .only("pk", "judgement")
            .first()
        )
        if stored is None or stored.judgement is None:
            return {}
        try:
            judgement = raw_milk_from_record(stored.judgement)
        except StoredRecordError:
            return {}
        return {single.ref: single.conform for single in judgement.singles}


@dataclass(frozen=True)
class RawMilkRow:
    result: RawMilkResult
    conform: bool | None

    @property
    def verdict(self) -> str:
        return "" if self.conform is None else CONFORM if self.conform else NOT_CONFORM

    @property
    def badge(self) -> str:
        """The badge's look: that of a conform or an unfavourable verdict."""
        return "" if self.conform is None else "conform" if self.conform else "unfavourable"

    @property
    def verdict_label(self) -> str:
        if self.conform is None:
            return ""
        return str(VERDICT_LABELS["conform"]) if self.conform else str(_("not conform"))


def raw_milk_rows(operator: Operator, results: Iterable[RawMilkResult]) -> Iterator[RawMilkRow]:
    """The results with their own verdicts."""
    singles = SingleVerdicts(operator)
    for result in results:
        yield RawMilkRow(result, singles.of(result))


def raw_milk_value(result: RawMilkResult) -> object:
    if result.count is not None:
        return result.count
    return str(OUTCOMES.get(result.outcome, ""))


def raw_milk_shown(result: RawMilkResult) -> str:
    value = raw_milk_value(result)
    return count(value) if isinstance(value, float) else str(value)


def milk_label(result: RawMilkResult) -> str:
    return f"{species_label(result.species)} – {source_label(result.source)}"


def raw_milk_columns() -> list[Column]:
    return [
        Column(_("Sampled on"), lambda r: r.result.sampled_on),
        Column(_("Milk"), lambda r: milk_label(r.result)),
        Column(_("Analysis"), lambda r: parameter_label(r.result.parameter)),
        Column(_("Result"), lambda r: raw_milk_value(r.result)),
        Column(_("Laboratory"), lambda r: r.result.laboratory),
        Column(_("Sample number"), lambda r: r.result.sample_ref),
        Column(_("Lots made from this milk"), lambda r: r.result.lot_list),
        Column(_("Verdict"), lambda r: r.verdict_label),
    ]


def raw_milk_export_rows(
    operator: Operator, results: QuerySet[RawMilkResult]
) -> Iterator[RawMilkRow]:
    return raw_milk_rows(operator, chunked(results))


# --- finished products --------------------------------------------------------------------


def product_results(operator: Operator, form: ProductFilter) -> QuerySet[ProductResult]:
    """Finished-product results as they stand that pass the filters, newest first, with the
    verdict stored with them."""
    rows = _period(
        ProductResult.objects.for_operator(operator).current().select_related("stored_verdict"),
        form,
    )
    if parameter := form.value("parameter"):
        rows = rows.filter(parameter=parameter)
    if product := form.value("product"):
        rows = rows.filter(product_name__iexact=product)
    if lot := form.value("lot"):
        rows = rows.filter(lot__icontains=lot)
    if verdict := form.value("verdict"):
        rows = rows.filter(stored_verdict__verdict=verdict)
    return rows.order_by("-sampled_on", "-pk")


def stored_verdict(result: ProductResult) -> ProductVerdict | None:
    try:
        return result.stored_verdict
    except ProductVerdict.DoesNotExist:
        return None


def product_verdict_label(result: ProductResult) -> str:
    stored = stored_verdict(result)
    return str(VERDICT_LABELS.get(stored.verdict, "")) if stored is not None else ""


def product_columns() -> list[Column]:
    return [
        Column(_("Sampled on"), lambda r: r.sampled_on),
        Column(_("Product"), lambda r: r.product_name),
        Column(_("Lot code"), lambda r: r.lot),
        Column(_("Analysis"), lambda r: parameter_label(r.parameter)),
        Column(
            _("Results of the sub-samples"),
            lambda r: [str(OUTCOMES.get(v, v)) if isinstance(v, str) else v for v in r.results],
        ),
        Column(_("Laboratory"), lambda r: r.laboratory),
        Column(_("Verdict"), product_verdict_label),
    ]
