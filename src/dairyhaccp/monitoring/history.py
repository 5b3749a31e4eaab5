"""Values of stateful rules, computed from what is stored rather than from what a user claims.

Some limits compare a value that follows from earlier events: the number of processings with
home-made starter since industrial starter was last used (PVA 11), the time since milking (CCP 2),
the time raw milk has been stored (PVA 7), the time since pasteurisation (CCP 10, PVA 17). The
storage layer passes the stored facts in; these functions turn them into measurement fields,
which replace any value typed by the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

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


# For each control, the measurement fields that follow from stored facts (and the fact used).
DERIVED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "CCP 2": ("elapsed_min", "processed_after_min"),
    "PVA 7": ("storage_h",),
    "PVA 11": ("productions_since_industrial_starter",),
    "CCP 10": ("elapsed_min",),
    "PVA 17": ("elapsed_min",),
}


def derived_values(control_id: str, facts: StoredFacts) -> dict[str, float]:
    """The measurement fields of `control_id` that the stored facts determine.

    A field is left out when the facts needed are not stored (e.g. no pasteurisation registered
    for the batch): then the value typed by the user is judged.
    """
    values: dict[str, float] = {}
    if control_id == "CCP 2" and facts.milked_at is not None:
        values["elapsed_min"] = minutes_between(facts.milked_at, facts.measured_at)
        if facts.processed_at is not None:
            values["processed_after_min"] = minutes_between(
                facts.milked_at, facts.processed_at, "processed_after_min"
            )
    elif control_id == "PVA 7" and facts.milked_at is not None:
        values["storage_h"] = hours_between(facts.milked_at, facts.measured_at)
    elif control_id in ("CCP 10", "PVA 17") and facts.pasteurised_at is not None:
        values["elapsed_min"] = minutes_between(facts.pasteurised_at, facts.measured_at)
    elif control_id == "PVA 11" and facts.industrial_starter is not None:
        earlier = [use for use in facts.starter_uses if use.at <= facts.measured_at]
        values["productions_since_industrial_starter"] = productions_since_industrial_starter(
            earlier, facts.industrial_starter
        )
    return values


def with_derived_values(
    data: Mapping[str, object], control_id: str, facts: StoredFacts
) -> tuple[dict[str, object], dict[str, float]]:
    """The measurement data with the stored facts' values in place of typed ones.

    Returns the merged data and the derived values alone (to show where a value came from).
    """
    derived = derived_values(control_id, facts)
    merged = {**data, **derived}
    return merged, derived
