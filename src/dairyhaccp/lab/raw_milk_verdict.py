"""Judging raw-milk results against table 5.1 of the module and Regulation 853/2004.

The milk's origin (species, source, intended use) selects the rows of table 5.1; each result is
judged against its row's norm. Plate count and somatic cells are also judged month by month:

- When the row's frequency meets the regulation's minimum sampling (plate count 2 a month,
  somatic cells 1 a month), a calendar month's result is the rolling geometric mean at its end
  (2 or 3 months). A month whose window lacks samples is judged unfavourable when the mean of the
  samples there are already exceeds the norm, and otherwise counts neither way: skipping samples
  does not clear a run.
- With a lower frequency (own milk not delivered: 1 per 3 months) the results are judged singly:
  a month with a result above the norm is unfavourable, one with results within it conforms.

Months without results of their own are skipped. From the 4th consecutive unfavourable monthly
result, use and delivery stop (§5.1). Antibiotic residues above the MRL stop use and delivery at
once, and the milk and the lots made from it are destroyed.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dairyhaccp.guide.models import Guide, RawMilkAnalysis
from dairyhaccp.lab.actions import Action
from dairyhaccp.lab.raw_milk import (
    DEFAULT_ROLLING_RULES,
    STOP_FROM_CONSECUTIVE_UNFAVOURABLE,
    RawMilkStatus,
    RollingRule,
    RollingStatus,
    rolling_status,
)
from dairyhaccp.vocabulary import SPECIES

SPECIES_GROUPS: tuple[str, ...] = ("cow", "other")
MILK_SOURCES: tuple[str, ...] = ("own_not_delivered", "own_delivered", "bought")
MILK_USES: tuple[str, ...] = ("raw_milk_products", "heat_treated")

COUNT_PARAMETERS: frozenset[str] = frozenset({"plate_count", "somatic_cells", "e_coli"})
MONTHLY_PARAMETERS: frozenset[str] = frozenset(DEFAULT_ROLLING_RULES)
PRESENCE_VALUES: tuple[str, ...] = ("detected", "not_detected")
CHECK_VALUES: tuple[str, ...] = ("ok", "not_ok")
VALUE_KINDS: dict[str, str] = {
    "plate_count": "count",
    "somatic_cells": "count",
    "e_coli": "count",
    "antibiotic_residues": "presence",
    "visible_cleanliness": "check",
}
RAW_MILK_PARAMETERS: tuple[str, ...] = tuple(VALUE_KINDS)
ANTIBIOTIC_LOOKBACK_DAYS = 365


class RawMilkVerdict(StrEnum):
    """The verdict on raw milk for one parameter."""

    CONFORM = "conform"
    UNFAVOURABLE = "unfavourable"


class JudgingBasis(StrEnum):
    """How plate count and somatic cells are judged month by month."""

    ROLLING_MEAN = "rolling_geometric_mean"
    SINGLE_RESULTS = "single_results"


class MonthStatus(StrEnum):
    """A calendar month's result for plate count or somatic cells."""

    CONFORM = "conform"
    UNFAVOURABLE = "unfavourable"
    INSUFFICIENT_SAMPLES = "insufficient_samples"
    NO_RESULT = "no_result"


def species_group(species: str) -> str:
    """'cow' or 'other' (table 5.1 distinguishes cow milk from milk of other animals)."""
    if species in SPECIES_GROUPS:
        return species
    if species in SPECIES:
        return "other"
    known = ", ".join((*SPECIES_GROUPS, *SPECIES[1:]))
    raise ValueError(f"species: {species!r} is not one of {known}")


@dataclass(frozen=True, slots=True)
class MilkOrigin:
    """Where the raw milk comes from and what it is used for: the keys of table 5.1."""

    species: str
    source: str
    use: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "species", species_group(self.species))
        if self.source not in MILK_SOURCES:
            raise ValueError(f"source: {self.source!r} is not one of {', '.join(MILK_SOURCES)}")
        if self.use not in MILK_USES:
            raise ValueError(f"use: {self.use!r} is not one of {', '.join(MILK_USES)}")

    @property
    def own_production(self) -> bool:
        return self.source != "bought"


