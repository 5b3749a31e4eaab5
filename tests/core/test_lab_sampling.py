"""Judging laboratory results against 2- and 3-class sampling plans (Reg. 2073/2005)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairyhaccp.guide.models import Criterion, Source, Text
from dairyhaccp.lab import FindingCode, Verdict, judge_counts, judge_criterion, judge_presence

# E. coli in cheese from heat-treated milk (row 2.2.2): n 5, c 2, m 100, M 1000 cfu/g.
N, C, LOWER, UPPER = 5, 2, 100.0, 1000.0


def test_all_values_at_or_below_m_are_satisfactory():
    result = judge_counts([10, 50, 100, 0, 99], N, C, LOWER, UPPER)
    assert result.verdict is Verdict.SATISFACTORY
    assert result.findings == ()


def test_a_value_exactly_at_m_counts_as_at_most_m():
    assert judge_counts([100] * 5, N, C, LOWER, UPPER).verdict is Verdict.SATISFACTORY


def test_c_values_between_m_and_m_upper_are_acceptable():
    result = judge_counts([10, 150, 900, 20, 30], N, C, LOWER, UPPER)
    assert result.verdict is Verdict.ACCEPTABLE
    above_m = result.finding(FindingCode.ABOVE_LOWER_LIMIT)
    assert above_m is not None
    assert above_m.positions == (2, 3)
    assert above_m.values == (150, 900)
    assert above_m.required == LOWER
    assert result.finding(FindingCode.ABOVE_UPPER_LIMIT) is None
    assert result.finding(FindingCode.MORE_THAN_C_ABOVE_M) is None


def test_a_value_exactly_at_upper_limit_lies_between_m_and_upper_limit():
    result = judge_counts([1000, 10, 10, 10, 10], N, C, LOWER, UPPER)
    assert result.verdict is Verdict.ACCEPTABLE
    assert result.finding(FindingCode.ABOVE_UPPER_LIMIT) is None


def test_c_plus_one_values_between_m_and_upper_limit_are_unsatisfactory():
    result = judge_counts([150, 200, 1000, 10, 10], N, C, LOWER, UPPER)
    assert result.verdict is Verdict.UNSATISFACTORY
    too_many = result.finding(FindingCode.MORE_THAN_C_ABOVE_M)
    assert too_many is not None
    assert (too_many.measured, too_many.required) == (3, C)


def test_one_value_above_upper_limit_is_unsatisfactory_and_named():
    result = judge_counts([10, 10, 1000.1, 10, 10], N, C, LOWER, UPPER)
    assert result.verdict is Verdict.UNSATISFACTORY
    above_upper = result.finding(FindingCode.ABOVE_UPPER_LIMIT)
    assert above_upper is not None
    assert above_upper.positions == (3,)
    assert above_upper.values == (1000.1,)
    assert above_upper.required == UPPER
    assert result.finding(FindingCode.MORE_THAN_C_ABOVE_M) is None


@pytest.mark.parametrize("upper", [None, 10.0])
def test_two_class_plan_with_c_0_refuses_any_value_above_m(upper):
    # Enterobacteriaceae in pasteurised milk (row 2.2.1): n 5, c 0, m 10/ml
    assert judge_counts([10, 10, 10, 10, 10], 5, 0, 10, upper).verdict is Verdict.SATISFACTORY
    result = judge_counts([10, 10, 11, 10, 10], 5, 0, 10, upper)
    assert result.verdict is Verdict.UNSATISFACTORY
    above_m = result.finding(FindingCode.ABOVE_LOWER_LIMIT)
    assert above_m is not None and above_m.positions == (3,)
    assert result.two_class


def test_two_class_plan_with_c_1_accepts_one_value_above_m_but_not_two():
    assert judge_counts([5, 50, 5], 3, 1, 10).verdict is Verdict.ACCEPTABLE
    assert judge_counts([50, 50, 5], 3, 1, 10).verdict is Verdict.UNSATISFACTORY


def test_fewer_results_than_n_are_judged_and_reported():
    # the relaxations accept a single sub-sample (n = 1 in practice)
    result = judge_counts([50], N, C, LOWER, UPPER)
    assert result.verdict is Verdict.SATISFACTORY
    fewer = result.finding(FindingCode.FEWER_RESULTS_THAN_N)
    assert fewer is not None
    assert (fewer.measured, fewer.required) == (1, N)


def test_a_single_result_above_upper_limit_is_still_unsatisfactory():
    assert judge_counts([5000], N, C, LOWER, UPPER).verdict is Verdict.UNSATISFACTORY


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: judge_counts([1] * 6, 5, 2, 100, 1000), "values"),
        (lambda: judge_counts([], 5, 2, 100, 1000), "values"),
        (lambda: judge_counts([1, -1], 5, 2, 100, 1000), r"values\[1\]"),
        (lambda: judge_counts([1, math.nan], 5, 2, 100, 1000), r"values\[1\]"),
        (lambda: judge_counts([1], 0, 0, 100, 1000), "n"),
        (lambda: judge_counts([1], 5, 6, 100, 1000), "c"),
        (lambda: judge_counts([1], 5, -1, 100, 1000), "c"),
        (lambda: judge_counts([1], 5, 2, -1, 1000), "m"),
        (lambda: judge_counts([1], 5, 2, 100, 10), "M"),
        (lambda: judge_presence(["detected"] * 6, 5), "results"),
        (lambda: judge_presence(["positive"], 5), r"results\[0\]"),
    ],
)
def test_bad_input_raises_value_error_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        call()


def test_not_detected_in_all_sub_samples_is_satisfactory():
    result = judge_presence(["not_detected"] * 5, 5)
    assert result.verdict is Verdict.SATISFACTORY
    assert result.findings == ()


def test_detected_in_one_sub_sample_of_an_absence_criterion_is_unsatisfactory():
    result = judge_presence(["not_detected", "detected", "not_detected"], 5)
    assert result.verdict is Verdict.UNSATISFACTORY
    detected = result.finding(FindingCode.DETECTED)
    assert detected is not None and detected.positions == (2,)
    assert result.finding(FindingCode.FEWER_RESULTS_THAN_N) is not None


def _criterion(**fields: object) -> Criterion:
    base: dict[str, object] = {
        "id": "test",
        "parameter": "salmonella",
        "n": 5,
        "c": 0,
        "unit": "absence_25g",
        "stage": Text(nl="in de handel", en="on the market"),
        "type": "VV",
        "source": Source(section="5.2"),
    }
    return Criterion.model_validate(base | fields)


def test_a_presence_criterion_of_the_guide_judges_presence_results():
    result = judge_criterion(_criterion(), ["not_detected", "detected"])
    assert result.verdict is Verdict.UNSATISFACTORY


def test_a_count_criterion_of_the_guide_judges_counts():
    criterion = _criterion(parameter="e_coli", unit="cfu/g", c=2, m=100, M=1000)
    assert judge_criterion(criterion, [150, 150, 10]).verdict is Verdict.ACCEPTABLE


def test_a_count_criterion_refuses_presence_results():
    criterion = _criterion(parameter="e_coli", unit="cfu/g", c=2, m=100, M=1000)
    with pytest.raises(ValueError, match=r"^results:"):
        judge_criterion(criterion, ["detected"])


counts = st.lists(st.floats(0, 10_000), min_size=1, max_size=5)


@given(values=counts, index=st.integers(0, 4), increase=st.floats(0, 10_000))
def test_a_higher_count_never_improves_the_verdict(values, index, increase):
    order = [Verdict.SATISFACTORY, Verdict.ACCEPTABLE, Verdict.UNSATISFACTORY]
    raised = list(values)
    raised[index % len(values)] += increase
    before = judge_counts(values, N, C, LOWER, UPPER).verdict
    after = judge_counts(raised, N, C, LOWER, UPPER).verdict
    assert order.index(after) >= order.index(before)
