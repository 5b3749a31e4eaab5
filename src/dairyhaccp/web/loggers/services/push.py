"""Readings a logger sends over HTTP: in any order, each (logger, time) stored once.

The readings of a request are put in order by the core (sort_readings), split by local day and
compared with what is stored: a reading already stored is skipped, one that contradicts a stored
reading refuses the whole request. New readings wait in PushedReadings until their day is over;
then the day is folded into a new version, judged and registered (here, on the next request,
or by `manage.py close_logger_days`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.loggers import SeriesError, sort_readings
from dairyhaccp.web.bounds import EARLIEST, FUTURE_TOLERANCE
from dairyhaccp.web.loggers.codec import encode_series
from dairyhaccp.web.loggers.constants import MAX_FILE_DAYS, MAX_PUSH_READINGS
from dairyhaccp.web.loggers.models import DayJudgement, Device, PushedReadings
from dairyhaccp.web.loggers.services.days import close_days
from dairyhaccp.web.loggers.services.errors import LoggerError
from dairyhaccp.web.loggers.services.series import (
    Readings,
    empty,
    merge,
    split_by_day,
    stored_days,
)


@dataclass(frozen=True)
class Pushed:
    """What a request did: readings received, newly stored, already stored; days judged."""

    received: int
    stored: int
    duplicates: int
    days: list[date]
    judged: list[DayJudgement]


def _checked(
    times: npt.ArrayLike, temperatures_c: npt.ArrayLike, now: datetime
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    count = len(times)  # type: ignore[arg-type]  # a sequence from the schema
    if count == 0:
        raise LoggerError("readings", _("send at least one reading"))
    if count > MAX_PUSH_READINGS:
        raise LoggerError(
            "readings",
            _("send at most {count} readings at a time").format(count=MAX_PUSH_READINGS),
        )
    try:
        ordered_times, ordered = sort_readings(times, temperatures_c)
    except SeriesError as error:
        raise LoggerError("readings", error.problem) from None
    if int(ordered_times[0]) < int(EARLIEST.timestamp()):
        raise LoggerError("readings", _("a reading lies before the year 2000"))
    if int(ordered_times[-1]) > int((now + FUTURE_TOLERANCE).timestamp()):
        raise LoggerError("readings", _("a reading lies in the future"))
    return ordered_times, ordered


def _humidity(
    times: npt.NDArray[np.int64],
    sent_times: npt.NDArray[np.int64],
    sent_humidity: list[float | None] | None,
) -> npt.NDArray[np.float64] | None:
    if sent_humidity is None or all(value is None for value in sent_humidity):
        return None
    values = np.array([np.nan if v is None else v for v in sent_humidity], dtype=np.float64)
    if not np.all(np.isnan(values) | ((values >= 0) & (values <= 100))):
        raise LoggerError("readings", _("a humidity is not between 0 and 100 %"))
    order = np.argsort(sent_times, kind="stable")
    sorted_times, sorted_values = sent_times[order], values[order]
    return sorted_values[np.searchsorted(sorted_times, times)]


@transaction.atomic
def push_readings(
    device: Device,
    times: list[int],
    temperatures_c: list[float],
    humidity_pct: list[float | None] | None = None,
    now: datetime | None = None,
) -> Pushed:
    """Store the new readings a logger sent (times: UTC seconds), then close the days over."""
    now = now or timezone.now()
    if device.token_user is None:
        raise LoggerError("token", _("the logger has no push token"))
    user = device.token_user
    Device.objects.select_for_update().filter(pk=device.pk).first()
    ordered_times, ordered = _checked(times, temperatures_c, now)
    humidity = _humidity(ordered_times, np.asarray(times, dtype=np.int64), humidity_pct)
    days = split_by_day(Readings(ordered_times, ordered, humidity), MAX_FILE_DAYS)
    stored = stored_days(device, days[0][0], days[-1][0])
    new_parts = []
    for day, part in days:
        current = stored[day].readings() if day in stored else empty()
        _merged, added = merge(current, part)
        if added:
            fresh = ~np.isin(part.times, current.times)
            new_parts.append((day, part, fresh))
    total = 0
    for day, part, fresh in new_parts:
        humidity_part = None if part.humidity_pct is None else part.humidity_pct[fresh]
        count = int(np.count_nonzero(fresh))
        PushedReadings.objects.create(
            operator_id=device.operator_id,
            device=device,
            day=day,
            data=encode_series(part.times[fresh], part.temperatures_c[fresh], humidity_part),
            readings=count,
            received_at=now,
        )
        total += count
    device.last_push_at = now
    device.save(update_fields=["last_push_at"])
    judged = close_days(device, user, now)
    return Pushed(
        received=len(times),
        stored=total,
        duplicates=len(times) - total,
        days=[day for day, _part, _fresh in new_parts],
        judged=judged,
    )
