"""The `dairyhaccp` command: parses arguments, calls the core, prints the result."""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from dairyhaccp.clitools import (
    EXIT_BAD_INPUT,
    ArgParser,
    UsageError,
    add_lang,
    dumps,
    json_lines,
    one_line,
    write_encoded_line,
    write_line,
    write_plain_line,
)
from dairyhaccp.guide import GuideError, load_guide
from dairyhaccp.ikm import commands as ikm_commands
from dairyhaccp.lab.acceptance import DEFAULT_SIGMA, oc_curve
from dairyhaccp.lab.evaluation import evaluate_lab_data
from dairyhaccp.lab.findings import check_finite
from dairyhaccp.lab.inputs import LabInputError
from dairyhaccp.labels import commands as label_commands
from dairyhaccp.monitoring import MeasurementError, check, measurement_from_dict
from dairyhaccp.monitoring.export import evaluation_json, evaluation_to_data, pieces_plain
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.diagram import plan_svg
from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.plan.markdown import plan_to_markdown
from dairyhaccp.profile import Profile, ProfileError, parse_profile_toml
from dairyhaccp.trace import commands as trace_commands

# Commands that live beside their core context.
CONTEXT_COMMANDS = (
    trace_commands.add_commands,
    label_commands.add_commands,
    ikm_commands.add_commands,
)


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
        sys.stdout.write(dumps(plan_to_data(plan, args.lang), indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(plan_to_markdown(plan, args.lang))
    else:
        sys.stdout.write(plan_svg(plan, args.lang) + "\n")
    return 0


def _evaluate_command(args: argparse.Namespace) -> int:
    guide = load_guide()
    plan = build_plan(guide, _read_profile(args.profile)) if args.profile else None
    with _kept_out_of_full_collections():
        for _, item in json_lines(sys.stdin):
            if isinstance(item, ValueError):
                write_line({"error": str(item)})
                continue
            try:
                evaluation = check(measurement_from_dict(item, guide), guide, plan)
            except MeasurementError as exc:
                write_line({"error": str(exc)})
                continue
            text = evaluation_json(evaluation, args.lang)
            if pieces_plain():
                write_plain_line(text)
            else:
                write_encoded_line(text, partial(evaluation_to_data, evaluation, args.lang))
    return 0


@contextmanager
def _kept_out_of_full_collections() -> Iterator[None]:
    """What is loaded by now (the guide, the plan) stays for the whole run: the garbage
    collector's full passes leave it alone until the run ends."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _lab_evaluate_command(args: argparse.Namespace) -> int:
    guide = load_guide()
    for _, item in json_lines(sys.stdin):
        if isinstance(item, ValueError):
            write_line({"error": str(item)})
            continue
        try:
            write_line(evaluate_lab_data(guide, item, args.lang))
        except LabInputError as exc:
            write_line({"error": str(exc)})
    return 0


def _oc_plan(args: argparse.Namespace) -> tuple[int, int, float, float | None]:
    """The plan of the command line, or of the guide's criterion --criterion."""
    if args.criterion is None:
        for name in ("n", "c", "m"):
            if getattr(args, name) is None:
                raise ValueError(f"{name}: is required (or give --criterion)")
        return args.n, args.c, args.m, args.M
    criteria = {c.id: c for f in load_guide().product_families for c in f.criteria}
    criterion = criteria.get(args.criterion)
    if criterion is None:
        raise ValueError(f"criterion: {args.criterion!r} is not a criterion id of table 5.2")
    if criterion.m is None:
        raise ValueError(f"criterion: {args.criterion} is a presence criterion, not a count")
    return (
        criterion.n if args.n is None else args.n,
        criterion.c if args.c is None else args.c,
        criterion.m if args.m is None else args.m,
        criterion.M if args.M is None else args.M,
    )


def _oc_range(args: argparse.Namespace, m: float, upper: float | None) -> tuple[float, float]:
    """The range of mean log10 counts: as given, or one decade around m and M."""
    m = check_finite("m", m)
    if m <= 0:
        raise ValueError(f"m: {m!r} must be positive for a log-normal model")
    if upper is not None:
        upper = check_finite("M", upper)
    mu_from = math.floor(math.log10(m)) - 1.0 if args.mu_from is None else args.mu_from
    top = max(m, upper or m)
    mu_to = math.ceil(math.log10(top)) + 1.0 if args.mu_to is None else args.mu_to
    return mu_from, mu_to


def _lab_oc_curve_command(args: argparse.Namespace) -> int:
    try:
        n, c, m, upper = _oc_plan(args)
        mu_from, mu_to = _oc_range(args, m, upper)

        def points(n: int, c: int) -> list[dict[str, float]]:
            curve = oc_curve(n, c, m, upper, args.sigma, mu_from, mu_to, args.step)
            return [{"mu": round(mu, 9), "p_accept": p} for mu, p in curve]

        data: dict[str, Any] = {
            "n": n,
            "c": c,
            "m": m,
            "M": upper,
            "sigma": args.sigma,
            "points": points(n, c),
            # What another number of sub-samples buys; c cannot exceed n.
            "compare": [
                {"n": other, "c": min(c, other), "points": points(other, min(c, other))}
                for other in args.compare_n or ()
            ],
        }
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    write_line(data)
    return 0


def _add_lab_commands(commands: Any) -> None:
    lab = commands.add_parser("lab", help="judge lab analyses (raw milk, finished products)")
    lab_commands = lab.add_subparsers(dest="lab_command", required=True, parser_class=ArgParser)
    evaluate_cmd = lab_commands.add_parser(
        "evaluate",
        help="judge lab results (JSON lines on stdin), one verdict per line; stores nothing",
    )
    add_lang(evaluate_cmd)
    evaluate_cmd.set_defaults(handler=_lab_evaluate_command)
    oc = lab_commands.add_parser(
        "oc-curve",
        help="probability that a sampling plan accepts a lot, over mean log10 counts",
        description=(
            "Log10 counts in the lot ~ N(mu, sigma). Give the plan with --n --c --m [--M], or a "
            "criterion of table 5.2 with --criterion (its values may be overridden)."
        ),
    )
    oc.add_argument("--criterion", help="criterion id of table 5.2, e.g. cheese_pasteurised-e_coli")
    oc.add_argument("--n", type=int, help="number of sub-samples")
    oc.add_argument("--c", type=int, help="sub-samples allowed between m and M (above m: 2-class)")
    oc.add_argument("--m", type=float, help="lower limit m (cfu/g)")
    oc.add_argument("--M", type=float, help="upper limit M (cfu/g); absent: a 2-class plan")
    oc.add_argument("--sigma", type=float, default=DEFAULT_SIGMA, help="sd of log10 counts")
    oc.add_argument("--mu-from", type=float, help="first mean log10 count (default log m - 1)")
    oc.add_argument("--mu-to", type=float, help="last mean log10 count (default log M + 1)")
    oc.add_argument("--step", type=float, default=0.1, help="step of the mean log10 count")
    oc.add_argument(
        "--compare-n", type=int, nargs="+", metavar="N", help="also the curves for these n"
    )
    oc.set_defaults(handler=_lab_oc_curve_command)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgParser(prog="dairyhaccp", description="HACCP self-check for Belgian dairy")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgParser)
    plan = commands.add_parser("plan", help="build the HACCP plan of a profile (TOML)")
    plan.add_argument("profile", help="path to the operator profile (TOML)")
    plan.add_argument("--format", choices=("json", "markdown", "svg"), default="json")
    add_lang(plan)
    plan.set_defaults(handler=_plan_command)
    evaluate_cmd = commands.add_parser(
        "evaluate", help="judge measurements (JSON lines on stdin), one verdict per line"
    )
    evaluate_cmd.add_argument("--profile", help="judge against this operator's plan (TOML)")
    add_lang(evaluate_cmd)
    evaluate_cmd.set_defaults(handler=_evaluate_command)
    _add_lab_commands(commands)
    for add_commands in CONTEXT_COMMANDS:
        add_commands(commands)
    return parser


def _quiet_broken_pipe() -> int:
    """The reader went away: stop without a traceback, and without a second error at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; bad input prints one line to stderr and returns 2."""
    try:
        args = build_parser().parse_args(argv)
        result: int = args.handler(args)
        sys.stdout.flush()
        return result
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        return 130
    except (UsageError, ProfileError) as exc:
        print(f"dairyhaccp: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except GuideError as exc:
        first_line = str(exc).splitlines()[0]
        print(f"dairyhaccp: guide data error: {first_line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
