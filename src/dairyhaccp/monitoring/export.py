"""Evaluations as JSON-ready data: the one shape the command line, the API and storage share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dairyhaccp.guide.models import Text
from dairyhaccp.monitoring.evaluate import (
    Evaluation,
    Finding,
    FindingCode,
    LimitCheck,
    Requirement,
    Verdict,
)
from dairyhaccp.monitoring.wording import describe_finding

_NO_TEXT = Text(nl="", en="")


def _requirement_data(requirement: Requirement) -> dict[str, Any]:
    return {
        "comparison": requirement.comparison,
        "bound": requirement.bound,
        "low": requirement.low,
        "high": requirement.high,
    }


def finding_to_data(finding: Finding) -> dict[str, Any]:
    """A finding with what was measured and, as data, what was required."""
    return {
        "code": finding.code.value,
        "limit": finding.limit_id,
        "parameter": finding.parameter,
        "measured": finding.measured,
        "required": finding.required,
        "requirement": _requirement_data(finding.requirement),
        "unit": finding.unit,
        "level": finding.level,
        "severity": finding.severity.value,
    }


def check_to_data(check: LimitCheck) -> dict[str, Any]:
    return {
        "limit": check.limit_id,
        "parameter": check.parameter,
        "measured": check.measured,
        "required": check.requirement.text(),
        "requirement": _requirement_data(check.requirement),
        "unit": check.unit,
        "level": check.level,
        "met": check.met,
    }


def _requirement_from_data(data: Mapping[str, Any]) -> Requirement:
    return Requirement(data["comparison"], data.get("bound"), data.get("low"), data.get("high"))


def finding_from_data(data: Mapping[str, Any], limit_text: Text = _NO_TEXT) -> Finding:
    """A stored finding as the core's Finding (the limit's text only when given)."""
    return Finding(
        code=FindingCode(data["code"]),
        limit_id=data["limit"],
        parameter=data["parameter"],
        measured=data["measured"],
        requirement=_requirement_from_data(data["requirement"]),
        unit=data["unit"],
        level=data["level"],
        limit_text=limit_text,
        severity=Verdict(data["severity"]),
    )


def evaluation_to_data(evaluation: Evaluation, lang: str) -> dict[str, Any]:
    """The verdict line of `dairyhaccp evaluate`, also the API's and the web service's."""
    return {
        "control": evaluation.control,
        "verdict": evaluation.verdict.value,
        "reasons": [describe_finding(f, lang) for f in evaluation.findings],
        "required": dict(evaluation.required),
        "corrective_actions": [action.get(lang) for action in evaluation.corrective_actions],
        "findings": [finding_to_data(f) for f in evaluation.findings],
        "checked": [check_to_data(c) for c in evaluation.checks],
        "values": dict(evaluation.values),
        "derived": dict(evaluation.derived),
        "observed": dict(evaluation.observed),
        "guide_version": evaluation.guide_version,
    }
