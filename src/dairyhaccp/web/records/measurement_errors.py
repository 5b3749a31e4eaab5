"""The core's refusals of a measurement, worded in the language of the page."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from dairyhaccp.monitoring import MeasurementError
from dairyhaccp.web.parameters import local_number
from dairyhaccp.web.records.wording import parameter_label

# Each problem code of the core, worded from its parameters.
_PROBLEMS: dict[str, Callable[[dict[str, object]], str]] = {
    "required": lambda p: _("this field is required"),
    "unknown_field": lambda p: _("unknown field"),
    "expected_text": lambda p: _("enter text"),
    "expected_object": lambda p: _("the measurement is not in the expected form"),
    "nul_character": lambda p: _("contains a character that is not allowed"),
    "too_long": lambda p: _("at most {count} characters").format(count=p["max_length"]),
    "expected_boolean": lambda p: _("choose OK or not OK"),
    "expected_number": lambda p: _("enter a number"),
    "expected_integer": lambda p: _("enter a whole number"),
    "not_finite": lambda p: _("enter a number"),
    "below_plausible": lambda p: _("cannot be below {minimum} {unit}").format(
        minimum=_number(p["minimum"]), unit=p["unit"]
    ),
    "above_plausible": lambda p: _("cannot be above {maximum} {unit}").format(
        maximum=_number(p["maximum"]), unit=p["unit"]
    ),
    "unknown_choice": lambda p: _("not one of the choices"),
    "unknown_product": lambda p: _("not a product of the plan"),
    "unknown_control": lambda p: _("not a control of the guide"),
    "not_in_plan": lambda p: _("this control is not in the plan of this business"),
    "unknown_category": lambda p: _("not a storage category"),
    "needs_category": lambda p: _("choose the storage category or the product"),
    "needs_product": lambda p: _("choose the product the check is for"),
    "needs_value": lambda p: _("also enter the {name}").format(
        name=parameter_label(str(p["needed"])).lower()
    ),
    "no_limit_for_product": lambda p: _("this check sets no limit for this product"),
    "no_limit_for_value": lambda p: _("this check sets no limit for this value here"),
    "nothing_measured": lambda p: _("enter at least one of: {names}").format(
        names=_labels(p["judged"])
    ),
    "not_judged": lambda p: _("this check does not judge this value; it judges: {names}").format(
        names=_labels(p["judged"])
    ),
    "durations_disagree": lambda p: _("this duration differs from the {other} entered").format(
        other=parameter_label(str(p["other"])).lower()
    ),
    "nothing_judged": lambda p: _("with these values no limit of this check applies"),
    "own_norm_missing": lambda p: _(
        "your plan sets no own norm for this pack yet: set it with the product in the profile"
    ),
}


def _number(value: object) -> str:
    return local_number(value) if isinstance(value, (int, float)) else str(value)


def _labels(names: object) -> str:
    return ", ".join(parameter_label(name).lower() for name in str(names).split(", ") if name)


def measurement_problem(error: MeasurementError) -> str:
    """The problem in the active language; the core's English sentence only for an unknown code."""
    wording = _PROBLEMS.get(error.code)
    return wording(error.params) if wording else error.problem
