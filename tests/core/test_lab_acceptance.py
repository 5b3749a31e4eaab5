"""Probability that a sampling plan accepts a lot, and the OC curve."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.lab import Verdict, acceptance_probability, judge_counts, oc_curve


@pytest.mark.parametrize(("mu", "expected"), [(1.0, 0.961), (1.5, 0.775), (2.0, 0.349)])
def test_three_class_plan_matches_the_reference_values(mu, expected):
    pa = acceptance_probability(n=5, c=2, m=100, M=1000, mu=mu, sigma=0.8)
    assert round(pa, 3) == expected


def test_two_class_plan_with_c_0_is_p_a_to_the_power_n():
    # mu = log10 m: half the sub-samples lie below m
    assert acceptance_probability(5, 0, 100, None, mu=2.0, sigma=0.8) == pytest.approx(0.5**5)


def test_two_class_plan_with_c_2_is_binomial():
    expected = sum(math.comb(5, i) * 0.5**5 for i in range(3))
    assert acceptance_probability(5, 2, 10, None, mu=1.0) == pytest.approx(expected)


def test_m_equal_to_upper_limit_is_read_as_two_class():
    assert acceptance_probability(5, 0, 10, 10, mu=0.7) == pytest.approx(
        acceptance_probability(5, 0, 10, None, mu=0.7)
    )


def _monte_carlo(n, c, m, upper, mu, sigma, lots, seed):
    rng = random.Random(seed)
    accepted = 0
    for _ in range(lots):
        values = [10 ** rng.gauss(mu, sigma) for _ in range(n)]
        accepted += judge_counts(values, n, c, m, upper).verdict is not Verdict.UNSATISFACTORY
    return accepted / lots


@pytest.mark.parametrize(
    ("n", "c", "m", "upper", "mu"),
    [(5, 2, 100, 1000, 1.8), (5, 2, 100, 1000, 2.4), (5, 0, 10, None, 0.3), (3, 1, 10, None, 1.0)],
)
def test_probability_agrees_with_a_monte_carlo_of_the_judging_rule(n, c, m, upper, mu):
    lots = 20_000
    pa = acceptance_probability(n, c, m, upper, mu, sigma=0.8)
    simulated = _monte_carlo(n, c, m, upper, mu, 0.8, lots, seed=2073)
    # four standard errors of a binomial proportion
    assert abs(simulated - pa) <= 4 * math.sqrt(max(pa * (1 - pa), 1e-4) / lots)


def test_oc_curve_runs_from_mu_from_to_mu_to_inclusive():
    curve = oc_curve(5, 2, 100, 1000, 0.8, 1.0, 2.0, 0.1)
    assert len(curve) == 11
    assert curve[0][0] == pytest.approx(1.0)
    assert curve[-1][0] == pytest.approx(2.0)
    assert round(curve[0][1], 3) == 0.961
    assert round(curve[5][1], 3) == 0.775
    assert round(curve[-1][1], 3) == 0.349


@given(mu=st.floats(-2, 8), step=st.floats(0.01, 2))
def test_a_dirtier_lot_is_never_more_likely_accepted(mu, step):
    assert acceptance_probability(5, 2, 100, 1000, mu + step) <= acceptance_probability(
        5, 2, 100, 1000, mu
    )


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: acceptance_probability(0, 0, 100, None, 1.0), "n"),
        (lambda: acceptance_probability(5, 6, 100, None, 1.0), "c"),
        (lambda: acceptance_probability(5, 2, 0, None, 1.0), "m"),
        (lambda: acceptance_probability(5, 2, 100, 10, 1.0), "M"),
        (lambda: acceptance_probability(5, 2, 100, 1000, math.nan), "mu"),
        (lambda: acceptance_probability(5, 2, 100, 1000, 1.0, sigma=0), "sigma"),
        (lambda: oc_curve(5, 2, 100, 1000, 0.8, 1.0, 2.0, 0), "step"),
        (lambda: oc_curve(5, 2, 100, 1000, 0.8, 2.0, 1.0, 0.1), "mu_to"),
    ],
)
def test_bad_input_raises_value_error_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        call()
