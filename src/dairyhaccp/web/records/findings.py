"""Findings as stored with a registration, and back into the core's objects for wording."""

from __future__ import annotations

from typing import Any

from dairyhaccp.monitoring import Evaluation, Verdict
from dairyhaccp.monitoring.export import check_to_data, finding_from_data, finding_to_data
from dairyhaccp.monitoring.wording import describe_finding
from dairyhaccp.web.operators.language import guide_language


def findings_data(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The findings of an evaluation as stored (the command line's shape)."""
    return [finding_to_data(f) for f in evaluation.findings]


def checks_data(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Every limit checked, met or not, as stored."""
    return [check_to_data(c) for c in evaluation.checks]


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
