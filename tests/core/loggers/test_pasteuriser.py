"""Pasteuriser traces judged by the guide's equivalence curve (CCP 9)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.loggers import SeriesError, hold_figures, judge_pasteuriser_trace
from dairyhaccp.thermal import PasteurisationCode, lethality_of_trace


def flat(temperature_c: float, seconds: int) -> tuple[np.ndarray, np.ndarray]:
    """A reading a second, all at one temperature, for `seconds` seconds."""
    times = np.arange(seconds + 1, dtype=np.float64)
    return times, np.full(times.size, temperature_c)


def test_milk_held_15_s_at_71_7_reaches_the_reference(guide):
    times, values = flat(71.7, 15)

    judgement = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=2
    )

    assert judgement.reached
    assert judgement.equivalent_s == pytest.approx(15.0)
    assert judgement.lethality == pytest.approx(1.0)
    assert (judgement.reference_temperature_c, judgement.required_s) == (71.7, 15.0)


def test_milk_held_14_s_at_71_7_does_not(guide):
    times, values = flat(71.7, 14)

    judgement = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=2
    )

    assert judgement.code is PasteurisationCode.INSUFFICIENT
    assert not judgement.reached
    assert judgement.shortfall_s == pytest.approx(1.0)


def test_cream_needs_80_c_where_milk_needs_71_7(guide):
    at_80 = flat(80.0, 15)
    at_75 = flat(75.0, 15)

    cream_80 = judge_pasteuriser_trace(*at_80, guide.pasteurisation, "cream", max_interval_s=2)
    cream_75 = judge_pasteuriser_trace(*at_75, guide.pasteurisation, "cream", max_interval_s=2)
    milk_75 = judge_pasteuriser_trace(*at_75, guide.pasteurisation, "milk", max_interval_s=2)

    assert cream_80.reached and cream_80.lethality == pytest.approx(1.0)
    assert not cream_75.reached
    assert milk_75.reached


def test_a_vat_pasteurisation_at_63_c_for_30_minutes_reaches_the_milk_reference(guide):
    # heat 10 °C to 63 °C in 20 minutes, hold 30 minutes, cool in 10 minutes; a reading each 10 s
    times = np.arange(0, 3601, 10, dtype=np.float64)
    values = np.interp(times, [0, 1200, 3000, 3600], [10.0, 63.0, 63.0, 20.0])

    judgement = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=30
    )

    assert judgement.reached
    assert judgement.seconds_at_or_above_minimum == pytest.approx(1800 + 1200 / 53 + 600 / 43)
    assert judgement.minimum_c == 62.0


def test_time_at_or_above_a_chosen_minimum_counts_the_crossings(guide):
    times = np.array([0.0, 10.0, 20.0])

    judgement = judge_pasteuriser_trace(
        times, [70.0, 74.0, 70.0], guide.pasteurisation, "milk", max_interval_s=10, minimum_c=72
    )

    assert judgement.seconds_at_or_above_minimum == pytest.approx(10.0)  # from 5 s to 15 s
    assert judgement.seconds_at_or_above_validated == pytest.approx(20.0)


def test_a_trace_that_never_reaches_the_lowest_validated_temperature_is_not_validated(guide):
    times, values = flat(61.9, 3600)

    judgement = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=2
    )

    assert judgement.code is PasteurisationCode.NOT_VALIDATED
    assert judgement.equivalent_s == 0.0


def test_a_gap_in_the_trace_adds_no_lethality_and_is_reported(guide):
    times = np.array([0.0, 2.0, 4.0, 34.0, 36.0])
    values = [72.0] * 5

    with_gap = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=5
    )
    trusting = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=60
    )

    assert with_gap.gaps == ((4.0, 34.0),)
    assert not with_gap.reached
    assert trusting.reached and trusting.gaps == ()


def test_epoch_seconds_and_datetime64_give_the_same_result_as_float_seconds(guide):
    times, values = flat(72.0, 20)
    epoch = times.astype(np.int64) + 1_780_000_000

    by_float = judge_pasteuriser_trace(
        times, values, guide.pasteurisation, "milk", max_interval_s=2
    )
    by_epoch = judge_pasteuriser_trace(
        epoch, values, guide.pasteurisation, "milk", max_interval_s=2
    )
    by_datetime = judge_pasteuriser_trace(
        epoch.astype("datetime64[s]"), values, guide.pasteurisation, "milk", max_interval_s=2
    )

    assert by_float == by_epoch == by_datetime


@pytest.mark.parametrize(
    ("times", "values", "options", "field"),
    [
        ([0.0], [72.0], {}, "times"),
        ([0.0, 0.0], [72.0, 72.0], {}, "times[1]"),
        ([0.0, float("nan")], [72.0, 72.0], {}, "times[1]"),
        ([0.0, 1.0], [72.0, float("nan")], {}, "temperatures_c[1]"),
        ([0.0, 1.0], [72.0, 1e300], {}, "temperatures_c[1]"),
        ([0.0, 1.0], [72.0, 72.0], {"max_interval_s": float("inf")}, "max_interval_s"),
        ([0.0, 1.0], [72.0, 72.0], {"max_interval_s": 0}, "max_interval_s"),
        ([0.0, 1.0], [72.0, 72.0], {"minimum_c": float("nan")}, "minimum_c"),
    ],
)
def test_bad_traces_are_refused_naming_the_field(guide, times, values, options, field):
    settings_ = {"max_interval_s": 5.0} | options

    with pytest.raises(SeriesError) as refused:
        judge_pasteuriser_trace(times, values, guide.pasteurisation, "milk", **settings_)

    assert refused.value.field == field


def test_an_unknown_medium_is_refused_by_name(guide):
    with pytest.raises(ValueError, match="medium"):
        judge_pasteuriser_trace([0, 1], [72, 72], guide.pasteurisation, "goat", max_interval_s=5)


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(st.floats(min_value=0.1, max_value=30), min_size=1, max_size=60),
    data=st.data(),
    medium=st.sampled_from(["milk", "cream"]),
)
def test_the_numpy_lethality_equals_the_thermal_trace_lethality(guide, steps, data, medium):
    times = np.concatenate(([0.0], np.cumsum(steps)))
    values = data.draw(
        st.lists(
            st.floats(min_value=40, max_value=90, allow_nan=False),
            min_size=times.size,
            max_size=times.size,
        )
    )
    reference = lethality_of_trace(
        list(zip(times.tolist(), values, strict=True)), guide.pasteurisation, medium
    )

    judged = judge_pasteuriser_trace(times, values, guide.pasteurisation, medium, max_interval_s=60)

    assert judged.code is reference.code
    assert judged.equivalent_s == pytest.approx(reference.equivalent_s, rel=1e-9, abs=1e-12)
    assert judged.seconds_at_or_above_validated == pytest.approx(
        reference.seconds_at_or_above_validated, rel=1e-9, abs=1e-9
    )
    assert judged.peak_c == reference.peak_temperature_c


def test_the_hold_runs_from_the_first_to_the_last_reading_at_the_level():
    times = np.arange(0, 21, dtype=np.float64)
    values = np.array([40.0] * 3 + [72.0] * 5 + [70.0] * 2 + [72.0] * 8 + [40.0] * 3)

    hold = hold_figures(times, values, 71.7, max_interval_s=2)

    assert hold is not None
    assert (hold.start_s, hold.end_s, hold.duration_s) == (3.0, 17.0, 14.0)
    assert hold.minimum_c == 70.0
    # 72 -> 70 -> 70 -> 72: below 71.7 from 7.15 s to 9.85 s
    assert hold.seconds_below == pytest.approx(2.7)


def test_a_gap_in_the_hold_counts_as_below_and_no_hold_without_the_level():
    times = np.array([0.0, 1.0, 2.0, 100.0, 101.0])
    values = np.array([72.0, 72.0, 72.0, 72.0, 72.0])

    hold = hold_figures(times, values, 71.7, max_interval_s=10)

    assert hold is not None and hold.seconds_below == pytest.approx(98.0)
    assert hold_figures(times, values - 10, 71.7, max_interval_s=10) is None
    with pytest.raises(SeriesError) as error:
        hold_figures(times, values, float("nan"), max_interval_s=10)
    assert error.value.field == "level_c"
