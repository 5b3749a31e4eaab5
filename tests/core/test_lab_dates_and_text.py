"""Implausible dates and text refused on every core path, naming the field (issue 9).

A raw-milk result dated 0001-01-01 once made the monthly means fail with "year 0 is out of
range"; now nothing before 2000-01-01 or later than today (a few minutes of clock slack) gets in.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from dairyhaccp.cli import main
from dairyhaccp.guide import load_guide
from dairyhaccp.lab import MilkOrigin, RawMilkResult, judge_raw_milk, rolling_status
from dairyhaccp.lab.csv_import import CsvImportError, parse_raw_milk_csv
from dairyhaccp.lab.dates import check_sampling_day, latest_sampling_day
from dairyhaccp.lab.raw_milk import monthly_results

GUIDE = load_guide()
FARM_MILK = {"species": "cow", "source": "own_not_delivered", "use": "raw_milk_products"}
# 23:40 in Brussels on 14 March 2026 (winter time, UTC+1).
NOW = datetime(2026, 3, 14, 22, 40, tzinfo=UTC)
DAIRYHACCP = Path(sys.executable).with_name("dairyhaccp")


def line(day: str, **extra: Any) -> dict[str, Any]:
    return {
        "raw_milk": FARM_MILK,
        "parameter": "plate_count",
        "results": [{"date": day, "value": 80_000}],
        **extra,
    }


def evaluate(monkeypatch: pytest.MonkeyPatch, capsys: Any, lines: list[Any]) -> list[Any]:
    text = "\n".join(json.dumps(item) for item in lines)
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
    assert main(["lab", "evaluate"]) == 0
    return [json.loads(out) for out in capsys.readouterr().out.splitlines()]


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (date(1, 1, 1), False),
        (date(1999, 12, 31), False),
        (date(2000, 1, 1), True),
        (date(2026, 3, 14), True),  # today in Brussels
        (date(2026, 3, 15), False),  # tomorrow, 20 minutes ahead
        (date(9999, 12, 31), False),
    ],
)
def test_a_sampling_day_lies_between_2000_and_today(day: date, accepted: bool) -> None:
    if accepted:
        assert check_sampling_day("sampled_on", day, NOW) == day
    else:
        with pytest.raises(ValueError, match=r"^sampled_on: "):
            check_sampling_day("sampled_on", day, NOW)


def test_a_few_minutes_before_midnight_tomorrow_is_accepted() -> None:
    # A clock running a little behind: from 23:50 in Brussels the next day is within the slack.
    assert latest_sampling_day(datetime(2026, 3, 14, 22, 49, tzinfo=UTC)) == date(2026, 3, 14)
    assert latest_sampling_day(datetime(2026, 3, 14, 22, 50, tzinfo=UTC)) == date(2026, 3, 15)
    # Summer time: 23:50 in Brussels is 21:50 UTC.
    assert latest_sampling_day(datetime(2026, 7, 14, 21, 50, tzinfo=UTC)) == date(2026, 7, 15)


# --- the judges never run off the calendar --------------------------------------------------------


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31), date(9999, 12, 31)])
def test_the_raw_milk_judge_refuses_implausible_days_naming_the_result(day: date) -> None:
    with pytest.raises(ValueError, match=r"^results\[1\]\.date: "):
        judge_raw_milk(
            GUIDE,
            MilkOrigin(**FARM_MILK),
            "plate_count",
            [RawMilkResult(date(2026, 1, 5), 1e5), RawMilkResult(day, 1e5)],
        )


def test_the_rolling_mean_refuses_year_1_instead_of_failing() -> None:
    with pytest.raises(ValueError, match=r"^results\[0\]: 0001-01-01 is before 2000-01-01"):
        rolling_status([(date(1, 1, 1), 1e5)], "plate_count", 1e5, date(2026, 1, 31))
    with pytest.raises(ValueError, match=r"^as_of: "):
        rolling_status([(date(2026, 1, 5), 1e5)], "plate_count", 1e5, date(1, 1, 31))
    with pytest.raises(ValueError, match=r"^first_month: "):
        monthly_results([(date(2026, 1, 5), 1e5)], "plate_count", 1e5, first_month=date(1, 1, 1))


def test_the_first_month_of_2000_is_judged() -> None:
    judgement = judge_raw_milk(
        GUIDE, MilkOrigin(**FARM_MILK), "plate_count", [RawMilkResult(date(2000, 1, 1), 1e5)]
    )
    assert judgement.verdict.value == "conform"


# --- lab evaluate -------------------------------------------------------------------------------


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    ("item", "field"),
    [
        (line("0001-01-01"), "results[0].date"),
        (line("1999-12-31"), "results[0].date"),
        (line("2026-03-15"), "results[0].date"),
        (line("2026-03-14", as_of="0001-01-01"), "as_of"),
        (line("2026-03-14", as_of="2026-03-15"), "as_of"),
        (line("+2026-03-14"), "results[0].date"),
        (line("2026-03-14", laboratory="MCC\x00"), "laboratory"),
        (line("2026-03-14", laboratory="L" * 201), "laboratory"),
        (line("2026-03-14", laboratory=7), "laboratory"),
        (line("2026-03-14", left_control="no"), "left_control"),
        (line("2026-03-14", id="x" * 201), "id"),
        (line("2026-03-14", id="a\x00b"), "id"),
        (
            {**line("2026-03-14"), "results": [{"date": "2026-03-14", "value": 1, "lab": "x"}]},
            "results[0].lab",
        ),
        (
            {**line("2026-03-14"), "results": [{"date": "2026-03-14", "value": 10**400}]},
            "results[0].value",
        ),
        (
            {**line("2026-03-14"), "results": [{"date": "2026-03-14", "value": 1}] * 10_001},
            "results",
        ),
    ],
)
def test_lab_evaluate_refuses_implausible_input_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, capsys: Any, item: dict[str, Any], field: str
) -> None:
    [answer] = evaluate(monkeypatch, capsys, [item])

    assert list(answer) == ["error"]
    assert answer["error"].startswith(f"{field}: "), answer["error"]
    assert len(answer["error"]) < 400


@time_machine.travel(NOW)
def test_lab_evaluate_takes_today_and_2000_and_goes_on_after_a_bad_line(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    answers = evaluate(
        monkeypatch, capsys, [line("2000-01-01"), line("0001-01-01"), line("2026-03-14")]
    )
    assert [next(iter(answer)) for answer in answers] == ["verdict", "error", "verdict"]


@time_machine.travel(NOW)
def test_a_laboratory_and_whether_the_milk_left_are_read_from_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    detected = {
        "raw_milk": FARM_MILK,
        "parameter": "antibiotic_residues",
        "laboratory": "Eurofins",
        "left_control": False,
        "results": [
            {"date": "2026-03-01", "value": "detected"},
            {"date": "2026-03-02", "value": "detected", "laboratory": "MCC"},
        ],
    }
    by_mcc = {**detected, "results": [{**r, "laboratory": "MCC"} for r in detected["results"]]}

    first, second = evaluate(monkeypatch, capsys, [detected, by_mcc])

    assert first["notification"]["duty"] == "taken_over_by_laboratory"  # the last day's result
    assert second["notify_favv"] is False
    kept = {**detected, "results": [{"date": "2026-03-02", "value": "detected"}]}
    [third] = evaluate(monkeypatch, capsys, [kept])
    assert third["notification"]["duty"] == "not_required_kept_in_house"
    assert third["notify_favv"] is False


@pytest.mark.skipif(not DAIRYHACCP.exists(), reason="the dairyhaccp command is not installed")
def test_the_installed_command_refuses_year_1_and_judges_the_next_line() -> None:
    lines = [line("0001-01-01"), line("2026-01-05")]
    done = subprocess.run(
        [str(DAIRYHACCP), "lab", "evaluate", "--lang", "en"],
        input="\n".join(json.dumps(item) for item in lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    first, second = (json.loads(out) for out in done.stdout.splitlines())
    assert first == {"error": "results[0].date: 0001-01-01 is before 2000-01-01"}
    assert second["verdict"] == "conform"
    assert "Traceback" not in done.stderr


# --- the CSV import -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("01/01/0001", "date_before_2000"),
        ("31/12/1999", "date_before_2000"),
        ("15/03/2026", "date_in_future"),
        ("9999-12-31", "date_in_future"),
    ],
)
def test_a_csv_date_outside_2000_to_today_is_a_problem_of_its_cell(cell: str, code: str) -> None:
    text = f"Datum;Kiemgetal\n05/01/2026;80000\n{cell};90000\n"

    with pytest.raises(CsvImportError) as refused:
        parse_raw_milk_csv(text, latest_day=date(2026, 3, 14))

    [problem] = refused.value.problems
    assert (problem.code, problem.line, problem.column, problem.value) == (
        code,
        3,
        "Datum",
        cell,
    )


@pytest.mark.parametrize("cell", ["01/01/2000", "14/03/2026"])
def test_a_csv_date_from_2000_up_to_today_is_read(cell: str) -> None:
    [_, second] = parse_raw_milk_csv(
        f"Datum;Kiemgetal\n05/01/2026;80000\n{cell};90000\n", latest_day=date(2026, 3, 14)
    )
    assert second.day.isoformat() in ("2000-01-01", "2026-03-14")