def raw_milk_rows(guide: Guide, origin: MilkOrigin) -> list[RawMilkAnalysis]:
    """The rows of table 5.1 for milk of this origin (rows for any use included)."""
    return [
        row
        for row in guide.raw_milk_analyses
        if row.species == origin.species
        and row.source_type == origin.source
        and row.use in ("any", origin.use)
    ]


def raw_milk_row(guide: Guide, origin: MilkOrigin, parameter: str) -> RawMilkAnalysis:
    """The row of table 5.1 for `parameter`; ValueError naming the field when there is none."""
    rows = raw_milk_rows(guide, origin)
    for row in rows:
        if row.parameter == parameter:
            return row
    known = ", ".join(row.parameter for row in rows)
    raise ValueError(
        f"parameter: table 5.1 has no {parameter!r} for {origin.species} milk, "
        f"{origin.source}, {origin.use}; it has: {known}"
    )


def check_result_value(parameter: str, value: object, field: str) -> float | str:
    """A result value of the kind the parameter takes, or ValueError naming `field`."""
    kind = VALUE_KINDS.get(parameter)
    if kind is None:
        raise ValueError(f"parameter: {parameter!r} is not one of {', '.join(RAW_MILK_PARAMETERS)}")
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{field}: {value!r} is not a number")
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{field}: {value!r} is not a positive number")
        return float(value)
    if kind == "check":
        if value is True:
            return "ok"
        if value is False:
            return "not_ok"
        if value not in CHECK_VALUES:
            raise ValueError(f"{field}: {value!r} is not one of ok, not_ok (or true, false)")
        return str(value)
    if value not in PRESENCE_VALUES:
        raise ValueError(f"{field}: {value!r} is not one of detected, not_detected")
    return str(value)


@dataclass(frozen=True, slots=True)
class RawMilkResult:
    """One lab result: the sampling day and a count, 'detected'/'not_detected' or 'ok'/'not_ok'."""

    day: date
    value: float | str


@dataclass(frozen=True, slots=True)
class SingleResult:
    """One result judged against the row's norm."""

    day: date
    value: float | str
    conform: bool


@dataclass(frozen=True, slots=True)
class MonthResult:
    """A calendar month of plate count or somatic cells, and the run of unfavourable months."""

    month: date
    status: MonthStatus
    results: int
    on_too_few_samples: bool
    rolling: RollingStatus
    consecutive_unfavourable: int
    stop_use: bool

    @property
    def geometric_mean(self) -> float | None:
        """The rolling geometric mean at the month's end (on whatever samples there are)."""
        return self.rolling.geometric_mean


@dataclass(frozen=True, slots=True)
class RawMilkJudgement:
    """The verdict on one parameter of raw milk, with what the module requires."""

    row: RawMilkAnalysis
    origin: MilkOrigin
    as_of: date
    verdict: RawMilkVerdict
    verdict_day: date
    basis: JudgingBasis | None
    geometric_mean: float | None
    geometric_mean_status: RawMilkStatus | None
    rolling: RollingStatus | None
    consecutive_unfavourable_months: int
    stop_use: bool
    notify_favv: bool
    actions: tuple[Action, ...]
    singles: tuple[SingleResult, ...]
    timeline: tuple[MonthResult, ...]
    on_too_few_samples: bool
    detected_last_12_months: int
    linked_lots: tuple[str, ...]

    @property
    def parameter(self) -> str:
        return self.row.parameter

    @property
    def norm(self) -> float | None:
        return self.row.norm.value


def judging_basis(row: RawMilkAnalysis, rule: RollingRule) -> JudgingBasis:
    """Rolling means when the row's frequency meets the rule's samples a month, else singles."""
    days = row.frequency.approx_days()
    if days is None:  # an event ("each collection") samples at least as often as the rule
        return JudgingBasis.ROLLING_MEAN
    per_month = 30.44 / days
    if per_month + 1e-9 >= rule.min_samples_per_month:
        return JudgingBasis.ROLLING_MEAN
    return JudgingBasis.SINGLE_RESULTS


