"""Raw-milk quality as rolling geometric means (Regulation 853/2004 annex III section IX).

Plate count: geometric mean over 2 months with at least 2 samples a month; somatic cells: over 3
months with at least 1 sample a month. A window without its minimum samples is not judged. From
the 4th consecutive unfavourable monthly result, use and delivery of the milk stop (module §5.1).
Periods and minimum samples are parameters; the defaults are the regulation's.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from dairyhaccp.lab.dates import check_plausible_day
from dairyhaccp.lab.findings import Finding, FindingCode, check_count, check_finite

STOP_FROM_CONSECUTIVE_UNFAVOURABLE = 4


class RawMilkStatus(StrEnum):
    """The judgement of a rolling window."""

    CONFORM = "conform"
    UNFAVOURABLE = "unfavourable"
    INSUFFICIENT_SAMPLES = "insufficient_samples"


@dataclass(frozen=True, slots=True)
class RollingRule:
    """How a parameter's rolling geometric mean is formed."""

    window_months: int
    min_samples_per_month: int
    min_samples_total: int = 0


DEFAULT_ROLLING_RULES: Mapping[str, RollingRule] = MappingProxyType(
    {
        "plate_count": RollingRule(window_months=2, min_samples_per_month=2),
        "somatic_cells": RollingRule(window_months=3, min_samples_per_month=1),
    }
)


@dataclass(frozen=True, slots=True)
class WindowMonth:
    """One month of a rolling window (both dates inclusive) and its number of samples."""

    start: date
    end: date
    samples: int


@dataclass(frozen=True, slots=True)
class RollingStatus:
    """A parameter's rolling geometric mean on a day, judged against its norm."""

    parameter: str
    as_of: date
    norm: float
    status: RawMilkStatus
    geometric_mean: float | None
    sample_count: int
    months: tuple[WindowMonth, ...]
    findings: tuple[Finding, ...]

    @property
    def window_start(self) -> date:
        return self.months[-1].start

    @property
    def window_end(self) -> date:
        return self.months[0].end


@dataclass(frozen=True, slots=True)
class MonthlyResult:
    """A calendar month's result: the rolling status at its last day and the unfavourable run."""

    month: date
    rolling: RollingStatus
    consecutive_unfavourable: int
    stop_use_and_delivery: bool

    @property
    def verdict(self) -> RawMilkStatus:
        return self.rolling.status

    @property
    def findings(self) -> tuple[Finding, ...]:
        if not self.stop_use_and_delivery:
            return self.rolling.findings
        stop = Finding(
            FindingCode.STOP_USE_AND_DELIVERY,
            measured=self.consecutive_unfavourable,
            required=STOP_FROM_CONSECUTIVE_UNFAVOURABLE,
        )
        return (*self.rolling.findings, stop)


def geometric_mean(values: Sequence[float]) -> float:
    """The geometric mean of positive values."""
    if not values:
        raise ValueError("values: at least one value is needed")
    logs = []
    for index, value in enumerate(values):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"values[{index}]: {value!r} is not a positive number")
        logs.append(math.log10(value))
    mean = 10 ** (math.fsum(logs) / len(logs))
    # 12 significant digits: the mean of equal values, or of 50 000 and 200 000, is then exact
    # and a mean at the norm is not judged above it for the noise of the logarithms.
    return float(f"{mean:.12g}")


def _months_before(day: date, months: int) -> date:
    """`day` moved back whole months; a month's last day maps to the target month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    target_last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, target_last)
    return date(year, month, min(day.day, target_last))


def window_first_day(as_of: date, window_months: int) -> date:
    """The first day of the window of `window_months` months ending on `as_of`: `rolling_status`
    for that day reads no result before it."""
    return _months_before(as_of, window_months) + timedelta(days=1)


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _rule(
    parameter: str,
    window_months: int | None,
    min_samples_per_month: int | None,
    min_samples_total: int | None,
) -> RollingRule:
    """The parameter's default rule with any explicitly given values in its place."""
    default = DEFAULT_ROLLING_RULES.get(parameter)
    if default is None:
        if window_months is None or min_samples_per_month is None:
            known = sorted(DEFAULT_ROLLING_RULES)
            raise ValueError(f"parameter: no default window for {parameter!r}; known: {known}")
        default = RollingRule(window_months, min_samples_per_month)
    months = default.window_months if window_months is None else window_months
    per_month = (
        default.min_samples_per_month if min_samples_per_month is None else min_samples_per_month
    )
    total = default.min_samples_total if min_samples_total is None else min_samples_total
    return RollingRule(
        window_months=check_count("window_months", months, minimum=1),
        min_samples_per_month=check_count("min_samples_per_month", per_month, minimum=0),
        min_samples_total=check_count("min_samples_total", total, minimum=0),
    )


