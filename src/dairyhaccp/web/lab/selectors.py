"""Reads of the lab context: the operator's milk sources, results, verdicts and what is due.

Verdicts are not stored: the core judges the stored results each time, so a correction changes
every verdict that depends on it (rolling means, runs of unfavourable months) at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.db.models import QuerySet
from django.http import Http404

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.lab.due import (
    DueAnalysis,
    product_due,
    raw_milk_due,
    withdrawal_due,
)
from dairyhaccp.lab.product_verdict import ProductJudgement, judge_product, parameters_for_product
from dairyhaccp.lab.raw_milk_verdict import (
    MilkOrigin,
    RawMilkJudgement,
    judge_raw_milk,
    species_group,
)
from dairyhaccp.lab.raw_milk_verdict import (
    RawMilkResult as CoreResult,
)
from dairyhaccp.lab.sampling_calendar import (
    FamilyToSample,
    PlannedSample,
    families_to_sample,
    sampling_calendar,
)
from dairyhaccp.monitoring.schedule import DueItem, DueStatus
from dairyhaccp.plan import Plan
from dairyhaccp.plan.models import RawMilkAnalysisItem
from dairyhaccp.profile import ProductSpec
from dairyhaccp.web.lab.models import LabRecord, ProductResult, RawMilkResult, WithdrawalPeriod
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.selectors import current_plan
from dairyhaccp.web.records.selectors import batches


def plan_or_none(operator: Operator) -> Plan | None:
    """The operator's current HACCP plan (None before the wizard was saved)."""
    return current_plan(operator)


def milk_use(plan: Plan) -> str:
    """The use of table 5.1 for rows valid for any use: raw-milk products when any are made."""
    raw = any(product.raw_milk for product in plan.profile.products)
    return "raw_milk_products" if raw else "heat_treated"


@dataclass(frozen=True)
class MilkStream:
    """Raw milk of one species from one source, with the analyses of table 5.1 it needs."""

    species: str
    source: str
    rows: tuple[RawMilkAnalysisItem, ...]

    @property
    def key(self) -> str:
        return f"{self.species}:{self.source}"

    @property
    def parameters(self) -> list[str]:
        return list(dict.fromkeys(row.parameter for row in self.rows))


def milk_streams(plan: Plan) -> list[MilkStream]:
    """The operator's raw-milk sources (species x origin) that table 5.1 asks analyses for."""
    milk = plan.profile.milk
    sources = []
    if milk.own_animals:
        sources.append("own_delivered" if milk.delivers_to_buyers else "own_not_delivered")
    if milk.buys_raw_milk:
        sources.append("bought")
    streams = []
    for source in sources:
        for species in milk.species:
            group = species_group(species)
            rows = tuple(
                row
                for row in plan.raw_milk_analyses
                if row.species == group and row.milk_source == source
            )
            if rows:
                streams.append(MilkStream(species, source, rows))
    return streams


def find_stream(plan: Plan, species: str, source: str) -> MilkStream | None:
    return next((s for s in milk_streams(plan) if (s.species, s.source) == (species, source)), None)


def stream_parameters(plan: Plan, species: str, source: str) -> list[str]:
    """The parameters the plan analyses this milk for (empty when it is not the plan's milk)."""
    stream = find_stream(plan, species, source)
    return stream.parameters if stream else []


def milk_parameters(plan: Plan, species: str) -> set[str]:
    """The parameters the plan analyses milk of `species` for, over all its sources."""
    return {p for s in milk_streams(plan) if s.species == species for p in s.parameters}


def sampled_products(plan: Plan) -> list[ProductSpec]:
    """The operator's products that belong to a product family of table 5.2."""
    guide = load_guide()
    products = []
    for product in plan.profile.products:
        try:
            if parameters_for_product(guide, product):
                products.append(product)
        except ValueError:
            continue  # whey for feed and the like: no family, no analyses
    return products


def product_spec(plan: Plan, name: str) -> ProductSpec | None:
    """The plan's product with this label (its name, or its kind when it has no name)."""
    return next((p for p in sampled_products(plan) if p.label == name), None)


