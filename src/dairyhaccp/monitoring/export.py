"""Evaluations as JSON-ready data: the one shape the command line, the API and storage share."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, NamedTuple, TypeVar

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
    number,
    sentence_around_measured,
    unit_after_number,
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
_isfinite = math.isfinite
_PIECES_KEPT = 4096
_check_pieces: dict[tuple[object, ...], tuple[str, str]] = {}
_finding_pieces: dict[tuple[object, ...], _FindingPieces] = {}
_action_lists: dict[tuple[int, str], tuple[str, tuple[Text, ...]]] = {}
_strings: dict[str, str] = {}
_value_keys: dict[str, str] = {}
# A member's `.value` is looked up in Python: each verdict's JSON, made once.
_VERDICTS = {verdict: _string(verdict.value) for verdict in Verdict}
# Characters that line readers take for a line end (the command line writes them escaped).
_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
_plain = True


def _noted(text: str) -> str:
    """`text`, noted as not plain when it is not valid UTF-8 or holds a line-break character."""
    global _plain
    if _plain and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            _plain = False
        if any(character in text for character in _LINE_BREAKS):
            _plain = False
    return text


def pieces_plain() -> bool:
    """Whether every piece the verdict lines were made of so far is valid UTF-8 without a
    line-break character: then each line made is written as it is, with nothing to escape."""
    return _plain


def _number(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if type(value) is float:
        return float.__repr__(value) if _isfinite(value) else "null"
    if type(value) is int:
        return int.__repr__(value)
    return _noted(json.dumps(value, ensure_ascii=False))


def _known_string(text: str) -> str:
    encoded = _strings.get(text)
    if encoded is None:
        encoded = _kept(_strings, text, lambda: _noted(_string(text)))
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


def _check_pieces_of(check: LimitCheck) -> tuple[str, str]:
    requirement = check.requirement
    return (
        _noted(
            f'{{"limit": {_string(check.limit_id)}, "parameter": {_string(check.parameter)},'
            ' "measured": '
        ),
        _noted(
            f', "required": {_string(requirement.text())},'
            f' "requirement": {_requirement_json(requirement)}, "unit": {_string(check.unit)},'
            f' "level": {_string(check.level)}, "met": {_number(check.met)}}}'
        ),
    )


class _FindingPieces(NamedTuple):
    """A finding's reason and record as JSON around its measured value, and the limit's text
    they were made with."""

    # The whole reason as JSON when its sentence names no value, else None.
    reason: str | None
    # The reason's JSON before and after the words of a measured number.
    reason_head: str
    reason_tail: str
    # The sentence around the measured value, as text (for a measured yes or no).
    sentence_head: str
    sentence_tail: str
    record_head: str
    record_tail: str
    limit_text: Text


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
    if pieces is None or pieces.limit_text is not limit_text:
        pieces = _finding_pieces_of(finding, lang)
        if len(_finding_pieces) >= _PIECES_KEPT:
            _finding_pieces.clear()
        _finding_pieces[key] = pieces
    measured = finding.measured
    reason = pieces.reason
    if type(measured) is float:
        if reason is None:
            # A number's words need no escaping: digits, a sign, a point or comma, "e", "inf".
            reason = pieces.reason_head + number(measured, lang) + pieces.reason_tail
        record = pieces.record_head + (float.__repr__(measured) if _isfinite(measured) else "null")
    else:
        if reason is None:
            words = measured_in_words(finding, lang)
            reason = _string(pieces.sentence_head + words + pieces.sentence_tail)
        record = pieces.record_head + _number(measured)
    return reason, record + pieces.record_tail


def _finding_pieces_of(finding: Finding, lang: str) -> _FindingPieces:
    requirement = finding.requirement
    head, tail = sentence_around_measured(finding, lang)
    reason = None if tail is not None else _noted(_string(head))
    tail = tail or ""
    return _FindingPieces(
        reason,
        _noted(_string(head)[:-1]),
        _noted(_string(unit_after_number(finding.unit) + tail)[1:]),
        head,
        tail,
        _noted(
            f'{{"code": {_string(finding.code.value)}, "limit": {_string(finding.limit_id)},'
            f' "parameter": {_string(finding.parameter)}, "measured": '
        ),
        _noted(
            f', "required": {_string(finding.required)},'
            f' "requirement": {_requirement_json(requirement)}, "unit": {_string(finding.unit)},'
            f' "level": {_string(finding.level)}, "severity": {_string(finding.severity.value)}}}'
        ),
        finding.limit_text,
    )


def _value_key(name: str) -> str:
    return _known_string(name) + ": "


def _values_json(values: Mapping[str, object]) -> str:
    parts = []
    for name, value in values.items():
        key = _value_keys.get(name)
        if key is None:
            key = _kept(_value_keys, name, partial(_value_key, name))
        if type(value) is float and _isfinite(value):
            parts.append(key + float.__repr__(value))
        else:
            parts.append(key + _number(value))
    return "{" + ", ".join(parts) + "}"


def _actions_json(actions: tuple[Text, ...], lang: str) -> str:
    if not actions:
        return "[]"
    key = (id(actions), lang)
    kept = _action_lists.get(key)
    if kept is not None and kept[1] is actions:
        return kept[0]
    encoded = _noted("[" + ", ".join(_string(action.get(lang)) for action in actions) + "]")
    if len(_action_lists) >= _PIECES_KEPT:
        _action_lists.clear()
    _action_lists[key] = (encoded, actions)
    return encoded


def evaluation_json(evaluation: Evaluation, lang: str) -> str:
    """`evaluation_to_data` as one line of JSON, equal to what `json.dumps` makes of it."""
    findings = evaluation.findings
    if findings:
        reasons, records = [], []
        for finding in findings:
            reason, record = _finding_json(finding, lang)
            reasons.append(reason)
            records.append(record)
        reasons_json, findings_json = ", ".join(reasons), ", ".join(records)
    else:
        reasons_json = findings_json = ""
    checked = []
    for check in evaluation.checks:
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
            pieces = _kept(_check_pieces, key, partial(_check_pieces_of, check))
        measured = check.measured
        if type(measured) is float and _isfinite(measured):
            checked.append(pieces[0] + float.__repr__(measured) + pieces[1])
        else:
            checked.append(pieces[0] + _number(measured) + pieces[1])
    required, values = evaluation.required, evaluation.values
    derived, observed = evaluation.derived, evaluation.observed
    return (
        f'{{"control": {_known_string(evaluation.control)},'
        f' "verdict": {_VERDICTS[evaluation.verdict]},'
        f' "reasons": [{reasons_json}],'
        f' "required": {_values_json(required) if required else "{}"},'
        f' "corrective_actions": {_actions_json(evaluation.corrective_actions, lang)},'
        f' "findings": [{findings_json}],'
        f' "checked": [{", ".join(checked)}],'
        f' "values": {_values_json(values) if values else "{}"},'
        f' "derived": {_values_json(derived) if derived else "{}"},'
        f' "observed": {_values_json(observed) if observed else "{}"},'
        f' "guide_version": {_known_string(evaluation.guide_version)}}}'
    )
