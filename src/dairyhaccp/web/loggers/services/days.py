"""Days of readings: stored as new versions, judged by the core, registered through the records
service, so that the verdict, the deviation and its corrective actions come from the one judge.

A day is judged and registered once it is over (local midnight has passed): a day still running
is stored but waits. When a later version of a judged day comes (a second file, late readings),
the day is judged again and its registration corrected with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dairyhaccp.loggers import SeriesJudgement, day_window, judge_day
from dairyhaccp.web.loggers.choices import SeriesSource
from dairyhaccp.web.loggers.codec import encode_series
from dairyhaccp.web.loggers.constants import CLOSE_LOOKBACK_DAYS, DAY_ZONE, REMARK_ITEMS
from dairyhaccp.web.loggers.models import DayJudgement, DaySeries, Device, LoggerFile
from dairyhaccp.web.loggers.services.limits import NoLimitsError, RoomLimits, room_limits
from dairyhaccp.web.loggers.services.series import (
    ZONE,
    Readings,
    current_readings,
    join,
    local_day,
    moment,
    stored_days,
)
from dairyhaccp.web.parameters import local_number
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.selectors import OperatorPlan, operator_plan
from dairyhaccp.web.records.services import (
    RegistrationError,
    RegistrationInput,
    correct_registration,
    record_registration,
)


def store_version(
    device: Device,
    day: date,
    readings: Readings,
    *,
    previous: DaySeries | None,
    added: int,
    source: SeriesSource,
    user: User,
    file: LoggerFile | None = None,
    pushed_through: int = 0,
) -> DaySeries:
    """A new version of a device's day holding every reading of the day."""
    return DaySeries.objects.create(
        operator_id=device.operator_id,
        device=device,
        day=day,
        version=previous.version + 1 if previous is not None else 1,
        data=encode_series(readings.times, readings.temperatures_c, readings.humidity_pct),
        readings=len(readings),
        first_at=moment(int(readings.times[0])),
        last_at=moment(int(readings.times[-1])),
        has_humidity=readings.humidity_pct is not None,
        source=source,
        file=file,
        pushed_through=max(pushed_through, previous.pushed_through if previous else 0),
        added=added,
        created_by=user,
    )


def day_is_over(day: date, now: datetime) -> bool:
    return day_window(day, DAY_ZONE)[1] <= int(now.timestamp())


@dataclass(frozen=True, eq=False)
class DaySummary:
    """What a judged day gives its registration: the peak, when, and the longest excursion."""

    judgement: SeriesJudgement
    peak_c: float | None
    peak_at: datetime | None
    measured_at: datetime | None
    longest_min: float

    @property
    def verdict(self) -> str:
        return self.judgement.verdict.value


def summarise(readings: Readings, judgement: SeriesJudgement, day: date) -> DaySummary:
    """The day's peak (its own readings and the whole of every excursion touching it), when it
    was, and the longest excursion; the moment registered is the peak's, kept inside the day."""
    start, end = day_window(day, DAY_ZONE)
    excursions = judgement.excursions
    lowest, highest = start, end
    if len(excursions):
        lowest = min(start, int(excursions.start_s.min()))
        highest = max(end, int(excursions.end_s.max()) + 1)
    around = readings.between(lowest, highest)
    inside = readings.between(start, end)
    longest = float(excursions.duration_s.max()) / 60 if len(excursions) else 0.0
    if len(inside) == 0:
        return DaySummary(judgement, None, None, None, longest)
    at = int(np.argmax(around.temperatures_c))
    peak_s = int(around.times[at])
    measured_s = min(max(peak_s, int(inside.times[0])), int(inside.times[-1]))
    return DaySummary(
        judgement,
        float(around.temperatures_c[at]),
        moment(peak_s),
        moment(measured_s),
        longest,
    )


def judge_readings(readings: Readings, day: date, limits: RoomLimits) -> DaySummary:
    """A day judged by the core, given the readings around it too."""
    judgement = judge_day(
        readings.times, readings.temperatures_c, limits.limits, day, zone=DAY_ZONE
    )
    return summarise(readings, judgement, day)


def _clock(seconds: int, day: date) -> str:
    local = moment(seconds).astimezone(ZONE)
    # A 24-hour clock, as on the logger; the date only when the time is not on `day`.
    if local.date() == day:
        return f"{local:%H:%M}"
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M}"


def _minutes(seconds: int | float) -> str:
    return number_format(round(float(seconds) / 60), 0)


