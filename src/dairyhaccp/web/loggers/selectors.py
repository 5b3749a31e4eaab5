"""Reads of the loggers context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from dairyhaccp.web.loggers.models import DayJudgement, DaySeries, Device, LoggerFile
from dairyhaccp.web.loggers.services.series import Readings, StoredDay, stored_days
from dairyhaccp.web.operators.models import Operator


def devices(operator: Operator) -> QuerySet[Device]:
    """The operator's loggers with their rooms, by name."""
    return Device.objects.for_operator(operator).select_related("room")


def files(device: Device) -> QuerySet[LoggerFile]:
    """The files uploaded for a logger, newest first (without their content)."""
    return LoggerFile.objects.filter(device=device).defer("content")


@dataclass(frozen=True)
class DayRow:
    """One day of a logger: its latest version and that version's latest judgement."""

    series: DaySeries
    judgement: DayJudgement | None


def latest_judgements(series: list[DaySeries]) -> dict[int, DayJudgement]:
    """The latest judgement of each of these versions (if judged)."""
    found: dict[int, DayJudgement] = {}
    rows = (
        DayJudgement.objects.filter(series__in=series)
        .select_related("registration")
        .order_by("series_id", "-pk")
    )
    for judgement in rows:
        found.setdefault(judgement.series_id, judgement)
    return found


def device_days(device: Device, first: date, last: date) -> list[DayRow]:
    """The days of a logger from `first` to `last`, newest first, in their latest version."""
    latest: dict[date, DaySeries] = {}
    rows = (
        DaySeries.objects.filter(device=device, day__range=(first, last))
        .defer("data")
        .order_by("-day", "-version")
    )
    for series in rows:
        latest.setdefault(series.day, series)
    judged = latest_judgements(list(latest.values()))
    return [DayRow(series, judged.get(series.pk)) for series in latest.values()]


def day_versions(device: Device, day: date) -> list[DaySeries]:
    """Every version of a logger's day, newest first."""
    return list(
        DaySeries.objects.filter(device=device, day=day)
        .select_related("file", "created_by")
        .order_by("-version")
    )


def day_judgements(device: Device, day: date) -> list[DayJudgement]:
    """Every judgement of a logger's day, newest first."""
    return list(
        DayJudgement.objects.filter(device=device, day=day)
        .select_related("registration", "series")
        .order_by("-pk")
    )


def stored_day(device: Device, day: date) -> StoredDay | None:
    """What is stored of one day: its latest version and readings still waiting."""
    return stored_days(device, day, day).get(day)


def day_with_neighbours(device: Device, day: date) -> dict[date, Readings]:
    """The current readings of a day and of the days beside it."""
    stored = stored_days(device, day - timedelta(days=1), day + timedelta(days=1))
    return {when: entry.readings() for when, entry in stored.items()}
