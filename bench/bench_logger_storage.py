"""How logger readings are stored: one row per device and day (the day's series in a blob),
beside one row per reading, the layout it replaces.

A year of one cold-room logger read every minute (525 600 readings, 0.1 °C resolution) is
written to a fresh SQLite file in three layouts, each with the index its reads need:

- reading rows: (device, time, temperature), index on (device, time) — the reference;
- day rows, JSON: (device, day, version, JSON of times and temperatures);
- day rows, blob: (device, day, version, the compact blob of dairyhaccp.web.loggers.codec),
  the layout the app uses.

Printed per layout: rows per year, bytes per day (file size / 365), the time to write the year
(executemany, one transaction) and to read back one day and one month as numpy arrays (best of
several runs), each beside the reading-rows figure and as a ratio. Nothing is traced while
timing. Exits non-zero if a layout does not give back exactly the readings written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dairyhaccp.web.loggers.codec import decode_series, encode_series

DAYS = 365
PER_DAY = 1_440
START = 1_767_222_000  # 2026-01-01 00:00 in Brussels
RUNS = 5

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def year() -> tuple[Ints, Floats]:
    """A year of minute readings: 4 °C with noise and a defrost every 6 hours, to 0.1 °C."""
    rng = np.random.default_rng(11)
    times = START + np.arange(DAYS * PER_DAY, dtype=np.int64) * 60
    minute = np.arange(times.size) % 360
    defrost = np.clip(3.5 - np.abs(minute - 10) * 0.35, 0, None)
    temperatures = np.round(4 + rng.normal(0, 0.25, times.size) + defrost, 1)
    return times, temperatures


def days(times: Ints, temperatures: Floats) -> list[tuple[str, Ints, Floats]]:
    """The year cut into days of 1 440 readings (a UTC-offset-free stand-in for local days)."""
    return [
        (
            (date(2026, 1, 1) + timedelta(days=index)).isoformat(),
            times[index * PER_DAY : (index + 1) * PER_DAY],
            temperatures[index * PER_DAY : (index + 1) * PER_DAY],
        )
        for index in range(DAYS)
    ]


class Layout:
    name = ""
    rows = 0

    def create(self, db: sqlite3.Connection) -> None:
        raise NotImplementedError

    def write(self, db: sqlite3.Connection, times: Ints, temperatures: Floats) -> None:
        raise NotImplementedError

    def read(self, db: sqlite3.Connection, first: int, count: int) -> tuple[Ints, Floats]:
        """`count` days from day index `first`."""
        raise NotImplementedError


class ReadingRows(Layout):
    name = "reading rows (reference)"
    rows = DAYS * PER_DAY

    def create(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE r (device INTEGER, time INTEGER, temperature REAL)")
        db.execute("CREATE UNIQUE INDEX r_idx ON r (device, time)")

    def write(self, db: sqlite3.Connection, times: Ints, temperatures: Floats) -> None:
        rows = zip([1] * times.size, times.tolist(), temperatures.tolist(), strict=True)
        db.executemany("INSERT INTO r VALUES (?, ?, ?)", rows)

    def read(self, db: sqlite3.Connection, first: int, count: int) -> tuple[Ints, Floats]:
        low = START + first * PER_DAY * 60
        high = low + count * PER_DAY * 60
        found = db.execute(
            "SELECT time, temperature FROM r WHERE device = 1 AND time >= ? AND time < ? "
            "ORDER BY time",
            (low, high),
        ).fetchall()
        array = np.array(found, dtype=np.float64).reshape(-1, 2)
        return array[:, 0].astype(np.int64), array[:, 1]


class DayRows(Layout):
    rows = DAYS

    def __init__(
        self,
        name: str,
        pack: Callable[[Ints, Floats], bytes | str],
        unpack: Callable[[bytes | str], tuple[Ints, Floats]],
    ) -> None:
        self.name, self.pack, self.unpack = name, pack, unpack

    def create(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE d (device INTEGER, day TEXT, version INTEGER, data BLOB)")
        db.execute("CREATE UNIQUE INDEX d_idx ON d (device, day, version)")

    def write(self, db: sqlite3.Connection, times: Ints, temperatures: Floats) -> None:
        rows = [(1, day, 1, self.pack(t, v)) for day, t, v in days(times, temperatures)]
        db.executemany("INSERT INTO d VALUES (?, ?, ?, ?)", rows)

    def read(self, db: sqlite3.Connection, first: int, count: int) -> tuple[Ints, Floats]:
        low = (date(2026, 1, 1) + timedelta(days=first)).isoformat()
        high = (date(2026, 1, 1) + timedelta(days=first + count)).isoformat()
        found = db.execute(
            "SELECT data FROM d WHERE device = 1 AND day >= ? AND day < ? ORDER BY day",
            (low, high),
        ).fetchall()
        parts = [self.unpack(data) for (data,) in found]
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
        )


def _json_pack(times: Ints, temperatures: Floats) -> str:
    return json.dumps({"t": times.tolist(), "v": temperatures.tolist()})


def _json_unpack(data: bytes | str) -> tuple[Ints, Floats]:
    loaded = json.loads(data)
    return np.array(loaded["t"], dtype=np.int64), np.array(loaded["v"], dtype=np.float64)


def _blob_pack(times: Ints, temperatures: Floats) -> bytes:
    return encode_series(times, temperatures)


def _blob_unpack(data: bytes | str) -> tuple[Ints, Floats]:
    times, temperatures, _humidity = decode_series(bytes(data))  # type: ignore[arg-type]
    return times, temperatures


def best(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def measure(layout: Layout, folder: Path, times: Ints, temperatures: Floats) -> dict[str, float]:
    path = folder / f"{layout.__class__.__name__}-{len(layout.name)}.sqlite3"
    db = sqlite3.connect(path)
    layout.create(db)
    start = time.perf_counter()
    with db:
        layout.write(db, times, temperatures)
    write_s = time.perf_counter() - start
    db.execute("VACUUM")
    db.close()
    size = os.path.getsize(path)
    db = sqlite3.connect(path)
    back_t, back_v = layout.read(db, 0, DAYS)
    if not (np.array_equal(back_t, times) and np.array_equal(back_v, temperatures)):
        print(f"{layout.name}: the readings read back differ", file=sys.stderr)
        raise SystemExit(1)
    day_s = best(lambda: layout.read(db, 180, 1))
    month_s = best(lambda: layout.read(db, 180, 31))
    db.close()
    return {
        "rows": layout.rows,
        "bytes_per_day": size / DAYS,
        "write_s": write_s,
        "day_ms": day_s * 1e3,
        "month_ms": month_s * 1e3,
    }


def main() -> None:
    times, temperatures = year()
    layouts: list[Layout] = [
        ReadingRows(),
        DayRows("day rows, JSON", _json_pack, _json_unpack),
        DayRows("day rows, blob (used)", _blob_pack, _blob_unpack),
    ]
    with tempfile.TemporaryDirectory() as folder:
        figures = {
            layout.name: measure(layout, Path(folder), times, temperatures) for layout in layouts
        }
    reference = figures[layouts[0].name]
    print(
        f"Logger storage: one logger, a year of minute readings ({times.size:,} readings), SQLite"
    )
    rows = [
        ("rows per year", "rows", "{:,.0f}"),
        ("bytes per day (file size / 365)", "bytes_per_day", "{:,.0f}"),
        ("write the year (s)", "write_s", "{:.3f}"),
        ("read one day (ms)", "day_ms", "{:.3f}"),
        ("read one month (ms)", "month_ms", "{:.3f}"),
    ]
    for name, figure in figures.items():
        print(f"  {name}")
        for label, key, form in rows:
            ratio = figure[key] / reference[key] if reference[key] else float("nan")
            print(
                f"    {label:34} {form.format(figure[key]):>12}   reference "
                f"{form.format(reference[key]):>12}   ratio {ratio:.3f}"
            )


if __name__ == "__main__":
    main()