def remark(device: Device, summary: DaySummary, day: date) -> str:
    """The registration's remark: the logger, its readings, each excursion and gap."""
    judgement = summary.judgement
    parts = [
        ngettext(
            "Logger {name}: {count} reading.",
            "Logger {name}: {count} readings.",
            judgement.readings,
        ).format(name=device.name, count=number_format(judgement.readings, force_grouping=True))
    ]
    for excursion in list(judgement.excursions)[:REMARK_ITEMS]:
        parts.append(
            _("Excursion {start}–{end} ({minutes} min), peak {peak} °C: {verdict}.").format(
                start=_clock(excursion.start_s, day),
                end=_clock(excursion.end_s, day),
                minutes=_minutes(excursion.duration_s),
                peak=local_number(round(excursion.peak_c, 2)),
                verdict=_("deviation") if excursion.verdict.value == "deviation" else _("warning"),
            )
        )
    for gap in list(judgement.gaps)[:REMARK_ITEMS]:
        parts.append(
            _("No readings {start}–{end} ({minutes} min).").format(
                start=_clock(gap.start_s, day),
                end=_clock(gap.end_s, day),
                minutes=_minutes(gap.duration_s),
            )
        )
    hidden = max(0, len(judgement.excursions) - REMARK_ITEMS) + max(
        0, len(judgement.gaps) - REMARK_ITEMS
    )
    if hidden:
        parts.append(_("{count} more on the logger's day page.").format(count=hidden))
    return " ".join(parts)


def registration_values(current: OperatorPlan, summary: DaySummary) -> dict[str, float]:
    """The day as a registration: its peak and its longest excursion (within the plausible
    range of the parameter: a longer one is past any allowed length anyway)."""
    assert summary.peak_c is not None
    most = current.guide.parameter("excursion_min").max
    longest = summary.longest_min if most is None else min(summary.longest_min, most)
    return {"temperature_c": summary.peak_c, "excursion_min": longest}


def _registration_input(
    device: Device, current: OperatorPlan, limits: RoomLimits, summary: DaySummary, day: date
) -> RegistrationInput:
    return RegistrationInput(
        control_id=limits.control_id,
        values=registration_values(current, summary),
        room=device.room,
        measured_at=summary.measured_at,
        remark=remark(device, summary, day),
    )


def _latest(registration: Registration) -> Registration:
    found = (
        Registration.objects.filter(operator=registration.operator, chain=registration.chain)
        .order_by("-version")
        .first()
    )
    return found or registration


def _register(
    device: Device,
    user: User,
    current: OperatorPlan,
    limits: RoomLimits,
    summary: DaySummary,
    day: date,
) -> Registration:
    data = _registration_input(device, current, limits, summary, day)
    earlier = (
        DayJudgement.objects.filter(device=device, day=day, registration__isnull=False)
        .select_related("registration")
        .order_by("-pk")
        .first()
    )
    if earlier is None or earlier.registration is None:
        return record_registration(device.operator, user, data).registration
    registration = _latest(earlier.registration)
    same = (
        registration.values == dict(data.values)
        and registration.remark == data.remark
        and registration.control_id == data.control_id
    )
    if same:
        return registration
    reason = _("New readings of the logger for this day.")
    return correct_registration(registration, user, data, reason).registration


def excursions_data(judgement: SeriesJudgement) -> list[dict[str, Any]]:
    """The excursions of a judgement as stored beside the day (UTC seconds, °C, verdicts)."""
    return [
        {
            "start_s": excursion.start_s,
            "end_s": excursion.end_s,
            "peak_c": excursion.peak_c,
            "duration_s": excursion.duration_s,
            "readings": excursion.readings,
            "verdict": excursion.verdict.value,
            "above_ceiling": excursion.above_ceiling,
            "too_long": excursion.too_long,
            "open_start": excursion.open_start,
            "open_end": excursion.open_end,
        }
        for excursion in judgement.excursions
    ]


def gaps_data(judgement: SeriesJudgement) -> list[dict[str, int]]:
    """The gaps of a judgement as stored beside the day (UTC seconds)."""
    return [{"start_s": gap.start_s, "end_s": gap.end_s} for gap in judgement.gaps]


def _unchanged(series: DaySeries, summary: DaySummary) -> bool:
    last = DayJudgement.objects.filter(series=series).order_by("-pk").first()
    judgement = summary.judgement
    return last is not None and (
        last.verdict == judgement.verdict.value
        and last.readings == judgement.readings
        and last.peak_c == summary.peak_c
        and last.excursions == excursions_data(judgement)
        and last.gaps == gaps_data(judgement)
    )


