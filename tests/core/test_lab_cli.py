"""`dairyhaccp lab evaluate` and `dairyhaccp lab oc-curve`: the public JSON contract."""

from __future__ import annotations

import io
import json
import math
import random
from typing import Any

import pytest

from dairyhaccp.cli import main

Capture = pytest.CaptureFixture[str]

CONTRACT_PRODUCT = {
    "product": {"kind": "semi_hard_cheese", "raw_milk": False},
    "parameter": "e_coli",
    "results": [50, 150, 200, 90, 80],
}
FARM_MILK = {"species": "cow", "source": "own_not_delivered", "use": "raw_milk_products"}
DELIVERED_MILK = {"species": "cow", "source": "own_delivered", "use": "heat_treated"}


def evaluate(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, lines: list[Any], *argv: str
) -> tuple[int, list[dict[str, Any]]]:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
    code = main(["lab", "evaluate", *argv])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def oc_curve(capsys: Capture, *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["lab", "oc-curve", *argv])
    return code, json.loads(capsys.readouterr().out)


def twice_monthly(months: range, value: float) -> list[dict[str, Any]]:
    return [{"date": f"2026-{m:02d}-{d:02d}", "value": value} for m in months for d in (5, 20)]


# --- lab evaluate: finished products ----------------------------------------------------------


