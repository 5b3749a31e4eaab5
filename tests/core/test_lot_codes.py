"""Lot codes from the owner's pattern: placeholders, refusals, collisions."""

from __future__ import annotations

from datetime import date

import pytest

from dairyhaccp.trace.lot_codes import (
    DEFAULT_PATTERN,
    LotPatternError,
    PatternProblem,
    check_pattern,
    free_lot_code,
    lot_code,
    product_codes,
)

DAY = date(2026, 11, 30)


def test_the_default_pattern_gives_product_date_and_number() -> None:
    assert lot_code(DEFAULT_PATTERN, "HOE", DAY, 1) == "HOE-261130-1"
    assert lot_code(DEFAULT_PATTERN, "HOE", DAY, 12) == "HOE-261130-12"


def test_every_placeholder_is_filled() -> None:
    pattern = "{product-code}/{yyyy}{mm}{dd}/{yy}/{yyyymmdd}.{nn}_{nnn}"
    assert lot_code(pattern, "RY", DAY, 7) == "RY/20261130/26/20261130.07_007"


def test_placeholders_are_read_without_regard_to_case() -> None:
    assert lot_code("L{YYMMDD}-{N}", "X", DAY, 2) == "L261130-2"


@pytest.mark.parametrize(
    ("pattern", "problem", "detail"),
    [
        ("", PatternProblem.EMPTY, ""),
        ("{product}-{n}", PatternProblem.UNKNOWN_PLACEHOLDER, "{product}"),
        ("{product-code}-{yymmdd}", PatternProblem.NO_COUNTER, ""),
        ("{product-code-{n}", PatternProblem.UNCLOSED_BRACE, "{product-code-{n}"),
        ("A}-{n}", PatternProblem.UNCLOSED_BRACE, "}"),
        ("lot {n}", PatternProblem.CHARACTER, " "),
        ("{yyyymmdd}" * 8 + "{nnn}", PatternProblem.TOO_LONG, "60"),
    ],
)
def test_a_pattern_that_cannot_make_codes_is_refused_naming_why(
    pattern: str, problem: PatternProblem, detail: str
) -> None:
    with pytest.raises(LotPatternError) as caught:
        check_pattern(pattern)
    assert caught.value.problem is problem
    assert caught.value.detail == detail


def test_a_code_taken_already_moves_the_number_on() -> None:
    taken = {"HOE-261130-1", "HOE-261130-2"}
    assert free_lot_code(DEFAULT_PATTERN, "HOE", DAY, 1, taken) == ("HOE-261130-3", 3)
    assert free_lot_code(DEFAULT_PATTERN, "HOE", DAY, 1, ()) == ("HOE-261130-1", 1)


def test_products_get_different_codes_and_the_owners_choice_wins() -> None:
    codes = product_codes(["Hoevekaas", "Roeryoghurt", "Hoeveboter", "raw_milk"])
    assert codes == {
        "Hoevekaas": "HOE",
        "Roeryoghurt": "ROE",
        "Hoeveboter": "HOV",
        "raw_milk": "RAW",
    }
    chosen = product_codes(["Hoevekaas", "Hoeveboter"], {"Hoeveboter": "HOE"})
    assert chosen == {"Hoevekaas": "HOV", "Hoeveboter": "HOE"}
