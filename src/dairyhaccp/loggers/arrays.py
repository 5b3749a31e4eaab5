"""Checking the arrays a series is judged from: times and temperatures, in order."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dairyhaccp.loggers.cells import HIGHEST_TEMPERATURE_C, LOWEST_TEMPERATURE_C
from dairyhaccp.loggers.errors import SeriesError

# Times outside 1970-2199 are a misread clock; bounding them also keeps differences in int64.
EARLIEST_S = 0
LATEST_S = 7_258_118_400  # 2200-01-01 00:00 UTC
MAX_SERIES = 1_000_000_000
STEP_BLOCK = 1 << 16


def _text(seconds: int) -> str:
    if EARLIEST_S <= seconds < LATEST_S:
        return str(np.datetime64(seconds, "s")) + "Z"
    return f"{seconds} s"


def as_epoch_seconds(values: npt.ArrayLike, field: str = "times") -> npt.NDArray[np.int64]:
    """int64 seconds from integers (taken as UTC seconds since 1970) or datetime64 (naive means
    UTC); the range is not checked here (see epoch_seconds and rising_gaps)."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise SeriesError(field, f"give a flat list of times, not an array of {array.ndim} dims")
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.dtype.kind == "M":
        if np.isnat(array).any():
            raise SeriesError(field, f"{field}[{int(np.argmax(np.isnat(array)))}] is not a time")
        seconds = array.astype("datetime64[s]")
        lost = seconds.astype(array.dtype) != array
        if lost.any():
            index = int(np.argmax(lost))
            raise SeriesError(
                f"{field}[{index}]", "has a fraction of a second; readings are kept to the second"
            )
        result = seconds.astype(np.int64)
    elif array.dtype.kind in "iu":
        if array.dtype.kind == "u" and array.max() > np.iinfo(np.int64).max:
            raise SeriesError(field, "a time is too large")
        result = array.astype(np.int64, copy=False)
    else:
        raise SeriesError(
            field, f"give integer UTC seconds since 1970 or datetime64, not {array.dtype}"
        )
    if result.size > MAX_SERIES:
        raise SeriesError(field, f"more than {MAX_SERIES:,} readings")
    return result


def _outside_years(result: npt.NDArray[np.int64], field: str) -> SeriesError:
    index = int(np.argmax((result < EARLIEST_S) | (result >= LATEST_S)))
    return SeriesError(
        f"{field}[{index}]", f"{_text(int(result[index]))} is outside the years 1970-2199"
    )


def epoch_seconds(values: npt.ArrayLike, field: str = "times") -> npt.NDArray[np.int64]:
    """UTC seconds since 1970 from integers or datetime64, each in the years 1970-2199."""
    result = as_epoch_seconds(values, field)
    if not result.size:
        return result
    low, high = int(result.min()), int(result.max())
    if low < EARLIEST_S or high >= LATEST_S:
        raise _outside_years(result, field)
    return result


def temperatures(
    values: npt.ArrayLike, size: int, field: str = "temperatures_c", *, check_high: bool = True
) -> npt.NDArray[np.float64]:
    """Temperatures in °C, one per time, each finite and between -100 and 300 °C.

    With `check_high` False only the low end is checked here (NaN spreads into the minimum, so
    it is caught too); the caller checks the high end another way (see check_highest)."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise SeriesError(field, f"give a flat list of numbers, not an array of {array.ndim} dims")
    if array.size and array.dtype.kind not in "fiu":
        raise SeriesError(field, f"give numbers, not {array.dtype}")
    result = array.astype(np.float64, copy=False)
    if result.size != size:
        raise SeriesError(field, f"has {result.size} values for {size} times")
    if result.size and not (
        result.min() >= LOWEST_TEMPERATURE_C
        and (not check_high or result.max() <= HIGHEST_TEMPERATURE_C)
    ):
        raise _implausible(result, field)
    return result


def _implausible(values: npt.NDArray[np.float64], field: str) -> SeriesError:
    plausible = (values >= LOWEST_TEMPERATURE_C) & (values <= HIGHEST_TEMPERATURE_C)
    index = int(np.argmin(plausible))
    return SeriesError(
        f"{field}[{index}]",
        f"{float(values[index])!r} is not a temperature between "
        f"{LOWEST_TEMPERATURE_C:g} and {HIGHEST_TEMPERATURE_C:g} °C",
    )


def check_highest(
    values: npt.NDArray[np.float64], highest: float, field: str = "temperatures_c"
) -> None:
    """Refuse the series if `highest` (e.g. the highest excursion peak) is implausible."""
    if not highest <= HIGHEST_TEMPERATURE_C:
        raise _implausible(values, field)


def _not_rising(times: npt.NDArray[np.int64], index: int, field: str) -> SeriesError:
    same = "the same as" if times[index] == times[index - 1] else "earlier than"
    return SeriesError(
        f"{field}[{index}]",
        f"{_text(int(times[index]))} is {same} {field}[{index - 1}]; put the readings in "
        "order first (sort_readings)",
    )


def rising_gaps(
    times: npt.NDArray[np.int64], gap_s: float, field: str = "times"
) -> npt.NDArray[np.intp]:
    """The indexes i where times[i + 1] - times[i] > gap_s, after checking that every time
    rises and lies in 1970-2199.

    The steps are taken in blocks that stay in the processor's cache instead of one array as
    long as the series. The range needs only the first and last time: with every step positive
    and at most LATEST_S, and fewer than MAX_SERIES readings, no difference can wrap around.
    """
    if times.size == 0:
        return np.zeros(0, dtype=np.intp)
    if not (EARLIEST_S <= int(times[0]) < LATEST_S and EARLIEST_S <= int(times[-1]) < LATEST_S):
        raise _outside_years(times, field)
    steps = np.empty(min(STEP_BLOCK, times.size), dtype=np.int64)
    found: list[npt.NDArray[np.intp]] = []
    for start in range(0, times.size - 1, STEP_BLOCK):
        stop = min(start + STEP_BLOCK, times.size - 1)
        block = steps[: stop - start]
        np.subtract(times[start + 1 : stop + 1], times[start:stop], out=block)
        if block.min() <= 0:
            raise _not_rising(times, start + int(np.argmax(block <= 0)) + 1, field)
        gaps = np.flatnonzero(block > gap_s)
        if gaps.size:
            if int(block[gaps].max()) > LATEST_S:
                raise _outside_years(times, field)
            found.append(gaps + start)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def sort_readings(
    times: npt.ArrayLike, temperatures_c: npt.ArrayLike
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Readings put in time order, for series pushed in any order: an exact repeat (same time,
    same temperature) is dropped; two different temperatures at one time are refused."""
    moments = epoch_seconds(times)
    values = temperatures(temperatures_c, moments.size)
    order = np.argsort(moments, kind="stable")
    moments, values = moments[order], values[order]
    same = moments[1:] == moments[:-1]
    if same.any():
        conflict = same & (values[1:] != values[:-1])
        if conflict.any():
            index = int(np.argmax(conflict)) + 1
            raise SeriesError(
                "times",
                f"two readings at {_text(int(moments[index]))} differ "
                f"({values[index - 1]:g} and {values[index]:g} °C)",
            )
        keep = np.concatenate(([True], ~same))
        moments, values = moments[keep], values[keep]
    return moments, values
