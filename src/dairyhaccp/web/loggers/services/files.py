"""Importing a logger's export: kept as uploaded, read by the core, previewed, then stored.

The preview shows exactly what storing would do: the readings merged with those stored for
the same days, each day judged with the room's limits. Storing is all or nothing; a day gets a
new version only if the file brings readings it did not have.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.loggers import (
    ColumnMapping,
    Layout,
    LoggerFileError,
    LoggerReadings,
    SeriesError,
    decode_logger_bytes,
    judge_days,
    read_logger_file,
)
from dairyhaccp.loggers.cells import DateOrder
from dairyhaccp.web.bounds import EARLIEST, FUTURE_TOLERANCE, text_problem
from dairyhaccp.web.loggers.choices import SeriesSource
from dairyhaccp.web.loggers.constants import DAY_ZONE, MAX_FILE_DAYS, MAX_UPLOAD_BYTES
from dairyhaccp.web.loggers.models import DayJudgement, DaySeries, Device, LoggerFile
from dairyhaccp.web.loggers.services.days import (
    DaySummary,
    close_days,
    day_is_over,
    store_version,
    summarise,
)
from dairyhaccp.web.loggers.services.errors import LoggerError
from dairyhaccp.web.loggers.services.limits import NoLimitsError, RoomLimits, room_limits
from dairyhaccp.web.loggers.services.series import (
    Readings,
    StoredDay,
    empty,
    join,
    merge,
    split_by_day,
    stored_days,
)
from dairyhaccp.web.loggers.wording import MAPPING_CODES, file_problem
from dairyhaccp.web.records.selectors import operator_plan


@dataclass(frozen=True)
class ReadSettings:
    """How to read a file: its layout (None: detect), the zone of its times, the order of its
    dates (None: guess), and the columns (None: from the headers)."""

    layout: Layout | None = None
    zone: str = DAY_ZONE
    date_order: DateOrder | None = None
    mapping: ColumnMapping | None = None


class FileRefusedError(LoggerError):
    """A file that cannot be read: every problem worded, and whether choosing columns helps."""

    def __init__(self, problems: tuple[str, ...], needs_mapping: bool) -> None:
        super().__init__("file", problems[0], problems)
        self.needs_mapping = needs_mapping


def kept_upload(name: str, content: bytes, default_name: str) -> dict[str, Any]:
    """The stored fields of an uploaded export kept as it came (compressed); LoggerError naming
    the file when it is empty, too large or its name cannot be stored."""
    if not content:
        raise LoggerError("file", _("the file is empty"))
    if len(content) > MAX_UPLOAD_BYTES:
        raise LoggerError(
            "file",
            _("the file is larger than {size} MB; export it by month").format(
                size=MAX_UPLOAD_BYTES // (1024 * 1024)
            ),
        )
    name = (name or default_name).replace("\x00", "")[-255:]
    problem = text_problem(name, 255)
    if problem:
        raise LoggerError("file", problem)
    return {
        "file_name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content": zlib.compress(content, 6),
    }


@transaction.atomic
def upload_file(device: Device, user: User, name: str, content: bytes) -> LoggerFile:
    """Keep an uploaded export as it came (compressed), before it is read."""
    return LoggerFile.objects.create(
        operator_id=device.operator_id,
        device=device,
        uploaded_by=user,
        **kept_upload(name, content, "logger.csv"),
    )


def file_text(file: LoggerFile) -> str:
    return decode_logger_bytes(zlib.decompress(bytes(file.content)))


def _bounded(read: LoggerReadings, now: datetime) -> None:
    earliest = int(EARLIEST.timestamp())
    latest = int((now + FUTURE_TOLERANCE).timestamp())
    problems = []
    for index in np.flatnonzero((read.times < earliest) | (read.times > latest))[:5]:
        line = int(read.lines[index])
        if read.times[index] < earliest:
            problems.append(_("Line {line}: the time lies before the year 2000.").format(line=line))
        else:
            problems.append(_("Line {line}: the time lies in the future.").format(line=line))
    if problems:
        raise FileRefusedError(tuple(problems), needs_mapping=False)


def read_file(file: LoggerFile, settings: ReadSettings, now: datetime) -> LoggerReadings:
    """Every reading of the file, or FileRefusedError with every problem worded."""
    return parse_text(zlib.decompress(bytes(file.content)), settings, now)


def parse_text(content: bytes, settings: ReadSettings, now: datetime) -> LoggerReadings:
    """Every reading of an uploaded export, or FileRefusedError with every problem worded."""
    try:
        read = read_logger_file(
            decode_logger_bytes(content),
            layout=settings.layout,
            mapping=settings.mapping,
            zone=settings.zone,
            date_order=settings.date_order,
        )
    except LoggerFileError as error:
        problems = tuple(file_problem(problem) for problem in error.problems)
        needs = any(problem.code in MAPPING_CODES for problem in error.problems)
        raise FileRefusedError(problems, needs_mapping=needs) from None
    except SeriesError as error:
        raise LoggerError(error.field, error.problem) from None
    _bounded(read, now)
    return read


@dataclass(frozen=True, eq=False)
class DayPreview:
    """One day of a file: what it brings, what is stored, and the day judged with both."""

    day: date
    in_file: int
    stored: int
    added: int
    version: int | None  # the version storing would make; None: nothing new
    over: bool
    summary: DaySummary | None

    @property
    def readings(self) -> int:
        return self.stored + self.added


@dataclass(frozen=True, eq=False)
class FilePreview:
    """A file read and judged, before storing."""

    file: LoggerFile
    read: LoggerReadings
    days: list[DayPreview]
    limits: RoomLimits | None
    not_judged: str = ""
    merged: dict[date, Readings] = field(default_factory=dict)
    stored: dict[date, StoredDay] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(day.added for day in self.days)


def _limits(device: Device) -> tuple[RoomLimits | None, str]:
    current = operator_plan(device.operator)
    if current is None:
        return None, _("there is no HACCP plan yet: make the plan first")
    try:
        return room_limits(current, device.room, device.max_interval_min), ""
    except NoLimitsError as reason:
        return None, reason.reason


def preview_file(
    file: LoggerFile, settings: ReadSettings, now: datetime | None = None
) -> FilePreview:
    """What storing the file would do, day by day, judged; nothing is stored."""
    now = now or timezone.now()
    device = file.device
    read = read_file(file, settings, now)
    readings = Readings(read.times, read.temperatures_c, read.humidity_pct)
    by_day = dict(split_by_day(readings, MAX_FILE_DAYS))
    first, last = min(by_day), max(by_day)
    stored = stored_days(device, first - timedelta(days=1), last + timedelta(days=1))
    merged: dict[date, Readings] = {}
    added: dict[date, int] = {}
    day = first - timedelta(days=1)
    while day <= last + timedelta(days=1):
        current = stored[day].readings() if day in stored else empty()
        merged[day], added[day] = merge(current, by_day.get(day, empty()))
        day += timedelta(days=1)
    limits, not_judged = _limits(device)
    judged = {}
    span = join(merged.values())
    if limits is not None:
        judged = judge_days(span.times, span.temperatures_c, limits.limits, zone=DAY_ZONE)
    days = []
    for day, part in by_day.items():
        latest = stored[day].latest if day in stored else None
        summary = summarise(span, judged[day], day) if day in judged else None
        days.append(
            DayPreview(
                day=day,
                in_file=len(part),
                stored=len(merged[day]) - added[day],
                added=added[day],
                version=(latest.version + 1 if latest else 1) if added[day] else None,
                over=day_is_over(day, now),
                summary=summary,
            )
        )
    return FilePreview(file, read, days, limits, not_judged, merged, stored)


@dataclass(frozen=True)
class StoredFile:
    """What storing a file made: the new versions of days, and the days judged."""

    versions: list[DaySeries]
    judged: list[DayJudgement]


@transaction.atomic
def store_file(
    file: LoggerFile, settings: ReadSettings, user: User, now: datetime | None = None
) -> StoredFile:
    """Store the file's readings (a new version of every day it adds to), then judge and
    register the days that are over."""
    now = now or timezone.now()
    # One writer per logger at a time: a push and an import must not both make version n.
    Device.objects.select_for_update().filter(pk=file.device_id).first()
    preview = preview_file(file, settings, now)
    versions = []
    for day in preview.days:
        if not day.added:
            continue
        stored = preview.stored.get(day.day)
        versions.append(
            store_version(
                file.device,
                day.day,
                preview.merged[day.day],
                previous=stored.latest if stored else None,
                added=day.added,
                source=SeriesSource.FILE,
                user=user,
                file=file,
                pushed_through=stored.pending_through if stored else 0,
            )
        )
    return StoredFile(versions, close_days(file.device, user, now))