def _conform(row: RawMilkAnalysis, value: float | str) -> bool:
    if isinstance(value, str):
        return value in ("not_detected", "ok")
    return row.norm.value is None or value <= row.norm.value


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _timeline(
    counts: list[tuple[date, float]],
    row: RawMilkAnalysis,
    basis: JudgingBasis,
    rule: RollingRule,
    as_of: date,
) -> list[MonthResult]:
    norm = row.norm.value
    if norm is None:
        raise ValueError(f"row {row.id}: a count norm needs a value")
    months: list[MonthResult] = []
    run = 0
    month = min(day for day, _ in counts).replace(day=1)
    while month <= as_of:
        end = _month_end(month)
        own = [value for day, value in counts if month <= day <= end]
        rolling = rolling_status(
            counts,
            row.parameter,
            norm,
            end,
            window_months=rule.window_months,
            min_samples_per_month=rule.min_samples_per_month,
            min_samples_total=rule.min_samples_total,
        )
        too_few = False
        if not own:
            status = MonthStatus.NO_RESULT
        elif basis is JudgingBasis.SINGLE_RESULTS:
            above = any(value > norm for value in own)
            status = MonthStatus.UNFAVOURABLE if above else MonthStatus.CONFORM
        elif rolling.status is RawMilkStatus.CONFORM:
            status = MonthStatus.CONFORM
        elif rolling.status is RawMilkStatus.UNFAVOURABLE:
            status = MonthStatus.UNFAVOURABLE
        elif rolling.geometric_mean is not None and rolling.geometric_mean > norm:
            status, too_few = MonthStatus.UNFAVOURABLE, True
        else:
            status = MonthStatus.INSUFFICIENT_SAMPLES
        if status is MonthStatus.UNFAVOURABLE:
            run += 1
        elif status is MonthStatus.CONFORM:
            run = 0
        months.append(
            MonthResult(
                month=month,
                status=status,
                results=len(own),
                on_too_few_samples=too_few,
                rolling=rolling,
                consecutive_unfavourable=run,
                stop_use=run >= STOP_FROM_CONSECUTIVE_UNFAVOURABLE,
            )
        )
        month = end + timedelta(days=1)
    return months


def _checked(
    parameter: str, results: Sequence[RawMilkResult], as_of: date | None
) -> tuple[list[RawMilkResult], date]:
    if not results:
        raise ValueError("results: at least one result is needed")
    checked = []
    for index, result in enumerate(results):
        if not isinstance(result.day, date):
            raise ValueError(f"results[{index}].date: {result.day!r} is not a date")
        value = check_result_value(parameter, result.value, f"results[{index}].value")
        checked.append(RawMilkResult(result.day, value))
    cut_off = as_of if as_of is not None else max(r.day for r in checked)
    kept = sorted((r for r in checked if r.day <= cut_off), key=lambda r: r.day)
    if not kept:
        raise ValueError(f"as_of: no result on or before {cut_off.isoformat()}")
    return kept, cut_off


def _monthly_actions(
    origin: MilkOrigin, verdict: RawMilkVerdict, run: int, stop: bool, too_few: bool
) -> list[Action]:
    actions: list[Action] = []
    if stop:
        actions.append(Action.STOP_USE_AND_DELIVERY)
    if verdict is RawMilkVerdict.UNFAVOURABLE:
        actions.append(Action.NOTIFY_FAVV)
        actions.append(
            Action.RAISE_MILKING_HYGIENE if origin.own_production else Action.PRESS_SUPPLIER
        )
        if not stop and run == STOP_FROM_CONSECUTIVE_UNFAVOURABLE - 1:
            actions.append(Action.NEXT_UNFAVOURABLE_MONTH_STOPS_USE)
        actions.append(Action.INCREASE_FREQUENCY)
    if too_few:
        actions.append(Action.TAKE_MISSING_SAMPLES)
    return actions


