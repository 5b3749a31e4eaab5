"""Reads of the lab context: the operator's milk sources, results, verdicts and what is due.

Verdicts are read as they were stored when judged (`models.ProductVerdict`, `RawMilkVerdict`).
Beside a stored verdict the core judges the results again with the guide in force now; where
that gives another answer, it is shown next to the stored one, never in its place.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import TypeVar

from django.db.models import Max, QuerySet
from django.http import Http404

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Frequency, Guide
from dairyhaccp.lab.dates import check_plausible_day
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
from dairyhaccp.lab.stored import (
    StoredRecordError,
    product_from_record,
    raw_milk_from_record,
    same_product_outcome,
    same_raw_milk_outcome,
)
from dairyhaccp.monitoring.schedule import (
    BRUSSELS,
    DueItem,
    DueStatus,
    counted_from,
    local_day_bounds,
)
from dairyhaccp.plan import Plan
from dairyhaccp.plan.models import RawMilkAnalysisItem
from dairyhaccp.profile import ProductSpec
from dairyhaccp.web import compiled
from dairyhaccp.web.lab.models import (
    LabRecord,
    ProductResult,
    ProductVerdict,
    RawMilkResult,
    RawMilkVerdict,
    WithdrawalPeriod,
)
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
    """The operator's raw-milk results as they stand, oldest first (results entered together
    share their moment: the id orders them)."""
    results = RawMilkResult.objects.for_operator(operator).current()
    if species is not None:
        results = results.filter(species=species)
    if source is not None:
        results = results.filter(source=source)
    if parameter is not None:
        results = results.filter(parameter=parameter)
    return results.order_by("sampled_on", "recorded_at", "pk")


def product_results(operator: Operator) -> QuerySet[ProductResult]:
    """The operator's finished-product results as they stand, newest first, with verdicts."""
    return (
        ProductResult.objects.for_operator(operator)
        .current()
        .select_related("stored_verdict")
        .order_by("-sampled_on", "-pk")
    )


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


def judging_guide() -> Guide:
    """The guide lab results are judged with now: the one in force."""
    return load_guide()


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
        started_at__gte=local_day_bounds(start)[0],
        started_at__lt=local_day_bounds(last)[1],
        destroyed_at__isnull=True,
    )
    made_from = batches(operator).filter(made_from__in=window, destroyed_at__isnull=True)
    lots += [batch.lot_code for batch in window.order_by("started_at")]
    lots += [batch.lot_code for batch in made_from.order_by("started_at")]
    return list(dict.fromkeys(lots))


def judged_dates(
    results: Sequence[RawMilkResult],
) -> tuple[list[RawMilkResult], list[RawMilkResult]]:
    """The results the judge takes, and those dated where no judge goes (before 2000: entered
    before such dates were refused; they wait to be corrected or withdrawn)."""
    judged, left_out = [], []
    for result in results:
        try:
            check_plausible_day("sampled_on", result.sampled_on)
        except ValueError:
            left_out.append(result)
        else:
            judged.append(result)
    return judged, left_out


def origin_of(plan: Plan, stream: MilkStream, row: RawMilkAnalysisItem) -> MilkOrigin:
    """The keys of table 5.1 for a row of the plan: the stream's milk and the row's use."""
    use = row.use if row.use != "any" else milk_use(plan)
    return MilkOrigin(stream.species, stream.source, use)


def judge_row(
    operator: Operator,
    plan: Plan,
    stream: MilkStream,
    row: RawMilkAnalysisItem,
    guide: Guide,
    earlier: RawMilkJudgement | None = None,
    stored: list[RawMilkResult] | None = None,
) -> RawMilkJudgement | None:
    """The core's judgement of one row over its results as they stand (None without results);
    `stored`: those results, when already read.

    ValueError when the guide cannot judge them (no such row in it).
    """
    if stored is None:
        stored = list(raw_milk_results(operator, stream.species, stream.source, row.parameter))
    results, _ = judged_dates(stored)
    if not results:
        return None
    return judge_raw_milk(
        guide,
        origin_of(plan, stream, row),
        row.parameter,
        [
            CoreResult(
                result.sampled_on,
                result.value,
                laboratory=result.laboratory,
                left_control=result.left_control,
                ref=str(result.entry),
            )
            for result in results
        ],
        linked_lots=linked_lots(operator, results),
        earlier=earlier,
    )


