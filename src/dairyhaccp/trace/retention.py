"""How long a record is kept: the module's retention rule (§5.1, §5.2) as keep-until dates.

The latest best-before or use-by date of the lots a record concerns plus `months_after_date`,
or the record's own date plus `default_months` when no lot date applies; both figures come from
the guide data (records.yaml `retention`), per relaxations. Months are calendar months; a day the
target month lacks becomes its last day (2026-08-31 + 6 months = 2027-02-28).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date

from dairyhaccp.guide import Guide, GuideError
from dairyhaccp.guide.models import RetentionRule
from dairyhaccp.trace.events import FieldError, to_date

RETENTION_FIELDS = ("record_date", "best_before", "use_by")


def retention_rule(guide: Guide, relaxations: bool) -> RetentionRule:
    """The guide's retention rule for an operator with or without the relaxations."""
    for rule in guide.retention:
        if rule.relaxations is relaxations:
            return rule
    raise GuideError(f"no retention rule for relaxations={relaxations}")


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months, clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(f"{day.isoformat()} plus {months} months is beyond the calendar")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def keep_until(record_date: date, lot_dates: Iterable[date | None], rule: RetentionRule) -> date:
    """Keep-until of a record: latest lot date + months_after_date, else record date + default."""
    dates = [day for day in lot_dates if day is not None]
    if dates:
        return add_months(max(dates), rule.months_after_date)
    return add_months(record_date, rule.default_months)


def keep_until_of(data: object, rule: RetentionRule) -> date:
    """Keep-until of a JSON record {"record_date", "best_before", "use_by"}, or FieldError."""
    if not isinstance(data, Mapping):
        raise FieldError("record", "must be a JSON object")
    unknown = sorted(str(key) for key in data if key not in RETENTION_FIELDS)
    if unknown:
        raise FieldError(
            unknown[0][:100], f"is not a field (fields: {', '.join(RETENTION_FIELDS)})"
        )
    if data.get("record_date") is None:
        raise FieldError("record_date", "is required")
    dates: dict[str, date] = {}
    for name in RETENTION_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        try:
            dates[name] = to_date(value)
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None
    lot_dates = {name: day for name, day in dates.items() if name != "record_date"}
    try:
        return keep_until(dates["record_date"], lot_dates.values(), rule)
    except OverflowError as exc:
        latest = max(lot_dates, key=lambda name: lot_dates[name], default="record_date")
        raise FieldError(latest, str(exc)) from None