def product_parameters(plan: Plan, name: str) -> list[str]:
    spec = product_spec(plan, name)
    return parameters_for_product(load_guide(), spec) if spec else []


# --- results ----------------------------------------------------------------------------------


def raw_milk_results(
    operator: Operator,
    species: str | None = None,
    source: str | None = None,
    parameter: str | None = None,
) -> QuerySet[RawMilkResult]:
    """The operator's raw-milk results as they stand, oldest first."""
    results = RawMilkResult.objects.for_operator(operator).current()
    if species is not None:
        results = results.filter(species=species)
    if source is not None:
        results = results.filter(source=source)
    if parameter is not None:
        results = results.filter(parameter=parameter)
    return results.order_by("sampled_on", "recorded_at")


def product_results(operator: Operator) -> QuerySet[ProductResult]:
    """The operator's finished-product results as they stand, newest first."""
    return ProductResult.objects.for_operator(operator).current().order_by("-sampled_on", "-pk")


def versions_of(model: type[LabRecord], operator: Operator, entry: uuid.UUID) -> QuerySet:
    """Every version of one result, oldest first, with who recorded it."""
    return (
        model.objects.for_operator(operator)
        .filter(entry=entry)
        .select_related("recorded_by")
        .order_by("version")
    )


_R = TypeVar("_R", bound=LabRecord)


def latest_version(
    model: type[LabRecord], operator: Operator, entry: uuid.UUID
) -> LabRecord | None:
    return versions_of(model, operator, entry).last()


def latest_version_or_404(model: type[_R], operator: Operator, entry: uuid.UUID) -> _R:
    """The result as it stands; 404 when the operator has no such result."""
    latest = latest_version(model, operator, entry)
    if not isinstance(latest, model):
        raise Http404("No such result.")
    return latest


# --- verdicts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowVerdict:
    """A row of table 5.1 for one milk source, its results and the core's verdict (if any)."""

    stream: MilkStream
    row: RawMilkAnalysisItem
    results: list[RawMilkResult]
    judgement: RawMilkJudgement | None


def linked_lots(operator: Operator, results: Sequence[RawMilkResult]) -> list[str]:
    """The lots that may hold milk of a positive antibiotic test, for destruction.

    The lots typed on the detected results of the last test day, the batches (milkings and
    products) begun after the last favourable test up to that day, and what was made from them.
    """
    if not results:
        return []
    last = max(result.sampled_on for result in results)
    detected = [r for r in results if r.sampled_on == last and r.outcome == "detected"]
    if not detected:
        return []
    lots = [lot for result in detected for lot in result.lot_list]
    favourable = [
        r.sampled_on for r in results if r.outcome == "not_detected" and r.sampled_on < last
    ]
    start = max(favourable) + timedelta(days=1) if favourable else last
    window = batches(operator).filter(
        started_at__date__gte=start, started_at__date__lte=last, destroyed_at__isnull=True
    )
    made_from = batches(operator).filter(made_from__in=window, destroyed_at__isnull=True)
    lots += [batch.lot_code for batch in window.order_by("started_at")]
    lots += [batch.lot_code for batch in made_from.order_by("started_at")]
    return list(dict.fromkeys(lots))


def row_verdict(
    operator: Operator,
    plan: Plan,
    stream: MilkStream,
    row: RawMilkAnalysisItem,
    as_of: date | None = None,
) -> RowVerdict:
    """The verdict on one row of table 5.1 for one milk source."""
    results = list(raw_milk_results(operator, stream.species, stream.source, row.parameter))
    if as_of is not None:
        results = [result for result in results if result.sampled_on <= as_of]
    if not results:
        return RowVerdict(stream, row, [], None)
    use = row.use if row.use != "any" else milk_use(plan)
    judgement = judge_raw_milk(
        load_guide(),
        MilkOrigin(stream.species, stream.source, use),
        row.parameter,
        [CoreResult(result.sampled_on, result.value) for result in results],
        as_of=as_of,
        linked_lots=linked_lots(operator, results),
    )
    return RowVerdict(stream, row, results, judgement)