def judge_raw_milk(
    guide: Guide,
    origin: MilkOrigin,
    parameter: str,
    results: Sequence[RawMilkResult],
    *,
    as_of: date | None = None,
    rule: RollingRule | None = None,
    linked_lots: Sequence[str] = (),
) -> RawMilkJudgement:
    """Judge the results of one parameter of raw milk up to `as_of` (default: the last result).

    `linked_lots` are the production lots made from the milk, listed when antibiotics are found.
    """
    row = raw_milk_row(guide, origin, parameter)
    kept, cut_off = _checked(parameter, results, as_of)
    singles = tuple(SingleResult(r.day, r.value, _conform(row, r.value)) for r in kept)
    last_day = kept[-1].day
    latest_ok = all(s.conform for s in singles if s.day == last_day)
    verdict = RawMilkVerdict.CONFORM if latest_ok else RawMilkVerdict.UNFAVOURABLE
    basis: JudgingBasis | None = None
    timeline: list[MonthResult] = []
    rolling: RollingStatus | None = None
    mean: float | None = None
    run = 0
    stop = False
    too_few = False
    actions: list[Action] = []
    detected = 0
    if parameter in MONTHLY_PARAMETERS:
        effective_rule = rule or DEFAULT_ROLLING_RULES[parameter]
        basis = judging_basis(row, effective_rule)
        counts = [(r.day, float(r.value)) for r in kept]
        timeline = _timeline(counts, row, basis, effective_rule, cut_off)
        current = next(m for m in reversed(timeline) if m.status is not MonthStatus.NO_RESULT)
        rolling, mean = current.rolling, current.geometric_mean
        run, stop = current.consecutive_unfavourable, current.stop_use
        unfavourable = current.status is MonthStatus.UNFAVOURABLE
        verdict = RawMilkVerdict.UNFAVOURABLE if unfavourable else RawMilkVerdict.CONFORM
        too_few = basis is JudgingBasis.ROLLING_MEAN and (
            current.on_too_few_samples or current.status is MonthStatus.INSUFFICIENT_SAMPLES
        )
        last_day = max(r.day for r in kept if r.day >= current.month)
        actions = _monthly_actions(origin, verdict, run, stop, too_few)
    elif parameter == "antibiotic_residues":
        since = cut_off - timedelta(days=ANTIBIOTIC_LOOKBACK_DAYS)
        detected = len({s.day for s in singles if not s.conform and s.day > since})
        if verdict is RawMilkVerdict.UNFAVOURABLE:
            stop = True
            actions = [
                Action.STOP_USE_AND_DELIVERY,
                Action.NOTIFY_FAVV_ANTIBIOTICS,
                Action.DESTROY_MILK_AND_LOTS,
                Action.INCREASE_FREQUENCY,
            ]
    elif verdict is RawMilkVerdict.UNFAVOURABLE:  # E. coli, visible cleanliness
        actions = [
            Action.RAISE_UDDER_HYGIENE if origin.own_production else Action.PRESS_SUPPLIER,
            Action.INCREASE_FREQUENCY,
        ]
    notify = verdict is RawMilkVerdict.UNFAVOURABLE and (
        parameter in MONTHLY_PARAMETERS or parameter == "antibiotic_residues"
    )
    lots = tuple(linked_lots) if parameter == "antibiotic_residues" and stop else ()
    return RawMilkJudgement(
        row=row,
        origin=origin,
        as_of=cut_off,
        verdict=verdict,
        verdict_day=last_day,
        basis=basis,
        geometric_mean=mean,
        geometric_mean_status=rolling.status if rolling is not None else None,
        rolling=rolling,
        consecutive_unfavourable_months=run,
        stop_use=stop,
        notify_favv=notify,
        actions=tuple(actions),
        singles=singles,
        timeline=tuple(timeline),
        on_too_few_samples=too_few,
        detected_last_12_months=detected,
        linked_lots=lots,
    )
