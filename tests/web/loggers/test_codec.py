"""The stored form of a day's readings gives back exactly what was stored, and is small."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.web.loggers.codec import CodecError, decode_series, encode_series

temperatures = st.floats(min_value=-100, max_value=300, allow_nan=False, allow_infinity=False)


@settings(deadline=None)  # the first example pays for numpy's warm-up on a busy machine
@given(
    st.lists(st.integers(min_value=1, max_value=7_200), min_size=0, max_size=300),
    st.data(),
    st.booleans(),
)
def test_a_series_comes_back_exactly(steps: list[int], data: st.DataObject, humid: bool) -> None:
    times = 1_767_222_000 + np.cumsum(np.array([0, *steps], dtype=np.int64))
    values = np.array(data.draw(st.lists(temperatures, min_size=times.size, max_size=times.size)))
    humidity = None
    if humid:
        humidity = np.array(
            data.draw(
                st.lists(
                    st.one_of(st.floats(0, 100), st.just(float("nan"))),
                    min_size=times.size,
                    max_size=times.size,
                )
            )
        )

    back_times, back_values, back_humidity = decode_series(encode_series(times, values, humidity))

    assert np.array_equal(back_times, times)
    assert np.array_equal(back_values, values)
    if humidity is None:
        assert back_humidity is None
    else:
        assert back_humidity is not None
        assert np.array_equal(back_humidity, humidity, equal_nan=True)


def test_tenths_of_a_degree_every_minute_take_under_two_kilobytes_a_day() -> None:
    rng = np.random.default_rng(5)
    times = 1_767_222_000 + np.arange(1_440, dtype=np.int64) * 60
    values = np.round(4 + rng.normal(0, 0.3, 1_440), 1)

    blob = encode_series(times, values)

    assert len(blob) < 2_000 < times.nbytes + values.nbytes


@pytest.mark.parametrize(
    "blob", [b"", b"DHS1", b"XXXX\x00\x01\x00\x00\x00abc", b"DHS1\x00\x05\x00\x00\x00not zlib"]
)
def test_a_damaged_blob_is_refused(blob: bytes) -> None:
    with pytest.raises(CodecError):
        decode_series(blob)


def test_times_must_rise() -> None:
    with pytest.raises(CodecError):
        encode_series(np.array([10, 10], dtype=np.int64), np.array([1.0, 2.0]))
