"""The `dairyhaccp` command: parses arguments, calls the core, prints the result."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from dairyhaccp.guide import GuideError, load_guide
from dairyhaccp.monitoring import Evaluation, MeasurementError, evaluate, measurement_from_dict
from dairyhaccp.monitoring.wording import describe_finding
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.diagram import plan_svg
from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.plan.markdown import plan_to_markdown
from dairyhaccp.profile import Profile, ProfileError, parse_profile_toml

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input on the command line: reported on one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _read_profile(path: str) -> Profile:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read profile {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"profile {path} is not UTF-8 text") from exc
    return parse_profile_toml(text)


def _plan_command(args: argparse.Namespace) -> int:
    profile = _read_profile(args.profile)
    plan = build_plan(load_guide(), profile)
    if args.format == "json":
        json.dump(plan_to_data(plan, args.lang), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(plan_to_markdown(plan, args.lang))
    else:
        sys.stdout.write(plan_svg(plan, args.lang) + "\n")
    return 0


def _evaluation_data(evaluation: Evaluation, lang: str) -> dict[str, Any]:
    return {
        "control": evaluation.control,
        "verdict": evaluation.verdict.value,
        "reasons": [describe_finding(f, lang) for f in evaluation.findings],
        "required": evaluation.required,
        "corrective_actions": [action.get(lang) for action in evaluation.corrective_actions],
        "findings": [
            {
                "code": f.code.value,
                "limit": f.limit_id,
                "parameter": f.parameter,
                "measured": f.measured,
                "required": f.required,
                "unit": f.unit,
                "level": f.level,
                "severity": f.severity.value,
            }
            for f in evaluation.findings
        ],
    }


def _json_lines(handle: TextIO) -> Iterator[tuple[int, Any]]:
    """Each non-blank line parsed as JSON, or the error naming the line."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"line {number}: not valid JSON: {exc.msg}")


def _write_line(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _evaluate_command(args: argparse.Namespace) -> int:
    guide = load_guide()
    plan = build_plan(guide, _read_profile(args.profile)) if args.profile else None
    for _, item in _json_lines(sys.stdin):
        if isinstance(item, ValueError):
            _write_line({"error": str(item)})
            continue
        try:
            evaluation = evaluate(measurement_from_dict(item), guide, plan)
        except MeasurementError as exc:
            _write_line({"error": str(exc)})
            continue
        _write_line(_evaluation_data(evaluation, args.lang))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dairyhaccp", description="HACCP self-check for Belgian dairy")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    plan = commands.add_parser("plan", help="build the HACCP plan of a profile (TOML)")
    plan.add_argument("profile", help="path to the operator profile (TOML)")
    plan.add_argument("--format", choices=("json", "markdown", "svg"), default="json")
    plan.add_argument("--lang", choices=("nl", "fr", "en"), default="nl")
    plan.set_defaults(handler=_plan_command)
    evaluate_cmd = commands.add_parser(
        "evaluate", help="judge measurements (JSON lines on stdin), one verdict per line"
    )
    evaluate_cmd.add_argument("--profile", help="judge against this operator's plan (TOML)")
    evaluate_cmd.add_argument("--lang", choices=("nl", "fr", "en"), default="nl")
    evaluate_cmd.set_defaults(handler=_evaluate_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; bad input prints one line to stderr and returns 2."""
    try:
        args = build_parser().parse_args(argv)
        result: int = args.handler(args)
        return result
    except (UsageError, ProfileError) as exc:
        print(f"dairyhaccp: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except GuideError as exc:
        first_line = str(exc).splitlines()[0]
        print(f"dairyhaccp: guide data error: {first_line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
