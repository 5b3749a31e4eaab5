"""What a registration measured: the input of a check, validated against the parameter data."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Guide, Parameter
from dairyhaccp.vocabulary import PACKAGING

Value = float | bool

# What a measurement names besides measured values: the control and what it was taken on.
CONTEXT_FIELDS: tuple[str, ...] = ("control", "product", "category", "raw_milk", "packaging")
REMARK_FIELD = "remark"
MAX_NAME_LENGTH = 200
MAX_REMARK_LENGTH = 2000


class MeasurementError(ValueError):
    """A measurement that cannot be judged: the field at fault, and the problem.

    `code` says what is wrong in a word the edges can put in the user's language, `params`
    what the wording needs; `problem` is the English sentence of the command line.
    """

    def __init__(self, field: str, problem: str, code: str = "invalid", **params: object) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.code = code
        self.params: dict[str, object] = dict(params)


@dataclass(frozen=True, init=False)
class Measurement:
    """One check of one control: the values measured, for which product or category."""

    control: str
    values: Mapping[str, Value] = field(default_factory=dict)
    product: str | None = None
    category: str | None = None
    raw_milk: bool | None = None
    packaging: str | None = None
    remark: str | None = None

    # Made for every line judged: each field stored straight into the instance's dict, in field
    # order, not through object.__setattr__.
    def __init__(
        self,
        control: str,
        values: Mapping[str, Value] | None = None,
        product: str | None = None,
        category: str | None = None,
        raw_milk: bool | None = None,
        packaging: str | None = None,
        remark: str | None = None,
    ) -> None:
        fields = self.__dict__
        fields["control"] = control
        fields["values"] = MappingProxyType(dict(values) if values is not None else {})
        fields["product"] = product
        fields["category"] = category
        fields["raw_milk"] = raw_milk
        fields["packaging"] = packaging
        fields["remark"] = remark

    def value_of(self, parameter: str) -> Value | None:
        """The measured value of a parameter, or None when it was not measured."""
        return self.values.get(parameter)

    def with_values(self, values: Mapping[str, Value]) -> Measurement:
        return Measurement(
            self.control,
            values,
            self.product,
            self.category,
            self.raw_milk,
            self.packaging,
            self.remark,
        )


def _text(name: str, value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise MeasurementError(name, "expected text", "expected_text")
    if "\x00" in value:
        raise MeasurementError(name, "contains a NUL character", "nul_character")
    if len(value) > limit:
        raise MeasurementError(
            name, f"longer than {limit} characters", "too_long", max_length=limit
        )
    return value


def parameter_value(parameter: Parameter, value: Any) -> Value:
    """A value checked against its parameter: type, finiteness, plausible range."""
    name = parameter.id
    if parameter.is_boolean:
        if not isinstance(value, bool):
            raise MeasurementError(name, "expected true or false", "expected_boolean")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MeasurementError(name, "expected a number", "expected_number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise MeasurementError(name, "expected a finite number", "not_finite")
    if parameter.type == "integer" and not number.is_integer():
        raise MeasurementError(name, "expected a whole number", "expected_integer")
    assert parameter.min is not None and parameter.max is not None
    if number < parameter.min:
        raise MeasurementError(
            name,
            f"{number:g} is below the plausible minimum {parameter.min:g} {parameter.unit}",
            "below_plausible",
            minimum=parameter.min,
            unit=parameter.unit,
        )
    if number > parameter.max:
        raise MeasurementError(
            name,
            f"{number:g} is above the plausible maximum {parameter.max:g} {parameter.unit}",
            "above_plausible",
            maximum=parameter.max,
            unit=parameter.unit,
        )
    return number


# A numeric parameter's plausible range, and whether it takes whole numbers only.
_Range = tuple[float, float, bool]
_ON_SITE: dict[int, tuple[Guide, dict[str, Parameter], dict[str, _Range]]] = {}


def on_site_parameters(guide: Guide) -> dict[str, Parameter]:
    """The parameters a registration may carry, in form order."""
    return _on_site(guide)[1]


def _on_site(guide: Guide) -> tuple[Guide, dict[str, Parameter], dict[str, _Range]]:
    """The guide, its on-site parameters, and the ranges of those that are finite numbers."""
    cached = _ON_SITE.get(id(guide))
    if cached is not None and cached[0] is guide:
        return cached
    parameters = {
        p.id: p
        for p in guide.parameters
        if p.measured == "on_site" and p.id not in CONTEXT_FIELDS and p.id != REMARK_FIELD
    }
    ranges = {
        p.id: (p.min, p.max, p.type == "integer")
        for p in parameters.values()
        if not p.is_boolean
        and p.min is not None
        and p.max is not None
        and math.isfinite(p.min)
        and math.isfinite(p.max)
    }
    cached = _ON_SITE[id(guide)] = (guide, parameters, ranges)
    return cached


def measurement_from_dict(data: Any, guide: Guide | None = None) -> Measurement:
    """Validate a measurement against the parameters of `guide` (default: the one in force);
    the first problem raises MeasurementError naming the field."""
    if guide is None:
        guide = load_guide()
    if not isinstance(data, dict):
        raise MeasurementError("measurement", "expected a JSON object", "expected_object")
    if "control" not in data or data["control"] is None:
        raise MeasurementError("control", "is required", "required")
    _, parameters, ranges = _on_site(guide)
    context: dict[str, Any] = {}
    values: dict[str, Value] = {}
    for name, value in data.items():
        bounds = ranges.get(name)
        if bounds is not None:
            # A number in its plausible range, as most are: what `parameter_value` makes of it.
            kind = type(value)
            if kind is float and not bounds[2] and bounds[0] <= value <= bounds[1]:
                values[name] = value
                continue
            if kind is int and bounds[0] <= value <= bounds[1]:
                values[name] = float(value)
                continue
        elif (name == "control" or name == "product" or name == "category") and (
            type(value) is str and len(value) <= MAX_NAME_LENGTH and "\x00" not in value
        ):
            # A name as `_text` takes it.
            context[name] = value
            continue
        if not isinstance(name, str):
            raise MeasurementError("measurement", "field names are text", "expected_text")
        if value is None:
            continue
        parameter = parameters.get(name)
        if parameter is not None:
            values[name] = parameter_value(parameter, value)
        elif name in ("control", "product", "category"):
            context[name] = _text(name, value, MAX_NAME_LENGTH)
        elif name == REMARK_FIELD:
            context[name] = _text(name, value, MAX_REMARK_LENGTH)
        elif name == "raw_milk":
            if not isinstance(value, bool):
                raise MeasurementError(name, "expected true or false", "expected_boolean")
            context[name] = value
        elif name == "packaging":
            if value not in PACKAGING:
                raise MeasurementError(
                    name,
                    f"unknown packaging {value!r}; known: {', '.join(PACKAGING)}",
                    "unknown_choice",
                    known=", ".join(PACKAGING),
                )
            context[name] = value
        else:
            raise MeasurementError(
                _field_name(name), "unknown field", "unknown_field", known=", ".join(parameters)
            )
    return Measurement(values=values, **context)


def _field_name(name: str) -> str:
    """A field name as it may be shown: printable and short."""
    shown = "".join(char if char.isprintable() else "?" for char in name)
    return shown if len(shown) <= 60 else shown[:57] + "..."
