"""Command line commands of this context: `dairyhaccp label check`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dairyhaccp.clitools import ArgParser, add_lang, json_lines, write_line
from dairyhaccp.guide.loader import load_guide
from dairyhaccp.labels.composition import LabelInputError
from dairyhaccp.labels.inputs import check_label_data
from dairyhaccp.labels.rules import load_label_rules


def _check_command(args: argparse.Namespace) -> int:
    rules = load_label_rules()
    guide = load_guide()
    for _, item in json_lines(sys.stdin):
        if isinstance(item, ValueError):
            write_line({"error": str(item)})
            continue
        try:
            write_line(check_label_data(item, args.lang, rules=rules, guide=guide))
        except LabelInputError as exc:
            write_line({"error": str(exc)})
    return 0


def add_commands(commands: Any) -> None:
    """Add this context's commands to the `dairyhaccp` subcommands."""
    label = commands.add_parser("label", help="check labels: sales names and mandatory mentions")
    label_commands = label.add_subparsers(
        dest="label_command", required=True, parser_class=ArgParser
    )
    check = label_commands.add_parser(
        "check",
        help="check labels (JSON lines on stdin), one answer per line; stores nothing",
    )
    add_lang(check)
    check.set_defaults(handler=_check_command)
