"""Every case of the core rule table gets the same answer from the command line, the API and the
web service: one judge behind every face."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.monitoring.export import evaluation_to_data
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.services import (
    RegistrationError,
    RegistrationInput,
    judge_registration,
)

RULES = Path(__file__).resolve().parents[2] / "core" / "test_monitoring_rules.py"

# An operator who makes everything the guide knows, so that every control is in the plan.
EVERYTHING = """
[operator]
name = "Alles Zuivel"
relaxations = false
home_made_starter = true

[milk]
own_animals = true
species = ["cow"]
delivers_to_buyers = false
buys_raw_milk = true

[[products]]
kind = "semi_hard_cheese"
raw_milk = true
packaging = "vacuum"
brined = true

[[products]]
kind = "hard_cheese"

[[products]]
kind = "soft_cheese"

[[products]]
kind = "fresh_cheese"

[[products]]
kind = "stirred_yoghurt"

[[products]]
kind = "set_yoghurt"

[[products]]
kind = "fermented_milk"

[[products]]
kind = "butter"

[[products]]
kind = "buttermilk"

[[products]]
kind = "cream"
packaging = "modified_atmosphere"

[[products]]
kind = "pasteurised_milk"

[[products]]
kind = "milk_drink"

[[products]]
kind = "skimmed_milk"

[[products]]
kind = "whey_for_feed"
"""


def _rule_cases() -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location("rule_table", RULES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [dict(fields) for fields, _ in module.CASES]


# The web derives the count of home-made starter uses from stored processings and asks whether
# industrial starter was used; a typed count is the command line's alone.
CASES = [case for case in _rule_cases() if case["control"] != "PVA 11"]
CONTEXT = ("control", "product", "category", "raw_milk", "packaging")


def _comparable(answer: dict[str, Any]) -> dict[str, Any]:
    if "error" in answer:
        return {"error_field": answer["error"].split(":", 1)[0]}
    keys = ("control", "verdict", "required", "findings", "checked", "values", "observed")
    return {key: answer[key] for key in keys}


def _cli(profile: Path) -> list[dict[str, Any]]:
    lines = "".join(json.dumps(case) + "\n" for case in CASES)
    done = subprocess.run(
        [sys.executable, "-m", "dairyhaccp.cli", "evaluate", "--profile", str(profile)],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def _input(case: dict[str, Any]) -> RegistrationInput:
    return RegistrationInput(
        control_id=case["control"],
        values={k: v for k, v in case.items() if k not in CONTEXT},
        product=case.get("product", ""),
        category=case.get("category", ""),
        raw_milk=case.get("raw_milk"),
        packaging=case.get("packaging", ""),
    )


def _web(operator: Operator, case: dict[str, Any]) -> dict[str, Any]:
    try:
        evaluation = judge_registration(operator, _input(case))
    except RegistrationError as error:
        return {"error": f"{error.field}: {error.problem}"}
    return evaluation_to_data(evaluation, "nl")


def _api(client: Client, token: str, case: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/api/evaluate",
        case,
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    if response.status_code == 422:
        detail = response.json()["detail"]
        field = detail[0]["loc"][-1] if isinstance(detail, list) else detail.split(":")[0]
        return {"error": f"{field}: refused"}
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


@pytest.fixture
def everything(operator: Operator, owner: User) -> Operator:
    save_profile(operator, owner, tomllib.loads(EVERYTHING))
    return operator


def test_the_command_line_the_api_and_the_web_service_judge_alike(
    everything: Operator, owner: User, client: Client, tmp_path: Path
) -> None:
    profile = tmp_path / "everything.toml"
    profile.write_text(EVERYTHING, encoding="utf-8")
    token = issue_api_token(owner, everything).clear_token
    cli = _cli(profile)
    assert len(cli) == len(CASES)
    judged = 0
    for case, from_cli in zip(CASES, cli, strict=True):
        from_web = _web(everything, case)
        from_api = _api(client, token, case)
        expected = _comparable(from_cli)
        assert _comparable(from_web) == expected, case
        assert _comparable(from_api) == expected, case
        judged += "verdict" in from_cli
    # Most of the table is judged, not refused, for an operator who makes everything.
    assert judged >= len(CASES) * 0.8
