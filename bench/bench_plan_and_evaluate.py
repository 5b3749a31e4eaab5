"""How fast a plan is built and measurements are judged.

Target: a plan builds in well under a second (the web app builds it per request from the stored
profile), and judging a measurement takes well under a millisecond (a day of registrations, or a
logger's thousands of readings, is judged in a blink). Prints figures.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring import evaluate, measurement_from_dict
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import parse_profile_toml

PLAN_RUNS = 50
MEASUREMENTS = 20_000
READINGS = [
    {"control": "CCP 9", "product": "milk", "temperature_c": 72.0, "hold_s": 15},
    {"control": "CCP 9", "product": "cream", "temperature_c": 75.0, "hold_s": 15},
    {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 8.0},
    {"control": "CCP 13", "product": "semi_hard_cheese", "temperature_c": 13.0},
    {"control": "PVA 14", "baume": 19.5, "temperature_c": 13.0},
]


def main() -> None:
    guide = load_guide()
    profile = parse_profile_toml(example_profile("demo"))
    timings = []
    tracemalloc.start()
    for _ in range(PLAN_RUNS):
        start = time.perf_counter()
        plan = build_plan(guide, profile)
        timings.append(time.perf_counter() - start)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"build_plan (demo dairy): median {statistics.median(timings) * 1000:.2f} ms, "
        f"max {max(timings) * 1000:.2f} ms, peak memory {peak / 1024:.0f} KiB"
    )
    measurements = [measurement_from_dict(READINGS[i % len(READINGS)]) for i in range(MEASUREMENTS)]
    start = time.perf_counter()
    verdicts = [evaluate(m, guide, plan).verdict for m in measurements]
    seconds = time.perf_counter() - start
    print(
        f"evaluate against the plan: {MEASUREMENTS} measurements in {seconds:.2f} s "
        f"({seconds / MEASUREMENTS * 1e6:.1f} µs each; {verdicts.count('deviation')} deviations)"
    )


if __name__ == "__main__":
    main()
