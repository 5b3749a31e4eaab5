"""Command line commands of this context: `dairyhaccp trace` and `dairyhaccp retention`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dairyhaccp.clitools import UsageError, add_lang, json_lines, write_line
from dairyhaccp.guide import load_guide
from dairyhaccp.trace.events import Event, FieldError, parse_event
from dairyhaccp.trace.export import trace_to_data
from dairyhaccp.trace.graph import TraceInputError, UnknownLotError, build_graph
from dairyhaccp.trace.notification import ORIGINS, load_notification_rule, notification_duty
from dairyhaccp.trace.queries import backward, forward
from dairyhaccp.trace.retention import keep_until_of, retention_rule

_BOOLEANS = {"true": True, "false": False}


def _read_events() -> tuple[list[Event], list[int]]:
    """The events on stdin with their line numbers; UsageError at the first malformed line."""
    events: list[Event] = []
    lines: list[int] = []
    for number, item in json_lines(sys.stdin):
        if isinstance(item, ValueError):
            raise UsageError(str(item))
        try:
            events.append(parse_event(item))
        except FieldError as exc:
            raise UsageError(f"line {number}: {exc}") from None
        lines.append(number)
    return events, lines


def _check_notify_options(args: argparse.Namespace) -> None:
    if not args.notify:
        for option, value in (("--origin", args.origin), ("--measures", args.measures)):
            if value is not None:
                raise UsageError(f"{option}: goes with --notify")
        return
    if args.backward is not None:
        raise UsageError(
            "--notify: the duty to notify is decided on a forward trace (--forward LOT): "
            "the products concerned are the lot and everything made from it"
        )
    for option, value in (("--origin", args.origin), ("--measures", args.measures)):
        if value is None:
            raise UsageError(f"{option}: is required with --notify")


def _trace_command(args: argparse.Namespace) -> int:
    _check_notify_options(args)
    if args.notify:
        load_notification_rule().check_against(load_guide())
    events, lines = _read_events()
    try:
        graph = build_graph(events, lines)
    except TraceInputError as exc:
        raise UsageError(exc.problems[0].words("line")) from None
    option, lot = (
        ("--forward", args.forward) if args.forward is not None else ("--backward", args.backward)
    )
    try:
        trace = forward(graph, lot) if option == "--forward" else backward(graph, lot)
    except UnknownLotError as exc:
        raise UsageError(f"{option}: {exc}") from None
    decision = None
    if args.notify:
        decision = notification_duty(
            args.origin, trace.left_control, _BOOLEANS[args.measures], trace.lots_out
        )
    write_line(trace_to_data(trace, decision, args.lang))
    return 0


def _retention_command(args: argparse.Namespace) -> int:
    rule = retention_rule(load_guide(), _BOOLEANS[args.relaxations])
    for number, item in json_lines(sys.stdin):
        if isinstance(item, ValueError):
            write_line({"error": str(item)})
            continue
        try:
            write_line({"keep_until": keep_until_of(item, rule).isoformat()})
        except FieldError as exc:
            write_line({"error": f"line {number}: {exc}"})
    return 0


def add_commands(commands: Any) -> None:
    """Add this context's commands to the `dairyhaccp` subcommands."""
    trace = commands.add_parser(
        "trace",
        help="trace a lot forward or backward through lot events (JSON lines on stdin)",
        description=(
            "Reads lot events (lot, produce, deliver, sell, destroy, count) as JSON lines on "
            "stdin and prints one JSON object; stores nothing."
        ),
    )
    direction = trace.add_mutually_exclusive_group(required=True)
    direction.add_argument("--forward", metavar="LOT", help="every lot made from LOT")
    direction.add_argument("--backward", metavar="LOT", help="every lot LOT was made from")
    trace.add_argument(
        "--notify", action="store_true", help="decide the duty to notify the FAVV (with --forward)"
    )
    trace.add_argument("--origin", choices=ORIGINS, help="where the hazard arose")
    trace.add_argument(
        "--measures", choices=tuple(_BOOLEANS), help="whether corrective measures are taken"
    )
    add_lang(trace)
    trace.set_defaults(handler=_trace_command)
    retention = commands.add_parser(
        "retention",
        help="keep-until dates of records (JSON lines on stdin), one per line",
    )
    retention.add_argument(
        "--relaxations",
        required=True,
        choices=tuple(_BOOLEANS),
        help="whether the operator benefits from the relaxations (versoepelingen)",
    )
    retention.set_defaults(handler=_retention_command)