def stream_verdicts(operator: Operator, plan: Plan, stream: MilkStream) -> list[RowVerdict]:
    """The verdict on every row of table 5.1 for one milk source."""
    return [row_verdict(operator, plan, stream, row) for row in stream.rows]


def all_raw_milk_verdicts(operator: Operator, plan: Plan) -> list[RowVerdict]:
    return [v for stream in milk_streams(plan) for v in stream_verdicts(operator, plan, stream)]


def product_judgement(result: ProductResult) -> ProductJudgement:
    """The core's verdict on a stored finished-product result."""
    spec = ProductSpec.model_validate(result.product)
    values: list[float] | list[str] = list(result.results)
    return judge_product(
        load_guide(),
        spec,
        result.parameter,
        values,
        override=result.criterion_override,
        left_control=result.left_control,
    )


# --- the schedule -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueOverview:
    """Everything on the lab schedule of an operator at a moment."""

    raw_milk: list[tuple[MilkStream, DueAnalysis]]
    withdrawals: list[tuple[WithdrawalPeriod, DueItem]]
    products: list[tuple[FamilyToSample, DueAnalysis]]

    def count(self, status: DueStatus) -> int:
        """How many analyses on the schedule have `status` (for the daily overview)."""
        items = [
            *(analysis.item for _, analysis in self.raw_milk),
            *(item for _, item in self.withdrawals),
            *(analysis.item for _, analysis in self.products),
        ]
        return sum(1 for item in items if item is not None and item.status is status)


def due_analyses(operator: Operator, plan: Plan, now: datetime) -> DueOverview:
    """The raw-milk and product analyses due or overdue at `now`, and tests after withdrawal."""
    since = operator.created_at
    raw: list[tuple[MilkStream, DueAnalysis]] = []
    for stream in milk_streams(plan):
        days: dict[str, list[date]] = {}
        for result in raw_milk_results(operator, stream.species, stream.source):
            for row in stream.rows:
                if row.parameter == result.parameter:
                    days.setdefault(row.id, []).append(result.sampled_on)
        for item in raw_milk_due(list(stream.rows), days, now, since):
            raw.append((stream, item))
    withdrawals: list[tuple[WithdrawalPeriod, DueItem]] = []
    periods = WithdrawalPeriod.objects.for_operator(operator).current().order_by("ends_on")
    for period in periods:
        tested = raw_milk_results(
            operator, species=period.species, parameter="antibiotic_residues"
        ).values_list("sampled_on", flat=True)
        [after] = withdrawal_due([period.ends_on], list(tested), now)
        withdrawals.append((period, after))
    families = families_to_sample(plan)
    done: dict[tuple[str, str], list[date]] = {}
    by_name = {family.family: family for family in families}
    for product_result in product_results(operator):
        for family in families:
            if product_result.product_name in family.products:
                key = (family.family, product_result.parameter)
                done.setdefault(key, []).append(product_result.sampled_on)
    products = [
        (by_name[item.key.split(":")[0]], item) for item in product_due(families, done, now, since)
    ]
    return DueOverview(raw, withdrawals, products)


@dataclass(frozen=True)
class CalendarRow:
    """One family on the year's sampling calendar: the planned product per month, and results."""

    family: FamilyToSample
    months: list[PlannedSample | None]
    sampled: list[bool]


def calendar_rows(operator: Operator, plan: Plan, year: int) -> list[CalendarRow]:
    """The sampling calendar of `year`, with the months in which the family was sampled."""
    families = families_to_sample(plan)
    planned = sampling_calendar(families, year)
    results = list(product_results(operator).filter(sampled_on__year=year))
    rows = []
    for family in families:
        months: list[PlannedSample | None] = [None] * 12
        for sample in planned:
            if sample.family == family.family:
                months[sample.month.month - 1] = sample
        sampled = [False] * 12
        for result in results:
            if result.product_name in family.products:
                sampled[result.sampled_on.month - 1] = True
        rows.append(CalendarRow(family, months, sampled))
    return rows
