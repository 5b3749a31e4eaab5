"""Which analyses are due or overdue, on the calendar windows of `monitoring.schedule`.

Raw milk: each row of table 5.1 at its frequency (1 per 3 months: January-March, ...; 2 per
month: twice in each calendar month). Rows sampled at each collection have no window: they are
listed without a status. After the withdrawal period of a treated animal, an antibiotic test is
due before its milk is used again. Finished products: each parameter of each family at the
family's frequency, with the product the sampling calendar plans for the current window.
Sampling days count as noon in Brussels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dairyhaccp.guide.models import Frequency
from dairyhaccp.lab.sampling_calendar import FamilyToSample, sampling_calendar
from dairyhaccp.monitoring.schedule import (
    BRUSSELS,
    DueItem,
    event_item,
    periodic_item,
    window_of,
)
from dairyhaccp.plan.models import RawMilkAnalysisItem

AFTER_WITHDRAWAL = Frequency.parse("each withdrawal_period_end")
Day = date | datetime


@dataclass(frozen=True, slots=True)
class DueAnalysis:
    """An analysis on the schedule: its key, parameter and status (None when per event)."""

    key: str
    parameter: str
    item: DueItem | None
    frequency: Frequency
    planned_product: str | None = None


def as_moment(day: Day) -> datetime:
    """A sampling day as an aware moment: noon in Brussels (datetimes pass unchanged)."""
    if isinstance(day, datetime):
        return day if day.tzinfo is not None else day.replace(tzinfo=BRUSSELS)
    return datetime.combine(day, time(12), tzinfo=BRUSSELS)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)


def raw_milk_due(
    rows: Sequence[RawMilkAnalysisItem],
    done: Mapping[str, Sequence[Day]],
    now: datetime,
    since: datetime | None = None,
) -> list[DueAnalysis]:
    """The status of each raw-milk analysis of the plan; `done` maps row id to sampling days."""
    due = []
    for row in rows:
        moments = [as_moment(day) for day in done.get(row.id, ())]
        item = None
        if row.frequency.is_periodic:
            item = periodic_item(row.id, row.parameter, row.frequency, moments, now, since)
        due.append(DueAnalysis(row.id, row.parameter, item, row.frequency))
    return due


def withdrawal_due(
    period_ends: Sequence[Day], antibiotic_days: Sequence[Day], now: datetime
) -> list[DueItem]:
    """An antibiotic test per withdrawal period end, done by a test on or after that day."""
    tested = [as_moment(day) for day in antibiotic_days]
    items = []
    for end in period_ends:
        # A period ending on a day ends at its start: a test that day counts.
        ends_at = as_moment(end) if isinstance(end, datetime) else _start_of(end)
        done = any(moment >= ends_at for moment in tested)
        items.append(
            event_item(
                f"withdrawal:{ends_at.date().isoformat()}",
                "antibiotic_residues",
                AFTER_WITHDRAWAL,
                ends_at,
                done,
                now,
                grace=timedelta(hours=24),
            )
        )
    return items


def product_due(
    families: Sequence[FamilyToSample],
    done: Mapping[tuple[str, str], Sequence[Day]],
    now: datetime,
    since: datetime | None = None,
) -> list[DueAnalysis]:
    """Per family and parameter, the status and the product planned for the current window.

    `done` maps (family, parameter) to the sampling days of its results.
    """
    local_today = now.astimezone(BRUSSELS).date()
    planned = sampling_calendar(families, local_today.year)
    due = []
    for family in families:
        window = window_of(family.frequency, local_today)
        product = next(
            (
                sample.product
                for sample in planned
                if sample.family == family.family and window.start <= sample.month < window.end
            ),
            None,
        )
        for parameter in family.parameters:
            moments = [as_moment(day) for day in done.get((family.family, parameter), ())]
            key = f"{family.family}:{parameter}"
            item = periodic_item(key, parameter, family.frequency, moments, now, since)
            due.append(DueAnalysis(key, parameter, item, family.frequency, product))
    return due
