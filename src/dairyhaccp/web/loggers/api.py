"""API endpoints of the loggers context.

A logger sends its readings with its own push token (`Authorization: Bearer dhl_...`) to its
own address; the token of one logger opens no other. People read loggers and judged days with
their API token: every lookup is narrowed to the token's operator, so another operator's logger
is a 404.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import override
from ninja import Router
from ninja.errors import HttpError
from ninja.security import HttpBearer

from dairyhaccp.web.apischema import error_codes
from dairyhaccp.web.loggers import selectors
from dairyhaccp.web.loggers.models import DayJudgement, Device
from dairyhaccp.web.loggers.schemas import (
    DayOut,
    DbId,
    DeviceOut,
    ExcursionOut,
    GapOut,
    JudgedDayOut,
    Lang,
    PushedOut,
    ReadingIn,
    ReadingsIn,
    SeriesOut,
)
from dairyhaccp.web.loggers.services import (
    LoggerError,
    authenticate_device_token,
    push_readings,
)
from dairyhaccp.web.loggers.services.series import ConflictError
from dairyhaccp.web.operators.auth import api_membership

router = Router(tags=["loggers"])
MAX_DAYS_LISTED = 400


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer <push token>`; on success `request.auth` is the Device."""

    def authenticate(self, request: HttpRequest, token: str) -> Device | None:
        return authenticate_device_token(token)


def _seconds(reading: ReadingIn) -> int:
    if isinstance(reading.time, int):
        return reading.time
    if reading.time.microsecond:
        raise HttpError(422, "readings: times are kept to the second")
    return int(reading.time.timestamp())


@router.post(
    "/loggers/devices/{device_id}/readings",
    auth=DeviceTokenAuth(),
    response={200: PushedOut, **error_codes(409)},
    summary="A logger sends readings (its push token); in any order, each time stored once",
)
def push(
    request: HttpRequest, device_id: DbId, payload: ReadingsIn, lang: Lang = "nl"
) -> PushedOut:
    device = getattr(request, "auth", None)
    if not isinstance(device, Device) or device.pk != device_id:
        raise HttpError(404, "Not Found")
    times = [_seconds(reading) for reading in payload.readings]
    temperatures = [float(reading.temperature_c) for reading in payload.readings]
    humidity = [
        None if reading.humidity_pct is None else float(reading.humidity_pct)
        for reading in payload.readings
    ]
    with override(lang):
        try:
            pushed = push_readings(device, times, temperatures, humidity)
        except ConflictError as error:
            raise HttpError(409, f"{error.field}: {error.problem}") from None
        except LoggerError as error:
            raise HttpError(422, f"{error.field}: {error.problem}") from None
    return PushedOut(
        received=pushed.received,
        stored=pushed.stored,
        duplicates=pushed.duplicates,
        days=pushed.days,
        judged=[_judged_out(judgement) for judgement in pushed.judged],
    )


def _judged_out(judgement: DayJudgement) -> JudgedDayOut:
    registration = judgement.registration
    return JudgedDayOut(
        day=judgement.day,
        verdict=judgement.verdict,
        readings=judgement.readings,
        peak_c=judgement.peak_c,
        longest_excursion_min=judgement.longest_excursion_min,
        registration_id=registration.pk if registration else None,
        registration_verdict=registration.verdict if registration else None,
    )


def _device_out(device: Device) -> DeviceOut:
    return DeviceOut(
        id=device.pk,
        name=device.name,
        room_id=device.room_id,
        room=device.room.name,
        serial=device.serial,
        max_interval_min=device.max_interval_min,
        active=device.active,
        can_push=device.token_hash is not None,
        last_push_at=device.last_push_at,
    )


def _device(request: HttpRequest, device_id: int) -> Device:
    operator = api_membership(request).operator
    return get_object_or_404(selectors.devices(operator), pk=device_id)


@router.get("/loggers/devices", response=list[DeviceOut], summary="The operator's loggers")
def list_devices(request: HttpRequest) -> list[DeviceOut]:
    operator = api_membership(request).operator
    return [_device_out(device) for device in selectors.devices(operator)]


@router.get("/loggers/devices/{device_id}", response=DeviceOut, summary="A logger")
def get_device(request: HttpRequest, device_id: DbId) -> DeviceOut:
    return _device_out(_device(request, device_id))


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _day_out(row: selectors.DayRow) -> DayOut:
    judgement = row.judgement
    excursions = judgement.excursions if judgement else []
    gaps = judgement.gaps if judgement else []
    return DayOut(
        day=row.series.day,
        version=row.series.version,
        readings=row.series.readings,
        verdict=judgement.verdict if judgement else None,
        maximum_c=judgement.maximum_c if judgement else None,
        ceiling_c=judgement.ceiling_c if judgement else None,
        peak_c=judgement.peak_c if judgement else None,
        longest_excursion_min=judgement.longest_excursion_min if judgement else None,
        excursions=[
            ExcursionOut(
                start=_moment(item["start_s"]),
                end=_moment(item["end_s"]),
                peak_c=item["peak_c"],
                duration_min=item["duration_s"] / 60,
                verdict=item["verdict"],
            )
            for item in excursions
        ],
        gaps=[
            GapOut(
                start=_moment(item["start_s"]),
                end=_moment(item["end_s"]),
                duration_min=(item["end_s"] - item["start_s"]) / 60,
            )
            for item in gaps
        ],
        registration_id=judgement.registration_id if judgement else None,
    )


@router.get(
    "/loggers/devices/{device_id}/days",
    response=list[DayOut],
    summary="A logger's days (latest versions), newest first, with their judgement",
)
def list_days(
    request: HttpRequest,
    device_id: DbId,
    since: date | None = None,
    until: date | None = None,
) -> list[DayOut]:
    device = _device(request, device_id)
    last = until or timezone.localdate() + timedelta(days=1)
    first = since or last - timedelta(days=31)
    if first > last or (last - first).days > MAX_DAYS_LISTED:
        raise HttpError(
            422, f"since: give a period of at most {MAX_DAYS_LISTED} days, since before until"
        )
    return [_day_out(row) for row in selectors.device_days(device, first, last)]


@router.get(
    "/loggers/devices/{device_id}/days/{day}/readings",
    response=SeriesOut,
    summary="A day's readings as stored (latest version, with readings still waiting)",
)
def day_readings(request: HttpRequest, device_id: DbId, day: date) -> SeriesOut:
    device = _device(request, device_id)
    stored = selectors.stored_day(device, day)
    if stored is None:
        raise HttpError(404, "Not Found")
    readings = stored.readings()
    humidity = None
    if readings.humidity_pct is not None:
        humidity = [None if value != value else float(value) for value in readings.humidity_pct]
    return SeriesOut(
        day=day,
        version=stored.latest.version if stored.latest else 0,
        times=[_moment(int(seconds)) for seconds in readings.times],
        temperatures_c=[float(value) for value in readings.temperatures_c],
        humidity_pct=humidity,
    )
