"""The `dairyhaccp plan` command and its JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dairyhaccp.cli import main
from dairyhaccp.examples import example_profile


@pytest.fixture
def demo_profile(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(example_profile("demo"), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_json_follows_the_contract(
    capsys: pytest.CaptureFixture[str], demo_profile: Path
) -> None:
    code, out, _ = _run(capsys, "plan", str(demo_profile), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["registration_mode"] == "non_conformities_only"
    assert data["retention_months"] == 6
    for flow in data["flows"]:
        assert {"id", "title", "steps"} <= flow.keys()
        for step in flow["steps"]:
            assert {"id", "title", "controls"} <= step.keys()
    control_ids = [c["id"] for c in data["controls"]]
    assert "CCP 9" in control_ids
    assert all(cid.startswith(("CCP ", "PVA ")) for cid in control_ids)
    for control in data["controls"]:
        assert {"id", "kind", "title", "hazards", "limits", "monitoring"} <= control.keys()
        assert {"corrective_actions", "source"} <= control.keys()
    raw = data["analyses"]["raw_milk"]
    assert {"parameter", "frequency", "norm"} <= raw[0].keys()
    assert "plate_count" in {r["parameter"] for r in raw}
    finished = data["analyses"]["finished_products"]
    assert {"family", "parameter", "criteria"} <= finished[0].keys()
    assert "listeria_monocytogenes" in {f["parameter"] for f in finished}
    assert isinstance(data["labelling"], list) and data["labelling"]


def test_plan_json_speaks_english_when_asked(
    capsys: pytest.CaptureFixture[str], demo_profile: Path
) -> None:
    _, out, _ = _run(capsys, "plan", str(demo_profile), "--lang", "en")
    ccp9 = next(c for c in json.loads(out)["controls"] if c["id"] == "CCP 9")
    assert ccp9["title"] == "Pasteurisation"


def test_plan_markdown_lists_the_controls(
    capsys: pytest.CaptureFixture[str], demo_profile: Path
) -> None:
    code, out, _ = _run(capsys, "plan", str(demo_profile), "--format", "markdown")
    assert code == 0
    assert out.startswith("# HACCP-plan — Hoeve Voorbeeld")
    assert "### CCP 9 – Pasteurisatie" in out


def test_plan_svg_draws_the_flows_with_their_controls(
    capsys: pytest.CaptureFixture[str], demo_profile: Path
) -> None:
    code, out, _ = _run(capsys, "plan", str(demo_profile), "--format", "svg")
    assert code == 0
    assert out.startswith("<svg")
    assert 'data-control="CCP 9"' in out
    assert 'id="flow-cheese"' in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[operator]\nname = 'x'\n[[products]]\nkind = 'ice_cream'\n", "products[0].kind"),
        ("[operator\n", "not valid TOML"),
        ("[operator]\nname='x'\nflavour='y'\n[[products]]\nkind='butter'\n", "operator.flavour"),
    ],
)
def test_bad_profiles_exit_2_with_one_line_naming_the_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "plan", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_a_missing_profile_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "plan", "/nonexistent/profile.toml")
    assert code == 2
    assert "cannot read profile" in err


def test_an_unknown_format_exits_2_on_one_line(
    capsys: pytest.CaptureFixture[str], demo_profile: Path
) -> None:
    code, _, err = _run(capsys, "plan", str(demo_profile), "--format", "pdf")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--format" in err


def test_the_installed_command_runs(demo_profile: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dairyhaccp.cli", "plan", str(demo_profile)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["controls"]
