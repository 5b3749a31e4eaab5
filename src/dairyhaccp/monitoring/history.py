"""Values of stateful rules, computed from what is stored rather than from what a user claims.

Some limits compare a value that follows from earlier events: the processings in a row with
home-made starter, the time since milking or since pasteurisation. Each control's data says which
of its values follow from which events; the storage layer passes the stored facts in, and the
judge puts the values they determine in place of typed ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from dairyhaccp.guide.models import Control, Guide
from dairyhaccp.monitoring.measurement import MeasurementError


@dataclass(frozen=True)
class StarterUse:
    """One processing with a starter: when, and whether the starter was an industrial one."""

    at: datetime
    industrial: bool


def productions_since_industrial_starter(
    earlier: Iterable[StarterUse], industrial_now: bool
) -> int:
    """Processings in a row with home-made starter up to and including this one.

    0 when this processing uses industrial starter. Without any stored industrial use, every
    stored home-made use counts: the history is all the app knows.
    """
    if industrial_now:
        return 0
    in_a_row = 0
    for use in sorted(earlier, key=lambda u: _utc(u.at, "at")):
        in_a_row = 0 if use.industrial else in_a_row + 1
    return in_a_row + 1


def _utc(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise MeasurementError(field, "needs a date and time with a time zone")
    return moment.astimezone(UTC)


def minutes_between(start: datetime, end: datetime, field: str = "elapsed_min") -> float:
    """Real minutes from `start` to `end` (aware; correct across daylight-saving changes)."""
    seconds = (_utc(end, field) - _utc(start, field)).total_seconds()
    if seconds < 0:
        raise MeasurementError(field, "the check cannot come before the event it times")
    return round(seconds / 60, 1)


def hours_between(start: datetime, end: datetime, field: str = "storage_h") -> float:
    """Real hours from `start` to `end`, rounded to a tenth of an hour."""
    return round(minutes_between(start, end, field) / 60, 1)


@dataclass(frozen=True)
class StoredFacts:
    """What the storage knows about the check being registered.

    `milked_at`: when the milk of the batch was milked (or received); `processed_at`: when the
    first batch made from that milk was started; `pasteurised_at`: when the
    batch's pasteurisation was registered; `starter_uses`: earlier processings with their starter;
    `industrial_starter`: whether this processing uses industrial starter (None: not said).
    """

    measured_at: datetime
    milked_at: datetime | None = None
    processed_at: datetime | None = None
    pasteurised_at: datetime | None = None
    starter_uses: tuple[StarterUse, ...] = ()
    industrial_starter: bool | None = None


def _moment(facts: StoredFacts, event: str) -> datetime | None:
    return {
        "milking": facts.milked_at,
        "pasteurisation": facts.pasteurised_at,
        "processing": facts.processed_at,
        "check": facts.measured_at,
    }[event]


def derived_values(control: Control, facts: StoredFacts, guide: Guide) -> dict[str, float]:
    """The values of `control` that the stored facts determine, as its data says.

    A value is left out when the facts needed are not stored (e.g. no pasteurisation registered
    for the batch): then the value typed by the user is judged.
    """
    values: dict[str, float] = {}
    for derivation in control.derived:
        name = derivation.parameter
        if derivation.since == "industrial_starter":
            if facts.industrial_starter is None:
                continue
            earlier = [use for use in facts.starter_uses if use.at <= facts.measured_at]
            values[name] = productions_since_industrial_starter(earlier, facts.industrial_starter)
            continue
        start, end = _moment(facts, derivation.since), _moment(facts, derivation.until)
        if start is None or end is None:
            continue
        seconds = minutes_between(start, end, name) * 60
        unit_s = guide.parameter(name).seconds
        assert unit_s is not None
        values[name] = round(seconds / unit_s, 1)
    return values
