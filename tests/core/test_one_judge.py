"""One judge: rules wholly in data, one parameter list, no measured value ignored."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dairyhaccp.guide import Guide, load_guide
from dairyhaccp.monitoring import MeasurementError, check, measurement_from_dict

SOURCE = Path(__file__).resolve().parents[2] / "src" / "dairyhaccp"
CONTROL_ID = re.compile(r"\b(?:CCP|PVA) ?\d+\b|\b(?:ccp|pva)\d+-[a-z]")


def _python_files() -> list[Path]:
    return [p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts]


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_no_python_code_names_a_control() -> None:
    named = [
        f"{path.relative_to(SOURCE)}:{line}: {text!r}"
        for path in _python_files()
        for line, text in _strings(path)
        if CONTROL_ID.search(text)
    ]
    assert named == []


def test_the_check_finds_a_control_named_in_code(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""CCP 9 in a docstring is fine."""\nSTARTER = "PVA 11"\n')
    assert [text for _, text in _strings(sample) if CONTROL_ID.search(text)] == ["PVA 11"]


def _literal_collections(path: Path) -> list[tuple[int, set[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [key for key in node.keys if key is not None]
        else:
            continue
        texts = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        found.append((node.lineno, texts))
    return found


def test_no_second_list_of_the_measured_parameters(guide: Guide) -> None:
    on_site = {p.id for p in guide.parameters if p.measured == "on_site"}
    lists = [
        f"{path.relative_to(SOURCE)}:{line}"
        for path in _python_files()
        for line, texts in _literal_collections(path)
        if len(texts & on_site) >= 3
    ]
    assert lists == []


def test_every_parameter_a_rule_names_is_in_the_one_list(guide: Guide) -> None:
    known = {p.id for p in guide.parameters}
    named = {
        name for control in guide.controls for limit in control.limits for name in limit.reads()
    } | {name for control in guide.controls for m in control.monitoring for name in m.parameters}
    assert named <= known


def _judged(guide: Guide) -> list[tuple[str, dict[str, Any]]]:
    """For each control, one measurement its limits judge (from the rule table's own values)."""
    cases = []
    for control in guide.controls:
        for limit in control.limits:
            parameter = guide.parameter(limit.parameter)
            if parameter.measured != "on_site" or limit.unless is not None:
                continue
            data: dict[str, Any] = {"control": control.id}
            if limit.products:
                data["product"] = limit.products[0]
            value: Any = True if parameter.is_boolean else (limit.value or limit.low or 1.0)
            data[limit.parameter] = value
            if limit.is_pasteurisation:
                data["temperature_c"] = limit.at_temperature_c
            if limit.is_storage and "product" not in data:
                data["category"] = "dairy_chilled"
            for key, wanted in limit.when.items():
                if key in ("raw_milk",):
                    data[key] = wanted
                if key == "packaging" and isinstance(wanted, list):
                    data[key] = wanted[0]
            cases.append((control.id, data))
            break
    return cases


GUIDE = load_guide()
ON_SITE = [p.id for p in GUIDE.parameters if p.measured == "on_site"]
JUDGED = _judged(GUIDE)


def test_every_control_with_a_limit_on_site_has_a_judged_case() -> None:
    assert len(JUDGED) >= 15


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.sampled_from(JUDGED),
    extra=st.sampled_from(ON_SITE),
    value=st.one_of(st.booleans(), st.floats(-100, 1000), st.integers(0, 10)),
)
def test_an_extra_value_is_judged_or_refused_never_dropped(
    case: tuple[str, dict[str, Any]], extra: str, value: Any
) -> None:
    _, data = case
    if extra in data:
        return
    measured = {**data, extra: value}
    try:
        evaluation = check(measurement_from_dict(measured, GUIDE), GUIDE)
    except MeasurementError:
        return
    assert evaluation.checks, "a verdict with no limit checked"
    looked_at = {c.parameter for c in evaluation.checks} | set(evaluation.observed)
    if extra in looked_at:
        return
    # Otherwise it was a duration given in another unit, converted to the one judged.
    assert GUIDE.parameter(extra).is_duration, (measured, evaluation)
    assert extra not in evaluation.values
    assert looked_at & {p for p in evaluation.values if GUIDE.parameter(p).is_duration}


@pytest.mark.parametrize(("control", "data"), JUDGED)
def test_every_verdict_names_the_limits_it_checked(control: str, data: dict[str, Any]) -> None:
    evaluation = check(measurement_from_dict(data, GUIDE), GUIDE)
    assert evaluation.checks
    assert evaluation.guide_version == GUIDE.meta.version
    assert {c.limit_id for c in evaluation.checks} <= {
        limit.id for limit in GUIDE.control(control).limits
    }
