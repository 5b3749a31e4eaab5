"""Judging results against 2- and 3-class sampling plans (Regulation 2073/2005, module §5.2).

3-class (m < M): satisfactory when all ≤ m; acceptable when at most c lie in (m, M] and none
above M; unsatisfactory otherwise. 2-class (M absent or m == M): at most c above m, so with
c = 0 any value above m is unsatisfactory. A value exactly at m is ≤ m; exactly at M lies in
(m, M]. Fewer results than n are judged (the relaxations accept n = 1) and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from dairyhaccp.guide.models import Criterion
from dairyhaccp.lab.findings import Finding, FindingCode, check_count, check_finite

Presence = Literal["detected", "not_detected"]
PRESENCE_RESULTS: tuple[Presence, ...] = ("detected", "not_detected")


class Verdict(StrEnum):
    """The reading of a sampling plan's results."""

    SATISFACTORY = "satisfactory"
    ACCEPTABLE = "acceptable"
    UNSATISFACTORY = "unsatisfactory"


@dataclass(frozen=True, slots=True)
class SamplingVerdict:
    """A plan's verdict on a set of results, with what was found."""

    verdict: Verdict
    n: int
    c: int
    m: float | None
    M: float | None
    results_count: int
    findings: tuple[Finding, ...]

    @property
    def two_class(self) -> bool:
        return self.M is None or self.m == self.M

    def finding(self, code: FindingCode) -> Finding | None:
        """The finding with `code`, if any."""
        return next((f for f in self.findings if f.code is code), None)


def _check_plan(field: str, count: int, n: int, c: int) -> None:
    check_count("n", n, minimum=1)
    check_count("c", c, minimum=0)
    if c > n:
        raise ValueError(f"c: {c} is more than n = {n}")
    if count == 0:
        raise ValueError(f"{field}: at least one result is needed")
    if count > n:
        raise ValueError(f"{field}: {count} results for a plan of n = {n} sub-samples")


def _fewer_than_n(count: int, n: int) -> tuple[Finding, ...]:
    if count < n:
        return (Finding(FindingCode.FEWER_RESULTS_THAN_N, measured=count, required=n),)
    return ()


def _over(values: Sequence[float], limit: float, code: FindingCode) -> Finding | None:
    positions = tuple(i for i, value in enumerate(values, start=1) if value > limit)
    if not positions:
        return None
    picked = tuple(values[i - 1] for i in positions)
    return Finding(
        code, measured=len(positions), required=limit, positions=positions, values=picked
    )


def judge_counts(
    values: Sequence[float],
    n: int,
    c: int,
    m: float,
    M: float | None = None,  # noqa: N803 - the regulation's name
) -> SamplingVerdict:
    """Judge counts (cfu/g or cfu/ml) of up to n sub-samples against a 2- or 3-class plan."""
    _check_plan("values", len(values), n, c)
    m = check_finite("m", m, minimum=0)
    if M is not None and check_finite("M", M) < m:
        raise ValueError(f"M: {M!r} is below m = {m:g}")
    checked = [check_finite(f"values[{i}]", v, minimum=0) for i, v in enumerate(values)]
    upper = None if M is None or m == M else float(M)
    above_m = _over(checked, m, FindingCode.ABOVE_LOWER_LIMIT)
    above_upper = None if upper is None else _over(checked, upper, FindingCode.ABOVE_UPPER_LIMIT)
    # Values counted against c: in (m, M] for 3-class plans, above m for 2-class plans.
    counted = sum(1 for v in checked if v > m and (upper is None or v <= upper))
    too_many = counted > c
    findings = [f for f in (above_m, above_upper) if f is not None]
    if too_many:
        findings.append(Finding(FindingCode.MORE_THAN_C_ABOVE_M, measured=counted, required=c))
    if above_m is None:
        verdict = Verdict.SATISFACTORY
    elif above_upper is not None or too_many:
        verdict = Verdict.UNSATISFACTORY
    else:
        verdict = Verdict.ACCEPTABLE
    findings.extend(_fewer_than_n(len(checked), n))
    return SamplingVerdict(verdict, n, c, m, M, len(checked), tuple(findings))


def judge_presence(results: Sequence[str], n: int, c: int = 0) -> SamplingVerdict:
    """Judge 'detected'/'not_detected' results (absent or not detected in 25 g)."""
    _check_plan("results", len(results), n, c)
    for index, result in enumerate(results):
        if result not in PRESENCE_RESULTS:
            raise ValueError(f"results[{index}]: {result!r} is not one of {list(PRESENCE_RESULTS)}")
    positions = tuple(i for i, result in enumerate(results, start=1) if result == "detected")
    findings: list[Finding] = []
    if positions:
        findings.append(Finding(FindingCode.DETECTED, measured=len(positions), positions=positions))
    if len(positions) > c:
        verdict = Verdict.UNSATISFACTORY
    elif positions:
        verdict = Verdict.ACCEPTABLE
    else:
        verdict = Verdict.SATISFACTORY
    findings.extend(_fewer_than_n(len(results), n))
    return SamplingVerdict(verdict, n, c, None, None, len(results), tuple(findings))


def judge_criterion(
    criterion: Criterion, results: Sequence[float] | Sequence[str]
) -> SamplingVerdict:
    """Judge results against a criterion of the guide, counts or presence by its unit."""
    if criterion.unit in ("absence_25g", "not_detected_25g"):
        texts = [r for r in results if isinstance(r, str)]
        if len(texts) != len(results):
            raise ValueError("results: presence criteria take 'detected' or 'not_detected'")
        return judge_presence(texts, criterion.n, criterion.c)
    counts = [r for r in results if not isinstance(r, str)]
    if len(counts) != len(results) or criterion.m is None:
        raise ValueError("results: count criteria take numbers")
    return judge_counts(counts, criterion.n, criterion.c, criterion.m, criterion.M)
