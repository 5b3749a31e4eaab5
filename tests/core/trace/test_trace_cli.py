"""`dairyhaccp trace` and `dairyhaccp retention`: the stable JSON contracts of issue 10 §5."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dairyhaccp.cli import main

ISSUE_EVENTS = [
    {
        "type": "lot",
        "lot": "M-0301",
        "kind": "raw_milk",
        "quantity": 500,
        "unit": "l",
        "date": "2026-03-01",
        "supplier": None,
    },
    {
        "type": "lot",
        "lot": "R-77",
        "kind": "rennet",
        "quantity": 1,
        "unit": "l",
        "date": "2026-02-20",
        "supplier": "Chr. Hansen",
    },
    {
        "type": "produce",
        "lot": "K-17",
        "product": "semi_hard_cheese",
        "quantity": 30,
        "unit": "kg",
        "date": "2026-03-01",
        "best_before": "2026-06-01",
        "inputs": [{"lot": "M-0301", "quantity": 300}, {"lot": "R-77", "quantity": 0.05}],
    },
    {
        "type": "deliver",
        "lot": "K-17",
        "customer": "Kaashandel Peeters",
        "quantity": 10,
        "date": "2026-03-20",
    },
    {"type": "sell", "lot": "K-17", "quantity": 2, "date": "2026-03-21"},
    {"type": "destroy", "lot": "K-17", "quantity": 1, "date": "2026-03-22", "reason": "mould"},
]

ISSUE_ANSWER = {
    "lot": "M-0301",
    "direction": "forward",
    "lots": [
        {
            "lot": "K-17",
            "product": "semi_hard_cheese",
            "quantity": 30.0,
            "unit": "kg",
            "date": "2026-03-01",
        }
    ],
    "deliveries": [
        {
            "lot": "K-17",
            "customer": "Kaashandel Peeters",
            "quantity": 10.0,
            "unit": "kg",
            "date": "2026-03-20",
        }
    ],
    "sold_to_consumers": [{"lot": "K-17", "quantity": 2.0, "unit": "kg"}],
    "in_stock": [
        {"lot": "M-0301", "quantity": 200.0, "unit": "l"},
        {"lot": "K-17", "quantity": 17.0, "unit": "kg"},
    ],
    "left_control": True,
    "balance": [
        {
            "lot": "M-0301",
            "received": 500.0,
            "used": 300.0,
            "delivered": 0.0,
            "sold": 0.0,
            "destroyed": 0.0,
            "in_stock": 200.0,
            "accounted_pct": 100.0,
        },
        {
            "lot": "K-17",
            "received": 30.0,
            "used": 0.0,
            "delivered": 10.0,
            "sold": 2.0,
            "destroyed": 1.0,
            "in_stock": 17.0,
            "accounted_pct": 100.0,
        },
    ],
}


def run(argv: list[str], lines: list[Any]) -> tuple[int, str, str]:
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch("sys.stdin", io.StringIO(text)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def trace(lines: list[Any], *argv: str) -> dict[str, Any]:
    code, out, err = run(["trace", *argv], lines)
    assert (code, err) == (0, "")
    [answer] = out.splitlines()
    result: dict[str, Any] = json.loads(answer)
    return result


def refused(lines: list[Any], *argv: str) -> str:
    code, out, err = run(["trace", *argv], lines)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    return line.removeprefix("dairyhaccp: error: ")


# --- trace ----------------------------------------------------------------------------------


def test_the_issues_example_gives_the_issues_answer_exactly() -> None:
    answer = trace(ISSUE_EVENTS, "--forward", "M-0301")

    assert answer == ISSUE_ANSWER
    assert list(answer) == list(ISSUE_ANSWER)


def test_backward_lists_every_lot_upstream_with_its_supplier() -> None:
    answer = trace(ISSUE_EVENTS, "--backward", "K-17")

    assert answer["direction"] == "backward"
    assert [(lot["lot"], lot["product"], lot["supplier"]) for lot in answer["lots"]] == [
        ("R-77", "rennet", "Chr. Hansen"),
        ("M-0301", "raw_milk", None),
    ]
    assert [row["lot"] for row in answer["balance"]] == ["K-17", "R-77", "M-0301"]
    assert answer["in_stock"][1] == {"lot": "R-77", "quantity": 0.95, "unit": "l"}


def test_a_count_with_a_gap_shows_it_in_the_percentage() -> None:
    lines = [*ISSUE_EVENTS, {"type": "count", "lot": "K-17", "quantity": 15, "date": "2026-03-25"}]

    answer = trace(lines, "--forward", "K-17")

    assert answer["in_stock"] == [{"lot": "K-17", "quantity": 15.0, "unit": "kg"}]
    assert answer["balance"][0]["accounted_pct"] == 93.3


def test_notify_when_the_product_left_control_and_say_why() -> None:
    answer = trace(
        ISSUE_EVENTS, "--forward", "M-0301", "--notify", "--origin", "in_house", "--measures",
        "true", "--lang", "en",
    )  # fmt: skip

    assert answer["notify_favv"] is True
    assert answer["why"] == (
        "Notify the FAVV: the product has left your direct control (delivered or sold: K-17)"
        " (guide §5.1, §5.2)."
    )
    assert list(answer)[-2:] == ["notify_favv", "why"]


@pytest.mark.parametrize(
    ("origin", "measures", "notify"),
    [("in_house", "true", False), ("in_house", "false", True), ("supplier", "true", True)],
)
def test_notify_decision_for_a_lot_still_on_the_premises(
    origin: str, measures: str, notify: bool
) -> None:
    answer = trace(
        ISSUE_EVENTS[:3], "--forward", "M-0301", "--notify", "--origin", origin,
        "--measures", measures,
    )  # fmt: skip

    assert answer["left_control"] is False
    assert answer["notify_favv"] is notify
    assert answer["why"].startswith("Melden aan het FAVV:" if notify else "Geen melding nodig:")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--backward", "K-17", "--notify", "--origin", "in_house", "--measures", "true"],
            "--notify: the duty to notify is decided on a forward trace",
        ),
        (["--forward", "K-17", "--origin", "in_house"], "--origin: goes with --notify"),
        (
            ["--forward", "K-17", "--notify", "--measures", "true"],
            "--origin: is required with --notify",
        ),
        (
            ["--forward", "K-17", "--notify", "--origin", "supplier"],
            "--measures: is required with --notify",
        ),
        (
            ["--forward", "K-17", "--backward", "K-17"],
            "argument --backward: not allowed with argument --forward",
        ),
        (["--forward", "X-1"], "--forward: unknown lot X-1"),
        (["--backward", "X-1"], "--backward: unknown lot X-1"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(argv: list[str], message: str) -> None:
    assert refused(ISSUE_EVENTS, *argv).startswith(message)


def test_lines_are_counted_as_given_blank_lines_included() -> None:
    lines = [
        *ISSUE_EVENTS[:3],
        "",
        {"type": "deliver", "lot": "K-17", "customer": "A", "quantity": 31, "date": "2026-03-20"},
    ]

    assert refused(lines, "--forward", "M-0301") == (
        "line 5: quantity: 31 kg is more than what is left of lot K-17 on 2026-03-20 (30 kg)"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"type": "sell", "lot": "K-99", "quantity": 1, "date": "2026-03-21"},
            "line 7: lot: unknown lot K-99",
        ),
        ({**ISSUE_EVENTS[1], "quantity": 3}, "line 7: lot: duplicate lot R-77, first at line 2"),
        (
            {
                "type": "produce",
                "lot": "R-77b",
                "product": "x",
                "quantity": 1,
                "unit": "l",
                "date": "2026-03-01",
                "inputs": [{"lot": "R-77b", "quantity": 1}],
            },
            "line 7: inputs[0].lot: cycle: R-77b → R-77b (made from itself)",
        ),
        (
            {"type": "destroy", "lot": "K-17", "quantity": 1, "date": "2026-03-22"},
            "line 7: reason: is required",
        ),
        (
            {"type": "sell", "lot": "K-17", "quantity": "2", "date": "2026-03-21"},
            "line 7: quantity: must be a number",
        ),
        (
            '{"type": "sell", "lot": "K-17", "quantity": NaN}',
            "line 7: NaN is not a number JSON allows",
        ),
        ("not json", "line 7: not valid JSON: Expecting value"),
        ('"just text"', "line 7: event: must be a JSON object"),
        ("[" * 200 + "]" * 200, "line 7: nested deeper than 64 levels"),
        (
            {"type": "sell", "lot": "K-17", "quantity": 1, "date": "1999-03-21"},
            "line 7: date: 1999-03-21 is before 2000-01-01",
        ),
    ],
)
def test_each_refusal_names_the_line_and_the_field(extra: Any, message: str) -> None:
    assert refused([*ISSUE_EVENTS, extra], "--forward", "M-0301") == message


def test_a_malformed_line_is_reported_before_a_graph_problem_on_an_earlier_line() -> None:
    lines = [
        ISSUE_EVENTS[0],
        {"type": "sell", "lot": "X", "quantity": 1, "date": "2026-03-21"},
        "{",
    ]

    assert refused(lines, "--forward", "M-0301").startswith("line 3: not valid JSON")


def test_no_events_means_an_unknown_lot() -> None:
    assert refused([], "--forward", "M-0301") == "--forward: unknown lot M-0301"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
event_like = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["lot", "produce", "deliver", "sell", "destroy", "count"]),
        "lot": st.sampled_from(["M-0301", "K-17", "R-77", "X"]) | json_values,
        "quantity": st.integers(-5, 600) | st.floats(allow_nan=False) | json_values,
        "date": st.sampled_from(["2026-03-01", "2026-02-30", "1999-01-01"]) | json_values,
    },
    optional={
        "unit": st.sampled_from(["kg", "l", "pieces", "g"]) | json_values,
        "kind": st.text(max_size=5),
        "product": st.text(max_size=5),
        "customer": st.text(max_size=5),
        "reason": st.text(max_size=5),
        "inputs": st.lists(
            st.fixed_dictionaries(
                {"lot": st.sampled_from(["M-0301", "K-17"]), "quantity": json_values}
            ),
            max_size=3,
        )
        | json_values,
    },
)
any_line = st.one_of(
    json_values.map(json.dumps),
    event_like.map(json.dumps),
    st.sampled_from([json.dumps(e) for e in ISSUE_EVENTS]),
    st.text(max_size=40).filter(lambda text: "\n" not in text and "\r" not in text),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(any_line, max_size=8), backward=st.booleans())
def test_arbitrary_lines_give_an_answer_or_one_line_of_error_never_a_traceback(
    lines: list[str], backward: bool
) -> None:
    direction = "--backward" if backward else "--forward"
    code, out, err = run(["trace", direction, "M-0301"], lines)

    assert code in (0, 2)
    if code == 0:
        assert json.loads(out)["lot"] == "M-0301"
    else:
        assert out == ""
        assert len(err.splitlines()) == 1
        assert err.startswith("dairyhaccp: error: ")


# --- retention ------------------------------------------------------------------------------


def test_retention_answers_each_line_and_goes_on_after_a_bad_one() -> None:
    lines = [
        {"record_date": "2026-03-01", "best_before": "2026-08-31"},
        {"record_date": "2026-03-01", "best_before": None, "use_by": None},
        "",
        {"record_date": "1999-12-31"},
        "{broken",
        {"record_date": "2026-03-01", "use_by": "2026-02-30"},
        {"record_date": "2024-02-29"},
    ]

    code, out, err = run(["retention", "--relaxations", "true"], lines)

    assert (code, err) == (0, "")
    assert [json.loads(line) for line in out.splitlines()] == [
        {"keep_until": "2027-02-28"},
        {"keep_until": "2026-09-01"},
        {"error": "line 4: record_date: 1999-12-31 is before 2000-01-01"},
        {"error": "line 5: not valid JSON: Expecting property name enclosed in double quotes"},
        {"error": "line 6: use_by: 2026-02-30 is not a day of the calendar"},
        {"keep_until": "2024-08-29"},
    ]


def test_retention_without_the_relaxations_reads_the_other_rule() -> None:
    code, out, _ = run(
        ["retention", "--relaxations", "false"],
        [{"record_date": "2024-02-29"}, {"record_date": "2026-01-01", "use_by": "2026-08-31"}],
    )

    assert code == 0
    assert out.splitlines() == ['{"keep_until": "2026-02-28"}', '{"keep_until": "2028-08-31"}']


@pytest.mark.parametrize("argv", [[], ["--relaxations", "yes"]])
def test_retention_needs_relaxations_true_or_false(argv: list[str]) -> None:
    code, out, err = run(["retention", *argv], [{"record_date": "2026-03-01"}])

    assert (code, out) == (2, "")
    assert "--relaxations" in err


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(any_line, min_size=1, max_size=6))
def test_retention_answers_every_line_of_anything(lines: list[str]) -> None:
    code, out, err = run(["retention", "--relaxations", "true"], lines)

    answers = [json.loads(line) for line in out.splitlines()]
    assert (code, err) == (0, "")
    assert len(answers) == sum(1 for line in lines if line.strip())
    assert all(list(answer) in (["keep_until"], ["error"]) for answer in answers)


# --- the installed command -------------------------------------------------------------------


def installed() -> list[str]:
    script = Path(sys.executable).parent / "dairyhaccp"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dairyhaccp.cli"]


def test_the_installed_command_traces_and_refuses() -> None:
    stdin = "".join(json.dumps(line) + "\n" for line in ISSUE_EVENTS)

    answer = subprocess.run(
        [*installed(), "trace", "--forward", "M-0301"],
        input=stdin, capture_output=True, text=True, check=False,
    )  # fmt: skip
    broken = subprocess.run(
        [*installed(), "trace", "--forward", "M-0301"],
        input=stdin + '{"type": "sell", "lot": "K-17", "quantity": 18, "date": "2026-03-30"}\n',
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    kept = subprocess.run(
        [*installed(), "retention", "--relaxations", "true"],
        input='{"record_date": "2026-03-01", "best_before": "2026-08-31"}\n',
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout) == ISSUE_ANSWER
    assert broken.returncode == 2
    assert broken.stderr == (
        "dairyhaccp: error: line 7: quantity: 18 kg is more than what is left of lot K-17"
        " on 2026-03-30 (17 kg)\n"
    )
    assert (kept.returncode, kept.stdout) == (0, '{"keep_until": "2027-02-28"}\n')
