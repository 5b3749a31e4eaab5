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
once, and the milk and the lots made from it are destroyed. Whether the operator notifies the
FAVV follows `lab.notification`.

A judgement made earlier on the same row may be handed in (`earlier`): a month whose results
(the rolling window, or the month's own results when judged singly) are the same keeps the status
it was judged with then, and a result that is the same keeps its single verdict; the runs of
unfavourable months are counted again over those statuses. So a verdict, once judged, changes
only when a result it rests on changes, not when the guide does.
"""

from __future__ import annotations

import calendar
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from dairyhaccp.guide.models import Guide, RawMilkAnalysis
from dairyhaccp.lab.actions import Action
from dairyhaccp.lab.dates import check_plausible_day
from dairyhaccp.lab.findings import shown
from dairyhaccp.lab.notification import (
    NO_NOTIFICATION,
    Analysed,
    NotificationDecision,
    NotificationDuty,
    raw_milk_notification,
)
from dairyhaccp.lab.raw_milk import (
    DEFAULT_ROLLING_RULES,
    STOP_FROM_CONSECUTIVE_UNFAVOURABLE,
    RawMilkStatus,
    RollingRule,
    RollingStatus,
    rolling_status,
    window_first_day,
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
    raise ValueError(f"species: {shown(species)} is not one of {known}")


@dataclass(frozen=True, slots=True)
class MilkOrigin:
    """Where the raw milk comes from and what it is used for: the keys of table 5.1."""

    species: str
    source: str
    use: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "species", species_group(self.species))
        if self.source not in MILK_SOURCES:
            known = ", ".join(MILK_SOURCES)
            raise ValueError(f"source: {shown(self.source)} is not one of {known}")
        if self.use not in MILK_USES:
            raise ValueError(f"use: {shown(self.use)} is not one of {', '.join(MILK_USES)}")

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
        known = ", ".join(RAW_MILK_PARAMETERS)
        raise ValueError(f"parameter: {shown(parameter)} is not one of {known}")
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{field}: {shown(value)} is not a number")
        try:
            count = float(value)
        except OverflowError:
            raise ValueError(f"{field}: the number is too large") from None
        if not math.isfinite(count) or count <= 0:
            raise ValueError(f"{field}: {shown(value)} is not a positive number")
        return count
    if kind == "check":
        if value is True:
            return "ok"
        if value is False:
            return "not_ok"
        if value not in CHECK_VALUES:
            raise ValueError(f"{field}: {shown(value)} is not one of ok, not_ok (or true, false)")
        return str(value)
    if value not in PRESENCE_VALUES:
        raise ValueError(f"{field}: {shown(value)} is not one of detected, not_detected")
    return str(value)


@dataclass(frozen=True, slots=True)
class RawMilkResult:
    """One lab result: the sampling day and a count, 'detected'/'not_detected' or 'ok'/'not_ok'.

    `laboratory`: who analysed it; `left_control`: whether the milk or what was made from it has
    left the business (None: not known); `ref`: the caller's name for the result.
    """

    day: date
    value: float | str
    laboratory: str = ""
    left_control: bool | None = None
    ref: str = ""


@dataclass(frozen=True, slots=True)
class SingleResult:
    """One result judged against the row's norm, with the guide version it was judged with."""

    day: date
    value: float | str
    conform: bool
    ref: str = ""
    judged_with: str = ""


@dataclass(frozen=True, slots=True)
class MonthResult:
    """A calendar month of plate count or somatic cells, and the run of unfavourable months.

    `inputs`: the (day, count) pairs its status rests on; `judged_with`: the guide version.
    """

    month: date
    status: MonthStatus
    results: int
    on_too_few_samples: bool
    rolling: RollingStatus
    consecutive_unfavourable: int
    stop_use: bool
    inputs: tuple[tuple[date, float], ...] = ()
    judged_with: str = ""

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
    notification: NotificationDecision = NO_NOTIFICATION
    guide_version: str = ""

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


def _month_status(
    own: list[float], norm: float, basis: JudgingBasis, rolling: RollingStatus
) -> tuple[MonthStatus, bool]:
    """A month's status and whether it was judged unfavourable on too few samples."""
    if not own:
        return MonthStatus.NO_RESULT, False
    if basis is JudgingBasis.SINGLE_RESULTS:
        above = any(value > norm for value in own)
        return (MonthStatus.UNFAVOURABLE if above else MonthStatus.CONFORM), False
    if rolling.status is RawMilkStatus.CONFORM:
        return MonthStatus.CONFORM, False
    if rolling.status is RawMilkStatus.UNFAVOURABLE:
        return MonthStatus.UNFAVOURABLE, False
    if rolling.geometric_mean is not None and rolling.geometric_mean > norm:
        return MonthStatus.UNFAVOURABLE, True
    return MonthStatus.INSUFFICIENT_SAMPLES, False


def _timeline(
    counts: list[tuple[date, float]],
    row: RawMilkAnalysis,
    basis: JudgingBasis,
    rule: RollingRule,
    as_of: date,
    version: str,
    earlier: Sequence[MonthResult] = (),
) -> list[MonthResult]:
    norm = row.norm.value
    if norm is None:
        raise ValueError(f"row {row.id}: a count norm needs a value")
    judged = {month.month: month for month in earlier}
    months: list[MonthResult] = []
    run = 0
    days = [day for day, _ in counts]  # `counts` are in order of their days
    month = days[0].replace(day=1)
    while month <= as_of:
        end = _month_end(month)
        last = bisect_right(days, end)
        own = counts[bisect_left(days, month) : last]
        window = counts[bisect_left(days, window_first_day(end, rule.window_months)) : last]
        rolling = rolling_status(
            window,
            row.parameter,
            norm,
            end,
            window_months=rule.window_months,
            min_samples_per_month=rule.min_samples_per_month,
            min_samples_total=rule.min_samples_total,
        )
        if basis is JudgingBasis.SINGLE_RESULTS:
            inputs = tuple(sorted(own))
        else:
            start, stop = rolling.window_start, rolling.window_end
            inputs = tuple(sorted((d, v) for d, v in window if start <= d <= stop))
        before = judged.get(month)
        if before is not None and before.inputs == inputs:
            status, too_few = before.status, before.on_too_few_samples
            rolling, judged_with = before.rolling, before.judged_with
        else:
            status, too_few = _month_status([v for _, v in own], norm, basis, rolling)
            judged_with = version
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
                inputs=inputs,
                judged_with=judged_with,
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
        check_plausible_day(f"results[{index}].date", result.day)
        value = check_result_value(parameter, result.value, f"results[{index}].value")
        checked.append(replace(result, value=value))
    if as_of is not None:
        check_plausible_day("as_of", as_of)
    cut_off = as_of if as_of is not None else max(r.day for r in checked)
    kept = sorted((r for r in checked if r.day <= cut_off), key=lambda r: r.day)
    if not kept:
        raise ValueError(f"as_of: no result on or before {cut_off.isoformat()}")
    return kept, cut_off


_NOTIFICATION_ACTIONS: dict[NotificationDuty, tuple[Action, ...]] = {
    NotificationDuty.NONE: (),
    NotificationDuty.REQUIRED: (Action.NOTIFY_FAVV,),
    NotificationDuty.REQUIRED_UNLESS_KEPT_IN_HOUSE: (Action.NOTIFY_FAVV_UNLESS_KEPT_IN_HOUSE,),
    NotificationDuty.NOT_REQUIRED_KEPT_IN_HOUSE: (Action.NO_NOTIFICATION_KEPT_IN_HOUSE,),
    NotificationDuty.TAKEN_OVER_BY_LABORATORY: (Action.LABORATORY_NOTIFIES,),
}


def notification_actions(decision: NotificationDecision) -> list[Action]:
    """What the operator does about notifying the FAVV."""
    actions = list(_NOTIFICATION_ACTIONS[decision.duty])
    if decision.laboratory_unknown:
        actions.append(Action.LABORATORY_NOTIFIES_IF_IT_ANALYSED)
    return actions


def _monthly_actions(
    origin: MilkOrigin,
    verdict: RawMilkVerdict,
    run: int,
    stop: bool,
    too_few: bool,
    notification: NotificationDecision,
) -> list[Action]:
    actions: list[Action] = []
    if stop:
        actions.append(Action.STOP_USE_AND_DELIVERY)
    if verdict is RawMilkVerdict.UNFAVOURABLE:
        actions += notification_actions(notification)
        actions.append(
            Action.RAISE_MILKING_HYGIENE if origin.own_production else Action.PRESS_SUPPLIER
        )
        if not stop and run == STOP_FROM_CONSECUTIVE_UNFAVOURABLE - 1:
            actions.append(Action.NEXT_UNFAVOURABLE_MONTH_STOPS_USE)
        actions.append(Action.INCREASE_FREQUENCY)
    if too_few:
        actions.append(Action.TAKE_MISSING_SAMPLES)
    return actions


def _singles(
    row: RawMilkAnalysis,
    kept: list[RawMilkResult],
    version: str,
    earlier: Sequence[SingleResult],
) -> tuple[SingleResult, ...]:
    """Each result judged against the norm, or as it was judged before when it is the same."""
    before: dict[tuple[str, date, float | str], list[SingleResult]] = {}
    for single in earlier:
        before.setdefault((single.ref, single.day, single.value), []).append(single)
    singles = []
    for result in kept:
        same = before.get((result.ref, result.day, result.value))
        if same:
            kept_single = same.pop(0)
            conform, judged_with = kept_single.conform, kept_single.judged_with
        else:
            conform, judged_with = _conform(row, result.value), version
        singles.append(SingleResult(result.day, result.value, conform, result.ref, judged_with))
    return tuple(singles)


def _analysed(results: Sequence[RawMilkResult]) -> list[Analysed]:
    return [Analysed(result.laboratory, result.left_control) for result in results]


def judge_raw_milk(
    guide: Guide,
    origin: MilkOrigin,
    parameter: str,
    results: Sequence[RawMilkResult],
    *,
    as_of: date | None = None,
    rule: RollingRule | None = None,
    linked_lots: Sequence[str] = (),
    earlier: RawMilkJudgement | None = None,
) -> RawMilkJudgement:
    """Judge the results of one parameter of raw milk up to `as_of` (default: the last result).

    `linked_lots` are the production lots made from the milk, listed when antibiotics are found.
    `earlier`: this row's judgement made before, whose months and results keep their verdicts
    where the results they rest on are the same.
    """
    row = raw_milk_row(guide, origin, parameter)
    version = guide.meta.version
    kept, cut_off = _checked(parameter, results, as_of)
    singles = _singles(row, kept, version, earlier.singles if earlier is not None else ())
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
    notification = NO_NOTIFICATION
    unfavourable = verdict is RawMilkVerdict.UNFAVOURABLE
    if parameter in MONTHLY_PARAMETERS:
        effective_rule = rule or DEFAULT_ROLLING_RULES[parameter]
        basis = judging_basis(row, effective_rule)
        counts = [(r.day, float(r.value)) for r in kept]
        months_before = earlier.timeline if earlier is not None else ()
        timeline = _timeline(counts, row, basis, effective_rule, cut_off, version, months_before)
        current = next(m for m in reversed(timeline) if m.status is not MonthStatus.NO_RESULT)
        rolling, mean = current.rolling, current.geometric_mean
        run, stop = current.consecutive_unfavourable, current.stop_use
        unfavourable = current.status is MonthStatus.UNFAVOURABLE
        verdict = RawMilkVerdict.UNFAVOURABLE if unfavourable else RawMilkVerdict.CONFORM
        too_few = basis is JudgingBasis.ROLLING_MEAN and (
            current.on_too_few_samples or current.status is MonthStatus.INSUFFICIENT_SAMPLES
        )
        last_day = max(r.day for r in kept if r.day >= current.month)
        if basis is JudgingBasis.ROLLING_MEAN:
            start, end = current.rolling.window_start, current.rolling.window_end
        else:
            start, end = current.month, _month_end(current.month)
        behind = [r for r in kept if start <= r.day <= end]
        notification = raw_milk_notification(
            guide, parameter, unfavourable, origin.own_production, _analysed(behind)
        )
        actions = _monthly_actions(origin, verdict, run, stop, too_few, notification)
    elif parameter == "antibiotic_residues":
        since = cut_off - timedelta(days=ANTIBIOTIC_LOOKBACK_DAYS)
        detected = len({s.day for s in singles if not s.conform and s.day > since})
        if unfavourable:
            stop = True
            positive = [
                r for r, s in zip(kept, singles, strict=True) if s.day == last_day and not s.conform
            ]
            notification = raw_milk_notification(
                guide, parameter, True, origin.own_production, _analysed(positive)
            )
            actions = [
                Action.STOP_USE_AND_DELIVERY,
                *notification_actions(notification),
                Action.DESTROY_MILK_AND_LOTS,
                Action.INCREASE_FREQUENCY,
            ]
    elif unfavourable:  # E. coli, visible cleanliness
        actions = [
            Action.RAISE_UDDER_HYGIENE if origin.own_production else Action.PRESS_SUPPLIER,
            Action.INCREASE_FREQUENCY,
        ]
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
        notify_favv=notification.notify_favv,
        actions=tuple(actions),
        singles=singles,
        timeline=tuple(timeline),
        on_too_few_samples=too_few,
        detected_last_12_months=detected,
        linked_lots=lots,
        notification=notification,
        guide_version=version,
    )
