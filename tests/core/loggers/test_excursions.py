"""Judging a temperature series: excursions at and around the limits, gaps, days, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dairyhaccp.loggers import (
    ExcursionLimits,
    ExcursionVerdict,
    SeriesError,
    SeriesVerdict,
    day_window,
    judge_day,
    judge_days,
    judge_series,
    sort_readings,
)

# A chilled-dairy room: 7 °C maximum, +3 °C tolerated for at most 30 minutes, a reading a minute.
CHILLED = ExcursionLimits.from_fluctuation(
    maximum_c=7.0, fluctuation_c=3.0, allowed_min=30, max_interval_min=5
)
# The same room with a reading every quarter of an hour.
QUARTERLY = ExcursionLimits.from_fluctuation(7.0, 3.0, allowed_min=30, max_interval_min=15)
START = int(datetime(2026, 1, 12, 6, 0, tzinfo=UTC).timestamp())


def minutes(count: int, start: int = START, step_min: int = 1) -> np.ndarray:
    return start + np.arange(count, dtype=np.int64) * step_min * 60


def series_with(run: list[float], before: int = 10, after: int = 10) -> tuple:
    """Readings every minute at 5 °C with `run` in the middle."""
    values = np.array([5.0] * before + run + [5.0] * after)
    return minutes(values.size), values


def test_a_reading_exactly_at_the_maximum_is_no_excursion():
    times, values = series_with([7.0] * 60)

    judgement = judge_series(times, values, CHILLED)

    assert judgement.verdict is SeriesVerdict.CONFORM
    assert len(judgement.excursions) == 0


def test_a_reading_just_above_the_maximum_is_a_warning():
    times, values = series_with([7.01])

    judgement = judge_series(times, values, CHILLED)

    assert judgement.verdict is SeriesVerdict.WARNING
    [excursion] = judgement.excursions
    assert excursion.verdict is ExcursionVerdict.WARNING
    assert excursion.peak_c == 7.01
    assert excursion.start_s == START + 10 * 60
    assert excursion.end_s == START + 11 * 60  # the first reading back within the maximum
    assert excursion.duration_min == 1
    assert excursion.readings == 1


def test_a_fluctuation_up_to_the_ceiling_is_a_warning():
    times, values = series_with([8.0, 10.0, 9.0])

    [excursion] = judge_series(times, values, CHILLED).excursions

    assert excursion.verdict is ExcursionVerdict.WARNING
    assert excursion.peak_c == 10.0
    assert not excursion.above_ceiling


def test_a_fluctuation_just_above_the_ceiling_is_a_deviation_however_short():
    times, values = series_with([10.01])

    judgement = judge_series(times, values, CHILLED)

    [excursion] = judgement.excursions
    assert excursion.verdict is ExcursionVerdict.DEVIATION
    assert excursion.above_ceiling and not excursion.too_long
    assert judgement.verdict is SeriesVerdict.DEVIATION


def test_a_fluctuation_lasting_exactly_the_allowed_length_is_a_warning():
    times, values = series_with([9.0] * 30)  # 30 readings a minute apart: 30 minutes

    [excursion] = judge_series(times, values, CHILLED).excursions

    assert excursion.duration_min == 30
    assert excursion.verdict is ExcursionVerdict.WARNING


def test_a_fluctuation_one_reading_longer_than_allowed_is_a_deviation():
    times, values = series_with([9.0] * 31)

    judgement = judge_series(times, values, CHILLED)

    [excursion] = judgement.excursions
    assert excursion.duration_min == 31
    assert excursion.too_long and not excursion.above_ceiling
    assert judgement.verdict is SeriesVerdict.DEVIATION


def test_frozen_food_may_rise_to_minus_15_but_not_above():
    frozen = ExcursionLimits.from_fluctuation(-18.0, 3.0, allowed_min=30, max_interval_min=5)
    times = minutes(5)

    at_ceiling = judge_series(times, [-20.0, -15.0, -20.0, -20.0, -20.0], frozen)
    above = judge_series(times, [-20.0, -14.9, -20.0, -20.0, -20.0], frozen)

    assert frozen.ceiling_c == -15.0
    assert at_ceiling.verdict is SeriesVerdict.WARNING
    assert above.verdict is SeriesVerdict.DEVIATION


def test_each_excursion_is_reported_with_its_own_peak_and_length():
    times, values = series_with([8.0, 9.5, 8.0] + [5.0] * 5 + [11.0] + [5.0] * 5 + [8.0] * 40)

    judgement = judge_series(times, values, CHILLED)

    assert [(e.peak_c, e.duration_min, e.verdict.value) for e in judgement.excursions] == [
        (9.5, 3, "warning"),
        (11.0, 1, "deviation"),
        (8.0, 40, "deviation"),
    ]
    assert (judgement.warnings, judgement.deviations) == (1, 2)
    np.testing.assert_array_equal(judgement.excursions.duration_s, [180, 60, 2400])


def test_a_series_that_starts_or_ends_above_the_maximum_has_open_excursions():
    times = minutes(6)

    first, last = judge_series(times, [9.0, 9.0, 5.0, 5.0, 8.0, 8.5], CHILLED).excursions

    assert first.open_start and not first.open_end
    assert (first.start_s, first.end_s) == (START, START + 120)
    assert last.open_end and not last.open_start
    assert (last.start_s, last.end_s, last.peak_c) == (START + 240, START + 300, 8.5)


def test_a_single_reading_series_above_the_maximum_is_one_open_excursion():
    [excursion] = judge_series([START], [9.0], CHILLED).excursions

    assert excursion.open_start and excursion.open_end and excursion.duration_s == 0


def test_missing_readings_are_a_gap_and_the_series_is_incomplete():
    times = np.concatenate((minutes(10), minutes(10, start=START + 3600)))

    judgement = judge_series(times, np.full(20, 4.0), CHILLED)

    [gap] = judgement.gaps
    assert (gap.start_s, gap.end_s) == (START + 9 * 60, START + 3600)
    assert gap.duration_min == 51
    assert judgement.verdict is SeriesVerdict.INCOMPLETE


def test_readings_exactly_the_longest_interval_apart_leave_no_gap():
    times = minutes(10, step_min=5)

    assert len(judge_series(times, np.full(10, 4.0), CHILLED).gaps) == 0
    times[5:] += 1
    assert len(judge_series(times, np.full(10, 4.0), CHILLED).gaps) == 1


def test_a_deviation_outweighs_a_gap_and_a_gap_outweighs_a_warning():
    times = np.concatenate((minutes(10), minutes(10, start=START + 3600)))
    warning = np.full(20, 4.0)
    warning[2] = 8.0
    deviation = warning.copy()
    deviation[3] = 12.0

    assert judge_series(times, warning, CHILLED).verdict is SeriesVerdict.INCOMPLETE
    assert judge_series(times, deviation, CHILLED).verdict is SeriesVerdict.DEVIATION


def test_an_excursion_across_a_gap_counts_the_gap_as_time_above():
    times = np.array([0, 60, 120, 3720, 3780], dtype=np.int64) + START

    judgement = judge_series(times, [5.0, 8.0, 8.0, 8.0, 5.0], CHILLED)

    [excursion] = judgement.excursions
    assert excursion.duration_min == 62 and excursion.too_long
    assert len(judgement.gaps) == 1


def brussels_day(day: date, step_min: int = 15) -> np.ndarray:
    first, last = day_window(day)
    return np.arange(first, last, step_min * 60, dtype=np.int64)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)],
)
def test_a_local_day_lasts_23_or_25_hours_when_the_clocks_change(day, hours):
    first, last = day_window(day)
    times = brussels_day(day)

    judgement = judge_day(times, np.full(times.size, 4.0), QUARTERLY, day)

    assert last - first == hours * 3600
    assert judgement.readings == hours * 4
    assert judgement.verdict is SeriesVerdict.CONFORM
    assert len(judgement.gaps) == 0


def test_a_day_judged_with_readings_missing_at_its_start_or_end_is_incomplete():
    day = date(2026, 10, 25)
    times = brussels_day(day)[8:-8]  # two hours missing at each end of the 25-hour day
    first, last = day_window(day)

    judgement = judge_day(times, np.full(times.size, 4.0), QUARTERLY, day)

    assert [(g.start_s, g.end_s) for g in judgement.gaps] == [
        (first, int(times[0])),
        (int(times[-1]), last),
    ]
    assert judgement.verdict is SeriesVerdict.INCOMPLETE


def test_a_day_without_readings_is_one_gap():
    day = date(2026, 3, 29)
    first, last = day_window(day)

    judgement = judge_day(np.zeros(0, dtype=np.int64), [], QUARTERLY, day)

    assert [(g.start_s, g.end_s) for g in judgement.gaps] == [(first, last)]
    assert judgement.readings == 0
    assert judgement.verdict is SeriesVerdict.INCOMPLETE


def test_an_excursion_across_midnight_is_measured_whole_on_both_days():
    day, following = date(2026, 1, 12), date(2026, 1, 13)
    times = np.concatenate((brussels_day(day, 5), brussels_day(following, 5)))
    values = np.full(times.size, 4.0)
    midnight = day_window(following)[0]
    above = (times >= midnight - 20 * 60) & (times < midnight + 20 * 60)  # 40 minutes
    values[above] = 8.0

    before = judge_day(times, values, CHILLED, day)
    after = judge_day(times, values, CHILLED, following)

    for judgement in (before, after):
        [excursion] = judgement.excursions
        assert excursion.duration_min == 40
        assert excursion.verdict is ExcursionVerdict.DEVIATION


def test_an_excursion_ending_at_midnight_belongs_to_the_day_before():
    day, following = date(2026, 1, 12), date(2026, 1, 13)
    times = np.concatenate((brussels_day(day, 5), brussels_day(following, 5)))
    values = np.full(times.size, 4.0)
    midnight = day_window(following)[0]
    values[(times >= midnight - 10 * 60) & (times < midnight)] = 8.0

    assert len(judge_day(times, values, CHILLED, day).excursions) == 1
    assert len(judge_day(times, values, CHILLED, following).excursions) == 0


def test_every_day_of_a_series_is_judged_as_judge_day_judges_it():
    # given a month of five-minute readings across the October change, one long excursion
    # across midnight and an hour missing
    first = day_window(date(2026, 10, 20))[0]
    times = np.arange(first, day_window(date(2026, 10, 30))[0], 300, dtype=np.int64)
    values = np.full(times.size, 4.0)
    midnight = day_window(date(2026, 10, 25))[0]
    values[(times >= midnight - 1800) & (times < midnight + 1800)] = 8.0
    keep = (times < first + 3 * 86400) | (times >= first + 3 * 86400 + 3600)
    times, values = times[keep], values[keep]

    # when
    days = judge_days(times, values, CHILLED)

    # then
    assert list(days) == [date(2026, 10, day) for day in range(20, 30)]
    for day, judgement in days.items():
        alone = judge_day(times, values, CHILLED, day)
        assert judgement.verdict is alone.verdict
        assert list(judgement.excursions) == list(alone.excursions)
        assert list(judgement.gaps) == list(alone.gaps)
        assert judgement.readings == alone.readings
    assert days[date(2026, 10, 25)].readings == 25 * 12
    assert [d.day for d, j in days.items() if j.verdict is not SeriesVerdict.CONFORM] == [
        23,
        24,
        25,
    ]


def test_judge_days_refuses_a_series_spanning_decades():
    with pytest.raises(SeriesError, match="judge them by parts"):
        judge_days([START, START + 30 * 365 * 86400], [4.0, 4.0], CHILLED)


def test_datetime64_times_give_the_same_judgement_as_epoch_seconds():
    times, values = series_with([9.0] * 31)
    as_datetimes = times.astype("datetime64[s]").astype("datetime64[ms]")

    seconds = judge_series(times, values, CHILLED)
    stamps = judge_series(as_datetimes, values, CHILLED)

    assert list(seconds.excursions) == list(stamps.excursions)


@pytest.mark.parametrize(
    ("times", "field"),
    [
        ([START, START + 60, START + 60], "times[2]"),  # the same time twice
        ([START, START + 120, START + 60], "times[2]"),  # out of order
    ],
)
def test_readings_out_of_order_or_repeated_are_refused_naming_the_reading(times, field):
    with pytest.raises(SeriesError) as refused:
        judge_series(times, [4.0, 4.0, 4.0], CHILLED)

    assert refused.value.field == field
    assert "sort_readings" in refused.value.problem


def test_a_long_series_is_checked_and_its_gaps_found_across_blocks():
    # given more readings than one block of steps (65 536), with gaps in several blocks
    times = minutes(200_000)
    for index in (70_000, 140_000, 199_999):
        times[index:] += 3600
    values = np.full(times.size, 4.0)

    # then
    gaps = judge_series(times, values, CHILLED).gaps
    assert [(g.start_s, g.end_s) for g in gaps] == [
        (int(times[i - 1]), int(times[i])) for i in (70_000, 140_000, 199_999)
    ]
    times[150_000] = times[149_998]
    with pytest.raises(SeriesError) as refused:
        judge_series(times, values, CHILLED)
    assert refused.value.field == "times[150000]"


def test_sort_readings_orders_them_and_drops_exact_repeats():
    times, values = sort_readings([START + 120, START, START + 60, START], [6.0, 4.0, 5.0, 4.0])

    np.testing.assert_array_equal(times, [START, START + 60, START + 120])
    np.testing.assert_array_equal(values, [4.0, 5.0, 6.0])


def test_sort_readings_refuses_two_temperatures_at_one_time():
    with pytest.raises(SeriesError, match=r"differ \(4 and 4\.5 °C\)"):
        sort_readings([START, START], [4.0, 4.5])


@pytest.mark.parametrize(
    ("times", "values", "field"),
    [
        ([START, START + 60], [4.0, float("nan")], "temperatures_c[1]"),
        ([START, START + 60], [4.0, float("inf")], "temperatures_c[1]"),
        ([START, START + 60], [1e300, 4.0], "temperatures_c[0]"),
        ([START, START + 60], [4.0, -1e300], "temperatures_c[1]"),
        ([START, START + 60, START + 120], [4.0, float("-inf"), 4.0], "temperatures_c[1]"),
        ([START, START + 60], [4.0], "temperatures_c"),
        ([START, START + 60], ["4", "5"], "temperatures_c"),
        ([[START, START + 60]], [4.0, 4.0], "times"),
        ([float(START), START + 60.0], [4.0, 4.0], "times"),
        ([-62135596800, START], [4.0, 4.0], "times[0]"),  # year 1
        ([START, 2**62], [4.0, 4.0], "times[1]"),
        # rising only if the differences wrap around in int64
        ([0, 2**63 - 1, -(2**63) + 5, -1, 100], [4.0] * 5, "times[1]"),
        (np.array(["NaT", "2026-01-12"], dtype="datetime64[s]"), [4.0, 4.0], "times"),
        (np.array(["2026-01-12T00:00:00.5"], dtype="datetime64[ms]"), [4.0], "times[0]"),
        ([], [], "times"),
    ],
)
def test_bad_series_are_refused_naming_the_field(times, values, field):
    with pytest.raises(SeriesError) as refused:
        judge_series(times, values, CHILLED)

    assert refused.value.field == field


@pytest.mark.parametrize(
    "settings_",
    [
        {"maximum_c": 7, "ceiling_c": 6, "allowed_min": 30, "max_interval_min": 5},
        {"maximum_c": float("nan"), "ceiling_c": 10, "allowed_min": 30, "max_interval_min": 5},
        {"maximum_c": 7, "ceiling_c": 1e300, "allowed_min": 30, "max_interval_min": 5},
        {"maximum_c": 7, "ceiling_c": 10, "allowed_min": -1, "max_interval_min": 5},
        {"maximum_c": 7, "ceiling_c": 10, "allowed_min": 30, "max_interval_min": 0},
        {"maximum_c": 7, "ceiling_c": 10, "allowed_min": 30, "max_interval_min": 5, "x": 1},
    ],
)
def test_bad_limits_are_refused(settings_):
    with pytest.raises(ValidationError):
        ExcursionLimits(**settings_)


@pytest.mark.parametrize("fluctuation", [float("nan"), -1.0, "3"])
def test_a_bad_fluctuation_is_refused_by_name(fluctuation):
    with pytest.raises(SeriesError, match="fluctuation_c"):
        ExcursionLimits.from_fluctuation(7.0, fluctuation, 30, 5)


def test_a_bad_window_or_day_is_refused():
    with pytest.raises(SeriesError, match="window"):
        judge_series([START], [4.0], CHILLED, window=(START, START))
    with pytest.raises(SeriesError, match="day"):
        judge_day([START], [4.0], CHILLED, "2026-01-12")  # type: ignore[arg-type]
    with pytest.raises(SeriesError, match="zone"):
        judge_day([START], [4.0], CHILLED, date(2026, 1, 12), zone="Mars/Olympus")
    with pytest.raises(SeriesError, match="day"):
        judge_day([START], [4.0], CHILLED, date(9999, 12, 31))


# The property: the numpy judge finds what a plain loop over the readings finds.


def loop_excursions(times, values, limits):
    """Excursions by walking the readings one by one."""
    found = []
    index = 0
    while index < len(values):
        if values[index] <= limits.maximum_c:
            index += 1
            continue
        first, peak = index, values[index]
        while index < len(values) and values[index] > limits.maximum_c:
            peak = max(peak, values[index])
            index += 1
        end = times[index] if index < len(values) else times[-1]
        duration = end - times[first]
        found.append(
            (
                times[first],
                end,
                peak,
                index - first,
                peak > limits.ceiling_c or duration > limits.allowed_min * 60,
                first == 0,
                index == len(values),
            )
        )
    return found


temperature_near_limits = st.one_of(
    st.sampled_from([5.0, 6.99, 7.0, 7.01, 9.99, 10.0, 10.01]),
    st.floats(min_value=-5, max_value=15, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(st.integers(min_value=1, max_value=900), min_size=0, max_size=120),
    data=st.data(),
)
def test_the_numpy_judge_finds_the_same_excursions_as_a_plain_loop(steps, data):
    times = [START]
    for step in steps:
        times.append(times[-1] + step)
    values = data.draw(st.lists(temperature_near_limits, min_size=len(times), max_size=len(times)))

    judged = judge_series(np.array(times, dtype=np.int64), values, CHILLED).excursions

    assert [
        (e.start_s, e.end_s, e.peak_c, e.readings, e.verdict is ExcursionVerdict.DEVIATION,
         e.open_start, e.open_end)
        for e in judged
    ] == loop_excursions(times, values, CHILLED)  # fmt: skip
