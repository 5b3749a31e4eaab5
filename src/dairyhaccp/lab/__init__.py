"""Laboratory judging: sampling plans, the Listeria criterion, plan acceptance and raw milk.

Services: `judge_raw_milk` (table 5.1, Reg. 853/2004), `judge_product` (table 5.2,
Reg. 2073/2005), `sampling_calendar`, the due analyses in `lab.due`, CSV import in
`lab.csv_import` and JSON lines in `lab.evaluation`. The rules kept beside the guide data are
in `lab.rules` (lab/data/<version>/lab_rules.yaml); who notifies the FAVV in
`lab.notification`; judgements stored and read back as data in `lab.stored`.
"""

from __future__ import annotations

from dairyhaccp.lab.acceptance import DEFAULT_SIGMA, acceptance_probability, oc_curve
from dairyhaccp.lab.actions import Action
from dairyhaccp.lab.findings import Finding, FindingCode
from dairyhaccp.lab.listeria import (
    ListeriaChoice,
    ListeriaLimit,
    ListeriaReason,
    choose_listeria_criterion,
    growth_barriers,
    listeria_growth_possible,
)
from dairyhaccp.lab.notification import NotificationDecision, NotificationDuty
from dairyhaccp.lab.product_verdict import ProductJudgement, choose_criterion, judge_product
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
from dairyhaccp.lab.raw_milk_verdict import (
    MilkOrigin,
    RawMilkJudgement,
    RawMilkResult,
    RawMilkVerdict,
    judge_raw_milk,
    raw_milk_rows,
)
from dairyhaccp.lab.sampling import (
    SamplingVerdict,
    Verdict,
    judge_counts,
    judge_criterion,
    judge_presence,
)
from dairyhaccp.lab.sampling_calendar import PlannedSample, families_to_sample, sampling_calendar

__all__ = [
    "DEFAULT_ROLLING_RULES",
    "DEFAULT_SIGMA",
    "STOP_FROM_CONSECUTIVE_UNFAVOURABLE",
    "Action",
    "Finding",
    "FindingCode",
    "ListeriaChoice",
    "ListeriaLimit",
    "ListeriaReason",
    "MilkOrigin",
    "MonthlyResult",
    "NotificationDecision",
    "NotificationDuty",
    "PlannedSample",
    "ProductJudgement",
    "RawMilkJudgement",
    "RawMilkResult",
    "RawMilkStatus",
    "RawMilkVerdict",
    "RollingRule",
    "RollingStatus",
    "SamplingVerdict",
    "Verdict",
    "WindowMonth",
    "acceptance_probability",
    "choose_criterion",
    "choose_listeria_criterion",
    "families_to_sample",
    "geometric_mean",
    "growth_barriers",
    "judge_counts",
    "judge_criterion",
    "judge_presence",
    "judge_product",
    "judge_raw_milk",
    "listeria_growth_possible",
    "monthly_results",
    "oc_curve",
    "raw_milk_rows",
    "rolling_status",
    "sampling_calendar",
]
