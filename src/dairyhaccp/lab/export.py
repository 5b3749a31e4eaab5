"""Lab judgements as JSON-ready data: the `lab evaluate` output, texts in one language.

The first keys are the command's contract (raw milk: verdict, geometric_mean,
consecutive_unfavourable_months, stop_use, notify_favv, actions; finished products: verdict,
type, criterion, actions, notify_favv); the keys after them add detail, among them who notifies
the FAVV (`notification`) and the guide version judged with (`guide_version`).
"""

from __future__ import annotations

from typing import Any

from dairyhaccp.guide.models import Criterion
from dairyhaccp.lab.findings import Finding
from dairyhaccp.lab.notification import NotificationDecision
from dairyhaccp.lab.product_verdict import ProductJudgement
from dairyhaccp.lab.raw_milk_verdict import RawMilkJudgement
from dairyhaccp.lab.wording import describe_action


def _rounded(value: float | None) -> float | None:
    """A geometric mean without the noise of its logarithms (counts need no more than 0.01)."""
    return None if value is None else round(value, 2)


def criterion_data(criterion: Criterion, lang: str = "nl") -> dict[str, Any]:
    """A criterion's plan and limits, with its stage and source."""
    return {
        "id": criterion.id,
        "parameter": criterion.parameter,
        "n": criterion.n,
        "c": criterion.c,
        "m": criterion.m,
        "M": criterion.M,
        "unit": criterion.unit,
        "type": criterion.type,
        "stage": criterion.stage.get(lang),
        "source": str(criterion.source),
    }


def finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code.value,
        "measured": finding.measured,
        "required": finding.required,
        "positions": list(finding.positions),
        "values": list(finding.values),
    }


def product_judgement_data(judgement: ProductJudgement, lang: str = "nl") -> dict[str, Any]:
    """A finished product's verdict."""
    listeria = judgement.listeria
    return {
        "verdict": judgement.verdict.value,
        "type": judgement.type,
        "criterion": criterion_data(judgement.criterion, lang),
        "actions": [describe_action(action, lang) for action in judgement.actions],
        "notify_favv": judgement.notify_favv,
        "action_codes": [action.value for action in judgement.actions],
        "enterotoxin_test_due": judgement.enterotoxin_test_due,
        "family": judgement.family.id,
        "criterion_overridden": judgement.overridden,
        "results_count": judgement.sampling.results_count,
        "findings": [finding_data(finding) for finding in judgement.sampling.findings],
        "listeria": None
        if listeria is None
        else {
            "limit": listeria.limit.value,
            "reasons": [reason.value for reason in listeria.reasons],
            "growth_possible": listeria.growth_possible,
        },
        "guide_version": judgement.guide_version,
    }


def notification_data(decision: NotificationDecision) -> dict[str, Any]:
    """Who notifies the FAVV: the duty, the guide's notification and any laboratory taking it
    over."""
    return {
        "duty": decision.duty.value,
        "notification": decision.notification,
        "laboratories": list(decision.laboratories),
    }


def raw_milk_judgement_data(judgement: RawMilkJudgement, lang: str = "nl") -> dict[str, Any]:
    """A raw-milk verdict, with the single results and, for counts, the months."""
    rolling = judgement.rolling
    data: dict[str, Any] = {
        "verdict": judgement.verdict.value,
        "geometric_mean": _rounded(judgement.geometric_mean),
        "consecutive_unfavourable_months": judgement.consecutive_unfavourable_months,
        "stop_use": judgement.stop_use,
        "notify_favv": judgement.notify_favv,
        "actions": [describe_action(action, lang) for action in judgement.actions],
        "action_codes": [action.value for action in judgement.actions],
        "analysis": judgement.row.id,
        "parameter": judgement.parameter,
        "norm": {
            "value": judgement.row.norm.value,
            "unit": judgement.row.norm.unit,
            "text": judgement.row.norm.text.get(lang),
        },
        "notification": notification_data(judgement.notification),
        "guide_version": judgement.guide_version,
        "as_of": judgement.as_of.isoformat(),
        "verdict_date": judgement.verdict_day.isoformat(),
        "basis": judgement.basis.value if judgement.basis else None,
        "geometric_mean_status": (
            judgement.geometric_mean_status.value if judgement.geometric_mean_status else None
        ),
        "geometric_mean_window": None
        if rolling is None
        else {
            "from": rolling.window_start.isoformat(),
            "to": rolling.window_end.isoformat(),
            "samples": rolling.sample_count,
        },
        "on_too_few_samples": judgement.on_too_few_samples,
        "results": [
            {"date": single.day.isoformat(), "value": single.value, "conform": single.conform}
            for single in judgement.singles
        ],
        "months": [
            {
                "month": month.month.strftime("%Y-%m"),
                "status": month.status.value,
                "geometric_mean": _rounded(month.geometric_mean),
                "results": month.results,
                "consecutive_unfavourable": month.consecutive_unfavourable,
            }
            for month in judgement.timeline
        ],
    }
    if judgement.parameter == "antibiotic_residues":
        data["detected_last_12_months"] = judgement.detected_last_12_months
        data["linked_lots"] = list(judgement.linked_lots)
    return data
