"""The `dairyhaccp evaluate` command: JSON lines in, one verdict per line out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dairyhaccp.cli import main
from dairyhaccp.examples import example_profile


def _evaluate(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lines: list[str],
    *argv: str,
) -> tuple[int, list[dict[str, object]]]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code = main(["evaluate", *argv])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_cream_at_75c_for_15s_is_a_deviation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = '{"control": "CCP 9", "product": "cream", "temperature_c": 75.0, "hold_s": 15}'
    code, [verdict] = _evaluate(monkeypatch, capsys, [line])
    assert code == 0
    assert verdict["control"] == "CCP 9"
    assert verdict["verdict"] == "deviation"
    required = verdict["required"]
    assert isinstance(required, dict)
    assert required["hold_s"] == pytest.approx(213, abs=1.5)
    assert verdict["reasons"] and isinstance(verdict["reasons"], list)
    assert "Opnieuw pasteuriseren" in str(verdict["corrective_actions"])


def test_every_line_gets_its_verdict_and_a_bad_line_its_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        '{"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 5}',
        '{"control": "CCP 9", "product": "milk", "temperature_c": "hot", "hold_s": 15}',
        "this is not json",
        '{"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 9}',
        '{"control": "CCP 13", "product": "soft_cheese", "temperature_c": 18}',
    ]
    code, verdicts = _evaluate(monkeypatch, capsys, lines)
    assert code == 0
    assert [v.get("verdict") for v in verdicts] == ["conform", None, None, "warning", "warning"]
    assert "temperature_c" in str(verdicts[1]["error"])
    assert "line 3" in str(verdicts[2]["error"])
    assert verdicts[0]["reasons"] == []


def test_with_a_profile_the_operators_plan_is_used(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    profile = tmp_path / "demo.toml"
    profile.write_text(example_profile("demo"), encoding="utf-8")
    lines = [
        '{"control": "CCP 15", "product": "whey_for_feed", "ph": 5, "elapsed_min": 60}',
        '{"control": "CCP 9", "product": "Hoeveboter", "temperature_c": 80, "hold_s": 15}',
    ]
    code, verdicts = _evaluate(monkeypatch, capsys, lines, "--profile", str(profile))
    assert code == 0
    assert "not in this operator's plan" in str(verdicts[0]["error"])
    assert verdicts[1]["verdict"] == "conform"


def test_reasons_speak_the_asked_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = json.dumps(
        {"control": "CCP 10", "product": "pasteurised_milk", "temperature_c": 12, "elapsed_min": 60}
    )
    _, [dutch] = _evaluate(monkeypatch, capsys, [line])
    _, [french] = _evaluate(monkeypatch, capsys, [line], "--lang", "fr")
    assert "te hoog" in str(dutch["reasons"])
    assert "trop élevé" in str(french["reasons"])


def test_a_bad_profile_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text("[operator]\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["evaluate", "--profile", str(profile)]) == 2
    assert "operator.name" in capsys.readouterr().err