def latest_raw_milk_verdict(
    operator: Operator, stream: MilkStream, row: RawMilkAnalysisItem
) -> RawMilkVerdict | None:
    """The stored verdict of one row as it stands: the last one judged."""
    return (
        RawMilkVerdict.objects.for_operator(operator)
        .filter(species=stream.species, source=stream.source, analysis=row.id)
        .order_by("-pk")
        .first()
    )


def stored_raw_milk_judgement(stored: RawMilkVerdict | None) -> RawMilkJudgement | None:
    """The judgement a stored verdict holds (None without results, or when unreadable)."""
    if stored is None or stored.judgement is None:
        return None
    try:
        return raw_milk_from_record(stored.judgement)
    except StoredRecordError:
        return None


@dataclass(frozen=True)
class RowVerdict:
    """A row of table 5.1 for one milk source, its results and its verdict.

    `judgement`: as stored (`stored`), or, when none is stored for the results there are, as
    judged now. `now`: as judged now with the guide in force, only when that says otherwise.
    `left_out`: results dated where no judge goes.
    """

    stream: MilkStream
    row: RawMilkAnalysisItem
    results: list[RawMilkResult]
    judgement: RawMilkJudgement | None
    stored: RawMilkVerdict | None = None
    now: RawMilkJudgement | None = None
    now_failed: bool = False
    left_out: list[RawMilkResult] = field(default_factory=list)
    unreadable: bool = False

    @property
    def is_stored(self) -> bool:
        """Whether `judgement` is the stored verdict (not one judged now)."""
        return self.stored is not None and self.stored.judgement is not None and not self.unreadable


def row_verdict(
    operator: Operator,
    plan: Plan,
    stream: MilkStream,
    row: RawMilkAnalysisItem,
    read: RowsRead | None = None,
) -> RowVerdict:
    """The stored verdict on one row of table 5.1 for one milk source, and the one of now;
    `read`: the results and stored verdicts of every row, when already read."""
    if read is None:
        results = list(raw_milk_results(operator, stream.species, stream.source, row.parameter))
        stored = latest_raw_milk_verdict(operator, stream, row)
    else:
        results = read.results.get((stream.species, stream.source, row.parameter), [])
        stored = read.verdicts.get((stream.species, stream.source, row.id))
    _, left_out = judged_dates(results)
    kept = stored_raw_milk_judgement(stored)
    try:
        now = judge_row(operator, plan, stream, row, judging_guide(), stored=results)
        failed = False
    except ValueError:
        now, failed = None, True
    if kept is None:
        unreadable = stored is not None and stored.judgement is not None
        return RowVerdict(stream, row, results, now, stored, None, failed, left_out, unreadable)
    differs = now is not None and not same_raw_milk_outcome(kept, now)
    return RowVerdict(
        stream, row, results, kept, stored, now if differs else None, failed, left_out
    )


@dataclass(frozen=True)
class RowsRead:
    """Every raw-milk result as it stands, per (species, source, parameter), and the stored
    verdict of every row, per (species, source, analysis)."""

    results: dict[tuple[str, str, str], list[RawMilkResult]]
    verdicts: dict[tuple[str, str, str], RawMilkVerdict]


