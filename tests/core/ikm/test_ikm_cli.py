"""`dairyhaccp ikm withdrawal` and `dairyhaccp ikm sector`: the JSON-lines contract of issue 13."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dairyhaccp.cli import main

Capture = pytest.CaptureFixture[str]
DAIRYHACCP = Path(sys.executable).parent / "dairyhaccp"

ISSUE_WITHDRAWAL = {
    "last_dose": "2026-03-02T07:30",
    "withdrawal_milk_h": 84,
    "milkings": ["06:00", "17:30"],
}
ISSUE_SECTOR_LINE = {
    "farm": "F1",
    "year": 2019,
    "region": "flanders",
    "certified": True,
    "initiatives": ["brushes", "solar_panels"],
}


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, lines: list[Any], *argv: str
) -> tuple[int, list[dict[str, Any]]]:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
    code = main(["ikm", *argv])
    return code, output_lines(capsys.readouterr().out)


def output_lines(out: str) -> list[dict[str, Any]]:
    """One JSON object per line; lines end with "\\n" only (a NEL in a string is no line end)."""
    assert out == "" or out.endswith("\n")
    return [json.loads(line) for line in out.split("\n")[:-1]]


def farm_line(name: str, year: int, region: str, initiatives: list[str]) -> dict[str, Any]:
    return {
        **ISSUE_SECTOR_LINE,
        "farm": name,
        "year": year,
        "region": region,
        "initiatives": initiatives,
    }


def test_withdrawal_answers_the_issues_example(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    code, out = run(monkeypatch, capsys, [ISSUE_WITHDRAWAL], "withdrawal")

    assert code == 0
    assert out == [
        {"milk_usable_from": "2026-03-05T19:30+01:00", "first_milking": "2026-03-06T06:00+01:00"}
    ]


def test_withdrawal_without_milkings_gives_only_the_end(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {"last_dose": "2026-10-24T07:30", "withdrawal_milk_days": 1}

    _, out = run(monkeypatch, capsys, [line], "withdrawal")

    assert out == [{"milk_usable_from": "2026-10-25T06:30+01:00"}]


def test_a_bad_line_gets_an_error_naming_the_field_and_the_next_is_answered(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    lines = [
        {"last_dose": "yesterday", "withdrawal_milk_h": 84},
        "{not json",
        "",
        [1, 2],
        {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 84},
    ]

    code, out = run(monkeypatch, capsys, lines, "withdrawal")

    assert code == 0
    assert out[0]["error"].startswith("line 1: last_dose: 'yesterday' is not a date and time")
    assert out[1]["error"].startswith("line 2: not valid JSON")
    assert out[2] == {"error": "line 4: expected a JSON object, got list"}
    assert out[3] == {"milk_usable_from": "2026-03-05T19:30+01:00"}


def test_sector_of_the_issues_three_farms_shows_no_figure(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    lines = [
        ISSUE_SECTOR_LINE,
        {**ISSUE_SECTOR_LINE, "farm": "F2"},
        {**ISSUE_SECTOR_LINE, "farm": "F3", "initiatives": ["solar_panels"]},
    ]

    code, out = run(monkeypatch, capsys, lines, "sector")

    assert code == 0
    assert out == [{"year": 2019, "farms": "<5"}]


@pytest.mark.parametrize(("farms", "shown"), [(4, False), (5, True), (6, True)])
def test_sector_threshold_at_four_five_and_six_farms(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, farms: int, shown: bool
) -> None:
    lines = [
        farm_line(f"F{i}", 2020, "wallonia", ["brushes"] if i % 2 else []) for i in range(farms)
    ]

    _, [figures] = run(monkeypatch, capsys, lines, "sector", "--by", "region")

    if not shown:
        assert figures == {"year": 2020, "region": "wallonia", "farms": "<5"}
    else:
        with_brushes = farms // 2
        assert figures == {
            "year": 2020,
            "region": "wallonia",
            "farms": farms,
            "certified_pct": 100.0,
            "mean_initiatives": {5: 0.4, 6: 0.5}[farms],
            "at_least_one_pct": {5: 40.0, 6: 50.0}[farms],
            "by_initiative": {"brushes": with_brushes},
        }


def test_sector_writes_errors_as_it_reads_then_the_years_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    lines = [
        *(farm_line(f"A{i}", 2021, "flanders", ["brushes"]) for i in range(5)),
        {"farm": "X", "year": "2019", "certified": True, "initiatives": []},
        *(farm_line(f"B{i}", 2019, "flanders", []) for i in range(5)),
        farm_line("A0", 2021, "wallonia", []),
    ]

    _, out = run(monkeypatch, capsys, lines, "sector")

    assert out[0] == {"error": "line 6: year: must be a whole number, got '2019'"}
    assert out[1] == {"error": "line 12: farm: 'A0' is already given for 2021"}
    assert [o["year"] for o in out[2:]] == [2019, 2021]
    assert out[3]["farms"] == 5 and out[3]["by_initiative"] == {"brushes": 5}


def test_sector_by_region_needs_a_region(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    line = {k: v for k, v in ISSUE_SECTOR_LINE.items() if k != "region"}

    _, out = run(monkeypatch, capsys, [line], "sector", "--by", "region")

    assert out == [{"error": "line 1: region: is required with --by region"}]


def test_an_unknown_split_is_a_usage_error(capsys: Capture) -> None:
    assert main(["ikm", "sector", "--by", "farm"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_installed_command_answers_both_contracts() -> None:
    withdrawal = subprocess.run(
        [str(DAIRYHACCP), "ikm", "withdrawal"],
        input=json.dumps(ISSUE_WITHDRAWAL).encode() + b"\n\xff\xfe{}\n",
        capture_output=True,
        check=False,
        timeout=60,
    )
    sector_lines = (json.dumps(farm_line(f"F{i}", 2019, "flanders", ["brushes"])) for i in range(5))
    sector = subprocess.run(
        [str(DAIRYHACCP), "ikm", "sector", "--by", "region"],
        input="\n".join(sector_lines),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert withdrawal.returncode == 0, withdrawal.stderr
    assert withdrawal.stderr == b""
    assert [json.loads(line) for line in withdrawal.stdout.decode().splitlines()] == [
        {"milk_usable_from": "2026-03-05T19:30+01:00", "first_milking": "2026-03-06T06:00+01:00"},
        {"error": "line 2: not valid UTF-8"},
    ]
    assert sector.returncode == 0, sector.stderr
    assert json.loads(sector.stdout) == {
        "year": 2019,
        "region": "flanders",
        "farms": 5,
        "certified_pct": 100.0,
        "mean_initiatives": 1.0,
        "at_least_one_pct": 100.0,
        "by_initiative": {"brushes": 5},
    }


# --- arbitrary input never ends in a traceback ---------------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
DATETIME_TEXT = st.datetimes().map(lambda d: d.isoformat(timespec="minutes")) | st.text(max_size=25)
WITHDRAWAL_LINES = st.fixed_dictionaries(
    {"last_dose": DATETIME_TEXT | JSON_VALUES},
    optional={
        "withdrawal_milk_h": JSON_SCALARS | st.floats(min_value=0, max_value=1e6),
        "withdrawal_milk_days": JSON_SCALARS | st.integers(min_value=0, max_value=10**6),
        "milkings": st.lists(st.times().map(lambda t: t.strftime("%H:%M")), max_size=3)
        | JSON_VALUES,
    },
)
SECTOR_LINES = st.fixed_dictionaries(
    {
        "farm": st.sampled_from(["F1", "F2", "F3"]) | JSON_VALUES,
        "year": st.integers(min_value=-5, max_value=10_001) | JSON_VALUES,
        "certified": st.booleans() | JSON_VALUES,
        "initiatives": st.lists(st.sampled_from(["brushes", "clipping"]), unique=True)
        | JSON_VALUES,
    },
    optional={"region": st.sampled_from(["flanders", "wallonia"]) | JSON_VALUES},
)
RAW_LINES = st.text(max_size=60).filter(lambda text: "\n" not in text and "\r" not in text)


def lines_text(items: list[Any]) -> str:
    return "\n".join(item if isinstance(item, str) else json.dumps(item) for item in items) + "\n"


@settings(
    max_examples=100,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=st.lists(WITHDRAWAL_LINES | JSON_VALUES | RAW_LINES, min_size=1, max_size=6))
def test_withdrawal_never_fails_on_arbitrary_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, items: list[Any]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(lines_text(items)))

    code = main(["ikm", "withdrawal"])

    out = output_lines(capsys.readouterr().out)
    assert code == 0
    non_blank = [i for i in items if not (isinstance(i, str) and not i.strip())]
    assert len(out) == len(non_blank)
    for answer in out:
        assert set(answer) in (
            {"error"},
            {"milk_usable_from"},
            {"milk_usable_from", "first_milking"},
        )


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    items=st.lists(SECTOR_LINES | JSON_VALUES | RAW_LINES, min_size=1, max_size=8),
    by_region=st.booleans(),
)
def test_sector_never_fails_on_arbitrary_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, items: list[Any], by_region: bool
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(lines_text(items)))

    code = main(["ikm", "sector", *(["--by", "region"] if by_region else [])])

    out = output_lines(capsys.readouterr().out)
    assert code == 0
    for answer in out:
        assert "error" in answer or answer["farms"] == "<5" or answer["farms"] >= 5
