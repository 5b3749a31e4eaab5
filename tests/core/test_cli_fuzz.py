"""No input makes a `dairyhaccp` command show a traceback.

Arbitrary JSON lines and TOML profiles, close to the valid examples and far from them, are
thrown at every command. A line-based command answers every non-blank line with one JSON object
(a verdict or `{"error": ...}`) and goes on; any other command prints its JSON, or one line on
stderr with exit code 2. Every line written is strict JSON (no NaN, no Infinity).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dairyhaccp.cli import main
from dairyhaccp.examples import example_profile

DAIRYHACCP = Path(sys.executable).parent / "dairyhaccp"
FUZZ = settings(
    max_examples=int(os.environ.get("DAIRYHACCP_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- what is thrown ---------------------------------------------------------------------------

HUGE_INTEGER = "9" * 5000
# Lines that are not valid input however they are read; each must get its own error.
HOSTILE_LINES = [
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 5000 + "1" + "}" * 5000,
    '{"control": "CCP 9", "temperature_c": ' + HUGE_INTEGER + "}",
    HUGE_INTEGER,
    '{"control": "CCP 9", "temperature_c": NaN, "hold_s": Infinity}',
    '{"results": [-Infinity]}',
    "\x00",
    '{"remark": "' + "x" * 100_000 + '"}',
    "not json",
    '"\\ud800"',
    '{"\\udfff": 1}',
    "1e999",
    "-0",
    "[]",
    "{}",
]

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()
    | st.sampled_from([1e300, -1e300, 5e-324, 0.0, -0.0, 10**20])
    | st.text(max_size=20)
    | st.sampled_from(["", "\x00", "x" * 5000, "0001-01-01", "9999-12-31T23:59", "\ud800"])
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


def _mutate(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """The value with one part replaced, dropped or added somewhere inside it."""
    if depth > 4 or draw(st.integers(0, 3)) == 0:
        return draw(JSON_VALUES)
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(["inside", "drop", "add"]))
        changed = dict(value)
        if action == "drop":
            del changed[key]
        elif action == "add":
            changed[draw(st.text(max_size=12))] = draw(JSON_VALUES)
        else:
            changed[key] = _mutate(draw, value[key], depth + 1)
        return changed
    if isinstance(value, list) and value:
        index = draw(st.integers(0, len(value) - 1))
        changed_list = list(value)
        changed_list[index] = _mutate(draw, value[index], depth + 1)
        return changed_list
    return draw(JSON_VALUES)


@st.composite
def near(draw: st.DrawFn, seeds: list[Any]) -> Any:
    """A valid example, or one changed in one to three places."""
    value = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 3))):
        value = _mutate(draw, value)
    return value


def _json_text(value: Any) -> str:
    # Python writes NaN and Infinity: they are part of what the commands must refuse.
    try:
        return json.dumps(value)
    except ValueError:  # an integer too long to write: write it anyway
        return HUGE_INTEGER


def lines_of(seeds: list[Any]) -> st.SearchStrategy[list[str]]:
    one_line = (
        near(seeds).map(_json_text)
        | JSON_VALUES.map(_json_text)
        | st.text(max_size=40)
        | st.sampled_from(HOSTILE_LINES)
    )
    # A line is what the reader sees between newlines.
    cleaned = one_line.map(lambda text: text.replace("\n", " ").replace("\r", " "))
    return st.lists(cleaned, min_size=1, max_size=5)


MEASUREMENTS = [
    {"control": "CCP 9", "product": "cream", "temperature_c": 75.0, "hold_s": 15},
    {"control": "CCP 3", "category": "dairy_chilled", "temperature_c": 5},
    {"control": "CCP 13", "product": "soft_cheese", "temperature_c": 18},
    {"control": "PVA 11", "productions_since_industrial_starter": 3, "visual_ok": True},
    {"control": "CCP 2", "processed_after_min": 90, "temperature_c": 12, "remark": "x"},
]
LAB_LINES = [
    {
        "product": {"kind": "semi_hard_cheese", "raw_milk": False},
        "parameter": "e_coli",
        "results": [50, 150, 200, 90, 80],
        "criterion": {"n": 5, "c": 2, "m": 100, "M": 1000},
    },
    {
        "raw_milk": {"species": "cow", "source": "own_not_delivered", "use": "raw_milk_products"},
        "parameter": "plate_count",
        "results": [{"date": "2026-01-05", "value": 80000}, {"date": "2026-02-05", "value": 9e4}],
    },
    {
        "product": {"kind": "soft_cheese", "ph": 4.2, "aw": 0.9, "shelf_life_days": 30},
        "parameter": "listeria_monocytogenes",
        "results": ["not_detected", "detected"],
    },
]
LABELS = [
    {
        "kind": "stirred_yoghurt",
        "species": ["cow"],
        "raw_milk": False,
        "fat_pct": 3.5,
        "msnf_pct": 9.0,
        "sales_name": "Volle yoghurt",
        "prepacked": True,
        "mentions": ["fat_content_near_name", "date", "lot"],
    }
]
RETENTION_LINES = [{"record_date": "2026-03-01", "best_before": "2026-08-31", "use_by": None}]
WITHDRAWALS = [
    {"last_dose": "2026-03-02T07:30", "withdrawal_milk_h": 84, "milkings": ["06:00", "17:30"]},
    {"last_dose": "2026-10-24T07:30+02:00", "withdrawal_milk_days": 1},
]
FARM_YEARS = [
    {
        "farm": "F1",
        "year": 2019,
        "region": "flanders",
        "certified": True,
        "initiatives": ["brushes", "solar_panels"],
    }
]
LOT_EVENTS = [
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
        "type": "produce",
        "lot": "K-17",
        "product": "semi_hard_cheese",
        "quantity": 30,
        "unit": "kg",
        "date": "2026-03-01",
        "best_before": "2026-06-01",
        "inputs": [{"lot": "M-0301", "quantity": 300}],
    },
    {"type": "deliver", "lot": "K-17", "customer": "Peeters", "quantity": 10, "date": "2026-03-20"},
    {"type": "sell", "lot": "K-17", "quantity": 2, "date": "2026-03-21"},
    {"type": "destroy", "lot": "K-17", "quantity": 1, "date": "2026-03-22", "reason": "mould"},
]

# --- running a command ------------------------------------------------------------------------


def _strict_constant(name: str) -> Any:
    raise AssertionError(f"{name} written to the output")


def run(
    argv: list[str], lines: Sequence[str] = (), *, whole: bool = False
) -> tuple[int, list[Any], list[str]]:
    """The exit code, the JSON written (one value per line, or one `whole` document) and the
    lines of stderr.

    stdout encodes strictly, as a real pipe does: text that cannot be written fails the test.
    """
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.StringIO()
    with (
        mock.patch("sys.stdin", stdin),
        mock.patch("sys.stdout", stdout),
        contextlib.redirect_stderr(stderr),
    ):
        code = main(argv)
    written = raw.getvalue().decode("utf-8")
    if whole:
        document = [json.loads(written, parse_constant=_strict_constant)] if written else []
        return code, document, stderr.getvalue().splitlines()
    # Split as a JSON-lines reader does: at "\n" only (text may hold U+0085 or U+2028).
    lines_out = written.split("\n")
    assert lines_out[-1] == ""
    answers = [json.loads(line, parse_constant=_strict_constant) for line in lines_out[:-1]]
    return code, answers, stderr.getvalue().splitlines()


def answered_line_by_line(argv: list[str], lines: list[str]) -> list[Any]:
    code, answers, errors = run(argv, lines)
    assert (code, errors) == (0, [])
    assert len(answers) == sum(1 for line in lines if line.strip())
    assert all(isinstance(answer, dict) for answer in answers)
    return answers


def exit_two_or_json(code: int, answers: list[Any], errors: list[str]) -> None:
    """Success prints JSON and nothing on stderr; bad input is one line on stderr, exit 2."""
    if code == 0:
        assert errors == []
        assert answers
    else:
        assert code == 2
        assert answers == []
        assert len(errors) == 1, errors
        assert errors[0].startswith("dairyhaccp: error: "), errors


# --- the line-based commands ------------------------------------------------------------------


@FUZZ
@given(lines=lines_of(MEASUREMENTS))
def test_evaluate_answers_every_line(lines: list[str]) -> None:
    answered_line_by_line(["evaluate"], lines)


@FUZZ
@given(lines=lines_of(LAB_LINES))
def test_lab_evaluate_answers_every_line(lines: list[str]) -> None:
    answered_line_by_line(["lab", "evaluate", "--lang", "en"], lines)


@FUZZ
@given(lines=lines_of(LABELS))
def test_label_check_answers_every_line(lines: list[str]) -> None:
    answered_line_by_line(["label", "check"], lines)


@FUZZ
@given(lines=lines_of(RETENTION_LINES), relaxations=st.sampled_from(["true", "false"]))
def test_retention_answers_every_line(lines: list[str], relaxations: str) -> None:
    answered_line_by_line(["retention", "--relaxations", relaxations], lines)


@FUZZ
@given(lines=lines_of(WITHDRAWALS))
def test_ikm_withdrawal_answers_every_line(lines: list[str]) -> None:
    answered_line_by_line(["ikm", "withdrawal"], lines)


@FUZZ
@given(lines=lines_of(FARM_YEARS), by_region=st.booleans())
def test_ikm_sector_reports_bad_lines_and_goes_on(lines: list[str], by_region: bool) -> None:
    code, answers, errors = run(
        ["ikm", "sector", *(["--by", "region"] if by_region else [])], lines
    )

    assert (code, errors) == (0, [])
    assert all(isinstance(answer, dict) for answer in answers)


@pytest.mark.parametrize("argv", [["evaluate"], ["lab", "evaluate"], ["label", "check"]])
def test_every_hostile_line_gets_its_own_error_and_the_next_line_is_still_read(
    argv: list[str],
) -> None:
    good = json.dumps({"lab": LAB_LINES[0], "label": LABELS[0]}.get(argv[0], MEASUREMENTS[1]))

    answers = answered_line_by_line(argv, [line for bad in HOSTILE_LINES for line in (bad, good)])

    assert all("error" in answer for answer in answers[0::2])
    assert all(len(str(answer["error"]).splitlines()) == 1 for answer in answers[0::2])
    assert all("error" not in answer for answer in answers[1::2])


# --- trace: one answer, or one error ----------------------------------------------------------


@FUZZ
@given(
    events=st.lists(near(LOT_EVENTS), max_size=6).map(lambda items: [_json_text(i) for i in items])
    | lines_of(LOT_EVENTS),
    lot=st.sampled_from(["M-0301", "K-17", "nope", ""]),
    direction=st.sampled_from(["--forward", "--backward"]),
    notify=st.sampled_from([[], ["--notify", "--origin", "primary", "--measures", "true"]]),
)
def test_trace_answers_or_refuses_in_one_line(
    events: list[str], lot: str, direction: str, notify: list[str]
) -> None:
    code, answers, errors = run(["trace", direction, lot, *notify], events)

    exit_two_or_json(code, answers, errors)
    if code == 0:
        assert len(answers) == 1


# --- profiles: arbitrary TOML -----------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _json_text(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return '""'  # TOML has no null


def toml_text(value: Any) -> str:
    """A TOML document of the mapping: each top-level key on its own line, tables inline."""
    if not isinstance(value, dict):
        return f"profile = {_toml_value(value)}\n"
    return "".join(f"{json.dumps(str(k))} = {_toml_value(v)}\n" for k, v in value.items())


DEMO = tomllib.loads(example_profile("demo"))
ADAPTED = {
    **DEMO,
    "adaptations": [
        {
            "kind": "change_limit",
            "control": "CCP 13",
            "limit": "ccp13-hard-temperature",
            "low": 10,
            "high": 12,
            "justification": "Ripening at 10-12 °C, validated by our lab results of 2025.",
        },
        {
            "kind": "add_step",
            "flow": "cheese",
            "step": "own-smoking",
            "after": "ripening",
            "title": "Smoking",
            "controls": ["CCP 13"],
            "justification": "We smoke some wheels after ripening.",
        },
    ],
}
HOSTILE_PROFILES = [
    "a = " + "[" * 100_000 + "]" * 100_000,
    "a = " + "{b = " * 3000 + "1" + "}" * 3000,
    "[operator]\nname = " + HUGE_INTEGER,
    "[operator]\nname = 'x'\n[[products]]\nkind = 'butter'\nshelf_life_days = " + HUGE_INTEGER,
    "[operator]\nname = 'x'\n[[products]]\nkind = 'butter'\nph = nan\naw = inf",
    "\x00",
    "\ud800",
    "",
]
PROFILES = (
    near([DEMO, ADAPTED]).map(toml_text)
    | JSON_VALUES.map(toml_text)
    | st.text(max_size=60)
    | st.sampled_from(HOSTILE_PROFILES)
)


@contextlib.contextmanager
def profile_file(text: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        yield str(path)


@FUZZ
@given(text=PROFILES, output=st.sampled_from(["json", "markdown", "svg"]))
def test_plan_prints_a_plan_or_one_error_line(text: str, output: str) -> None:
    with profile_file(text) as path:
        if output == "json":
            code, answers, errors = run(["plan", path], whole=True)
            exit_two_or_json(code, answers, errors)
            return
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["plan", path, "--format", output])
    assert code in (0, 2)
    assert len(stderr.getvalue().splitlines()) == (0 if code == 0 else 1)


@FUZZ
@given(text=PROFILES, lines=lines_of(MEASUREMENTS))
def test_evaluate_with_any_profile_refuses_it_or_answers_every_line(
    text: str, lines: list[str]
) -> None:
    with profile_file(text) as path:
        code, answers, errors = run(["evaluate", "--profile", path], lines)
    if code == 2:
        exit_two_or_json(code, answers, errors)
    else:
        assert (code, errors) == (0, [])
        assert len(answers) == sum(1 for line in lines if line.strip())


def test_a_missing_or_unreadable_profile_is_one_error_line() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for path in (str(Path(folder) / "absent.toml"), folder):
            code, answers, errors = run(["plan", path], whole=True)
            exit_two_or_json(code, answers, errors)
            assert code == 2


# --- lab oc-curve: arbitrary arguments --------------------------------------------------------

NUMBER_TEXT = (
    st.floats().map(repr)
    | st.integers(min_value=-(10**30), max_value=10**30).map(str)
    | st.sampled_from(["inf", "-inf", "nan", "1e999", HUGE_INTEGER, "5e-324", "1e308", "", "x"])
)
SMALL_COUNT = st.integers(min_value=-2, max_value=12).map(str)
OC_OPTIONS = {
    "--n": SMALL_COUNT | NUMBER_TEXT,
    "--c": SMALL_COUNT | NUMBER_TEXT,
    "--m": NUMBER_TEXT | st.sampled_from(["100", "10"]),
    "--M": NUMBER_TEXT | st.sampled_from(["1000", "100"]),
    "--sigma": NUMBER_TEXT | st.sampled_from(["0.8"]),
    "--mu-from": NUMBER_TEXT | st.sampled_from(["0", "1"]),
    "--mu-to": NUMBER_TEXT | st.sampled_from(["3", "4"]),
    # Small steps over a wide range are refused before any work; keep the rest quick.
    "--step": st.sampled_from(["0.1", "0.5", "0", "-1", "nan", "inf", "1e-300", "x"]),
    "--criterion": st.sampled_from(
        ["cheese_pasteurised-e_coli", "cheese_raw-salmonella", "nope", ""]
    ),
}


@st.composite
def oc_arguments(draw: st.DrawFn) -> list[str]:
    argv = ["lab", "oc-curve"]
    for option, values in OC_OPTIONS.items():
        if draw(st.booleans()):
            # `=` keeps a value that starts with "-" a value, as a user would write it.
            argv.append(f"{option}={draw(values)}")
    if draw(st.booleans()):
        argv += ["--compare-n", *draw(st.lists(SMALL_COUNT | NUMBER_TEXT, min_size=1, max_size=3))]
    return argv


@FUZZ
@given(argv=oc_arguments())
def test_oc_curve_prints_a_curve_or_one_error_line(argv: list[str]) -> None:
    code, answers, errors = run(argv)

    exit_two_or_json(code, answers, errors)


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--n", "5", "--c", "2", "--m", "inf"], "m"),
        (["--n", "5", "--c", "2", "--m", "nan"], "m"),
        (["--n", "5", "--c", "2", "--m", "100", "--M", "inf"], "M"),
        (["--n", "5", "--c", "2", "--m", "100", "--M", "nan"], "M"),
        (["--n", "5", "--c", "2", "--m", "100", "--mu-from=-inf"], "mu_from"),
        (["--n", "5", "--c", "2", "--m", "100", "--mu-to", "nan"], "mu_to"),
        (["--n", "5", "--c", "2", "--m", "100", "--step", "1e-300"], "step"),
        (["--n", "2000", "--c", "1000", "--m", "100"], "n"),
        (["--n", "5", "--c", "2", "--m", "100", "--compare-n", "5000"], "n"),
        (["--n", HUGE_INTEGER, "--c", "2", "--m", "100"], "argument --n"),
    ],
)
def test_an_overflowing_oc_curve_is_one_error_line_naming_the_field(
    argv: list[str], field: str
) -> None:
    code, answers, errors = run(["lab", "oc-curve", *argv])

    assert (code, answers) == (2, [])
    [error] = errors
    assert error.startswith(f"dairyhaccp: error: {field}: "), error
    assert len(error) < 300


# --- through the installed command: bytes, and a reader that goes away -------------------------


def test_bytes_that_are_not_utf8_get_an_error_for_their_line_only() -> None:
    good = json.dumps(MEASUREMENTS[1]).encode()
    stdin = b"\xff\xfe{" + b"\n" + good + b"\n" + b'{"remark": "\xc3"}\n' + good + b"\n"

    done = subprocess.run(
        [str(DAIRYHACCP), "evaluate"], input=stdin, capture_output=True, timeout=60, check=False
    )

    assert (done.returncode, done.stderr) == (0, b"")
    answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert ["error" in answer for answer in answers] == [True, False, True, False]
    assert "line 1" in answers[0]["error"]


def test_a_closed_output_pipe_ends_plan_quietly() -> None:
    demo = Path(__file__).parents[2] / "src/dairyhaccp/examples/demo.toml"
    done = subprocess.run(
        f"'{DAIRYHACCP}' plan '{demo}' --format markdown | head -1",
        shell=True,
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0
    assert done.stderr == b""
    assert done.stdout.count(b"\n") == 1


def test_a_reader_that_goes_away_ends_evaluate_quietly() -> None:
    lines = (json.dumps(MEASUREMENTS[1]) + "\n") * 20_000
    with tempfile.TemporaryFile() as stdin:
        stdin.write(lines.encode())
        stdin.seek(0)
        with subprocess.Popen(
            [str(DAIRYHACCP), "evaluate"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            first = process.stdout.readline()
            process.stdout.close()
            errors = process.stderr.read()
            code = process.wait(timeout=60)

    assert json.loads(first)["verdict"] == "conform"
    assert (code, errors) == (0, b"")
