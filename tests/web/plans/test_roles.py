"""Who may read and who may change the plan, on the pages and through the API.

The matrix of the README: owner, staff, auditor and vet read the plan; only the owner answers
the wizard and adapts the plan; the sector reads no single operator's plan.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.plans.models import PlanVersion

from .conftest import wizard_data

pytestmark = pytest.mark.django_db

READERS = {Role.OWNER, Role.STAFF, Role.AUDITOR, Role.VET}
EDITORS = {Role.OWNER}
WHY = "Our own pasteuriser is validated for this; see the validation file."
ADAPTATION = {
    "kind": "change_limit",
    "control": "CCP 9",
    "limit": "ccp9-milk",
    "value": 20,
    "justification": WHY,
}

# (URL name, URL arguments, query string) of every page that shows the plan.
READ_PAGES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("plans:plan", {}, {}),
    ("plans:pdf", {}, {}),
    ("plans:pdf-progress", {}, {}),
    ("plans:versions", {}, {}),
    ("plans:version", {"number": 1}, {}),
    ("plans:compare", {}, {"before": 1, "after": 1}),
]
# Every page that changes the plan.
EDIT_PAGES: list[tuple[str, dict[str, Any]]] = [
    ("plans:profile", {}),
    ("plans:product-row", {}),
    ("plans:product-removed", {}),
    ("plans:adapt", {}),
    *[
        ("plans:adapt-kind", {"kind": kind})
        for kind in (
            "add_step",
            "drop_step",
            "change_limit",
            "add_action",
            "drop_action",
            "drop_control",
        )
    ],
]


def page_url(name: str, operator: Operator, **kwargs: Any) -> str:
    return reverse(name, kwargs={"operator_slug": operator.slug, **kwargs})


@pytest.fixture
def as_role(
    client: Client, operator: Operator, make_member: Callable[..., User]
) -> Callable[[Role], Client]:
    def login(role: Role) -> Client:
        client.force_login(make_member(operator, role, username=f"{role.value}-member"))
        return client

    return login


def test_every_role_that_exists_has_its_place_in_the_matrix() -> None:
    assert set(Role) == READERS | {Role.SECTOR}
    assert EDITORS <= READERS


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "kwargs", "query"), READ_PAGES)
def test_the_plan_is_read_by_owner_staff_auditor_and_vet_not_the_sector(
    as_role: Callable[[Role], Client],
    operator: Operator,
    planned: PlanVersion,
    role: Role,
    name: str,
    kwargs: dict[str, Any],
    query: dict[str, Any],
) -> None:
    response = as_role(role).get(page_url(name, operator, **kwargs), query)

    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_only_the_owner_opens_the_wizard_and_the_adaptations(
    as_role: Callable[[Role], Client],
    operator: Operator,
    planned: PlanVersion,
    role: Role,
    name: str,
    kwargs: dict[str, Any],
) -> None:
    response = as_role(role).get(page_url(name, operator, **kwargs))

    assert response.status_code == (200 if role in EDITORS else 403)


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.VET, Role.SECTOR])
def test_no_one_but_the_owner_changes_a_limit_or_the_answers(
    as_role: Callable[[Role], Client], operator: Operator, planned: PlanVersion, role: Role
) -> None:
    client = as_role(role)

    change = client.post(
        page_url("plans:adapt-kind", operator, kind="change_limit"),
        {"limit": "CCP 9/ccp9-milk", "value": "1e300", "justification": WHY},
    )
    answers = client.post(page_url("plans:profile", operator), wizard_data(reason=WHY))

    assert (change.status_code, answers.status_code) == (403, 403)
    assert PlanVersion.objects.count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.VET])
def test_only_the_owner_is_offered_to_adapt_the_plan(
    as_role: Callable[[Role], Client],
    client: Client,
    operator: Operator,
    owner: User,
    planned: PlanVersion,
    role: Role,
) -> None:
    adapt = page_url("plans:adapt", operator)
    wizard = page_url("plans:profile", operator)

    reader_page = as_role(role).get(page_url("plans:plan", operator)).content.decode()
    client.force_login(owner)
    owner_page = client.get(page_url("plans:plan", operator)).content.decode()

    assert adapt in owner_page and wizard in owner_page
    assert adapt not in reader_page and wizard not in reader_page


def test_without_a_plan_staff_are_told_the_owner_makes_it(
    as_role: Callable[[Role], Client], operator: Operator
) -> None:
    html = as_role(Role.STAFF).get(page_url("plans:plan", operator), HTTP_ACCEPT_LANGUAGE="en")

    assert page_url("plans:profile", operator) not in html.content.decode()
    assert "The owner of the business makes the plan." in html.content.decode()


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def token_of(operator: Operator, make_member: Callable[..., User]) -> Callable[[Role], str]:
    def issue(role: Role) -> str:
        user = make_member(operator, role, username=f"{role.value}-api")
        return f"Bearer {issue_api_token(user, operator).clear_token}"

    return issue


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("path", ["/api/plan", "/api/plan/versions", "/api/plan/versions/1"])
def test_the_api_reads_the_plan_for_the_same_roles_as_the_pages(
    client: Client,
    planned: PlanVersion,
    token_of: Callable[[Role], str],
    role: Role,
    path: str,
) -> None:
    response = client.get(path, headers={"Authorization": token_of(role)})

    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", list(Role))
def test_only_the_owners_token_adapts_the_plan(
    client: Client,
    operator: Operator,
    planned: PlanVersion,
    token_of: Callable[[Role], str],
    role: Role,
) -> None:
    response = client.post(
        "/api/plan/adaptations",
        json.dumps(ADAPTATION),
        content_type="application/json",
        headers={"Authorization": token_of(role)},
    )

    if role in EDITORS:
        assert response.status_code == 201
        assert response.json()["number"] == 2
        assert response.json()["adaptation"]["value"] == 20
        assert PlanVersion.objects.count() == 2
    else:
        assert response.status_code == 403
        assert PlanVersion.objects.count() == 1