def judge_and_register(
    series: DaySeries,
    user: User,
    current: OperatorPlan | None = None,
    *,
    again: bool = False,
) -> DayJudgement | None:
    """Judge a stored day with the readings around it and make it the room's registration for
    that day. None when it cannot be judged yet (no plan, no storage limit for the room): it is
    tried again when days are next closed. `again`: a day judged before, judged anew because
    a day beside it changed; None if its judgement stays the same."""
    device = series.device
    current = current or operator_plan(device.operator)
    if current is None:
        return None
    try:
        limits = room_limits(current, device.room, device.max_interval_min)
    except NoLimitsError:
        return None
    day = series.day
    before = current_readings(device, day - timedelta(days=1), day - timedelta(days=1))
    after = current_readings(device, day + timedelta(days=1), day + timedelta(days=1))
    readings = join((before, Readings(*series.arrays()), after))
    summary = judge_readings(readings, day, limits)
    if again and _unchanged(series, summary):
        return None
    registration, problem = None, ""
    if summary.peak_c is not None:
        try:
            registration = _register(device, user, current, limits, summary, day)
        except RegistrationError as error:
            problem = error.problem
    judgement = summary.judgement
    return DayJudgement.objects.create(
        operator_id=device.operator_id,
        series=series,
        device=device,
        day=day,
        control_id=limits.control_id,
        verdict=judgement.verdict.value,
        readings=judgement.readings,
        maximum_c=limits.limits.maximum_c,
        ceiling_c=limits.limits.ceiling_c,
        allowed_min=limits.limits.allowed_min,
        max_interval_min=limits.limits.max_interval_min,
        peak_c=summary.peak_c,
        peak_at=summary.peak_at,
        longest_excursion_min=summary.longest_min,
        excursions=excursions_data(judgement),
        gaps=gaps_data(judgement),
        registration=registration,
        problem=problem,
        judged_by=user,
    )


def fold_pending(device: Device, user: User, now: datetime) -> list[DaySeries]:
    """Put the readings sent for days that are over into new versions of those days."""
    today = local_day(int(now.timestamp()))
    first = today - timedelta(days=CLOSE_LOOKBACK_DAYS)
    made = []
    for stored in stored_days(device, first, today).values():
        if not stored.pending or not day_is_over(stored.day, now):
            continue
        readings = stored.readings()
        previous_count = stored.latest.readings if stored.latest is not None else 0
        made.append(
            store_version(
                device,
                stored.day,
                readings,
                previous=stored.latest,
                added=len(readings) - previous_count,
                source=SeriesSource.PUSH,
                user=user,
                pushed_through=stored.pending_through,
            )
        )
    return made


def unjudged_days(device: Device, now: datetime) -> list[DaySeries]:
    """The latest versions of days that are over and not judged in that version yet."""
    today = local_day(int(now.timestamp()))
    first = today - timedelta(days=CLOSE_LOOKBACK_DAYS)
    latest: dict[date, DaySeries] = {}
    for series in DaySeries.objects.filter(device=device, day__range=(first, today)).order_by(
        "day", "-version"
    ):
        latest.setdefault(series.day, series)
    judged = set(
        DayJudgement.objects.filter(series__in=list(latest.values())).values_list(
            "series_id", flat=True
        )
    )
    return [
        series
        for day, series in latest.items()
        if series.pk not in judged and day_is_over(day, now)
    ]


@transaction.atomic
def close_days(device: Device, user: User, now: datetime | None = None) -> list[DayJudgement]:
    """Fold waiting readings of days that are over, then judge and register every such day not
    judged in its latest version. Days are judged in order, so a day sees the one before."""
    now = now or timezone.now()
    # One writer per logger at a time, so two closings never make the same version.
    Device.objects.select_for_update().filter(pk=device.pk).first()
    fold_pending(device, user, now)
    current = operator_plan(device.operator)
    if current is None:
        return []
    judged = []
    waiting = unjudged_days(device, now)
    waiting_days = {series.day for series in waiting}
    for series in waiting:
        judgement = judge_and_register(series, user, current)
        if judgement is None:
            continue
        judged.append(judgement)
        # An excursion or a gap across midnight is measured with the readings of both days.
        for neighbour in _judged_neighbours(device, series.day, waiting_days, now):
            again = judge_and_register(neighbour, user, current, again=True)
            if again is not None:
                judged.append(again)
    return judged


def _judged_neighbours(
    device: Device, day: date, skip: set[date], now: datetime
) -> list[DaySeries]:
    neighbours = []
    for other in (day - timedelta(days=1), day + timedelta(days=1)):
        if other in skip or not day_is_over(other, now):
            continue
        latest = DaySeries.objects.filter(device=device, day=other).order_by("-version").first()
        if latest is not None and DayJudgement.objects.filter(series=latest).exists():
            neighbours.append(latest)
    return neighbours
