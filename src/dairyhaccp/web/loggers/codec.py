"""The stored form of one day's readings: times, temperatures and humidity in one small blob.

A logger that reads every minute gives 1 440 readings a day. Stored as they come (int64 times,
float64 values) that is 23 KB a day; as JSON about 30 KB. Here the times are kept as the first
time and the steps between readings (nearly always the same, so they compress to almost
nothing), the values as whole hundredths of a degree (or of a percent) with their steps when
every value is exactly such a hundredth (what loggers write), else as float64, and the whole is
zlib-compressed: a minute logger's day takes 1–3 KB (see the loggers README section for the
figures). Decoding gives back exactly the arrays encoded.

Layout: b"DHS1", one byte of flags, the count (uint32), then the zlib-compressed sections:
times (int64 first + int32 steps), temperatures, humidity (when present).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
import numpy.typing as npt

MAGIC = b"DHS1"
_HEADER = struct.Struct("<4sBI")
HAS_HUMIDITY = 1
TEMPERATURES_SCALED = 2
HUMIDITY_SCALED = 4
SCALE = 100  # hundredths
MAX_READINGS = 200_000  # far beyond one day of readings every second (86 400 + a 25th hour)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


class CodecError(ValueError):
    """A stored blob that is not a series of this format."""


def _scaled(values: Floats) -> npt.NDArray[np.int32] | None:
    """The values as whole hundredths, if that loses nothing (NaN: not stored this way)."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int32)
    if not np.isfinite(values).all():
        return None
    hundredths = np.round(values * SCALE)
    if np.abs(hundredths).max() >= 2**31:
        return None
    if not np.array_equal(hundredths / SCALE, values):
        return None
    return hundredths.astype(np.int32)


def _steps(values: npt.NDArray[np.int32]) -> bytes:
    steps = np.diff(values.astype(np.int64), prepend=np.int64(0))
    return bytes(steps.astype("<i8").tobytes())


def _unsteps(data: bytes, count: int) -> npt.NDArray[np.int64]:
    return np.cumsum(np.frombuffer(data, dtype="<i8", count=count)).astype(np.int64)


def _value_section(values: Floats) -> tuple[bytes, bool]:
    scaled = _scaled(values)
    if scaled is None:
        return bytes(values.astype("<f8").tobytes()), False
    return _steps(scaled), True


def encode_series(times: Ints, temperatures_c: Floats, humidity_pct: Floats | None = None) -> bytes:
    """The blob of a day's readings (times: UTC seconds, rising)."""
    count = int(times.size)
    if count > MAX_READINGS:
        raise CodecError(f"more than {MAX_READINGS} readings in one row")
    if temperatures_c.size != count or (humidity_pct is not None and humidity_pct.size != count):
        raise CodecError("times and values differ in length")
    flags = 0
    time_steps = np.diff(times)
    if time_steps.size and (time_steps.min() <= 0 or time_steps.max() >= 2**31):
        raise CodecError("times must rise by less than 68 years between readings")
    parts = [
        np.asarray(times[:1], dtype="<i8").tobytes(),
        time_steps.astype("<i4").tobytes(),
    ]
    section, scaled = _value_section(temperatures_c)
    parts.append(section)
    flags |= TEMPERATURES_SCALED if scaled else 0
    if humidity_pct is not None:
        flags |= HAS_HUMIDITY
        section, scaled = _value_section(humidity_pct)
        parts.append(section)
        flags |= HUMIDITY_SCALED if scaled else 0
    return _HEADER.pack(MAGIC, flags, count) + zlib.compress(b"".join(parts), 6)


def _values(payload: bytes, offset: int, count: int, scaled: bool) -> tuple[Floats, int]:
    size = 8 * count
    chunk = payload[offset : offset + size]
    if len(chunk) != size:
        raise CodecError("the blob is cut short")
    if scaled:
        return _unsteps(chunk, count) / SCALE, offset + size
    return np.frombuffer(chunk, dtype="<f8").astype(np.float64), offset + size


def decode_series(blob: bytes) -> tuple[Ints, Floats, Floats | None]:
    """The arrays of a blob made by encode_series."""
    blob = bytes(blob)
    if len(blob) < _HEADER.size:
        raise CodecError("not a stored series")
    magic, flags, count = _HEADER.unpack_from(blob)
    if magic != MAGIC or count > MAX_READINGS:
        raise CodecError("not a stored series")
    try:
        payload = zlib.decompress(blob[_HEADER.size :])
    except zlib.error as exc:
        raise CodecError(f"not a stored series: {exc}") from None
    if count == 0:
        empty = np.zeros(0, dtype=np.float64)
        return np.zeros(0, dtype=np.int64), empty, empty if flags & HAS_HUMIDITY else None
    head = 8 + 4 * (count - 1)
    if len(payload) < head:
        raise CodecError("the blob is cut short")
    first = np.frombuffer(payload, dtype="<i8", count=1)
    steps = np.frombuffer(payload, dtype="<i4", count=count - 1, offset=8).astype(np.int64)
    times = np.concatenate((first.astype(np.int64), first + np.cumsum(steps)))
    temperatures, offset = _values(payload, head, count, bool(flags & TEMPERATURES_SCALED))
    humidity = None
    if flags & HAS_HUMIDITY:
        humidity, offset = _values(payload, offset, count, bool(flags & HUMIDITY_SCALED))
    if offset != len(payload):
        raise CodecError("the blob has bytes left over")
    return times, temperatures, humidity
