"""Findings of laboratory judgements: a code, the measured and the required values."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class FindingCode(StrEnum):
    """What a laboratory judgement found worth reporting."""

    ABOVE_LOWER_LIMIT = "above_m"
    ABOVE_UPPER_LIMIT = "above_M"
    MORE_THAN_C_ABOVE_M = "more_than_c_above_m"
    DETECTED = "detected"
    FEWER_RESULTS_THAN_N = "fewer_results_than_n"
    INSUFFICIENT_SAMPLES = "insufficient_samples"
    ABOVE_NORM = "above_norm"
    STOP_USE_AND_DELIVERY = "stop_use_and_delivery"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding; `positions` are 1-based sub-sample numbers, `values` the results there."""

    code: FindingCode
    measured: float | None = None
    required: float | None = None
    positions: tuple[int, ...] = ()
    values: tuple[float, ...] = ()


def shown(value: object, limit: int = 60) -> str:
    """A value as a message shows it, cut short: input may be any size."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def check_finite(name: str, value: float, *, minimum: float | None = None) -> float:
    """Return `value` as float; raise ValueError naming the field if not finite or too small."""
    if not math.isfinite(value):
        raise ValueError(f"{name}: {value!r} is not a finite number")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: {value!r} is below {minimum:g}")
    return float(value)


def check_count(name: str, value: int, *, minimum: int) -> int:
    """Return an integer count; raise ValueError naming the field if it is not one or too small."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: {shown(value)} is not a whole number")
    if value < minimum:
        raise ValueError(f"{name}: {value} is below {minimum}")
    return value
