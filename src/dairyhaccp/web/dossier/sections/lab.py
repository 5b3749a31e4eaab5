"""Lab results of the period with their verdicts as they were stored when judged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dairyhaccp.lab.stored import StoredRecordError, raw_milk_from_record
from dairyhaccp.web.dossier.cells import cell
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections.common import number
from dairyhaccp.web.dossier.selectors import (
    latest_raw_milk_verdict,
    product_results,
    raw_milk_results,
    raw_milk_verdicts,
)
from dairyhaccp.web.lab.choices import (
    CRITERION_TYPE_LABELS,
    VERDICT_LABELS,
    MilkSource,
    Outcome,
    ProductParameter,
    RawMilkParameter,
    VerdictCause,
)
from dairyhaccp.web.lab.models import ProductResult, ProductVerdict, RawMilkResult
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.labels import SPECIES_LABELS


@dataclass(frozen=True)
class RawMilkResultRow:
    """One raw-milk result and its own verdict, as stored with the analysis's last verdict."""

    sampled_on: date
    milk: str
    parameter: str
    value: str
    count: float | None
    laboratory: str
    sample: str
    verdict: str


@dataclass(frozen=True)
class RawMilkVerdictRow:
    """A verdict on a raw-milk analysis, stored when it was judged during the period."""

    judged_at: datetime
    milk: str
    parameter: str
    verdict: str
    unfavourable_months: int | None
    stop_use: bool
    notify_favv: bool
    guide_version: str
    cause: str


@dataclass(frozen=True)
class ProductResultRow:
    """A finished product's results and the verdict stored with them."""

    sampled_on: date
    product: str
    lot: str
    parameter: str
    results: str
    raw_results: str
    verdict: str
    criterion: str
    notify_favv: bool | None
    judged_at: datetime | None
    guide_version: str


def _label(choices: dict[str, str], value: str) -> str:
    return choices.get(value, "")


def _milk(species: str, source: str) -> str:
    sources = {value: str(text) for value, text in MilkSource.choices}
    return f"{SPECIES_LABELS.get(species, species)}, {sources.get(source, '')}".strip(", ")


def _value(value: float | str) -> str:
    if isinstance(value, str):
        outcomes = {key: str(text) for key, text in Outcome.choices}
        return outcomes.get(value, "")
    return number(value)


def _singles(operator: Operator, results: list[RawMilkResult]) -> dict[str, bool]:
    """Each result's own verdict (conform or not) from its analysis's last stored verdict."""
    found: dict[str, bool] = {}
    analyses = {(r.species, r.source, r.parameter) for r in results}
    for species, source, parameter in sorted(analyses):
        stored = latest_raw_milk_verdict(operator, species, source, parameter)
        if stored is None or stored.judgement is None:
            continue
        try:
            judgement = raw_milk_from_record(stored.judgement)
        except StoredRecordError:
            continue
        found.update({single.ref: single.conform for single in judgement.singles})
    return found


def raw_milk_result_rows(operator: Operator, period: Period) -> list[RawMilkResultRow]:
    results = list(raw_milk_results(operator, period))
    singles = _singles(operator, results)
    parameters = {key: str(text) for key, text in RawMilkParameter.choices}
    conform, not_conform = str(VERDICT_LABELS["conform"]), str(VERDICT_LABELS["unfavourable"])
    rows = []
    for result in results:
        single = singles.get(str(result.entry))
        rows.append(
            RawMilkResultRow(
                sampled_on=result.sampled_on,
                milk=_milk(result.species, result.source),
                parameter=_label(parameters, result.parameter),
                value=_value(result.value),
                count=result.count,
                laboratory=result.laboratory,
                sample=result.sample_ref,
                verdict="" if single is None else (conform if single else not_conform),
            )
        )
    return rows


def raw_milk_verdict_rows(operator: Operator, period: Period) -> list[RawMilkVerdictRow]:
    parameters = {key: str(text) for key, text in RawMilkParameter.choices}
    causes = {key: str(text) for key, text in VerdictCause.choices}
    rows = []
    for stored in raw_milk_verdicts(operator, period):
        months: int | None = None
        if stored.judgement is not None:
            try:
                months = raw_milk_from_record(stored.judgement).consecutive_unfavourable_months
            except StoredRecordError:
                months = None
        rows.append(
            RawMilkVerdictRow(
                judged_at=stored.judged_at,
                milk=_milk(stored.species, stored.source),
                parameter=_label(parameters, stored.parameter),
                verdict=str(VERDICT_LABELS.get(stored.verdict, VERDICT_LABELS["no_result"])),
                unfavourable_months=months,
                stop_use=stored.stop_use,
                notify_favv=stored.notify_favv,
                guide_version=stored.guide_version,
                cause=_label(causes, stored.cause),
            )
        )
    return rows


def _stored(result: ProductResult) -> ProductVerdict | None:
    try:
        return result.stored_verdict
    except ProductVerdict.DoesNotExist:
        return None


def product_result_rows(operator: Operator, period: Period) -> list[ProductResultRow]:
    parameters = {key: str(text) for key, text in ProductParameter.choices}
    rows = []
    for result in product_results(operator, period):
        stored = _stored(result)
        values = [_value(value) for value in result.results or []]
        rows.append(
            ProductResultRow(
                sampled_on=result.sampled_on,
                product=result.product_name,
                lot=result.lot,
                parameter=_label(parameters, result.parameter),
                results="; ".join(values),
                raw_results="; ".join(
                    _value(value) if isinstance(value, str) else cell(value)
                    for value in result.results or []
                ),
                verdict=str(VERDICT_LABELS.get(stored.verdict, "")) if stored else "",
                criterion=str(CRITERION_TYPE_LABELS.get(stored.criterion_type, ""))
                if stored
                else "",
                notify_favv=stored.notify_favv if stored else None,
                judged_at=stored.judged_at if stored else None,
                guide_version=stored.guide_version if stored else "",
            )
        )
    return rows
