"""`dairyhaccp label check`: the JSON-lines contract of issue 11 §3."""

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
from dairyhaccp.labels import LabelInputError
from dairyhaccp.labels.inputs import check_label_data

Capture = pytest.CaptureFixture[str]

CONTRACT_EXAMPLE = {
    "kind": "stirred_yoghurt",
    "species": ["cow"],
    "raw_milk": False,
    "fat_pct": 3.5,
    "msnf_pct": 9.0,
    "sales_name": "Volle yoghurt",
    "prepacked": True,
    "mentions": ["fat_content_near_name", "date", "lot"],
}
ANSWER_KEYS = ["allowed_names", "sales_name_ok", "missing", "findings"]


def check(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, lines: list[Any], *argv: str
) -> tuple[int, list[dict[str, Any]]]:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
    code = main(["label", "check", *argv])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_contracts_example(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    code, [answer] = check(monkeypatch, capsys, [CONTRACT_EXAMPLE])

    assert code == 0
    assert list(answer) == ANSWER_KEYS
    assert answer["allowed_names"] == ["Volle yoghurt", "Yoghurt"]
    assert answer["sales_name_ok"] is True
    assert answer["missing"][:2] == ["name", "allergens"]
    assert set(answer["missing"]) == {
        "name",
        "allergens",
        "net_quantity",
        "storage_conditions",
        "operator",
        "nutrition_declaration",
    }
    for item in answer["findings"]:
        assert {"mention", "text", "source"} <= set(item)
    fat = next(f for f in answer["findings"] if f["mention"] == "fat_content_near_name")
    assert fat == {
        "mention": "fat_content_near_name",
        "code": "present",
        "text": "Voor yoghurt: het is verplicht om het vetgehalte te vermelden binnen het "
        "gezichtsveld van de benaming.",
        "source": "§2",
        "wording": "3,5 % vet",
    }
    date = next(f for f in answer["findings"] if f["mention"] == "date")
    assert (date["date_type"], date["wording"]) == ("use_by", "te gebruiken tot")


def test_the_names_come_in_the_lang_language(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    _, [fr] = check(monkeypatch, capsys, [CONTRACT_EXAMPLE], "--lang", "fr")
    _, [en] = check(monkeypatch, capsys, [CONTRACT_EXAMPLE], "--lang", "en")

    assert fr["allowed_names"] == ["Yaourt entier", "Yaourt"]
    assert en["allowed_names"] == ["Whole yoghurt", "Yoghurt"]
    assert en["sales_name_ok"] is True  # the Dutch name on a bilingual label is the same name


def test_a_goats_milk_raw_milk_cheese_is_told_what_it_lacks(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {
        "kind": "semi_hard_cheese",
        "species": ["goat"],
        "raw_milk": True,
        "fat_pct": 30,
        "fat_dm_pct": 50,
        "sales_name": "Geitenkaas",
        "mentions": ["name", "allergens", "net_quantity", "date", "storage_conditions"],
    }

    _, [answer] = check(monkeypatch, capsys, [line])

    assert answer["sales_name_ok"] is True
    assert answer["allowed_names"] == []
    assert {"species", "made_with_raw_milk", "fat_content"} <= set(answer["missing"])
    raw = next(f for f in answer["findings"] if f["mention"] == "made_with_raw_milk")
    assert raw["wording"] == "bereid met rauwe melk"
    assert raw["source"] == "§2"


def test_a_nutrition_declaration_lifts_the_cheese_fat_content(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {"kind": "hard_cheese", "fat_pct": 30, "mentions": []}

    _, [without, declared] = check(
        monkeypatch, capsys, [line, {**line, "nutrition_declaration": True}]
    )

    assert "fat_content" in without["missing"]
    assert "fat_content" not in declared["missing"]
    assert "nutrition_declaration" not in declared["missing"]


def test_a_cream_kind_with_fat_decides_the_name(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    lines = [{"kind": "cream", "fat_pct": fat, "sales_name": "room"} for fat in (12, 20, 40)]

    _, answers = check(monkeypatch, capsys, lines)

    assert [a["allowed_names"] for a in answers] == [
        ["Verdunde room"],
        ["Room"],
        ["Room", "Slagroom"],
    ]
    assert [a["sales_name_ok"] for a in answers] == [False, True, True]
    assert "fat_content_after_name" in answers[0]["missing"]
    assert "fat_content_after_name" not in answers[1]["missing"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("{not json", "line 2"),
        ("[1, 2]", "input"),
        ({"species": ["cow"]}, "kind"),
        ({"kind": "whey_for_feed"}, "kind"),
        ({"kind": "cream", "fat_pct": "3.5"}, "fat_pct"),
        ({"kind": "cream", "fat_pct": 100.5}, "fat_pct"),
        ({"kind": "cream", "fat_pct": 10**400}, "fat_pct"),
        ({"kind": "cream", "fat_pct": 1e300}, "fat_pct"),
        ({"kind": "cream", "species": []}, "species"),
        ({"kind": "cream", "species": ["yak"]}, "species"),
        ({"kind": "cream", "raw_milk": "yes"}, "raw_milk"),
        ({"kind": "set_yoghurt", "raw_milk": True}, "raw_milk"),
        ({"kind": "raw_milk", "raw_milk": False}, "raw_milk"),
        ({"kind": "cream", "fat_dm_pct": 50}, "fat_dm_pct"),
        ({"kind": "hard_cheese", "fat_pct": 30, "fat_dm_pct": 20}, "fat_dm_pct"),
        ({"kind": "cream", "fat_pct": 60, "msnf_pct": 50}, "msnf_pct"),
        ({"kind": "cream", "sales_name": 5}, "sales_name"),
        ({"kind": "cream", "sales_name": "x" * 100_000}, "sales_name"),
        ({"kind": "cream", "sales_name": "Room\u0000"}, "sales_name"),
        ({"kind": "cream", "sales_name": "   "}, "sales_name"),
        ({"kind": "cream", "mentions": "name"}, "mentions"),
        ({"kind": "cream", "mentions": ["name", 3]}, "mentions[1]"),
        ({"kind": "cream", "mentions": ["nope"]}, "mentions[0]"),
        ({"kind": "cream", "prepacked": 1}, "prepacked"),
        ({"kind": "cream", "nutrition_declaration": None}, "nutrition_declaration"),
        ({"kind": "cream", "colour": "white"}, "colour"),
        ({"kind": "cream", "shelf_life_days": 10**30}, "shelf_life_days"),
        ({"kind": "cream", "ingredients": [{"name": ""}]}, "ingredients[0].name"),
        ({"kind": "cream", "ingredients": [{"name": "x", "quantity_pct": 70}] * 2}, "ingredients"),
        ({"kind": "cream", "ingredients": [{"name": "x", "allergens": ["dust"]}]}, "allergens"),
    ],
)
def test_a_malformed_line_gets_an_error_naming_the_field_and_the_next_is_answered(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, line: Any, field: str
) -> None:
    code, [first, error, answer] = check(
        monkeypatch, capsys, [CONTRACT_EXAMPLE, line, CONTRACT_EXAMPLE]
    )

    assert code == 0
    assert first == answer
    assert list(error) == ["error"]
    assert field in error["error"]
    assert list(answer) == ANSWER_KEYS


def test_deep_nesting_and_nan_are_refused_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    lines = ["[" * 10_000 + "]" * 10_000, '{"kind": "cream", "fat_pct": NaN}', CONTRACT_EXAMPLE]

    _, [deep, nan, answer] = check(monkeypatch, capsys, lines)

    assert "nested deeper" in deep["error"]
    assert "NaN" in nan["error"]
    assert answer["sales_name_ok"] is True


def test_an_unknown_lang_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    assert main(["label", "check", "--lang", "de"]) == 2
    assert "--lang" in capsys.readouterr().err


def test_the_installed_command_answers_line_by_line() -> None:
    executable = Path(sys.executable).with_name("dairyhaccp")
    lines = [json.dumps(CONTRACT_EXAMPLE), '{"kind": "cheese"}', json.dumps(CONTRACT_EXAMPLE)]

    result = subprocess.run(
        [str(executable), "label", "check", "--lang", "en"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert [list(a) for a in answers] == [ANSWER_KEYS, ["error"], ANSWER_KEYS]
    assert answers[1]["error"].startswith("kind: 'cheese' has no label rules")
    assert answers[0]["allowed_names"] == ["Whole yoghurt", "Yoghurt"]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
FIELDS = (
    "kind",
    "species",
    "raw_milk",
    "fat_pct",
    "fat_dm_pct",
    "msnf_pct",
    "sales_name",
    "prepacked",
    "nutrition_declaration",
    "mentions",
    "ingredients",
    "shelf_life_days",
    "storage_temperature_c",
)
NEAR_VALID = st.fixed_dictionaries(
    {"kind": st.sampled_from(["cream", "hard_cheese", "stirred_yoghurt", "raw_milk", "x"])},
    optional={field: JSON_VALUES for field in FIELDS if field != "kind"},
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(JSON_VALUES | NEAR_VALID, min_size=1, max_size=5))
def test_arbitrary_json_gets_an_answer_or_an_error_per_line_never_a_traceback(
    lines: list[Any],
) -> None:
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    out = io.StringIO()

    with mock.patch("sys.stdin", io.StringIO(text)), contextlib.redirect_stdout(out):
        code = main(["label", "check"])

    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0
    assert len(answers) == len(lines)
    for answer in answers:
        assert list(answer) in (["error"], ANSWER_KEYS)


@settings(max_examples=200)
@given(data=JSON_VALUES | NEAR_VALID, lang=st.sampled_from(["nl", "fr", "en"]))
def test_any_json_value_is_answered_or_refused_with_a_field(data: Any, lang: str) -> None:
    try:
        answer = check_label_data(data, lang)
    except LabelInputError as error:
        assert error.field
        assert error.problem
        return

    assert list(answer) == ANSWER_KEYS
    assert json.loads(json.dumps(answer)) == answer
