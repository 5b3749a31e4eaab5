"""How long loading the guide takes.

Cold: a fresh interpreter imports `dairyhaccp.guide` and calls `load_guide()`, as a CLI
command or a web worker does at start. Warm: the data files are read and validated again in a
process that has everything imported. Prints figures; exits non-zero if the guide fails to load.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COLD_RUNS = 5
WARM_RUNS = 10

# Runs in a fresh interpreter; prints the import and the load time in seconds.
COLD_SCRIPT = """
import time
start = time.perf_counter()
from dairyhaccp.guide import load_guide
imported = time.perf_counter()
load_guide()
print(imported - start, time.perf_counter() - imported)
"""


def _ms(seconds: list[float]) -> str:
    return (
        f"median {statistics.median(seconds) * 1000:7.1f} ms"
        f"  min {min(seconds) * 1000:7.1f} ms  max {max(seconds) * 1000:7.1f} ms"
    )


def measure_cold() -> tuple[list[float], list[float]]:
    """Import and load times of `load_guide` in fresh interpreters."""
    imports: list[float] = []
    loads: list[float] = []
    for _ in range(COLD_RUNS):
        result = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip())
        import_seconds, load_seconds = (float(field) for field in result.stdout.split())
        imports.append(import_seconds)
        loads.append(load_seconds)
    return imports, loads


def measure_warm() -> list[float]:
    """Times of reading and validating the guide files again, everything already imported."""
    from dairyhaccp.guide.loader import CURRENT_VERSION, DATA_DIR, load_directory

    durations = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        load_directory(DATA_DIR / CURRENT_VERSION)
        durations.append(time.perf_counter() - start)
    return durations


def main() -> int:
    try:
        imports, loads = measure_cold()
        warm = measure_warm()
    except Exception as error:
        print(f"guide loading failed:\n{error}", file=sys.stderr)
        return 1
    print(f"guide load, cold ({COLD_RUNS} fresh processes)")
    print(f"  import dairyhaccp.guide   {_ms(imports)}")
    print(f"  load_guide()              {_ms(loads)}")
    print(f"guide load, warm ({WARM_RUNS} runs in one process)")
    print(f"  load_directory()          {_ms(warm)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
