"""Lab results as JSON-like data (the `lab evaluate` lines): checked, with the field at fault.

Raw milk:
    {"raw_milk": {"species": "cow", "source": "own_not_delivered", "use": "raw_milk_products"},
     "parameter": "plate_count", "results": [{"date": "2026-01-05", "value": 80000}, ...],
     "as_of": "2026-03-31", "laboratory": "MCC", "left_control": false}      (the last 3 optional)
A result may carry its own "laboratory" and "left_control" (whether the milk or what was made
from it has left the business), which take the place of the line's. Dates lie between
2000-01-01 and today.
Finished product:
    {"product": {"kind": "semi_hard_cheese", "raw_milk": false, "ph": 5.2},
     "parameter": "e_coli", "results": [50, 150, 200, 90, 80],
     "criterion": {"n": 5, "c": 2, "m": 100, "M": 1000}, "left_control": true}
The product properties ph, aw, shelf_life_days, frozen and challenge_test may also stand beside
"product". An optional "id" is handed back with the verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from dairyhaccp.lab.dates import check_sampling_day
from dairyhaccp.lab.findings import shown
from dairyhaccp.lab.product_verdict import OVERRIDE_KEYS, PRODUCT_PARAMETERS
from dairyhaccp.lab.raw_milk_verdict import (
    RAW_MILK_PARAMETERS,
    MilkOrigin,
    RawMilkResult,
    check_result_value,
)
from dairyhaccp.profile import ProductSpec

PRODUCT_PROPERTIES: tuple[str, ...] = ("ph", "aw", "shelf_life_days", "frozen", "challenge_test")
_RESULT_CONTEXT = ("laboratory", "left_control")
_RAW_MILK_KEYS = frozenset({"id", "raw_milk", "parameter", "results", "as_of", *_RESULT_CONTEXT})
_RESULT_KEYS = frozenset({"date", "value", *_RESULT_CONTEXT})
# Longest text accepted in a name field (a laboratory, an id), as the web app stores it.
MAX_NAME_LENGTH = 200
MAX_RESULTS = 10_000
_PRODUCT_KEYS = frozenset(
    {"id", "product", "parameter", "results", "criterion", "left_control", *PRODUCT_PROPERTIES}
)
Identifier = str | int | float | None


class LabInputError(ValueError):
    """Lab input that cannot be judged, with the field at fault."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class RawMilkRequest:
    """Raw-milk results of one parameter to judge."""

    origin: MilkOrigin
    parameter: str
    results: tuple[RawMilkResult, ...]
    as_of: date | None = None
    id: Identifier = None


@dataclass(frozen=True, slots=True)
class ProductRequest:
    """A finished product's sub-sample results of one parameter to judge."""

    product: ProductSpec
    parameter: str
    results: tuple[float, ...] | tuple[str, ...]
    override: dict[str, Any] | None = None
    left_control: bool | None = None
    id: Identifier = None


def _reraise(error: ValueError, prefix: str = "") -> LabInputError:
    """A core ValueError 'field: problem' as a LabInputError, the field under `prefix`."""
    field, _, problem = str(error).partition(": ")
    if not problem:
        return LabInputError(prefix.rstrip(".") or "input", str(error))
    return LabInputError(prefix + field, problem)


