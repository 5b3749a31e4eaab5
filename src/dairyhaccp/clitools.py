"""What every `dairyhaccp` command shares: one-line errors, JSON lines in and out."""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TextIO

EXIT_BAD_INPUT = 2
LANGS = ("nl", "fr", "en")
# Deeper JSON than this is refused before it reaches the parser's recursion limit.
MAX_JSON_DEPTH = 64
MAX_LINE_CHARS = 1_000_000
MAX_MESSAGE_CHARS = 200


class UsageError(Exception):
    """Bad input on the command line: reported on one line, exit code 2."""


class ArgParser(argparse.ArgumentParser):
    """An argument parser whose errors are UsageError, not an exit with usage text."""

    def error(self, message: str) -> NoReturn:
        # argparse quotes the bad value whole: keep a line readable whatever was typed.
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[: MAX_MESSAGE_CHARS - 1] + "…"
        raise UsageError(message)


def one_line(text: str) -> str:
    """The text on one line: line breaks and other unprintable characters escaped."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


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


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def parse_json_line(line: str, number: int) -> Any:
    """One line of JSON, or ValueError naming the line and the problem."""
    if len(line) > MAX_LINE_CHARS:
        raise ValueError(f"line {number}: longer than {MAX_LINE_CHARS} characters")
    if _depth_exceeds(line, MAX_JSON_DEPTH):
        raise ValueError(f"line {number}: nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"line {number}: {exc}") from None


def json_lines(handle: TextIO) -> Iterator[tuple[int, Any]]:
    """Each non-blank line parsed as JSON, or a ValueError naming the line (bad UTF-8 too)."""
    if isinstance(handle, io.TextIOWrapper):
        # Undecodable bytes become an error for their line instead of ending the command.
        handle.reconfigure(errors="surrogateescape")
    for number, line in enumerate(handle, start=1):
        if not line or line.isspace():
            continue
        if not line.isascii() and not _is_utf8(line):
            yield number, ValueError(f"line {number}: not valid UTF-8")
            continue
        try:
            yield number, parse_json_line(line, number)
        except ValueError as exc:
            yield number, exc


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def dumps(data: Any, indent: int | None = None) -> str:
    """Strict JSON: a non-finite number never reaches the output (it becomes null), and text
    that is not valid UTF-8 (a lone surrogate echoed from the input) is written escaped."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=indent)
    except ValueError:
        data = _finite(data)
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=indent)
    return _one_line(
        text, lambda: json.dumps(data, ensure_ascii=True, allow_nan=False, indent=indent)
    )


def _one_line(text: str, escaped_text: Callable[[], str]) -> str:
    if text.isascii():
        return text
    if not _is_utf8(text):
        return escaped_text()
    # Characters that line readers take for a line end, written escaped: one answer, one line.
    for character, escaped in _LINE_BREAKS_ESCAPED:
        if character in text:
            text = text.replace(character, escaped)
    return text


_LINE_BREAKS_ESCAPED = [(c, f"\\u{ord(c):04x}") for c in "\x85\u2028\u2029"]


def write_line(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")
    sys.stdout.flush()


def write_encoded_line(text: str, data: Callable[[], Any]) -> None:
    """A line already encoded as `json.dumps` would, held to the same rules as `dumps`; `data`
    makes it again where it needs escaping."""
    sys.stdout.write(_one_line(text, lambda: dumps(data())) + "\n")
    sys.stdout.flush()


def write_plain_line(text: str) -> None:
    """A line already encoded as `dumps` would and known to need no escaping (valid UTF-8,
    no line-break character)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGS, default="nl")
