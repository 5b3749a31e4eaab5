"""`dairyhaccp ikm withdrawal` and `dairyhaccp ikm sector`: JSON lines in, JSON lines out.

A bad line gets `{"error": "line N: <field>: <problem>"}` and the next lines are still read.
`withdrawal` answers each line at once, in input order. `sector` writes the errors as it reads,
then, after the last line, one object per year in ascending order (with `--by region`: per
year ascending, then per region in code-point order of its name).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from dairyhaccp.clitools import ArgParser, parse_json_line, write_line
from dairyhaccp.ikm.inputs import IkmInputError
from dairyhaccp.ikm.loader import LastenboekError, load_lastenboek
from dairyhaccp.ikm.sector import SectorTally, farm_year_from_dict, figures_to_dict
from dairyhaccp.ikm.withdrawal import milk_withdrawal, result_to_dict, withdrawal_request_from_dict


def _input_lines(handle: TextIO) -> Iterator[tuple[int, Any]]:
    """Each non-blank line parsed as JSON, or a ValueError naming the line (bad UTF-8 too)."""
    if isinstance(handle, io.TextIOWrapper):
        # Undecodable bytes become an error for their line instead of ending the command.
        handle.reconfigure(errors="surrogateescape")
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            yield number, ValueError(f"line {number}: not valid UTF-8")
            continue
        try:
            yield number, parse_json_line(line, number)
        except ValueError as exc:
            yield number, exc


def _line_error(number: int, exc: IkmInputError) -> dict[str, str]:
    return {"error": f"line {number}: {exc}"}


def _withdrawal_command(args: argparse.Namespace) -> int:
    for number, item in _input_lines(sys.stdin):
        if isinstance(item, ValueError):
            write_line({"error": str(item)})
            continue
        try:
            result = milk_withdrawal(withdrawal_request_from_dict(item))
        except IkmInputError as exc:
            write_line(_line_error(number, exc))
            continue
        write_line(result_to_dict(result))
    return 0


def _sector_command(args: argparse.Namespace) -> int:
    try:
        min_farms = load_lastenboek().privacy.min_farms
    except LastenboekError as exc:
        print(f"dairyhaccp: lastenboek data error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    tally = SectorTally(by_region=args.by == "region")
    for number, item in _input_lines(sys.stdin):
        if isinstance(item, ValueError):
            write_line({"error": str(item)})
            continue
        try:
            tally.add(farm_year_from_dict(item, region_required=tally.by_region))
        except IkmInputError as exc:
            write_line(_line_error(number, exc))
    for figures in tally.figures(min_farms):
        write_line(figures_to_dict(figures, min_farms))
    return 0


def add_commands(commands: Any) -> None:
    """Add this context's commands to the `dairyhaccp` subcommands."""
    ikm = commands.add_parser("ikm", help="dairy farms: withdrawal periods, sector figures (IKM)")
    ikm_commands = ikm.add_subparsers(dest="ikm_command", required=True, parser_class=ArgParser)
    withdrawal = ikm_commands.add_parser(
        "withdrawal",
        help="when milk of a treated animal is usable again (JSON lines on stdin)",
        description=(
            'Each line: {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 84} '
            '(or "withdrawal_milk_days"), optionally "milkings": ["06:00", "17:30"]. Times '
            "without an offset are Brussels time; periods are elapsed hours."
        ),
    )
    withdrawal.set_defaults(handler=_withdrawal_command)
    sector = ikm_commands.add_parser(
        "sector",
        help="sector figures from farm-years (JSON lines on stdin); small groups hidden",
        description=(
            'Each line: {"farm": "F1", "year": 2019, "region": "flanders", "certified": true, '
            '"initiatives": ["brushes"]}. One object per year (and region) after the input; '
            'a group of fewer than 5 farms is written as {"year": ..., "farms": "<5"}.'
        ),
    )
    sector.add_argument("--by", choices=("region",), help="also split each year by region")
    sector.set_defaults(handler=_sector_command)
