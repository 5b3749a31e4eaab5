"""The plans API: the current plan as the CLI's JSON, and the versions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator, issue_api_token
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import current_plan
from dairyhaccp.web.plans.services import adapt_plan, save_profile

from .conftest import demo_profile

pytestmark = pytest.mark.django_db


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def test_the_current_plan_is_the_json_of_the_cli(
    client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    response = client.get("/api/plan", headers=bearer(owner, operator))

    assert response.status_code == 200
    plan = current_plan(operator)
    assert plan is not None
    assert response.json() == plan_to_data(plan, "nl")
    data = response.json()
    assert data["registration_mode"] == "non_conformities_only"
    assert "CCP 9" in [c["id"] for c in data["controls"]]


def test_the_plan_json_comes_in_the_language_asked(
    client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    response = client.get("/api/plan", {"lang": "en"}, headers=bearer(owner, operator))

    ccp9 = next(c for c in response.json()["controls"] if c["id"] == "CCP 9")
    assert ccp9["title"] == "Pasteurisation"
    assert (
        client.get("/api/plan", {"lang": "de"}, headers=bearer(owner, operator)).status_code == 422
    )


def test_no_plan_yet_is_a_404(client: Client, operator: Operator, owner: User) -> None:
    response = client.get("/api/plan", headers=bearer(owner, operator))

    assert response.status_code == 404


def test_the_plan_needs_a_token(client: Client, planned: PlanVersion) -> None:
    assert client.get("/api/plan").status_code == 401


def test_the_token_only_shows_its_own_operators_plan(
    client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    other = create_operator("Hoeve Twee", slug="hoeve-twee")
    add_member(other, owner, Role.AUDITOR)
    save_profile(other, owner, {**demo_profile(), "products": [{"kind": "butter"}]})

    response = client.get("/api/plan", headers=bearer(owner, other))

    assert [flow["id"] for flow in response.json()["flows"]] == ["butter"]


def test_the_versions_say_who_when_and_why(
    client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    adapt_plan(
        operator,
        owner,
        {
            "kind": "drop_step",
            "flow": "cheese",
            "step": "portion",
            "justification": "We sell whole wheels only, never portions.",
        },
    )

    response = client.get("/api/plan/versions", headers=bearer(owner, operator))

    assert response.status_code == 200
    versions = response.json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["created_by"] == owner.username
    assert versions[0]["change"] == "adaptation"
    assert versions[0]["reason"] == "We sell whole wheels only, never portions."
    assert versions[0]["adaptation"]["kind"] == "drop_step"
    assert versions[1]["adaptation"] is None
    assert versions[1]["created_at"]


def test_one_version_as_json(
    client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    save_profile(operator, owner, {**demo_profile(), "products": [{"kind": "butter"}]})
    headers = bearer(owner, operator)

    first = client.get("/api/plan/versions/1", headers=headers)
    missing = client.get("/api/plan/versions/7", headers=headers)

    assert len(first.json()["flows"]) == 3
    assert missing.status_code == 404
