"""Plan versions: written by save_profile and adapt_plan, validated first, never changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from dairyhaccp.guide.loader import CURRENT_VERSION
from dairyhaccp.profile import ProfileError
from dairyhaccp.web.operators.models import AppendOnlyError, Operator
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.plans.choices import VersionChange
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import current_plan, current_plan_version, plan_versions
from dairyhaccp.web.plans.services import adapt_plan, save_profile

from .conftest import demo_profile

pytestmark = pytest.mark.django_db

MILK_LIMIT_TO_16_S: dict[str, Any] = {
    "kind": "change_limit",
    "control": "CCP 9",
    "limit": "ccp9-milk",
    "value": 16,
    "justification": "Our plate pasteuriser holds 16 s; we keep the margin.",
}


def test_an_operator_without_versions_has_no_plan(operator: Operator) -> None:
    assert current_plan(operator) is None
    assert current_plan_version(operator) is None


def test_saving_the_profile_stores_version_one_with_who_and_the_guide(
    operator: Operator, owner: User
) -> None:
    version = save_profile(operator, owner, demo_profile(), "First plan")

    assert version.number == 1
    assert version.created_by == owner
    assert version.guide_version == CURRENT_VERSION
    assert version.change == VersionChange.PROFILE
    assert version.reason == "First plan"
    assert version.profile["products"][0]["kind"] == "semi_hard_cheese"
    assert version.profile["adaptations"] == []


def test_current_plan_is_built_from_the_latest_version(operator: Operator, owner: User) -> None:
    save_profile(operator, owner, demo_profile())
    only_butter = {**demo_profile(), "products": [{"kind": "butter"}]}

    save_profile(operator, owner, only_butter, "We stopped making cheese")

    plan = current_plan(operator)
    assert plan is not None
    assert [flow.id for flow in plan.flows] == ["butter"]
    assert [v.number for v in plan_versions(operator)] == [2, 1]


def test_numbers_count_per_operator(operator: Operator, owner: User) -> None:
    other = create_operator("Hoeve Twee", slug="hoeve-twee")
    save_profile(operator, owner, demo_profile())
    save_profile(operator, owner, demo_profile())

    first_of_other = save_profile(other, owner, demo_profile())

    assert first_of_other.number == 1


def test_a_bad_profile_names_the_field_and_stores_nothing(operator: Operator, owner: User) -> None:
    profile = {**demo_profile(), "products": [{"kind": "stirred_yoghurt", "raw_milk": True}]}

    with pytest.raises(ProfileError) as raised:
        save_profile(operator, owner, profile)

    assert raised.value.field == "products[0]"
    assert "pasteurised" in raised.value.problem
    assert not PlanVersion.objects.exists()


def test_adapting_stores_a_new_version_with_the_justification_as_reason(
    operator: Operator, owner: User
) -> None:
    save_profile(operator, owner, demo_profile())

    version = adapt_plan(operator, owner, MILK_LIMIT_TO_16_S)

    assert version.number == 2
    assert version.change == VersionChange.ADAPTATION
    assert version.reason == MILK_LIMIT_TO_16_S["justification"]
    assert version.adaptation is not None
    assert version.adaptation["limit"] == "ccp9-milk"
    plan = current_plan(operator)
    assert plan is not None
    milk = next(limit for limit in plan.control("CCP 9").limits if limit.id == "ccp9-milk")
    assert (milk.value, milk.guide_value, milk.adapted) == (16, 15, True)


def test_an_adaptation_that_does_not_fit_stores_nothing(operator: Operator, owner: User) -> None:
    save_profile(operator, owner, demo_profile())

    with pytest.raises(ProfileError) as raised:
        adapt_plan(operator, owner, {**MILK_LIMIT_TO_16_S, "limit": "ccp9-nothing"})

    assert raised.value.field == "adaptations[0].limit"
    assert PlanVersion.objects.count() == 1


def test_an_adaptation_without_justification_is_refused(operator: Operator, owner: User) -> None:
    save_profile(operator, owner, demo_profile())

    with pytest.raises(ProfileError) as raised:
        adapt_plan(operator, owner, {**MILK_LIMIT_TO_16_S, "justification": "   "})

    assert raised.value.field == "adaptations[0].justification"
    assert PlanVersion.objects.count() == 1


def test_adapting_before_there_is_a_plan_is_refused(operator: Operator, owner: User) -> None:
    with pytest.raises(ProfileError):
        adapt_plan(operator, owner, MILK_LIMIT_TO_16_S)


def test_new_answers_keep_the_adaptations(operator: Operator, owner: User) -> None:
    save_profile(operator, owner, demo_profile())
    adapt_plan(operator, owner, MILK_LIMIT_TO_16_S)
    without_adaptations = {k: v for k, v in demo_profile().items() if k != "adaptations"}

    version = save_profile(operator, owner, without_adaptations, "New name")

    assert version.profile["adaptations"][0]["limit"] == "ccp9-milk"


def test_a_version_is_never_updated(operator: Operator, owner: User) -> None:
    version = save_profile(operator, owner, demo_profile(), "First")
    version.reason = "rewritten history"

    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        PlanVersion.objects.filter(pk=version.pk).update(reason="rewritten history")

    assert PlanVersion.objects.get(pk=version.pk).reason == "First"


def test_a_version_is_never_deleted(operator: Operator, owner: User) -> None:
    version = save_profile(operator, owner, demo_profile())

    with pytest.raises(AppendOnlyError):
        version.delete()
    with pytest.raises(AppendOnlyError):
        PlanVersion.objects.all().delete()

    assert PlanVersion.objects.count() == 1
