"""What every `dairyhaccp` command shares: one-line errors, JSON lines in and out."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterator
from typing import Any, NoReturn, TextIO

EXIT_BAD_INPUT = 2
LANGS = ("nl", "fr", "en")
# Deeper JSON than this is refused before it reaches the parser's recursion limit.
MAX_JSON_DEPTH = 64
MAX_LINE_CHARS = 1_000_000


class UsageError(Exception):
    """Bad input on the command line: reported on one line, exit code 2."""


class ArgParser(argparse.ArgumentParser):
    """An argument parser whose errors are UsageError, not an exit with usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _depth_exceeds(line: str, limit: int) -> bool:
    if line.count("[") + line.count("{") <= limit:
        return False
    depth = 0
    in_string = False
    escaped = False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json_line(line: str, number: int) -> Any:
    """One line of JSON, or ValueError naming the line and the problem."""
    if len(line) > MAX_LINE_CHARS:
        raise ValueError(f"line {number}: longer than {MAX_LINE_CHARS} characters")
    if _depth_exceeds(line, MAX_JSON_DEPTH):
        raise ValueError(f"line {number}: nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(line, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"line {number}: {exc}") from None


def json_lines(handle: TextIO) -> Iterator[tuple[int, Any]]:
    """Each non-blank line parsed as JSON, or a ValueError naming the line."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield number, parse_json_line(line, number)
        except ValueError as exc:
            yield number, exc


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def dumps(data: Any, indent: int | None = None) -> str:
    """Strict JSON: a non-finite number never reaches the output (it becomes null)."""
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=indent)
    except ValueError:
        return json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, indent=indent)


def write_line(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")
    sys.stdout.flush()


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGS, default="nl")