def read_rows(operator: Operator) -> RowsRead:
    """The results and stored verdicts of all rows, in two queries."""
    results: dict[tuple[str, str, str], list[RawMilkResult]] = {}
    every = compiled.instances(
        ("raw milk results", operator.pk), lambda: raw_milk_results(operator)
    )
    for result in every:
        results.setdefault((result.species, result.source, result.parameter), []).append(result)
    newest = compiled.instances(
        ("newest raw milk verdicts", operator.pk), partial(_newest_raw_milk_verdicts, operator)
    )
    verdicts = {(v.species, v.source, v.analysis): v for v in newest}
    return RowsRead(results, verdicts)


def _newest_raw_milk_verdicts(operator: Operator) -> QuerySet[RawMilkVerdict]:
    """The newest stored verdict of each analysis of each milk source."""
    stored = RawMilkVerdict.objects.for_operator(operator)
    newest = (
        stored.order_by()
        .values("species", "source", "analysis")
        .annotate(newest=Max("pk"))
        .values("newest")
    )
    return stored.filter(pk__in=newest)


def stream_verdicts(operator: Operator, plan: Plan, stream: MilkStream) -> list[RowVerdict]:
    """The verdict on every row of table 5.1 for one milk source."""
    read = read_rows(operator)
    return [row_verdict(operator, plan, stream, row, read) for row in stream.rows]


def all_raw_milk_verdicts(operator: Operator, plan: Plan) -> list[RowVerdict]:
    """The verdict on every row of table 5.1 for every milk source of the plan."""
    read = read_rows(operator)
    return [
        row_verdict(operator, plan, stream, row, read)
        for stream in milk_streams(plan)
        for row in stream.rows
    ]


@dataclass(frozen=True)
class VerdictAtEntry:
    """The verdict of an analysis as judged when one version of a result was stored, and that
    result's own verdict then (None when it was not judged: a withdrawal, a date left out)."""

    stored: RawMilkVerdict
    single: bool | None


def verdicts_caused_by(result: RawMilkResult) -> list[VerdictAtEntry]:
    """The verdicts judged when this version of a result was stored (or imported)."""
    verdicts = RawMilkVerdict.objects.for_operator(result.operator)
    if result.csv_import_id is not None and result.version == 1:
        caused = verdicts.filter(csv_import=result.csv_import_id, parameter=result.parameter)
    else:
        caused = verdicts.filter(result=result)
    found = []
    for stored in caused.order_by("pk"):
        judgement = stored_raw_milk_judgement(stored)
        single = None
        if judgement is not None and not result.withdrawn:
            single = next(
                (
                    s.conform
                    for s in judgement.singles
                    if (s.ref, s.day, s.value)
                    == (str(result.entry), result.sampled_on, result.value)
                ),
                None,
            )
        found.append(VerdictAtEntry(stored, single))
    return found


def judge_product_result(result: ProductResult, guide: Guide) -> ProductJudgement:
    """The core's judgement of a stored finished-product result with `guide` (ValueError when
    the guide cannot judge it)."""
    spec = ProductSpec.model_validate(result.product)
    values: list[float] | list[str] = list(result.results)
    return judge_product(
        guide,
        spec,
        result.parameter,
        values,
        override=result.criterion_override,
        left_control=result.left_control,
    )


@dataclass(frozen=True)
class ProductVerdictView:
    """A finished product's result with its stored verdict and, when it differs, the one of now.

    `judgement` is the stored one, or, when none is stored, as judged now (None when neither
    can be had).
    """

    result: ProductResult
    judgement: ProductJudgement | None
    stored: ProductVerdict | None
    now: ProductJudgement | None
    is_stored: bool = False


def stored_product_verdict(result: ProductResult) -> ProductVerdict | None:
    """The verdict stored with one version of a product's result (None for a withdrawal)."""
    try:
        return result.stored_verdict
    except ProductVerdict.DoesNotExist:
        return None


