"""Validators of the operators context, worded for the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.operators.unit_number import UnitNumberProblem, unit_number_problem

_UNIT_NUMBER_MESSAGES = {
    UnitNumberProblem.NOT_TEN_DIGITS: _("A FAVV unit number has 10 digits, e.g. 2.xxx.xxx.xxx."),
    UnitNumberProblem.WRONG_FIRST_DIGIT: _(
        "A FAVV unit number starts with a digit from 2 to 8; a number starting with 0 or 1 "
        "is the enterprise number."
    ),
    UnitNumberProblem.WRONG_CHECK_DIGITS: _(
        "This is no valid unit number: its last two digits do not fit the others. "
        "Check it for a typing error."
    ),
}


def validate_unit_number(value: str) -> None:
    """Refuse a text that is not a FAVV unit number (an empty one is for `blank` to judge)."""
    if not value:
        return
    problem = unit_number_problem(value)
    if problem is not None:
        raise ValidationError(_UNIT_NUMBER_MESSAGES[problem], code=problem.value)
