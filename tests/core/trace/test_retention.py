"""Keep-until dates from the module's retention rule (§5.1, §5.2), calendar months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.guide import Guide
from dairyhaccp.guide.models import RetentionRule, Source, Text
from dairyhaccp.trace import FieldError, add_months, keep_until, keep_until_of, retention_rule


def rule(after_date: int, default: int) -> RetentionRule:
    return RetentionRule(
        relaxations=True,
        months_after_date=after_date,
        default_months=default,
        text=Text(nl="x", en="x"),
        source=Source(section="test"),
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-01-31", 6, "2026-07-31"),
        ("2026-03-31", 6, "2026-09-30"),
        ("2027-08-31", 6, "2028-02-29"),
        ("2023-08-29", 6, "2024-02-29"),
        ("2024-02-29", 24, "2026-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2026-07-15", 6, "2027-01-15"),
        ("2026-12-31", 24, "2028-12-31"),
    ],
)
def test_months_are_calendar_months_and_a_missing_day_becomes_the_last(
    day: str, months: int, expected: str
) -> None:
    assert add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)


@given(day=st.dates(date(2000, 1, 1), date(9000, 12, 31)), months=st.integers(0, 1200))
def test_adding_months_lands_in_the_right_month_never_past_the_day(day: date, months: int) -> None:
    result = add_months(day, months)

    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if result.day < day.day:
        assert (result + timedelta(days=1)).day == 1


def test_the_rules_come_from_the_guide_data(guide: Guide) -> None:
    with_relaxations = retention_rule(guide, relaxations=True)
    without = retention_rule(guide, relaxations=False)

    assert with_relaxations.source.section == "5.1"
    assert without.months_after_date > with_relaxations.months_after_date
    record, best_before = date(2026, 3, 1), date(2026, 6, 1)
    for chosen in (with_relaxations, without):
        assert keep_until(record, [best_before], chosen) == add_months(
            best_before, chosen.months_after_date
        )
        assert keep_until(record, [], chosen) == add_months(record, chosen.default_months)


def test_the_issues_example_with_and_without_the_relaxations(guide: Guide) -> None:
    line = {"record_date": "2026-03-01", "best_before": "2026-08-31"}

    assert keep_until_of(line, retention_rule(guide, True)) == date(2027, 2, 28)
    assert keep_until_of(line, retention_rule(guide, False)) == date(2028, 8, 31)
    assert keep_until_of({"record_date": "2026-03-01"}, retention_rule(guide, False)) == date(
        2028, 3, 1
    )


def test_the_latest_lot_date_counts_and_the_record_date_only_without_one() -> None:
    months = rule(after_date=3, default=1)
    record = date(2026, 3, 1)

    assert keep_until(record, [date(2026, 5, 31), None, date(2026, 4, 1)], months) == date(
        2026, 8, 31
    )
    assert keep_until(record, [None, None], months) == date(2026, 4, 1)
    assert keep_until_of(
        {"record_date": "2026-03-01", "best_before": None, "use_by": "2026-04-30"}, months
    ) == date(2026, 7, 30)
    assert keep_until_of(
        {"record_date": "2026-03-01", "best_before": "2026-06-01", "use_by": "2026-04-30"}, months
    ) == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ({"best_before": "2026-06-01"}, "record_date", "is required"),
        ({"record_date": None}, "record_date", "is required"),
        ({"record_date": "1999-12-31"}, "record_date", "1999-12-31 is before 2000-01-01"),
        ({"record_date": "2026-02-29"}, "record_date", "2026-02-29 is not a day of the calendar"),
        ({"record_date": "yesterday"}, "record_date", "must be a date written YYYY-MM-DD"),
        ({"record_date": "2026-03-01", "use_by": 5}, "use_by", "must be a date written YYYY-MM-DD"),
        (
            {"record_date": "2026-03-01", "best_before": "0001-01-01"},
            "best_before",
            "0001-01-01 is before 2000-01-01",
        ),
        (
            {"record_date": "2026-03-01", "best_befor": "2026-06-01"},
            "best_befor",
            "is not a field (fields: record_date, best_before, use_by)",
        ),
        (
            {"record_date": "2026-03-01", "use_by": "9999-12-01"},
            "use_by",
            "9999-12-01 plus 6 months is beyond the calendar",
        ),
        ([1, 2], "record", "must be a JSON object"),
    ],
)
def test_a_bad_line_is_refused_naming_the_field(line: object, field: str, problem: str) -> None:
    with pytest.raises(FieldError) as caught:
        keep_until_of(line, rule(6, 6))

    assert (caught.value.field, caught.value.problem) == (field, problem)
