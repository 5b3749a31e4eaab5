"""Withdrawal periods run in elapsed hours; results in Brussels time, at the right milking.

The expected values are worked out by hand: Brussels is UTC+1 in winter and UTC+2 in summer;
in 2026 the clocks go forward on 29 March at 02:00 (to 03:00) and back on 25 October at 03:00
(to 02:00).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.ikm.inputs import IkmInputError
from dairyhaccp.ikm.withdrawal import (
    BRUSSELS,
    first_milking_at_or_after,
    local_instant,
    milk_withdrawal,
    milk_withdrawal_lines,
    milking_instant,
    result_to_dict,
    withdrawal_request_from_dict,
    withheld_until,
)

TWICE = ["06:00", "17:30"]


def answer(line: dict[str, Any]) -> dict[str, str]:
    return result_to_dict(milk_withdrawal(withdrawal_request_from_dict(line)))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 84, "milkings": TWICE},
            {
                "milk_usable_from": "2026-03-05T19:30+01:00",
                "first_milking": "2026-03-06T06:00+01:00",
            },
            id="the issue's example",
        ),
        pytest.param(
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_days": 3.5},
            {"milk_usable_from": "2026-03-05T19:30+01:00"},
            id="a day is 24 hours",
        ),
        pytest.param(
            {"last_dose": "2026-01-10T20:00", "withdrawal_milk_h": 12, "milkings": TWICE},
            {
                "milk_usable_from": "2026-01-11T08:00+01:00",
                "first_milking": "2026-01-11T17:30+01:00",
            },
            id="across midnight",
        ),
        pytest.param(
            {"last_dose": "2026-01-10T18:00", "withdrawal_milk_h": 12, "milkings": TWICE},
            {
                "milk_usable_from": "2026-01-11T06:00+01:00",
                "first_milking": "2026-01-11T06:00+01:00",
            },
            id="ending exactly at a milking: that milking counts",
        ),
        pytest.param(
            {
                "last_dose": "2026-01-10T17:00",
                "withdrawal_milk_h": 13,
                "milkings": ["17:30", "06:00"],
            },
            {
                "milk_usable_from": "2026-01-11T06:00+01:00",
                "first_milking": "2026-01-11T06:00+01:00",
            },
            id="milking times in any order",
        ),
        pytest.param(
            {"last_dose": "2026-01-31T18:00", "withdrawal_milk_h": 36, "milkings": TWICE},
            {
                "milk_usable_from": "2026-02-02T06:00+01:00",
                "first_milking": "2026-02-02T06:00+01:00",
            },
            id="end of a 31-day month",
        ),
        pytest.param(
            {"last_dose": "2026-02-27T12:00", "withdrawal_milk_days": 2, "milkings": TWICE},
            {
                "milk_usable_from": "2026-03-01T12:00+01:00",
                "first_milking": "2026-03-01T17:30+01:00",
            },
            id="end of February",
        ),
        pytest.param(
            {"last_dose": "2028-02-28T10:00", "withdrawal_milk_h": 24},
            {"milk_usable_from": "2028-02-29T10:00+01:00"},
            id="a leap day",
        ),
        pytest.param(
            {
                "last_dose": "2026-04-30T18:00",
                "withdrawal_milk_h": 12,
                "milkings": ["05:30", "17:00"],
            },
            {
                "milk_usable_from": "2026-05-01T06:00+02:00",
                "first_milking": "2026-05-01T17:00+02:00",
            },
            id="end of April in summer time",
        ),
        pytest.param(
            {"last_dose": "2026-12-31T20:00", "withdrawal_milk_h": 12, "milkings": TWICE},
            {
                "milk_usable_from": "2027-01-01T08:00+01:00",
                "first_milking": "2027-01-01T17:30+01:00",
            },
            id="end of the year",
        ),
    ],
)
def test_withdrawal_across_midnight_and_month_ends(
    line: dict[str, Any], expected: dict[str, str]
) -> None:
    assert answer(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            # 06:30 UTC + 24 h = 06:30 UTC = 08:30 summer time: the local time moves an hour.
            {"last_dose": "2026-03-28T07:30", "withdrawal_milk_days": 1, "milkings": TWICE},
            {
                "milk_usable_from": "2026-03-29T08:30+02:00",
                "first_milking": "2026-03-29T17:30+02:00",
            },
            id="a day across the change",
        ),
        pytest.param(
            {"last_dose": "2026-03-28T20:00", "withdrawal_milk_h": 12},
            {"milk_usable_from": "2026-03-29T09:00+02:00"},
            id="twelve hours across the change",
        ),
        pytest.param(
            {"last_dose": "2026-03-29T01:30", "withdrawal_milk_h": 1},
            {"milk_usable_from": "2026-03-29T03:30+02:00"},
            id="one hour over the skipped hour",
        ),
        pytest.param(
            # 02:30 does not exist; read with the winter offset (01:30 UTC), the later reading.
            {"last_dose": "2026-03-29T02:30", "withdrawal_milk_h": 4},
            {"milk_usable_from": "2026-03-29T07:30+02:00"},
            id="a dose in the skipped hour",
        ),
        pytest.param(
            # Ends 00:30 UTC; a milking set at 02:30 happens when the clock reads 03:30.
            {
                "last_dose": "2026-03-28T13:30",
                "withdrawal_milk_h": 12,
                "milkings": ["02:30", "14:30"],
            },
            {
                "milk_usable_from": "2026-03-29T01:30+01:00",
                "first_milking": "2026-03-29T03:30+02:00",
            },
            id="a milking in the skipped hour",
        ),
        pytest.param(
            # Ends 00:50 UTC: the 03:00 milking (01:00 UTC) comes before the shifted 02:30 one.
            {
                "last_dose": "2026-03-28T13:50",
                "withdrawal_milk_h": 12,
                "milkings": ["02:30", "03:00"],
            },
            {
                "milk_usable_from": "2026-03-29T01:50+01:00",
                "first_milking": "2026-03-29T03:00+02:00",
            },
            id="the earliest milking by the clock that runs",
        ),
    ],
)
def test_withdrawal_when_the_clocks_go_forward(
    line: dict[str, Any], expected: dict[str, str]
) -> None:
    assert answer(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            # 05:30 UTC + 24 h = 05:30 UTC = 06:30 winter time: the 06:00 milking is too early.
            {"last_dose": "2026-10-24T07:30", "withdrawal_milk_days": 1, "milkings": TWICE},
            {
                "milk_usable_from": "2026-10-25T06:30+01:00",
                "first_milking": "2026-10-25T17:30+01:00",
            },
            id="a day across the change",
        ),
        pytest.param(
            {"last_dose": "2026-10-24T20:00", "withdrawal_milk_h": 12},
            {"milk_usable_from": "2026-10-25T07:00+01:00"},
            id="twelve hours across the change",
        ),
        pytest.param(
            {"last_dose": "2026-10-25T01:30", "withdrawal_milk_h": 2},
            {"milk_usable_from": "2026-10-25T02:30+01:00"},
            id="two hours over the repeated hour",
        ),
        pytest.param(
            # 02:30 happens twice; the later (01:30 UTC) ends the withdrawal later: the safe side.
            {"last_dose": "2026-10-25T02:30", "withdrawal_milk_h": 4},
            {"milk_usable_from": "2026-10-25T06:30+01:00"},
            id="a dose in the repeated hour",
        ),
        pytest.param(
            {"last_dose": "2026-10-24T14:15", "withdrawal_milk_h": 12, "milkings": ["02:30"]},
            {
                "milk_usable_from": "2026-10-25T02:15+02:00",
                "first_milking": "2026-10-25T02:30+02:00",
            },
            id="a milking in the repeated hour, first time round",
        ),
        pytest.param(
            # The 02:30 milking happened once, at the first 02:30 (00:30 UTC), before the end.
            {"last_dose": "2026-10-24T13:45", "withdrawal_milk_h": 14, "milkings": ["02:30"]},
            {
                "milk_usable_from": "2026-10-25T02:45+01:00",
                "first_milking": "2026-10-26T02:30+01:00",
            },
            id="ending after the repeated milking",
        ),
    ],
)
def test_withdrawal_when_the_clocks_go_back(line: dict[str, Any], expected: dict[str, str]) -> None:
    assert answer(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            {"last_dose": "2026-03-02T07:30+00:00", "withdrawal_milk_h": 84},
            "2026-03-05T20:30+01:00",
        ),
        ({"last_dose": "2026-03-02T07:30Z", "withdrawal_milk_h": 84}, "2026-03-05T20:30+01:00"),
        (
            {"last_dose": "2026-07-02T07:30+02:00", "withdrawal_milk_h": 84},
            "2026-07-05T19:30+02:00",
        ),
        ({"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 84.1}, "2026-03-05T19:36+01:00"),
        ({"last_dose": "2026-03-02T07:30:01", "withdrawal_milk_h": 84}, "2026-03-05T19:31+01:00"),
        ({"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 0}, "2026-03-02T07:30+01:00"),
    ],
    ids=["utc offset", "Z", "summer offset", "decimal hours", "seconds round up", "no withdrawal"],
)
def test_offsets_fractions_and_rounding(line: dict[str, Any], expected: str) -> None:
    assert answer(line)["milk_usable_from"] == expected


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ({"withdrawal_milk_h": 84}, "last_dose", "is required"),
        ({"last_dose": "2026-03-02T07:30"}, "withdrawal_milk_h", "is required"),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 84, "withdrawal_milk_days": 3},
            "withdrawal_milk_days",
            "not both",
        ),
        ({"last_dose": "2026-03-02", "withdrawal_milk_h": 84}, "last_dose", "not a date and time"),
        ({"last_dose": "2026-02-30T07:30", "withdrawal_milk_h": 84}, "last_dose", "day is out"),
        ({"last_dose": 20260302, "withdrawal_milk_h": 84}, "last_dose", "must be a date"),
        ({"last_dose": "0001-01-01T00:00", "withdrawal_milk_h": 1}, "last_dose", "out of the"),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": -1},
            "withdrawal_milk_h",
            "negative",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": True},
            "withdrawal_milk_h",
            "number",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": "84"},
            "withdrawal_milk_h",
            "number",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 1e300},
            "withdrawal_milk_h",
            "after the year 9999",
        ),
        (
            {"last_dose": "9999-12-30T07:30", "withdrawal_milk_days": 2},
            "withdrawal_milk_days",
            "after the year 9999",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": float("nan")},
            "withdrawal_milk_h",
            "finite",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 8, "milkings": []},
            "milkings",
            "non-empty",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 8, "milkings": ["6:00"]},
            "milkings[0]",
            "not a time",
        ),
        (
            {
                "last_dose": "2026-03-02T07:30",
                "withdrawal_milk_h": 8,
                "milkings": ["06:00", "24:00"],
            },
            "milkings[1]",
            "not a time",
        ),
        (
            {"last_dose": "2026-03-02T07:30", "withdrawal_milk_hours": 8},
            "withdrawal_milk_hours",
            "unknown field",
        ),
        ({"last_dose": "x" * 100_000, "withdrawal_milk_h": 8}, "last_dose", "not a date and time"),
    ],
)
def test_bad_input_names_the_field(line: dict[str, Any], field: str, problem: str) -> None:
    with pytest.raises(IkmInputError) as caught:
        withdrawal_request_from_dict(line)

    assert caught.value.field == field
    assert problem in caught.value.problem
    assert len(str(caught.value)) < 300


def test_a_line_that_is_not_an_object_is_refused_as_a_whole() -> None:
    assert milk_withdrawal_lines([[1, 2]]) == [{"error": "expected a JSON object, got list"}]


@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    hours=st.integers(min_value=0, max_value=24 * 60),
)
def test_the_end_is_exactly_the_elapsed_period_after_the_dose(start: datetime, hours: int) -> None:
    line = {"last_dose": start.isoformat(), "withdrawal_milk_h": hours}

    end = milk_withdrawal(withdrawal_request_from_dict(line)).milk_usable_from

    assert end - start == timedelta(hours=hours)
    assert end.tzinfo is BRUSSELS


@given(
    moment=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    milkings=st.sets(
        st.times().map(lambda t: t.replace(second=0, microsecond=0)), min_size=1, max_size=4
    ),
)
def test_the_first_milking_is_the_next_one_on_the_farm_clock(
    moment: datetime, milkings: set[time]
) -> None:
    first = first_milking_at_or_after(moment, milkings)

    assert first >= moment
    assert first - moment < timedelta(hours=25)
    local = first.astimezone(BRUSSELS)
    shifted = (local - timedelta(hours=1)).time()  # a milking set in the skipped spring hour
    assert local.time() in milkings or shifted in milkings
    day = moment.astimezone(BRUSSELS).date()
    for offset in (-1, 0, 1, 2):
        for at in milkings:
            other = milking_instant(day + timedelta(days=offset), at)
            assert not moment <= other < first, f"{other} comes before {first}"


def test_an_ambiguous_or_skipped_local_time_takes_the_later_reading() -> None:
    repeated = local_instant(datetime(2026, 10, 25, 2, 30))
    skipped = local_instant(datetime(2026, 3, 29, 2, 30))

    assert repeated.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert skipped.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_withheld_animals_are_those_still_within_their_longest_withdrawal() -> None:
    dose = datetime(2026, 3, 2, 7, 30, tzinfo=BRUSSELS)
    treatments = [
        ("BE 1001", dose, timedelta(hours=84)),
        ("BE 1001", dose, timedelta(hours=36)),
        ("BE 2002", dose, timedelta(hours=12)),
        ("group calves", dose, timedelta(days=5)),
    ]

    withheld = withheld_until(treatments, at=datetime(2026, 3, 3, 12, 0, tzinfo=BRUSSELS))

    assert withheld == {
        "BE 1001": datetime(2026, 3, 5, 19, 30, tzinfo=BRUSSELS),
        "group calves": datetime(2026, 3, 7, 7, 30, tzinfo=BRUSSELS),
    }
    end = datetime(2026, 3, 5, 19, 30, tzinfo=BRUSSELS)
    assert "BE 1001" in withheld_until(treatments, at=end - timedelta(minutes=1))
    assert "BE 1001" not in withheld_until(treatments, at=end)