def _mapping(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LabInputError(field, "expected an object")
    return value


def _unknown(data: dict[str, Any], known: frozenset[str], prefix: str = "") -> None:
    for key in data:
        if key not in known:
            name = key if len(key) <= 60 else f"{key[:57]}..."
            raise LabInputError(
                f"{prefix}{name}", f"unknown field; known: {', '.join(sorted(known))}"
            )


def _day(value: Any, field: str) -> date:
    if not isinstance(value, str) or len(value) > 10:
        raise LabInputError(field, f"{shown(value)} is not a date like 2026-01-05")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise LabInputError(field, f"{value!r} is not a date like 2026-01-05") from None
    try:
        return check_sampling_day(field, day)
    except ValueError as exc:
        raise _reraise(exc) from None


def check_text(value: Any, field: str, max_length: int = MAX_NAME_LENGTH) -> str:
    """Text of at most `max_length` characters without NUL; LabInputError naming `field`."""
    if not isinstance(value, str):
        raise LabInputError(field, f"{shown(value)} is not text")
    if "\x00" in value:
        raise LabInputError(field, "contains a NUL character")
    if len(value) > max_length:
        raise LabInputError(field, f"longer than {max_length} characters")
    return value


def _identifier(data: dict[str, Any]) -> Identifier:
    value = data.get("id")
    if isinstance(value, str):
        return check_text(value, "id")
    if isinstance(value, float) and not math.isfinite(value):
        raise LabInputError("id", "expected a string or a finite number")
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise LabInputError("id", "expected a string or a number")


def _left_control(value: Any, field: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise LabInputError(field, "expected true, false or null")
    return value


def _parameter(data: dict[str, Any], known: tuple[str, ...]) -> str:
    parameter = data.get("parameter")
    if parameter is None:
        raise LabInputError("parameter", "is required")
    if parameter not in known:
        raise LabInputError("parameter", f"{shown(parameter)} is not one of {', '.join(known)}")
    return str(parameter)


def _results_list(data: dict[str, Any]) -> list[Any]:
    results = data.get("results")
    if results is None:
        raise LabInputError("results", "is required")
    if not isinstance(results, list):
        raise LabInputError("results", "expected a list")
    if not results:
        raise LabInputError("results", "at least one result is needed")
    if len(results) > MAX_RESULTS:
        raise LabInputError("results", f"more than {MAX_RESULTS} results")
    return results


def raw_milk_request(data: dict[str, Any]) -> RawMilkRequest:
    """Check a raw-milk line."""
    _unknown(data, _RAW_MILK_KEYS)
    milk = _mapping(data.get("raw_milk"), "raw_milk")
    _unknown(milk, frozenset({"species", "source", "use"}), "raw_milk.")
    for key in ("species", "source", "use"):
        if key not in milk:
            raise LabInputError(f"raw_milk.{key}", "is required")
        if not isinstance(milk[key], str):
            raise LabInputError(f"raw_milk.{key}", f"{shown(milk[key])} is not text")
    try:
        origin = MilkOrigin(milk["species"], milk["source"], milk["use"])
    except ValueError as exc:
        raise _reraise(exc, "raw_milk.") from exc
    parameter = _parameter(data, RAW_MILK_PARAMETERS)
    laboratory = check_text(data.get("laboratory", ""), "laboratory")
    left_control = _left_control(data.get("left_control"), "left_control")
    results = []
    for index, item in enumerate(_results_list(data)):
        entry = _mapping(item, f"results[{index}]")
        _unknown(entry, _RESULT_KEYS, f"results[{index}].")
        if "value" not in entry:
            raise LabInputError(f"results[{index}].value", "is required")
        day = _day(entry.get("date"), f"results[{index}].date")
        try:
            value = check_result_value(parameter, entry["value"], f"results[{index}].value")
        except ValueError as exc:
            raise _reraise(exc) from exc
        own_laboratory = entry.get("laboratory", laboratory)
        own_left = entry.get("left_control", left_control)
        results.append(
            RawMilkResult(
                day,
                value,
                laboratory=check_text(own_laboratory, f"results[{index}].laboratory"),
                left_control=_left_control(own_left, f"results[{index}].left_control"),
            )
        )
    as_of = _day(data["as_of"], "as_of") if data.get("as_of") is not None else None
    return RawMilkRequest(origin, parameter, tuple(results), as_of, _identifier(data))


def _product(data: dict[str, Any]) -> ProductSpec:
    product = dict(_mapping(data.get("product"), "product"))
    for key in PRODUCT_PROPERTIES:
        if key in data:
            if key in product and product[key] != data[key]:
                raise LabInputError(key, f"differs from product.{key}")
            product[key] = data[key]
    try:
        return ProductSpec.model_validate(product)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        elif first["type"] == "missing":
            message = "is required"
        raise LabInputError(f"product.{location}" if location else "product", message) from exc


def _count(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LabInputError(field, f"{shown(value)} is not a count or 'detected'/'not_detected'")
    try:
        count = float(value)
    except OverflowError:
        raise LabInputError(field, "the number is too large") from None
    if not math.isfinite(count) or count < 0:
        raise LabInputError(field, f"{shown(value)} is not a count of 0 or more")
    return count


def product_request(data: dict[str, Any]) -> ProductRequest:
    """Check a finished-product line."""
    _unknown(data, _PRODUCT_KEYS)
    product = _product(data)
    parameter = _parameter(data, PRODUCT_PARAMETERS)
    raw = _results_list(data)
    results: tuple[float, ...] | tuple[str, ...]
    if all(isinstance(value, str) for value in raw):
        for index, value in enumerate(raw):
            if value not in ("detected", "not_detected"):
                raise LabInputError(
                    f"results[{index}]", f"{shown(value)} is not detected/not_detected"
                )
        results = tuple(str(value) for value in raw)
    else:
        results = tuple(_count(value, f"results[{index}]") for index, value in enumerate(raw))
    override = None
    if data.get("criterion") is not None:
        override = _mapping(data["criterion"], "criterion")
        _unknown(override, frozenset(OVERRIDE_KEYS), "criterion.")
    left_control = data.get("left_control")
    if left_control is not None and not isinstance(left_control, bool):
        raise LabInputError("left_control", "expected true or false")
    return ProductRequest(product, parameter, results, override, left_control, _identifier(data))


def lab_request(data: Any) -> RawMilkRequest | ProductRequest:
    """A raw-milk or finished-product request from one decoded JSON line."""
    if not isinstance(data, dict):
        raise LabInputError("input", "expected a JSON object")
    if "raw_milk" in data and "product" in data:
        raise LabInputError("product", "give either product or raw_milk, not both")
    if "raw_milk" in data:
        return raw_milk_request(data)
    if "product" in data:
        return product_request(data)
    raise LabInputError("product", "is required (or raw_milk for raw-milk results)")
