"""Adapting the plan: one kind of change at a time, always with a written justification."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.profile import ProfileError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans import views
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import current_plan

pytestmark = pytest.mark.django_db

WHY = "Our own equipment makes this safe; see the validation file."


def adapt_url(operator: Operator, kind: str | None = None) -> str:
    if kind is None:
        return reverse("plans:adapt", kwargs={"operator_slug": operator.slug})
    return reverse("plans:adapt-kind", kwargs={"operator_slug": operator.slug, "kind": kind})


def test_the_adapt_page_offers_the_six_kinds_of_change(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    html = owner_client.get(adapt_url(operator)).content.decode()

    kinds = ("add_step", "drop_step", "change_limit", "add_action", "drop_action", "drop_control")
    for kind in kinds:
        assert adapt_url(operator, kind) in html


def test_adapting_without_a_plan_sends_to_the_wizard(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.get(adapt_url(operator, "change_limit"))

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:profile", kwargs={"operator_slug": "de-wei"})


def test_an_unknown_kind_of_change_is_a_404(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    assert owner_client.get(adapt_url(operator, "drop_everything")).status_code == 404


def test_changing_a_limit_with_a_justification_makes_a_new_version(
    owner_client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    response = owner_client.post(
        adapt_url(operator, "change_limit"),
        {"limit": "CCP 9/ccp9-milk", "value": "20", "justification": WHY},
    )

    assert response.status_code == 302
    version = PlanVersion.objects.get(number=2)
    assert version.created_by == owner
    assert version.reason == WHY
    plan = current_plan(operator)
    assert plan is not None
    limit = next(x for x in plan.control("CCP 9").limits if x.id == "ccp9-milk")
    assert (limit.value, limit.guide_value, limit.justification) == (20, 15, WHY)


@pytest.mark.parametrize("justification", ["", "too short"], ids=["none", "too short"])
def test_a_change_without_a_real_justification_is_refused(
    owner_client: Client, operator: Operator, planned: PlanVersion, justification: str
) -> None:
    response = owner_client.post(
        adapt_url(operator, "change_limit"),
        {"limit": "CCP 9/ccp9-milk", "value": "20", "justification": justification},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["justification"]
    assert errors and errors[0].startswith(("Een verantwoording", "Schrijf een verantwoording"))
    assert PlanVersion.objects.count() == 1


def test_a_range_limit_needs_its_lowest_and_highest_value(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.post(
        adapt_url(operator, "change_limit"),
        {"limit": "CCP 13/ccp13-hard-temperature", "value": "14", "justification": WHY},
    )

    form = response.context["form"]
    assert set(form.errors) == {"low", "high"}
    assert PlanVersion.objects.count() == 1


def test_a_range_limit_gets_its_new_range(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    owner_client.post(
        adapt_url(operator, "change_limit"),
        {"limit": "CCP 13/ccp13-hard-temperature", "low": "11", "high": "15", "justification": WHY},
    )

    plan = current_plan(operator)
    assert plan is not None
    limit = next(x for x in plan.control("CCP 13").limits if x.id == "ccp13-hard-temperature")
    assert (limit.low, limit.high, limit.adapted) == (11, 15, True)


def test_a_yes_no_check_has_no_value_to_change(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.get(adapt_url(operator, "change_limit"))

    html = response.content.decode()
    assert 'value="CCP 9/ccp9-milk"' in html
    assert "ccp23-vacuum" not in html


def test_adding_a_step_puts_it_after_the_chosen_step_with_its_controls(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.post(
        adapt_url(operator, "add_step"),
        {
            "after": "cheese/brine",
            "title": "Dry the cheese",
            "controls": ["PVA 13"],
            "justification": WHY,
        },
    )

    assert response.status_code == 302
    plan = current_plan(operator)
    assert plan is not None
    steps = [step.id for step in next(f for f in plan.flows if f.id == "cheese").steps]
    assert steps[steps.index("brine") + 1] == "own-dry-the-cheese"


def test_dropping_a_step(owner_client: Client, operator: Operator, planned: PlanVersion) -> None:
    owner_client.post(
        adapt_url(operator, "drop_step"), {"step": "cheese/portion", "justification": WHY}
    )

    plan = current_plan(operator)
    assert plan is not None
    assert "portion" not in [s.id for s in next(f for f in plan.flows if f.id == "cheese").steps]


def test_adding_and_dropping_a_corrective_action(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    owner_client.post(
        adapt_url(operator, "add_action"),
        {"control": "CCP 9", "text": "Call the technician.", "justification": WHY},
    )
    owner_client.post(
        adapt_url(operator, "drop_action"),
        {"action": "CCP 9/ccp9-repasteurise", "justification": WHY},
    )

    plan = current_plan(operator)
    assert plan is not None
    actions = {a.id: a for a in plan.control("CCP 9").corrective_actions}
    assert "ccp9-repasteurise" not in actions
    own = [a for a in actions.values() if a.justification == WHY]
    assert [a.text.nl for a in own] == ["Call the technician."]
    assert PlanVersion.objects.count() == 3


def test_dropping_a_control_takes_it_from_the_plan_and_its_steps(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.post(
        adapt_url(operator, "drop_control"), {"control": "PVA 13", "justification": WHY}
    )

    assert response.status_code == 302
    plan = current_plan(operator)
    assert plan is not None
    assert "PVA 13" not in {c.id for c in plan.controls}
    assert all("PVA 13" not in s.controls for f in plan.flows for s in f.steps)


def test_a_change_to_a_step_no_longer_in_the_plan_is_refused(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    owner_client.post(
        adapt_url(operator, "drop_step"), {"step": "cheese/portion", "justification": WHY}
    )

    # E.g. a form left open in another tab before the step was dropped.
    stale = owner_client.post(
        adapt_url(operator, "add_step"),
        {"after": "cheese/portion", "title": "Wax", "justification": WHY},
    )

    assert stale.status_code == 200
    assert stale.context["form"].errors["after"]
    assert PlanVersion.objects.count() == 2


def test_a_problem_the_plan_builder_finds_is_shown_on_the_field_it_names(
    owner_client: Client,
    operator: Operator,
    planned: PlanVersion,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any) -> None:
        raise ProfileError("adaptations[0].limit", "CCP 9 has no limit 'x' in this plan")

    monkeypatch.setattr(views, "adapt_plan", refuse)

    response = owner_client.post(
        adapt_url(operator, "change_limit"),
        {"limit": "CCP 9/ccp9-milk", "value": "20", "justification": WHY},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["limit"] == [
        "Deze wijziging past niet bij het plan: CCP 9 has no limit 'x' in this plan"
    ]


@pytest.mark.parametrize(
    "kind", [None, "add_step", "drop_step", "change_limit", "add_action", "drop_action"]
)
def test_an_auditor_may_not_adapt_the_plan(
    auditor_client: Client, operator: Operator, planned: PlanVersion, kind: str | None
) -> None:
    url = adapt_url(operator, kind)

    assert auditor_client.get(url).status_code == 403
    response = auditor_client.post(
        url, {"limit": "CCP 9/ccp9-milk", "value": "20", "justification": WHY}
    )
    assert response.status_code == 403
    assert PlanVersion.objects.count() == 1


def test_the_auditor_sees_no_adapt_button(
    auditor_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    html = auditor_client.get(reverse("plans:plan", kwargs={"operator_slug": "de-wei"})).content

    assert adapt_url(operator).encode() not in html
