"""The FAVV unit number of a business: its establishment unit number at the Crossroads Bank
for Enterprises (KBO/BCE), under which the FAVV registers its activities.

Ten digits, the first from 2 to 8; the last two are 97 minus the remainder of the first eight
divided by 97 (the KBO's check digits, as for enterprise numbers). Written 2.123.456.791.
"""

from __future__ import annotations

import re
from enum import Enum

_SEPARATORS = re.compile(r"[\s.\-/]")
_DIGITS = 10


class UnitNumberProblem(Enum):
    """Why a text is not a unit number."""

    NOT_TEN_DIGITS = "not_ten_digits"
    WRONG_FIRST_DIGIT = "wrong_first_digit"
    WRONG_CHECK_DIGITS = "wrong_check_digits"


def unit_number_problem(text: str) -> UnitNumberProblem | None:
    """Why `text` is not a unit number (dots, spaces and dashes between digits are fine)."""
    digits = _SEPARATORS.sub("", text)
    if len(digits) != _DIGITS or not digits.isascii() or not digits.isdigit():
        return UnitNumberProblem.NOT_TEN_DIGITS
    if digits[0] not in "2345678":
        return UnitNumberProblem.WRONG_FIRST_DIGIT
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        return UnitNumberProblem.WRONG_CHECK_DIGITS
    return None


def format_unit_number(text: str) -> str:
    """A valid unit number written the KBO's way: 2.123.456.791."""
    digits = _SEPARATORS.sub("", text)
    if unit_number_problem(digits) is not None:
        raise ValueError(f"{text!r} is not a unit number")
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"
