"""An adapted limit stays within what its parameter can measure, on the page and in the API;
NaN and infinities never reach a plan."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import current_plan

pytestmark = pytest.mark.django_db

WHY = "Our own pasteuriser is validated for this; see the validation file."


def change_limit_url(operator: Operator) -> str:
    return reverse(
        "plans:adapt-kind", kwargs={"operator_slug": operator.slug, "kind": "change_limit"}
    )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"limit": "CCP 3/ccp3-chilled", "value": "1e300"}, "value", "-60 to 150 °C"),
        ({"limit": "CCP 3/ccp3-chilled", "value": "150.1"}, "value", "-60 to 150 °C"),
        ({"limit": "CCP 9/ccp9-milk", "value": "-1"}, "value", "0 to 86400 s"),
        (
            {"limit": "CCP 13/ccp13-hard-temperature", "low": "10", "high": "151"},
            "high",
            "-60 to 150 °C",
        ),
        (
            {"limit": "CCP 13/ccp13-hard-temperature", "low": "-61", "high": "12"},
            "low",
            "-60 to 150 °C",
        ),
    ],
)
def test_an_implausible_limit_is_refused_on_its_field(
    owner_client: Client,
    operator: Operator,
    planned: PlanVersion,
    data: dict[str, str],
    field: str,
    words: str,
) -> None:
    response = owner_client.post(change_limit_url(operator), {**data, "justification": WHY})

    assert response.status_code == 200
    [error] = response.context["form"].errors[field]
    assert "plausible range" in error and words in error
    assert PlanVersion.objects.count() == 1


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-Infinity", "1e400"])
@pytest.mark.parametrize("field", ["value", "low", "high"])
def test_nan_and_infinities_are_not_numbers_on_the_page(
    owner_client: Client, operator: Operator, planned: PlanVersion, typed: str, field: str
) -> None:
    limit = "CCP 9/ccp9-milk" if field == "value" else "CCP 13/ccp13-hard-temperature"
    data = {"limit": limit, "value": "20", "low": "10", "high": "12", field: typed}

    response = owner_client.post(change_limit_url(operator), {**data, "justification": WHY})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert PlanVersion.objects.count() == 1


def test_the_edges_of_the_range_are_plausible(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.post(
        change_limit_url(operator),
        {
            "limit": "CCP 13/ccp13-hard-temperature",
            "low": "-60",
            "high": "150",
            "justification": WHY,
        },
    )

    assert response.status_code == 302
    plan = current_plan(operator)
    assert plan is not None
    limit = next(x for x in plan.control("CCP 13").limits if x.id == "ccp13-hard-temperature")
    assert (limit.low, limit.high) == (-60, 150)


def test_a_limit_on_a_yes_no_finding_is_not_offered(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    html = owner_client.get(change_limit_url(operator)).content.decode()

    # PVA 2 applies to the demo (own animals, raw-milk cheese); its Salmonella limit is yes/no.
    assert 'value="PVA 2/pva2-listeria"' in html
    assert "pva2-salmonella" not in html


# --- the API ----------------------------------------------------------------------------------


def post_adaptation(client: Client, owner: User, operator: Operator, body: str) -> Any:
    token = issue_api_token(owner, operator).clear_token
    return client.post(
        "/api/plan/adaptations",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


CHANGE = {"kind": "change_limit", "control": "CCP 9", "limit": "ccp9-milk", "justification": WHY}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("field", ["value", "low", "high"])
def test_the_api_refuses_nan_and_infinities(
    client: Client,
    operator: Operator,
    owner: User,
    planned: PlanVersion,
    number: str,
    field: str,
) -> None:
    # JSON has no NaN or Infinity; Python's parser reads them all the same.
    body = json.dumps({**CHANGE, field: 0}).replace(f'"{field}": 0', f'"{field}": {number}')

    response = post_adaptation(client, owner, operator, body)

    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert PlanVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {**CHANGE, "value": 1e300},
            "value: 1e+300 is outside the plausible range of hold_s: 0 to 86400 s",
        ),
        (
            {**CHANGE, "control": "PVA 2", "limit": "pva2-salmonella", "value": 1},
            "limit: limit pva2-salmonella is a yes/no check: no value to change",
        ),
        ({**CHANGE, "limit": "ccp9-nothing", "value": 20}, "limit: CCP 9 has no limit"),
        ({**CHANGE}, "adaptation: change_limit needs value, or low and high"),
    ],
)
def test_the_api_names_the_field_of_an_implausible_change(
    client: Client,
    operator: Operator,
    owner: User,
    planned: PlanVersion,
    change: dict[str, Any],
    message: str,
) -> None:
    response = post_adaptation(client, owner, operator, json.dumps(change))

    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)
    assert PlanVersion.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {**CHANGE, "value": 20, "justification": "Validated\x00 by our own lab results."},
        {**CHANGE, "value": 20, "justification": "x" * 4001},
        {**CHANGE, "value": True},
        {**CHANGE, "value": "20"},
        {**CHANGE, "value": 20, "colour": "red"},
    ],
    ids=["nul", "too long", "a boolean", "text", "unknown field"],
)
def test_the_api_refuses_malformed_adaptations(
    client: Client, operator: Operator, owner: User, planned: PlanVersion, change: dict[str, Any]
) -> None:
    response = post_adaptation(client, owner, operator, json.dumps(change))

    assert response.status_code == 422
    assert PlanVersion.objects.count() == 1


def test_the_api_adapts_a_limit_like_the_page(
    client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    response = post_adaptation(client, owner, operator, json.dumps({**CHANGE, "value": 20}))

    assert response.status_code == 201
    assert response.json()["reason"] == WHY
    plan = current_plan(operator)
    assert plan is not None
    limit = next(x for x in plan.control("CCP 9").limits if x.id == "ccp9-milk")
    assert (limit.value, limit.guide_value, limit.justification) == (20, 15, WHY)


def test_the_api_cannot_adapt_a_plan_that_does_not_exist(
    client: Client, operator: Operator, owner: User
) -> None:
    response = post_adaptation(client, owner, operator, json.dumps({**CHANGE, "value": 20}))

    assert response.status_code == 404
    assert PlanVersion.objects.count() == 0