def test_the_contracts_finished_product_example(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    code, [verdict] = evaluate(monkeypatch, capsys, [CONTRACT_PRODUCT], "--lang", "en")

    assert code == 0
    assert list(verdict)[:5] == ["verdict", "type", "criterion", "actions", "notify_favv"]
    assert verdict["verdict"] == "acceptable"
    assert verdict["type"] == "PH"
    assert {k: verdict["criterion"][k] for k in ("n", "c", "m", "M")} == {
        "n": 5,
        "c": 2,
        "m": 100,
        "M": 1000,
    }
    assert verdict["notify_favv"] is False
    assert verdict["actions"] == [
        "Improve production hygiene and the selection and/or origin of the raw materials."
    ]


def test_a_criterion_in_the_line_overrides_the_table(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {**CONTRACT_PRODUCT, "criterion": {"n": 5, "c": 0, "m": 100, "M": 1000}}

    _, [verdict] = evaluate(monkeypatch, capsys, [line])

    assert verdict["verdict"] == "unsatisfactory"
    assert verdict["criterion"]["c"] == 0
    assert verdict["criterion_overridden"] is True


def test_product_properties_beside_the_product_choose_the_listeria_criterion(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    base = {"product": {"kind": "soft_cheese"}, "parameter": "listeria_monocytogenes"}
    lines = [
        {**base, "ph": 4.3, "results": [20, 40, 60, 80, 100]},
        {**base, "shelf_life_days": 30, "results": ["not_detected"] * 5},
        {**base, "challenge_test": True, "results": [120, 0, 0, 0, 0]},
    ]

    _, verdicts = evaluate(monkeypatch, capsys, lines)

    assert [v["listeria"]["limit"] for v in verdicts] == [
        "count_limit_on_the_market",
        "absent_in_25g_before_leaving_producer",
        "count_limit_during_shelf_life",
    ]
    assert [v["verdict"] for v in verdicts] == ["satisfactory", "satisfactory", "unsatisfactory"]
    assert verdicts[2]["type"] == "VV"
    assert verdicts[2]["notify_favv"] is True


def test_a_lot_still_in_the_business_is_not_notified(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {
        "product": {"kind": "soft_cheese", "raw_milk": True},
        "parameter": "salmonella",
        "results": ["detected"],
        "left_control": False,
    }
    _, [verdict] = evaluate(monkeypatch, capsys, [line], "--lang", "fr")
    assert verdict["verdict"] == "unsatisfactory"
    assert verdict["notify_favv"] is False
    assert verdict["actions"][0].startswith("Gardez le lot")


def test_staphylococci_above_10_5_report_the_enterotoxin_test(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {
        "product": {"kind": "semi_hard_cheese", "raw_milk": True},
        "parameter": "coagulase_positive_staphylococci",
        "results": [150_000],
    }
    _, [verdict] = evaluate(monkeypatch, capsys, [line])
    assert verdict["enterotoxin_test_due"] is True
    assert "test_enterotoxins" in verdict["action_codes"]


# --- lab evaluate: raw milk -------------------------------------------------------------------


def test_the_contracts_raw_milk_example(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    line = {
        "raw_milk": FARM_MILK,
        "parameter": "plate_count",
        "results": [
            {"date": "2026-01-05", "value": 80000},
            {"date": "2026-01-19", "value": 125000},
        ],
    }

    code, [verdict] = evaluate(monkeypatch, capsys, [line])

    assert code == 0
    assert list(verdict)[:6] == [
        "verdict",
        "geometric_mean",
        "consecutive_unfavourable_months",
        "stop_use",
        "notify_favv",
        "actions",
    ]
    assert verdict["verdict"] == "unfavourable"  # own milk, judged result by result
    assert verdict["geometric_mean"] == pytest.approx(100_000)
    assert verdict["consecutive_unfavourable_months"] == 1
    assert verdict["stop_use"] is False
    assert verdict["notify_favv"] is True
    assert [r["conform"] for r in verdict["results"]] == [True, False]


def test_the_fourth_unfavourable_month_says_stop_use(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {
        "raw_milk": DELIVERED_MILK,
        "parameter": "plate_count",
        "results": twice_monthly(range(1, 3), 50_000) + twice_monthly(range(3, 8), 150_000),
    }

    _, [verdict] = evaluate(monkeypatch, capsys, [line], "--lang", "en")

    assert verdict["verdict"] == "unfavourable"
    assert verdict["consecutive_unfavourable_months"] == 4
    assert verdict["stop_use"] is True
    assert verdict["actions"][0] == "Stop use and delivery of the milk at once."
    assert [m["status"] for m in verdict["months"]] == [
        "insufficient_samples",
        "conform",
        "conform",  # March's window still holds February: sqrt(50 000 x 150 000)
        "unfavourable",
        "unfavourable",
        "unfavourable",
        "unfavourable",
    ]


def test_antibiotics_detected_stop_use_and_notify(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    line = {
        "raw_milk": FARM_MILK,
        "parameter": "antibiotic_residues",
        "results": [{"date": "2026-02-01", "value": "detected"}],
        "id": "tank-1",
    }
    _, [verdict] = evaluate(monkeypatch, capsys, [line])
    assert verdict["id"] == "tank-1"
    assert (verdict["verdict"], verdict["stop_use"], verdict["notify_favv"]) == (
        "unfavourable",
        True,
        True,
    )
    assert verdict["geometric_mean"] is None
    assert verdict["action_codes"][:4] == [
        "stop_use_and_delivery",
        "notify_favv_unless_kept_in_house",
        "laboratory_notifies_if_it_analysed",
        "destroy_milk_and_lots",
    ]
    assert verdict["notification"]["duty"] == "required_unless_kept_in_house"


# --- lab evaluate: bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("not json", "line 1"),
        ([1, 2], "input"),
        ({"parameter": "e_coli", "results": [1]}, "product"),
        ({**CONTRACT_PRODUCT, "raw_milk": FARM_MILK}, "product"),
        ({**CONTRACT_PRODUCT, "product": {"kind": "brie"}}, "product.kind"),
        ({**CONTRACT_PRODUCT, "product": {"kind": "soft_cheese", "ph": 15}}, "product.ph"),
        ({**CONTRACT_PRODUCT, "parameter": "taste"}, "parameter"),
        ({**CONTRACT_PRODUCT, "parameter": None}, "parameter"),
        ({**CONTRACT_PRODUCT, "results": "50"}, "results"),
        ({**CONTRACT_PRODUCT, "results": []}, "results"),
        ({**CONTRACT_PRODUCT, "results": [50, "lots"]}, "results[1]"),
        ({**CONTRACT_PRODUCT, "results": [50, -1]}, "results[1]"),
        ({**CONTRACT_PRODUCT, "results": [1, 2, 3, 4, 5, 6]}, "results"),
        ({**CONTRACT_PRODUCT, "criterion": {"n": 5, "c": 9}}, "criterion.c"),
        ({**CONTRACT_PRODUCT, "criterion": {"N": 5}}, "criterion.N"),
        ({**CONTRACT_PRODUCT, "left_control": "yes"}, "left_control"),
        ({**CONTRACT_PRODUCT, "ph": 5, "product": {"kind": "soft_cheese", "ph": 6}}, "ph"),
        ({**CONTRACT_PRODUCT, "colour": "blue"}, "colour"),
        (
            {
                "raw_milk": {**FARM_MILK, "species": "pig"},
                "parameter": "plate_count",
                "results": [{}],
            },
            "raw_milk.species",
        ),
        (
            {"raw_milk": {"species": "cow"}, "parameter": "plate_count", "results": [{}]},
            "raw_milk.source",
        ),
        (
            {"raw_milk": FARM_MILK, "parameter": "plate_count", "results": [{"value": 1}]},
            "results[0].date",
        ),
        (
            {
                "raw_milk": FARM_MILK,
                "parameter": "plate_count",
                "results": [{"date": "2026-01-05"}],
            },
            "results[0].value",
        ),
        (
            {
                "raw_milk": FARM_MILK,
                "parameter": "plate_count",
                "results": [{"date": "2026-01-05", "value": "high"}],
            },
            "results[0].value",
        ),
        (
            {
                "raw_milk": FARM_MILK,
                "parameter": "antibiotic_residues",
                "results": [{"date": "2026-01-05", "value": 3}],
            },
            "results[0].value",
        ),
        (
            {
                "raw_milk": {**FARM_MILK, "use": "heat_treated"},
                "parameter": "e_coli",
                "results": [{"date": "2026-01-05", "value": 3}],
            },
            "parameter",
        ),
        (
            {
                "raw_milk": FARM_MILK,
                "parameter": "plate_count",
                "results": [{"date": "2026-01-05", "value": 3}],
                "as_of": "2025-01-01",
            },
            "as_of",
        ),
    ],
)
def test_a_bad_line_gets_an_error_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture, line: Any, field: str
) -> None:
    code, [answer] = evaluate(monkeypatch, capsys, [line])

    assert code == 0
    assert list(answer) == ["error"]
    assert answer["error"].startswith(f"{field}: "), answer["error"]


def test_every_line_gets_its_answer_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    _, answers = evaluate(monkeypatch, capsys, [CONTRACT_PRODUCT, "{", "", CONTRACT_PRODUCT])
    assert [next(iter(a)) for a in answers] == ["verdict", "error", "verdict"]


# --- lab oc-curve -----------------------------------------------------------------------------


def test_oc_curve_matches_the_reference_values(capsys: Capture) -> None:
    code, curve = oc_curve(
        capsys, "--n", "5", "--c", "2", "--m", "100", "--M", "1000",
        "--mu-from", "1", "--mu-to", "2", "--step", "0.5",
    )  # fmt: skip

    assert code == 0
    assert [p["mu"] for p in curve["points"]] == [1.0, 1.5, 2.0]
    assert [round(p["p_accept"], 3) for p in curve["points"]] == [0.961, 0.775, 0.349]
    assert curve["sigma"] == 0.8


def _monte_carlo(n: int, c: int, m: float, upper: float | None, mu: float, draws: int) -> float:
    """Share of simulated lots the plan accepts, by drawing sub-samples and applying the rule."""
    rng = random.Random(20260105)
    accepted = 0
    for _ in range(draws):
        counts = [10 ** rng.gauss(mu, 0.8) for _ in range(n)]
        if upper is None:
            ok = sum(count > m for count in counts) <= c
        else:
            ok = all(count <= upper for count in counts) and sum(count > m for count in counts) <= c
        accepted += ok
    return accepted / draws


@pytest.mark.parametrize(
    ("argv", "plan"),
    [
        (["--n", "5", "--c", "2", "--m", "100", "--M", "1000"], (5, 2, 100.0, 1000.0)),
        (["--n", "5", "--c", "0", "--m", "100"], (5, 0, 100.0, None)),
        (["--criterion", "cheese_raw-staphylococci"], (5, 2, 1e4, 1e5)),
    ],
)
def test_oc_curve_agrees_with_a_monte_carlo_simulation(
    capsys: Capture, argv: list[str], plan: tuple[int, int, float, float | None]
) -> None:
    _, curve = oc_curve(capsys, *argv, "--step", "0.5")

    draws = 20_000
    for point in curve["points"][::2]:
        expected = _monte_carlo(*plan, point["mu"], draws)
        tolerance = 4 * math.sqrt(max(expected * (1 - expected), 1e-4) / draws) + 0.002
        assert point["p_accept"] == pytest.approx(expected, abs=tolerance), point


def test_oc_curve_shows_what_more_sub_samples_buy(capsys: Capture) -> None:
    _, curve = oc_curve(
        capsys, "--criterion", "cheese_pasteurised-e_coli", "--compare-n", "1", "10",
        "--mu-from", "2.5", "--mu-to", "2.5",
    )  # fmt: skip

    [table] = curve["points"]
    one, ten = curve["compare"]
    assert (one["n"], one["c"], ten["n"], ten["c"]) == (1, 1, 10, 2)
    # a lot whose mean lies between m and M: one sub-sample rarely catches it, ten do
    assert one["points"][0]["p_accept"] > table["p_accept"] > ten["points"][0]["p_accept"]


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--n", "5", "--c", "6", "--m", "100"], "c"),
        (["--n", "0", "--c", "0", "--m", "100"], "n"),
        (["--n", "5", "--c", "2", "--m", "100", "--M", "10"], "M"),
        (["--n", "5", "--c", "2", "--m", "0"], "m"),
        (["--n", "5", "--c", "2", "--m", "100", "--sigma", "0"], "sigma"),
        (["--n", "5", "--c", "2", "--m", "100", "--step", "-1"], "step"),
        (["--n", "5", "--c", "2"], "m"),
        (["--criterion", "nope"], "criterion"),
        (["--criterion", "cheese_raw-salmonella"], "criterion"),
    ],
)
def test_oc_curve_refuses_a_bad_plan_naming_the_field(
    capsys: Capture, argv: list[str], field: str
) -> None:
    code = main(["lab", "oc-curve", *argv])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"dairyhaccp: error: {field}: "), line
