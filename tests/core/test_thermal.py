"""Pasteurisation equivalence (CCP 9): the guide's table as a curve, single holds and traces."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.guide.models import Pasteurisation, PasteurisationPoint, Source
from dairyhaccp.thermal import (
    PasteurisationCode,
    check_hold,
    lethality_of_trace,
    lowest_validated_c,
    required_hold_s,
    z_value,
)

# The seed's table (module section 4, CCP 9): °C → hold.
SEED_TABLE_S = {
    62: 43 * 60,
    64: 15 * 60,
    66: 5 * 60,
    68: 1.8 * 60,
    70: 37,
    71: 22,
    72: 13,
    73: 7.5,
    74: 4.4,
    75: 2.6,
    76: 1.5,
}


def seed_table() -> Pasteurisation:
    return Pasteurisation(
        reference_temperature_c=71.7,
        reference_hold_s=15,
        cream_temperature_c=80,
        cream_hold_s=15,
        points=[PasteurisationPoint(temperature_c=t, hold_s=h) for t, h in SEED_TABLE_S.items()],
        source=Source(section="4", control="CCP 9"),
    )


TABLE = seed_table()
validated = st.floats(min_value=62, max_value=95, allow_nan=False)


def test_z_value_fitted_to_the_table_is_about_4_33():
    assert z_value(TABLE) == pytest.approx(4.33, abs=0.02)


def test_z_value_follows_the_table_when_the_table_changes():
    # given a table lying exactly on a curve with z = 5
    points = [
        PasteurisationPoint(temperature_c=t, hold_s=15 * 10 ** ((72 - t) / 5))
        for t in (62, 67, 72, 77)
    ]
    table = TABLE.model_copy(update={"points": points})
    # then
    assert z_value(table) == pytest.approx(5.0)


@pytest.mark.parametrize(("temperature_c", "hold_s"), SEED_TABLE_S.items())
def test_milk_at_each_table_point_needs_the_table_hold(temperature_c, hold_s):
    assert required_hold_s(TABLE, "milk", temperature_c) == pytest.approx(hold_s, rel=1e-9)


def test_milk_at_the_reference_needs_15_s():
    assert required_hold_s(TABLE, "milk", 71.7) == pytest.approx(15)


def test_milk_between_points_is_interpolated_log_linearly():
    # halfway between 62 °C/2580 s and 64 °C/900 s lies the geometric mean of both holds
    assert required_hold_s(TABLE, "milk", 63) == pytest.approx(math.sqrt(2580 * 900))


def test_milk_between_71_and_the_reference_uses_the_reference_point():
    # 71.35 °C is halfway between 71 °C/22 s and the reference 71.7 °C/15 s
    assert required_hold_s(TABLE, "milk", 71.35) == pytest.approx(math.sqrt(22 * 15))


@pytest.mark.parametrize("temperature_c", [76, 76.01, 80, 95])
def test_milk_above_the_table_keeps_the_hold_of_its_last_row(temperature_c):
    # Nothing shorter than 1.5 s at 76 °C is validated: no extrapolation to less.
    assert required_hold_s(TABLE, "milk", temperature_c) == 1.5


@pytest.mark.parametrize("temperature_c", [80, 80.5, 90])
def test_cream_at_or_above_80c_keeps_15_s(temperature_c):
    assert required_hold_s(TABLE, "cream", temperature_c) == 15


@pytest.mark.parametrize("medium", ["milk", "cream"])
@pytest.mark.parametrize("temperature_c", [61.99, 60, 40, -5])
def test_below_62c_nothing_is_validated(medium, temperature_c):
    assert required_hold_s(TABLE, medium, temperature_c) is None


def test_lowest_validated_temperature_is_the_lowest_table_point():
    assert lowest_validated_c(TABLE) == 62


def test_cream_at_80c_needs_15_s():
    assert required_hold_s(TABLE, "cream", 80) == pytest.approx(15)


def test_cream_at_75c_needs_about_213_s():
    assert required_hold_s(TABLE, "cream", 75) == pytest.approx(213, abs=1.5)


def test_cream_at_75c_for_15s_is_a_deviation():
    result = check_hold(TABLE, "cream", 75, 15)
    assert result.code is PasteurisationCode.INSUFFICIENT
    assert not result.ok
    assert result.required_hold_s == pytest.approx(213, abs=1.5)


def test_milk_at_72c_for_15s_is_sufficient():
    result = check_hold(TABLE, "milk", 72, 15)
    assert result.ok
    assert result.required_hold_s == pytest.approx(13)


def test_milk_at_72c_for_exactly_the_table_hold_is_sufficient():
    assert check_hold(TABLE, "milk", 72, 13).ok


def test_milk_at_60c_for_an_hour_is_not_validated():
    result = check_hold(TABLE, "milk", 60, 3600)
    assert result.code is PasteurisationCode.NOT_VALIDATED
    assert result.required_hold_s is None
    assert not result.ok


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: required_hold_s(TABLE, "whey", 72), "medium"),
        (lambda: required_hold_s(TABLE, "milk", math.nan), "temperature_c"),
        (lambda: check_hold(TABLE, "milk", 72, -1), "hold_s"),
        (lambda: check_hold(TABLE, "milk", 72, math.inf), "hold_s"),
    ],
)
def test_bad_input_raises_value_error_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        call()


def test_a_table_that_does_not_fall_is_refused_naming_the_points():
    points = [PasteurisationPoint(temperature_c=t, hold_s=10) for t in (62, 70)]
    table = TABLE.model_copy(update={"points": points})
    with pytest.raises(ValueError, match=r"^points(\[\d+\])?:"):
        required_hold_s(table, "milk", 65)


def test_a_reference_off_the_curve_is_refused_naming_the_points():
    table = TABLE.model_copy(update={"reference_hold_s": 30.0})  # more than 71 °C needs
    with pytest.raises(ValueError, match=r"^points(\[\d+\])?:"):
        required_hold_s(table, "milk", 71.5)


@given(medium=st.sampled_from(["milk", "cream"]), low=validated, step=st.floats(0.001, 20))
def test_required_hold_never_rises_with_temperature(medium, low, step):
    lower_hold = required_hold_s(TABLE, medium, low)
    higher_hold = required_hold_s(TABLE, medium, low + step)
    assert lower_hold is not None and higher_hold is not None
    assert higher_hold <= lower_hold
    top = 76 if medium == "milk" else 80
    if low + step < top:
        assert higher_hold < lower_hold


@given(
    medium=st.sampled_from(["milk", "cream"]),
    temperature=validated,
    hold=st.floats(0, 10_000),
    extra=st.floats(0, 10_000),
)
def test_a_longer_hold_is_never_worse(medium, temperature, hold, extra):
    shorter = check_hold(TABLE, medium, temperature, hold)
    longer = check_hold(TABLE, medium, temperature, hold + extra)
    assert longer.ok or not shorter.ok


@given(temperature=st.floats(62, 76))
def test_milk_holds_stay_between_the_neighbouring_table_values(temperature):
    hold = required_hold_s(TABLE, "milk", temperature)
    below = max(t for t in SEED_TABLE_S if t <= temperature)
    above = min(t for t in SEED_TABLE_S if t >= temperature)
    assert hold is not None
    assert SEED_TABLE_S[above] * (1 - 1e-9) <= hold <= SEED_TABLE_S[below] * (1 + 1e-9)


# Logged traces


def test_milk_held_at_71_7c_for_15s_is_exactly_sufficient():
    result = lethality_of_trace([(0, 71.7), (15, 71.7)], TABLE, "milk")
    assert result.equivalent_s == pytest.approx(15)
    assert result.ok
    assert result.shortfall_s == 0


def test_milk_held_at_71_7c_for_14s_falls_short_by_1s():
    result = lethality_of_trace([(0, 71.7), (14, 71.7)], TABLE, "milk")
    assert result.code is PasteurisationCode.INSUFFICIENT
    assert result.shortfall_s == pytest.approx(1)


def test_milk_held_one_z_above_the_reference_counts_tenfold():
    z = z_value(TABLE)
    result = lethality_of_trace([(0, 71.7 + z), (2, 71.7 + z)], TABLE, "milk")
    assert result.equivalent_s == pytest.approx(20)


def test_a_linear_ramp_is_integrated_with_the_trapezoid_rule():
    z = z_value(TABLE)
    result = lethality_of_trace([(0, 70), (10, 74)], TABLE, "milk")
    expected = 10 * (10 ** ((70 - 71.7) / z) + 10 ** ((74 - 71.7) / z)) / 2
    assert result.equivalent_s == pytest.approx(expected)


def test_cream_is_measured_against_15s_at_80c():
    result = lethality_of_trace([(0, 75), (15, 75)], TABLE, "cream")
    assert result.reference_temperature_c == 80
    assert result.required_s == 15
    assert result.code is PasteurisationCode.INSUFFICIENT
    assert result.equivalent_s == pytest.approx(15 * 15 / 213, rel=0.01)


def test_cream_at_75c_for_the_equivalent_time_is_sufficient():
    assert lethality_of_trace([(0, 75), (214, 75)], TABLE, "cream").ok


def test_time_below_62c_contributes_nothing():
    cold = lethality_of_trace([(0, 61.9), (100_000, 61.9)], TABLE, "milk")
    assert cold.equivalent_s == 0
    assert cold.seconds_at_or_above_validated == 0
    assert cold.code is PasteurisationCode.NOT_VALIDATED


def test_only_the_part_of_a_segment_above_62c_counts():
    # given a ramp from 60 °C to 64 °C over 20 s: only the last 10 s are at or above 62 °C
    z = z_value(TABLE)
    result = lethality_of_trace([(0, 60), (20, 64)], TABLE, "milk")
    expected = 10 * (10 ** ((62 - 71.7) / z) + 10 ** ((64 - 71.7) / z)) / 2
    assert result.seconds_at_or_above_validated == pytest.approx(10)
    assert result.equivalent_s == pytest.approx(expected)


def test_a_cooling_segment_through_62c_counts_only_its_warm_part():
    result = lethality_of_trace([(0, 64), (20, 60)], TABLE, "milk")
    assert result.seconds_at_or_above_validated == pytest.approx(10)


def test_heat_up_hold_and_cool_down_of_a_batch_pasteuriser():
    # 30 min at 63 °C (the EU low-temperature option) lies above the table's 62-64 °C curve
    trace = [(0, 20), (600, 63), (600 + 1800, 63), (600 + 1800 + 600, 20)]
    result = lethality_of_trace(trace, TABLE, "milk")
    assert result.ok
    assert result.peak_temperature_c == 63


@pytest.mark.parametrize(
    "points",
    [
        [(0, 72)],
        [(0, 72), (0, 72)],
        [(10, 72), (5, 72)],
        [(0, 72), (5, math.nan)],
    ],
)
def test_a_malformed_trace_is_refused_naming_the_points(points):
    with pytest.raises(ValueError, match=r"^points(\[\d+\])?:"):
        lethality_of_trace(points, TABLE, "milk")


def test_an_unknown_medium_is_refused_naming_the_medium():
    with pytest.raises(ValueError, match=r"^medium:"):
        lethality_of_trace([(0, 72), (15, 72)], TABLE, "whey")


@given(
    medium=st.sampled_from(["milk", "cream"]),
    trace_temperatures=st.lists(st.floats(40, 90), min_size=2, max_size=10),
    extra_temperatures=st.lists(st.floats(40, 90), min_size=1, max_size=5),
)
def test_a_longer_trace_is_never_worse(medium, trace_temperatures, extra_temperatures):
    short = [(5.0 * i, t) for i, t in enumerate(trace_temperatures)]
    longer = short + [(5.0 * (len(short) + i), t) for i, t in enumerate(extra_temperatures)]
    short_result = lethality_of_trace(short, TABLE, medium)
    long_result = lethality_of_trace(longer, TABLE, medium)
    assert long_result.equivalent_s >= short_result.equivalent_s
    assert long_result.ok or not short_result.ok


@given(temperature=st.floats(62, 90), hold=st.floats(0.1, 5000))
def test_a_constant_hold_matches_the_single_point_curve(temperature, hold):
    # a flat trace earns hold × 10^((T − T_ref)/z) equivalent seconds
    z = z_value(TABLE)
    result = lethality_of_trace([(0, temperature), (hold, temperature)], TABLE, "milk")
    assert result.equivalent_s == pytest.approx(hold * 10 ** ((temperature - 71.7) / z))
