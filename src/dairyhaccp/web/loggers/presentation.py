"""Judged days as pages show them: local times, localised numbers, words for verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from dairyhaccp.web.loggers.plot import Band, Line
from dairyhaccp.web.loggers.services.series import ZONE, moment
from dairyhaccp.web.parameters import local_number


def clock(seconds: int, day: date) -> str:
    """A local time; with its date when it is not on `day`."""
    local = moment(seconds).astimezone(ZONE)
    # A 24-hour clock, as on the logger; the date only when the time is not on `day`.
    if local.date() == day:
        return f"{local:%H:%M}"
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M}"


def minutes(seconds: float) -> str:
    return number_format(round(seconds / 60), 0, force_grouping=True)


def degrees(value: float | None) -> str:
    return "" if value is None else local_number(round(value, 2))


def verdict_word(verdict: str) -> str:
    return {
        "conform": _("Conform"),
        "warning": _("Warning"),
        "deviation": _("Deviation"),
        "incomplete": _("Incomplete"),
    }.get(verdict, verdict)


@dataclass(frozen=True)
class ExcursionRow:
    start: str
    end: str
    minutes: str
    peak: str
    verdict: str
    verdict_word: str
    why: str


@dataclass(frozen=True)
class GapRow:
    start: str
    end: str
    minutes: str


def _why(item: dict[str, Any]) -> str:
    reasons = []
    if item.get("above_ceiling"):
        reasons.append(_("higher than a short fluctuation may go"))
    if item.get("too_long"):
        reasons.append(_("longer than a short fluctuation may last"))
    if item.get("open_start"):
        reasons.append(_("already above at the first reading"))
    if item.get("open_end"):
        reasons.append(_("still above at the last reading"))
    return "; ".join(reasons)


def excursion_rows(items: Sequence[dict[str, Any]], day: date) -> list[ExcursionRow]:
    """Stored excursions (as judged) for a table."""
    return [
        ExcursionRow(
            start=clock(item["start_s"], day),
            end=clock(item["end_s"], day),
            minutes=minutes(item["duration_s"]),
            peak=degrees(item["peak_c"]),
            verdict=item["verdict"],
            verdict_word=verdict_word(item["verdict"]),
            why=_why(item),
        )
        for item in items
    ]


def gap_rows(items: Sequence[dict[str, Any]], day: date) -> list[GapRow]:
    return [
        GapRow(
            start=clock(item["start_s"], day),
            end=clock(item["end_s"], day),
            minutes=minutes(item["end_s"] - item["start_s"]),
        )
        for item in items
    ]


def plot_parts(
    maximum_c: float,
    ceiling_c: float,
    excursions: Sequence[dict[str, Any]],
    gaps: Sequence[dict[str, Any]],
    day: date,
) -> tuple[list[Line], list[Band]]:
    """The limit lines and the shaded stretches of a judged day."""
    lines = [
        Line(maximum_c, _("max. {value} °C").format(value=degrees(maximum_c)), "critical_limit")
    ]
    if ceiling_c > maximum_c:
        lines.append(
            Line(
                ceiling_c,
                _("short fluctuation up to {value} °C").format(value=degrees(ceiling_c)),
                "guide_value",
            )
        )
    bands = [
        Band(
            item["start_s"],
            item["end_s"],
            item["verdict"],
            _("{start}–{end}: {minutes} min, peak {peak} °C").format(
                start=clock(item["start_s"], day),
                end=clock(item["end_s"], day),
                minutes=minutes(item["duration_s"]),
                peak=degrees(item["peak_c"]),
            ),
        )
        for item in excursions
    ]
    bands += [
        Band(
            item["start_s"],
            item["end_s"],
            "gap",
            _("No readings {start}–{end}").format(
                start=clock(item["start_s"], day), end=clock(item["end_s"], day)
            ),
        )
        for item in gaps
    ]
    return lines, bands