def product_verdict(result: ProductResult) -> ProductVerdictView:
    """The stored verdict of a finished product's result, and the one of now if it differs."""
    stored = stored_product_verdict(result)
    kept = None
    if stored is not None and stored.judgement is not None:
        try:
            kept = product_from_record(stored.judgement)
        except StoredRecordError:
            kept = None
    try:
        now: ProductJudgement | None = judge_product_result(result, judging_guide())
    except ValueError:
        now = None
    if kept is None:
        return ProductVerdictView(result, now, stored, None)
    differs = now is not None and not same_product_outcome(kept, now)
    return ProductVerdictView(result, kept, stored, now if differs else None, is_stored=True)


def product_judgement(result: ProductResult) -> ProductJudgement | None:
    """The verdict on a finished product's result as stored (as judged now when none is)."""
    return product_verdict(result).judgement


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


def _first_day_counted(frequencies: Sequence[Frequency], now: datetime) -> date | None:
    """The first sampling day the schedule can count at `now` for these frequencies (the start
    of the window before the current one; never the whole history), None when none is
    periodic."""
    starts = [counted_from(f, now) for f in frequencies if f.is_periodic]
    return min(starts).astimezone(BRUSSELS).date() if starts else None


def _raw_milk_sampled(
    operator: Operator, species: str, source: str, first_day: date
) -> QuerySet[RawMilkResult, tuple[str, date]]:
    return (
        raw_milk_results(operator, species, source)
        .filter(sampled_on__gte=first_day)
        .values_list("parameter", "sampled_on")
    )


def _products_sampled(
    operator: Operator, first_day: date
) -> QuerySet[ProductResult, tuple[str, str, date]]:
    return (
        product_results(operator)
        .filter(sampled_on__gte=first_day)
        .values_list("product_name", "parameter", "sampled_on")
    )


def due_analyses(operator: Operator, plan: Plan, now: datetime) -> DueOverview:
    """The raw-milk and product analyses due or overdue at `now`, and tests after withdrawal."""
    since = operator.created_at
    raw: list[tuple[MilkStream, DueAnalysis]] = []
    for stream in milk_streams(plan):
        days: dict[str, list[date]] = {}
        first_day = _first_day_counted([row.frequency for row in stream.rows], now)
        sampled = (
            compiled.rows(
                ("raw milk sampled", operator.pk, stream.species, stream.source, first_day),
                partial(_raw_milk_sampled, operator, stream.species, stream.source, first_day),
            )
            if first_day is not None
            else []
        )
        for parameter, sampled_on in sampled:
            for row in stream.rows:
                if row.parameter == parameter:
                    days.setdefault(row.id, []).append(sampled_on)
        for item in raw_milk_due(list(stream.rows), days, now, since):
            raw.append((stream, item))
    withdrawals: list[tuple[WithdrawalPeriod, DueItem]] = []
    periods = compiled.instances(
        ("current withdrawal periods", operator.pk),
        lambda: WithdrawalPeriod.objects.for_operator(operator).current().order_by("ends_on"),
    )
    last_test: dict[str, date] = {}
    if periods:
        # A period is done by a test on or after its end: the last test of each species tells,
        # in one query however many periods and tests there were.
        last_test = dict(
            raw_milk_results(operator, parameter="antibiotic_residues")
            .filter(species__in={period.species for period in periods})
            .order_by()
            .values("species")
            .annotate(last=Max("sampled_on"))
            .values_list("species", "last")
        )
    for period in periods:
        tested = [last_test[period.species]] if period.species in last_test else []
        [after] = withdrawal_due([period.ends_on], tested, now)
        withdrawals.append((period, after))
    families = families_to_sample(plan)
    done: dict[tuple[str, str], list[date]] = {}
    by_name = {family.family: family for family in families}
    first_day = _first_day_counted([family.frequency for family in families], now)
    results = (
        compiled.rows(
            ("products sampled", operator.pk, first_day),
            partial(_products_sampled, operator, first_day),
        )
        if first_day is not None
        else []
    )
    for product_name, parameter, sampled_on in results:
        for family in families:
            if product_name in family.products:
                done.setdefault((family.family, parameter), []).append(sampled_on)
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
