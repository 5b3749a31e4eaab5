"""How fast a plan is built and `dairyhaccp evaluate` judges lines, each beside its reference.

- Building the demo plan, beside loading the guide it is built from.
- `dairyhaccp evaluate` over JSON lines in one process, beside a bare `json.loads`/`json.dumps`
  loop over the same lines (target: at least 25 % of its speed).
"""

from __future__ import annotations

import io
import json
import random
import statistics
import sys
import time

from dairyhaccp import cli
from dairyhaccp.examples import example_profile
from dairyhaccp.guide import load_guide
from dairyhaccp.guide.loader import CURRENT_VERSION, DATA_DIR, load_directory
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import parse_profile_toml

PLAN_RUNS = 30
LINES = 20_000
PAIRS = 5
TARGET = 0.25
READINGS = [
    {"control": "CCP 9", "product": "milk", "temperature_c": 72.0, "hold_s": 15},
    {"control": "CCP 9", "product": "cream", "temperature_c": 75.0, "hold_s": 15},
    {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 8.0},
    {"control": "CCP 13", "product": "semi_hard_cheese", "temperature_c": 13.0},
    {"control": "PVA 14", "baume": 19.5, "temperature_c": 13.0},
]


def _median(run: object, times: int) -> float:
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _bare_loop(text: str) -> None:
    out = io.StringIO()
    for line in io.StringIO(text):
        out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")


def _evaluate(text: str) -> str:
    stdin, stdout = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(text), io.StringIO()
    try:
        cli.main(["evaluate"])
        return sys.stdout.getvalue()
    finally:
        sys.stdin, sys.stdout = stdin, stdout


def main() -> None:
    guide = load_guide()
    profile = parse_profile_toml(example_profile("demo"))
    load_s = _median(lambda: load_directory(DATA_DIR / CURRENT_VERSION), 5)
    plan_s = _median(lambda: build_plan(guide, profile), PLAN_RUNS)
    print(
        f"build the demo plan: {plan_s * 1000:.1f} ms   | reference, load and validate the guide:"
        f" {load_s * 1000:.1f} ms   | ratio {plan_s / load_s:.2f}"
    )
    rng = random.Random(7)
    text = "".join(
        json.dumps({**READINGS[i % len(READINGS)], "temperature_c": round(rng.uniform(5, 80), 1)})
        + "\n"
        for i in range(LINES)
    )
    _evaluate(text[:2000])  # warm: the guide is loaded once per process
    # Taken in turns, so that a change in the machine's load falls on both alike.
    bare_runs, evaluate_runs = [], []
    for _ in range(PAIRS):
        bare_runs.append(_median(lambda: _bare_loop(text), 1))
        evaluate_runs.append(_median(lambda: _evaluate(text), 1))
    bare_s, evaluate_s = statistics.median(bare_runs), statistics.median(evaluate_runs)
    answers = _evaluate(text)
    assert answers.count("\n") == LINES
    speed = bare_s / evaluate_s
    print(
        f"dairyhaccp evaluate, {LINES} lines: {LINES / evaluate_s:,.0f} lines/s   | reference, bare"
        f" JSON loop: {LINES / bare_s:,.0f} lines/s   | {speed:.0%} of the reference"
        f" (target >= {TARGET:.0%}: {'met' if speed >= TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
