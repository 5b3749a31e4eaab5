"""The FAVV unit number: ten digits, first 2 to 8, last two the KBO's modulo-97 check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.web.operators.unit_number import (
    UnitNumberProblem,
    format_unit_number,
    unit_number_problem,
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # The KBO's own examples of establishment unit numbers.
        ("2.147.812.701", None),
        ("2.147.812.897", None),
        ("2147812701", None),
        ("2 147 812 701", None),
        ("2.147.812.702", UnitNumberProblem.WRONG_CHECK_DIGITS),
        ("0.353.456.320", UnitNumberProblem.WRONG_FIRST_DIGIT),  # an enterprise number
        ("9.147.812.701", UnitNumberProblem.WRONG_FIRST_DIGIT),
        ("2.147.812.70", UnitNumberProblem.NOT_TEN_DIGITS),
        ("2.147.812.7011", UnitNumberProblem.NOT_TEN_DIGITS),
        ("", UnitNumberProblem.NOT_TEN_DIGITS),
        ("2.147.8I2.701", UnitNumberProblem.NOT_TEN_DIGITS),
        ("２１４７８１２７０１", UnitNumberProblem.NOT_TEN_DIGITS),  # full-width digits
        ("2147812701\x00", UnitNumberProblem.NOT_TEN_DIGITS),
        ("9" * 100_000, UnitNumberProblem.NOT_TEN_DIGITS),
    ],
)
def test_unit_numbers_are_judged(text: str, problem: UnitNumberProblem | None) -> None:
    assert unit_number_problem(text) == problem


def test_a_unit_number_is_written_the_kbo_way() -> None:
    assert format_unit_number("2147812701") == "2.147.812.701"
    assert format_unit_number(" 2-147-812-701") == "2.147.812.701"
    with pytest.raises(ValueError):
        format_unit_number("2147812702")


def _with_check_digits(first_eight: int) -> str:
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


@given(st.integers(min_value=20_000_000, max_value=89_999_999))
def test_the_right_check_digits_make_a_valid_number(first_eight: int) -> None:
    number = _with_check_digits(first_eight)

    assert unit_number_problem(number) is None
    assert format_unit_number(number).replace(".", "") == number


@given(
    st.integers(min_value=20_000_000, max_value=89_999_999),
    st.integers(min_value=0, max_value=9),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_typing_error_is_caught(first_eight: int, position: int, change: int) -> None:
    digits = list(_with_check_digits(first_eight))
    digits[position] = str((int(digits[position]) + change) % 10)

    assert unit_number_problem("".join(digits)) is not None
