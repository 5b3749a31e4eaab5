"""Checks of JSON-like input for this context: each failure names the field and the problem."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

# Identifiers (farm, region, initiative, animal) longer than this are refused, not stored.
MAX_ID_CHARS = 200


class IkmInputError(ValueError):
    """Input that cannot be used: the field at fault ("" for the whole line) and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


def _shown(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def require_object(data: object) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise IkmInputError("", f"expected a JSON object, got {type(data).__name__}")
    return data


def refuse_unknown(data: Mapping[str, Any], known: frozenset[str]) -> None:
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        name = unknown[0] if unknown[0].isprintable() else repr(unknown[0])[1:-1]
        name = name if len(name) <= 40 else name[:37] + "..."
        raise IkmInputError(name, f"unknown field; known: {', '.join(sorted(known))}")


def identifier(value: object, field: str) -> str:
    """A non-empty printable name of at most MAX_ID_CHARS characters."""
    if not isinstance(value, str):
        raise IkmInputError(field, f"must be a string, got {_shown(value)}")
    if not value.strip():
        raise IkmInputError(field, "must not be empty")
    if len(value) > MAX_ID_CHARS:
        raise IkmInputError(field, f"longer than {MAX_ID_CHARS} characters")
    if not value.isprintable():
        raise IkmInputError(field, "contains control characters")
    return value


def boolean(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise IkmInputError(field, f"must be true or false, got {_shown(value)}")
    return value


def integer(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise IkmInputError(field, f"must be a whole number, got {_shown(value)}")
    if not low <= value <= high:
        raise IkmInputError(field, f"{_shown(value)} is outside {low}..{high}")
    return value


def non_negative_number(value: object, field: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise IkmInputError(field, f"must be a number, got {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise IkmInputError(field, "must be a finite number")
    if value < 0:
        raise IkmInputError(field, f"{_shown(value)} is negative")
    return value