def _checked_results(results: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    checked = []
    for index, (day, value) in enumerate(results):
        if not isinstance(day, date):
            raise ValueError(f"results[{index}]: {day!r} is not a date")
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"results[{index}]: {value!r} is not a positive number")
        checked.append((check_plausible_day(f"results[{index}]", _as_date(day)), float(value)))
    return checked


def _judge(
    results: list[tuple[date, float]], parameter: str, norm: float, as_of: date, rule: RollingRule
) -> RollingStatus:
    months: list[WindowMonth] = []
    window_values: list[float] = []
    findings: list[Finding] = []
    for back in range(rule.window_months):
        end = _months_before(as_of, back)
        start = _months_before(as_of, back + 1) + timedelta(days=1)
        values = [value for day, value in results if start <= day <= end]
        months.append(WindowMonth(start=start, end=end, samples=len(values)))
        window_values.extend(values)
        if len(values) < rule.min_samples_per_month:
            findings.append(
                Finding(
                    FindingCode.INSUFFICIENT_SAMPLES,
                    measured=len(values),
                    required=rule.min_samples_per_month,
                )
            )
    if len(window_values) < rule.min_samples_total:
        findings.append(
            Finding(
                FindingCode.INSUFFICIENT_SAMPLES,
                measured=len(window_values),
                required=rule.min_samples_total,
            )
        )
    mean = geometric_mean(window_values) if window_values else None
    if findings or mean is None:
        status = RawMilkStatus.INSUFFICIENT_SAMPLES
    elif mean <= norm:
        status = RawMilkStatus.CONFORM
    else:
        status = RawMilkStatus.UNFAVOURABLE
        findings.append(Finding(FindingCode.ABOVE_NORM, measured=mean, required=norm))
    return RollingStatus(
        parameter=parameter,
        as_of=as_of,
        norm=norm,
        status=status,
        geometric_mean=mean,
        sample_count=len(window_values),
        months=tuple(months),
        findings=tuple(findings),
    )


def rolling_status(
    results: Sequence[tuple[date, float]],
    parameter: str,
    norm: float,
    as_of: date,
    *,
    window_months: int | None = None,
    min_samples_per_month: int | None = None,
    min_samples_total: int | None = None,
) -> RollingStatus:
    """The rolling geometric mean of the months ending on `as_of`, judged against `norm`."""
    rule = _rule(parameter, window_months, min_samples_per_month, min_samples_total)
    norm = check_finite("norm", norm)
    if norm <= 0:
        raise ValueError(f"norm: {norm!r} must be positive")
    if not isinstance(as_of, date):
        raise ValueError(f"as_of: {as_of!r} is not a date")
    day = check_plausible_day("as_of", _as_date(as_of))
    return _judge(_checked_results(results), parameter, norm, day, rule)


def monthly_results(
    results: Sequence[tuple[date, float]],
    parameter: str,
    norm: float,
    *,
    first_month: date | None = None,
    last_month: date | None = None,
    window_months: int | None = None,
    min_samples_per_month: int | None = None,
    min_samples_total: int | None = None,
) -> list[MonthlyResult]:
    """Per calendar month: the rolling result at its last day and the run of unfavourable ones.

    An insufficient month neither extends nor ends a run: skipping samples does not clear it.
    """
    checked = _checked_results(results)
    days = [day for day, _ in checked]
    first = _as_date(first_month) if first_month is not None else min(days, default=None)
    last = _as_date(last_month) if last_month is not None else max(days, default=None)
    if first is None or last is None:
        return []
    check_plausible_day("first_month", first)
    check_plausible_day("last_month", last)
    if last < first.replace(day=1):
        raise ValueError(f"last_month: {last} is before first_month {first}")
    monthly: list[MonthlyResult] = []
    run = 0
    month = first.replace(day=1)
    while month <= last:
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        status = rolling_status(
            checked,
            parameter,
            norm,
            month_end,
            window_months=window_months,
            min_samples_per_month=min_samples_per_month,
            min_samples_total=min_samples_total,
        )
        if status.status is RawMilkStatus.UNFAVOURABLE:
            run += 1
        elif status.status is RawMilkStatus.CONFORM:
            run = 0
        stop = run >= STOP_FROM_CONSECUTIVE_UNFAVOURABLE
        monthly.append(MonthlyResult(month, status, run, stop))
        month = month_end + timedelta(days=1)
    return monthly
