"""Findings as stored with a registration, and back into the core's objects for wording."""

from __future__ import annotations

from typing import Any

from dairyhaccp.guide.models import Text
from dairyhaccp.monitoring import Evaluation, Finding, FindingCode, Verdict
from dairyhaccp.monitoring.wording import describe_finding
from dairyhaccp.web.operators.language import guide_language

_EMPTY_TEXT = Text(nl="", en="")


def findings_data(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The findings of an evaluation as JSON-ready dicts (the CLI's field names)."""
    return [
        {
            "code": f.code.value,
            "limit": f.limit_id,
            "parameter": f.parameter,
            "measured": f.measured,
            "required": f.required,
            "unit": f.unit,
            "level": f.level,
            "severity": f.severity.value,
        }
        for f in evaluation.findings
    ]


def finding_from_data(data: dict[str, Any]) -> Finding:
    """A stored finding as the core's Finding (without the limit's text)."""
    return Finding(
        code=FindingCode(data["code"]),
        limit_id=data["limit"],
        parameter=data["parameter"],
        measured=data["measured"],
        required=data["required"],
        unit=data["unit"],
        level=data["level"],
        limit_text=_EMPTY_TEXT,
        severity=Verdict(data["severity"]),
    )


def stored_evaluation(
    control_id: str, verdict: str, findings: list[dict[str, Any]], required: dict[str, float]
) -> Evaluation:
    """The evaluation a registration stored, rebuilt (corrective actions are not stored)."""
    return Evaluation(
        control=control_id,
        verdict=Verdict(verdict),
        findings=tuple(finding_from_data(f) for f in findings),
        required=dict(required),
    )


def reasons(findings: list[dict[str, Any]], lang: str | None = None) -> list[str]:
    """Each stored finding as a sentence in `lang` (default: the active language)."""
    lang = lang or guide_language()
    return [describe_finding(finding_from_data(f), lang) for f in findings]
