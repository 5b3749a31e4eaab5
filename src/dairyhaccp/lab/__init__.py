"""Laboratory judging: sampling plans, the Listeria criterion, plan acceptance and raw milk."""

from __future__ import annotations

from dairyhaccp.lab.acceptance import DEFAULT_SIGMA, acceptance_probability, oc_curve
from dairyhaccp.lab.findings import Finding, FindingCode
from dairyhaccp.lab.listeria import (
    ListeriaChoice,
    ListeriaLimit,
    ListeriaReason,
    choose_listeria_criterion,
    growth_barriers,
    listeria_growth_possible,
)
from dairyhaccp.lab.raw_milk import (
    DEFAULT_ROLLING_RULES,
    STOP_FROM_CONSECUTIVE_UNFAVOURABLE,
    MonthlyResult,
    RawMilkStatus,
    RollingRule,
    RollingStatus,
    WindowMonth,
    geometric_mean,
    monthly_results,
    rolling_status,
)
from dairyhaccp.lab.sampling import (
    SamplingVerdict,
    Verdict,
    judge_counts,
    judge_criterion,
    judge_presence,
)

__all__ = [
    "DEFAULT_ROLLING_RULES",
    "DEFAULT_SIGMA",
    "STOP_FROM_CONSECUTIVE_UNFAVOURABLE",
    "Finding",
    "FindingCode",
    "ListeriaChoice",
    "ListeriaLimit",
    "ListeriaReason",
    "MonthlyResult",
    "RawMilkStatus",
    "RollingRule",
    "RollingStatus",
    "SamplingVerdict",
    "Verdict",
    "WindowMonth",
    "acceptance_probability",
    "choose_listeria_criterion",
    "geometric_mean",
    "growth_barriers",
    "judge_counts",
    "judge_criterion",
    "judge_presence",
    "listeria_growth_possible",
    "monthly_results",
    "oc_curve",
    "rolling_status",
]
