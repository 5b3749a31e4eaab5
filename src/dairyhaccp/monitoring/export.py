"""Evaluations as JSON-ready data: the one shape the command line, the API and storage share."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from dairyhaccp.guide.models import Text
from dairyhaccp.monitoring.evaluate import (
    Evaluation,
    Finding,
    FindingCode,
    LimitCheck,
    Requirement,
    Verdict,
)
from dairyhaccp.monitoring.wording import (
    describe_finding,
    measured_in_words,
    sentence_around_measured,
)

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


# The verdict line written straight from pre-encoded pieces: the same text as
# `json.dumps(evaluation_to_data(evaluation, lang), ensure_ascii=False)`, at a fraction of the
# cost. What a limit checks (its id, requirement, unit, level) is encoded once per process.
K = TypeVar("K")
V = TypeVar("V")
_string = json.encoder.encode_basestring
_PIECES_KEPT = 4096
_check_pieces: dict[tuple[object, ...], tuple[str, str]] = {}
_finding_pieces: dict[tuple[object, ...], tuple[str, str | None, str, str, Text]] = {}
_action_lists: dict[tuple[int, str], tuple[str, tuple[Text, ...]]] = {}
_strings: dict[str, str] = {}


def _number(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if type(value) is float:
        return float.__repr__(value) if math.isfinite(value) else "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _known_string(text: str) -> str:
    encoded = _strings.get(text)
    if encoded is None:
        encoded = _kept(_strings, text, lambda: _string(text))
    return encoded


def _requirement_json(requirement: Requirement) -> str:
    return (
        f'{{"comparison": {_string(requirement.comparison)}, "bound": {_number(requirement.bound)},'
        f' "low": {_number(requirement.low)}, "high": {_number(requirement.high)}}}'
    )


def _kept(store: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """`store[key]`, made by `make` when missing; the store is emptied when full."""
    value = store.get(key)
    if value is None:
        if len(store) >= _PIECES_KEPT:
            store.clear()
        value = store[key] = make()
    return value


def _check_json(check: LimitCheck) -> str:
    requirement = check.requirement
    key = (
        check.limit_id,
        check.parameter,
        requirement.comparison,
        requirement.bound,
        requirement.low,
        requirement.high,
        check.unit,
        check.level,
        check.met,
    )
    pieces = _check_pieces.get(key)
    if pieces is None:
        pieces = _kept(_check_pieces, key, lambda: _check_pieces_of(check))
    return pieces[0] + _number(check.measured) + pieces[1]


def _check_pieces_of(check: LimitCheck) -> tuple[str, str]:
    requirement = check.requirement
    return (
        f'{{"limit": {_string(check.limit_id)}, "parameter": {_string(check.parameter)},'
        ' "measured": ',
        f', "required": {_string(requirement.text())},'
        f' "requirement": {_requirement_json(requirement)}, "unit": {_string(check.unit)},'
        f' "level": {_string(check.level)}, "met": {_number(check.met)}}}',
    )


def _finding_json(finding: Finding, lang: str) -> tuple[str, str]:
    """The finding's reason (a sentence in `lang`) and its record, each as JSON."""
    requirement = finding.requirement
    limit_text = finding.limit_text
    key = (
        finding.code,
        finding.limit_id,
        finding.parameter,
        requirement.comparison,
        requirement.bound,
        requirement.low,
        requirement.high,
        finding.unit,
        finding.level,
        finding.severity,
        id(limit_text),
        lang,
    )
    pieces = _finding_pieces.get(key)
    if pieces is None or pieces[4] is not limit_text:
        pieces = _finding_pieces_of(finding, lang)
        if len(_finding_pieces) >= _PIECES_KEPT:
            _finding_pieces.clear()
        _finding_pieces[key] = pieces
    sentence_head, sentence_tail, head, tail, _ = pieces
    if sentence_tail is None:
        reason = sentence_head
    else:
        reason = _string(sentence_head + measured_in_words(finding, lang) + sentence_tail)
    return reason, head + _number(finding.measured) + tail


def _finding_pieces_of(finding: Finding, lang: str) -> tuple[str, str | None, str, str, Text]:
    """The sentence around the measured value (the whole sentence as JSON when it names no
    value) and the record's JSON around it; the limit's text they were made with."""
    requirement = finding.requirement
    sentence_head, sentence_tail = sentence_around_measured(finding, lang)
    if sentence_tail is None:
        sentence_head = _string(sentence_head)
    return (
        sentence_head,
        sentence_tail,
        f'{{"code": {_string(finding.code.value)}, "limit": {_string(finding.limit_id)},'
        f' "parameter": {_string(finding.parameter)}, "measured": ',
        f', "required": {_string(finding.required)},'
        f' "requirement": {_requirement_json(requirement)}, "unit": {_string(finding.unit)},'
        f' "level": {_string(finding.level)}, "severity": {_string(finding.severity.value)}}}',
        finding.limit_text,
    )


def _values_json(values: Mapping[str, object]) -> str:
    if not values:
        return "{}"
    parts = []
    for name, value in values.items():
        if type(value) is float and math.isfinite(value):
            parts.append(f"{_known_string(name)}: {float.__repr__(value)}")
        else:
            parts.append(f"{_known_string(name)}: {_number(value)}")
    return "{" + ", ".join(parts) + "}"


def _actions_json(actions: tuple[Text, ...], lang: str) -> str:
    if not actions:
        return "[]"
    key = (id(actions), lang)
    kept = _action_lists.get(key)
    if kept is not None and kept[1] is actions:
        return kept[0]
    encoded = "[" + ", ".join(_string(action.get(lang)) for action in actions) + "]"
    if len(_action_lists) >= _PIECES_KEPT:
        _action_lists.clear()
    _action_lists[key] = (encoded, actions)
    return encoded


def evaluation_json(evaluation: Evaluation, lang: str) -> str:
    """`evaluation_to_data` as one line of JSON, equal to what `json.dumps` makes of it."""
    reasons, findings = [], []
    for finding in evaluation.findings:
        reason, record = _finding_json(finding, lang)
        reasons.append(reason)
        findings.append(record)
    required, values = evaluation.required, evaluation.values
    derived, observed = evaluation.derived, evaluation.observed
    return (
        f'{{"control": {_known_string(evaluation.control)},'
        f' "verdict": "{evaluation.verdict.value}",'
        f' "reasons": [{", ".join(reasons)}],'
        f' "required": {_values_json(required) if required else "{}"},'
        f' "corrective_actions": {_actions_json(evaluation.corrective_actions, lang)},'
        f' "findings": [{", ".join(findings)}],'
        f' "checked": [{", ".join([_check_json(c) for c in evaluation.checks])}],'
        f' "values": {_values_json(values) if values else "{}"},'
        f' "derived": {_values_json(derived) if derived else "{}"},'
        f' "observed": {_values_json(observed) if observed else "{}"},'
        f' "guide_version": {_known_string(evaluation.guide_version)}}}'
    )
