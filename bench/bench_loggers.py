"""How fast a logger series is judged, beside a bare numpy pass that finds the same excursions.

The series: a cold room read every minute (10 million readings, about 19 years), 4 °C with
noise, a defrost every 6 hours that lifts it over the 7 °C maximum for about 20 minutes, now and
then a defrost above the 10 °C ceiling or longer than the 30 allowed minutes, and a few gaps.

The reference is the least a program must do to find the same excursions: mark the readings
above the maximum, find where runs begin and end, take their peaks and lengths and classify
them, with nothing checked. `judge_series` also checks its input (finite, plausible, times
rising) and finds the gaps. Target: the judge at >= 25 % of the reference's speed, and linear
in length (1M vs 10M). Timings are the best of several runs; memory is measured in a separate
run, with tracing on only there. Prints figures; exits non-zero if the results differ.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from dairyhaccp.loggers import ExcursionLimits, judge_series

SMALL, LARGE = 1_000_000, 10_000_000
RUNS = 7
TARGET = 0.25
LIMITS = ExcursionLimits.from_fluctuation(7.0, 3.0, allowed_min=30, max_interval_min=5)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def cold_room(size: int, seed: int = 8) -> tuple[Ints, Floats]:
    """A minute-by-minute cold-room series with defrost cycles, failures and gaps."""
    rng = np.random.default_rng(seed)
    times = np.full(size, 60, dtype=np.int64)
    times[rng.integers(1, size, size // 100_000)] = 3_600  # the logger was off for an hour
    np.cumsum(times, out=times)
    times += 1_577_836_800
    # A defrost every 360 readings: a triangle 26 readings wide, 5 °C high; every 50th one
    # 7.5 °C high (above the ceiling), every 70th one 60 readings wide (too long).
    cycle = np.arange(size, dtype=np.int32) // 360
    half = np.where(cycle % 70 == 0, 30.0, 13.0)
    height = np.where(cycle % 50 == 0, 7.5, 5.0)
    del cycle
    temperatures = np.arange(size, dtype=np.float64) % 360
    temperatures -= half
    np.abs(temperatures, out=temperatures)
    temperatures /= half
    np.subtract(1.0, temperatures, out=temperatures)
    np.clip(temperatures, 0.0, None, out=temperatures)
    temperatures *= height
    del half, height
    temperatures += rng.normal(4.0, 0.3, size)
    return times, temperatures


def bare_excursions(
    times: Ints, temperatures: Floats, maximum: float, ceiling: float, allowed_s: float
) -> tuple[Ints, Ints, Floats, npt.NDArray[np.bool_]]:
    """Start, end, peak and deviation flag of every excursion, with no checks."""
    size = temperatures.size
    above = temperatures > maximum
    changes = np.flatnonzero(above[1:] != above[:-1]) + 1
    if above[0]:
        changes = np.concatenate(([0], changes))
    if above[-1]:
        changes = np.concatenate((changes, [size]))
    starts, ends = changes[0::2], changes[1::2]
    start_s, end_s = times[starts], times[np.minimum(ends, size - 1)]
    peaks = np.maximum.reduceat(temperatures, changes[changes < size])[0::2]
    deviation = (peaks > ceiling) | (end_s - start_s > allowed_s)
    return start_s, end_s, peaks, deviation


def best_of(runs: int, *works: Callable[[], object]) -> list[float]:
    """The best time of each piece of work, run in turns so that both meet the same load."""
    best = [float("inf")] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            start = time.perf_counter()
            work()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def peak_memory(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def same_excursions(times: Ints, temperatures: Floats) -> bool:
    judged = judge_series(times, temperatures, LIMITS).excursions
    start_s, end_s, peaks, deviation = bare_excursions(
        times, temperatures, LIMITS.maximum_c, LIMITS.ceiling_c, LIMITS.allowed_min * 60
    )
    return (
        np.array_equal(judged.start_s, start_s)
        and np.array_equal(judged.end_s, end_s)
        and np.array_equal(judged.peak_c, peaks)
        and np.array_equal(judged.deviation, deviation)
    )


def measure(size: int) -> tuple[float, float]:
    times, temperatures = cold_room(size)
    judged = judge_series(times, temperatures, LIMITS)
    if not same_excursions(times, temperatures):
        raise SystemExit(
            f"{size:,} readings: the judge and the bare pass found different excursions"
        )

    def judge() -> object:
        return judge_series(times, temperatures, LIMITS)

    def bare() -> object:
        return bare_excursions(
            times, temperatures, LIMITS.maximum_c, LIMITS.ceiling_c, LIMITS.allowed_min * 60
        )

    judge_s, bare_s = best_of(RUNS, judge, bare)
    print(
        f"{size:>11,} readings: {len(judged.excursions):,} excursions "
        f"({judged.deviations:,} deviations), {len(judged.gaps):,} gaps"
    )
    print(f"  judge_series      {judge_s * 1000:8.1f} ms  ({judge_s / size * 1e9:5.1f} ns/reading)")
    print(f"  bare numpy pass   {bare_s * 1000:8.1f} ms  ({bare_s / size * 1e9:5.1f} ns/reading)")
    ratio = bare_s / judge_s
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"  judge speed / bare speed = {ratio:.0%} (target >= {TARGET:.0%}: {verdict})")
    if size == LARGE:
        input_mib = (times.nbytes + temperatures.nbytes) / 2**20
        judge_peak = peak_memory(judge) / 2**20
        bare_peak = peak_memory(bare) / 2**20
        print(
            f"  peak memory beyond the input ({input_mib:.0f} MiB): judge {judge_peak:.0f} MiB,"
            f" bare {bare_peak:.0f} MiB ({judge_peak / bare_peak:.1f}x)"
        )
    return judge_s, bare_s


def main() -> int:
    small_judge, small_bare = measure(SMALL)
    large_judge, large_bare = measure(LARGE)
    growth = LARGE / SMALL
    print(
        f"linearity, {LARGE:,} vs {SMALL:,} readings ({growth:.0f}x as many): "
        f"judge {large_judge / small_judge:.1f}x as long, bare {large_bare / small_bare:.1f}x "
        f"(linear: {growth:.0f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
