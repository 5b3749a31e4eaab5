"""Lot codes made from an owner's pattern, e.g. `{product-code}-{yymmdd}-{n}`.

A pattern is literal text (letters, digits and `-_./`) with placeholders in braces: the
product's code, the date of the production in several forms, and the number of the batch of
that product on that day (`{n}`, or zero-padded `{nn}`, `{nnn}`). A counter is required, so that
two batches of one day never get the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DEFAULT_PATTERN = "{product-code}-{yymmdd}-{n}"
MAX_LENGTH = 60
PRODUCT_CODE_LENGTH = 10

COUNTERS = ("n", "nn", "nnn")
DATES = ("yyyy", "yy", "mm", "dd", "yymmdd", "yyyymmdd")
PLACEHOLDERS = ("product-code", *DATES, *COUNTERS)

_LITERAL = re.compile(r"[A-Za-z0-9\-_./]*")
_PRODUCT_CODE = re.compile(rf"[A-Z0-9]{{1,{PRODUCT_CODE_LENGTH}}}")


class PatternProblem(StrEnum):
    EMPTY = "empty"
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"
    UNCLOSED_BRACE = "unclosed_brace"
    CHARACTER = "character"
    NO_COUNTER = "no_counter"
    TOO_LONG = "too_long"


class LotPatternError(ValueError):
    """A pattern that cannot make lot codes: the problem and the text at fault."""

    def __init__(self, problem: PatternProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Part:
    """A piece of a pattern: literal text, or a placeholder's name."""

    text: str
    placeholder: bool


def parse_pattern(pattern: str) -> tuple[Part, ...]:
    """The parts of a pattern; LotPatternError names what is wrong."""
    pattern = pattern.strip()
    if not pattern:
        raise LotPatternError(PatternProblem.EMPTY)
    parts: list[Part] = []
    rest = pattern
    while rest:
        start = rest.find("{")
        literal = rest if start < 0 else rest[:start]
        if "}" in literal:
            raise LotPatternError(PatternProblem.UNCLOSED_BRACE, "}")
        if not _LITERAL.fullmatch(literal):
            bad = next(c for c in literal if not _LITERAL.fullmatch(c))
            raise LotPatternError(PatternProblem.CHARACTER, bad)
        if literal:
            parts.append(Part(literal, False))
        if start < 0:
            break
        end = rest.find("}", start)
        if end < 0 or "{" in rest[start + 1 : end]:
            raise LotPatternError(PatternProblem.UNCLOSED_BRACE, rest[start:])
        name = rest[start + 1 : end].strip().lower()
        if name not in PLACEHOLDERS:
            raise LotPatternError(PatternProblem.UNKNOWN_PLACEHOLDER, "{" + name + "}")
        parts.append(Part(name, True))
        rest = rest[end + 1 :]
    if not any(p.placeholder and p.text in COUNTERS for p in parts):
        raise LotPatternError(PatternProblem.NO_COUNTER)
    return tuple(parts)


def check_pattern(pattern: str, product_codes: Iterable[str] = ("ABC",)) -> str:
    """The pattern, stripped, if it makes codes that fit (with the longest product code and a
    counter of 999); LotPatternError otherwise."""
    parts = parse_pattern(pattern)
    longest = max((len(c) for c in product_codes), default=3)
    sample = lot_code(parts, "X" * longest, date(2026, 12, 31), 999)
    if len(sample) > MAX_LENGTH:
        raise LotPatternError(PatternProblem.TOO_LONG, str(MAX_LENGTH))
    return pattern.strip()


def _value(name: str, product_code: str, day: date, number: int) -> str:
    values = {
        "product-code": product_code,
        "yyyy": f"{day:%Y}",
        "yy": f"{day:%y}",
        "mm": f"{day:%m}",
        "dd": f"{day:%d}",
        "yymmdd": f"{day:%y%m%d}",
        "yyyymmdd": f"{day:%Y%m%d}",
        "n": str(number),
        "nn": f"{number:02d}",
        "nnn": f"{number:03d}",
    }
    return values[name]


def lot_code(pattern: str | Sequence[Part], product_code: str, day: date, number: int) -> str:
    """The lot code of the `number`-th batch (from 1) of a product on `day`."""
    parts = parse_pattern(pattern) if isinstance(pattern, str) else pattern
    return "".join(
        _value(p.text, product_code, day, number) if p.placeholder else p.text for p in parts
    )


def free_lot_code(
    pattern: str | Sequence[Part],
    product_code: str,
    day: date,
    number: int,
    taken: Iterable[str],
    tries: int = 1000,
) -> tuple[str, int]:
    """The first code from `number` on that is not `taken` (a code typed by hand, or another
    product with the same code), and its number."""
    parts = parse_pattern(pattern) if isinstance(pattern, str) else pattern
    used = set(taken)
    for n in range(number, number + tries):
        code = lot_code(parts, product_code, day, n)
        if code not in used:
            return code, n
    raise LotPatternError(PatternProblem.TOO_LONG, "no free number")


def is_product_code(code: str) -> bool:
    return bool(_PRODUCT_CODE.fullmatch(code))


def product_codes(labels: Sequence[str], chosen: dict[str, str] | None = None) -> dict[str, str]:
    """A short code per product: the owner's where chosen, else three letters of the name,
    different for every product (`Hoevekaas` HOE, `Hoeveboter` HOV)."""
    chosen = chosen or {}
    codes: dict[str, str] = {}
    used = {chosen[label] for label in labels if chosen.get(label)}
    for label in labels:
        if chosen.get(label):
            codes[label] = chosen[label]
            continue
        letters = re.sub(r"[^A-Z0-9]", "", label.upper()) or "P"
        candidates = [letters[:3]]
        candidates += [letters[:2] + c for c in letters[2:]]
        candidates += [f"{letters[:2]}{i}" for i in range(1, 100)]
        code = next(c for c in candidates if c not in used)
        used.add(code)
        codes[label] = code
    return codes
