"""When the milk of a treated animal may be used again: withdrawal periods in elapsed time.

A withdrawal period runs in elapsed hours from the last administration (a day is 24 hours), so
across a clock change the local time of its end moves by the hour. Times without an offset are
Brussels wall-clock times. Results are given in Brussels time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from dairyhaccp.ikm.inputs import (
    IkmInputError,
    non_negative_number,
    refuse_unknown,
    require_object,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
HOURS_PER_DAY = 24

_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?$"
)
_MILKING_RE = re.compile(r"^(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)$")
_REQUEST_FIELDS = frozenset({"last_dose", "withdrawal_milk_h", "withdrawal_milk_days", "milkings"})
_MICROSECONDS_PER_HOUR = 3_600_000_000
# Room for the first milking after the end and the rounding up to the minute.
_LATEST_END = datetime(9999, 12, 29, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class WithdrawalRequest:
    """The last administration, the milk withdrawal period and, optionally, the milking times."""

    last_dose: datetime
    withdrawal: timedelta
    milkings: tuple[time, ...] = ()


@dataclass(frozen=True, slots=True)
class WithdrawalResult:
    """When milk is usable again (an exact instant) and the first milking at or after it."""

    milk_usable_from: datetime
    first_milking: datetime | None = None


def local_instant(naive: datetime, zone: ZoneInfo = BRUSSELS) -> datetime:
    """A wall-clock time of `zone` as an aware instant, on the safe side when clocks change.

    In the hour that repeats in autumn, the later occurrence is taken; a time skipped in spring
    is read with the offset before the change (02:30 becomes 03:30 summer time). Either way the
    later of the two readings, so that a withdrawal never ends too early.
    """
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    # Through UTC, so that the wall-clock reading is the real one (03:30, not 02:30).
    return max(first, second).astimezone(zone)


def milking_instant(day: date, at: time, zone: ZoneInfo = BRUSSELS) -> datetime:
    """The instant of a milking set at wall-clock time `at` on `day`.

    A milking happens once a day: in the repeated autumn hour at its first occurrence; in the
    skipped spring hour when the clock has moved on (02:30 is milked at 03:30 summer time).
    """
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def withdrawal_end(last_dose: datetime, withdrawal: timedelta) -> datetime:
    """The instant the withdrawal ends: the last administration plus the elapsed period."""
    if last_dose.tzinfo is None:
        raise ValueError("last_dose must be an aware datetime (see local_instant)")
    return (last_dose.astimezone(UTC) + withdrawal).astimezone(BRUSSELS)


def first_milking_at_or_after(
    moment: datetime, milkings: Iterable[time], zone: ZoneInfo = BRUSSELS
) -> datetime:
    """The first milking at or after `moment`, given the daily milking times in `zone`."""
    times = sorted(set(milkings))
    if not times:
        raise ValueError("at least one milking time is needed")
    target = moment.astimezone(UTC)
    day = target.astimezone(zone).date()
    # Every local day has every milking, so the answer lies on this local date or the next.
    for offset in range(3):
        # By instant, not by clock: in the skipped spring hour 02:30 is milked after 03:00.
        instants = [milking_instant(day + timedelta(days=offset), at, zone) for at in times]
        later = [m for m in instants if m.astimezone(UTC) >= target]
        if later:
            return min(later, key=lambda m: m.astimezone(UTC))
    raise AssertionError("unreachable: a milking falls within every local day")


def milk_withdrawal(request: WithdrawalRequest) -> WithdrawalResult:
    """When milk is usable again and, with milking times, the first milking that may be used."""
    end = withdrawal_end(request.last_dose, request.withdrawal)
    first = first_milking_at_or_after(end, request.milkings) if request.milkings else None
    return WithdrawalResult(milk_usable_from=end, first_milking=first)


def withheld_until(
    treatments: Iterable[tuple[str, datetime, timedelta]], at: datetime
) -> dict[str, datetime]:
    """The animals whose milk is withheld at `at`, each with the end of its longest withdrawal.

    `treatments` are (animal or group, last administration, milk withdrawal period).
    """
    ends: dict[str, datetime] = {}
    for animal, last_dose, withdrawal in treatments:
        end = withdrawal_end(last_dose, withdrawal)
        if end > at and (animal not in ends or end > ends[animal]):
            ends[animal] = end
    return dict(sorted(ends.items()))


def format_local(moment: datetime, zone: ZoneInfo = BRUSSELS) -> str:
    """`2026-03-05T19:30+01:00`: local time in `zone`, rounded up to the whole minute."""
    local = moment.astimezone(UTC).astimezone(zone)
    if local.second or local.microsecond:
        whole_minute = local.astimezone(UTC).replace(second=0, microsecond=0)
        local = (whole_minute + timedelta(minutes=1)).astimezone(zone)
    return local.isoformat(timespec="minutes")


def parse_datetime(value: object, field: str, zone: ZoneInfo = BRUSSELS) -> datetime:
    """An ISO date and time; without an offset a wall-clock time of `zone` (see local_instant)."""
    if not isinstance(value, str):
        raise IkmInputError(field, "must be a date and time like 2026-03-02T07:30")
    if not _DATETIME_RE.match(value):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise IkmInputError(
            field, f"{shown!r} is not a date and time like 2026-03-02T07:30 (offset optional)"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise IkmInputError(field, f"{value!r} is not a valid date and time: {exc}") from None
    try:
        aware = local_instant(parsed, zone) if parsed.tzinfo is None else parsed
        aware.astimezone(UTC)
    except (OverflowError, ValueError):
        raise IkmInputError(field, f"{value!r} is out of the supported range") from None
    return aware


def _withdrawal_hours(data: Mapping[str, Any]) -> tuple[str, Fraction]:
    given = [key for key in ("withdrawal_milk_h", "withdrawal_milk_days") if key in data]
    if not given:
        raise IkmInputError("withdrawal_milk_h", "is required (or withdrawal_milk_days)")
    if len(given) == 2:
        raise IkmInputError("withdrawal_milk_days", "give withdrawal_milk_h or _days, not both")
    field = given[0]
    value = non_negative_number(data[field], field)
    # The decimal written, exactly: 84.1 h is 84 h 6 min, not a binary approximation of it.
    amount = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    return field, amount * HOURS_PER_DAY if field == "withdrawal_milk_days" else amount


def _milkings(value: object) -> tuple[time, ...]:
    if not isinstance(value, list) or not value:
        raise IkmInputError("milkings", 'must be a non-empty list of times like ["06:00", "17:30"]')
    times = []
    for index, item in enumerate(value):
        match = _MILKING_RE.match(item) if isinstance(item, str) else None
        if match is None:
            raise IkmInputError(f"milkings[{index}]", f"{item!r:.40} is not a time like 06:00")
        times.append(time(int(match["hour"]), int(match["minute"])))
    return tuple(sorted(set(times)))


def withdrawal_request_from_dict(data: object) -> WithdrawalRequest:
    """A request from one `ikm withdrawal` line, or IkmInputError naming the field."""
    line = require_object(data)
    refuse_unknown(line, _REQUEST_FIELDS)
    if "last_dose" not in line:
        raise IkmInputError("last_dose", "is required")
    last_dose = parse_datetime(line["last_dose"], "last_dose")
    field, hours = _withdrawal_hours(line)
    microseconds = -(-hours * _MICROSECONDS_PER_HOUR // 1)  # rounded up: never ends early
    try:
        withdrawal = timedelta(microseconds=int(microseconds))
        too_late = withdrawal_end(last_dose, withdrawal) > _LATEST_END
    except OverflowError:
        too_late = True
    if too_late:
        raise IkmInputError(field, "the withdrawal would end after the year 9999")
    milkings = _milkings(line["milkings"]) if "milkings" in line else ()
    return WithdrawalRequest(last_dose=last_dose, withdrawal=withdrawal, milkings=milkings)


def result_to_dict(result: WithdrawalResult) -> dict[str, str]:
    """The `ikm withdrawal` output line."""
    data = {"milk_usable_from": format_local(result.milk_usable_from)}
    if result.first_milking is not None:
        data["first_milking"] = format_local(result.first_milking)
    return data


def milk_withdrawal_lines(items: Sequence[object]) -> list[dict[str, str]]:
    """Each `ikm withdrawal` line answered; for tests and callers without a stream."""
    answers = []
    for item in items:
        try:
            answers.append(result_to_dict(milk_withdrawal(withdrawal_request_from_dict(item))))
        except IkmInputError as exc:
            answers.append({"error": str(exc)})
    return answers
