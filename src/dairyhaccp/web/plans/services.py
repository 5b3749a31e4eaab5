"""Writes of the plans context: every change to a plan stores a new version."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from dairyhaccp.guide.loader import CURRENT_VERSION, load_guide
from dairyhaccp.plan import Plan, build_plan
from dairyhaccp.profile import Adaptation, Profile, ProfileError, profile_from_dict
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.choices import VersionChange
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import current_plan_version


def check_profile(data: Any, guide_version: str = CURRENT_VERSION) -> tuple[Profile, Plan]:
    """The profile and the plan built from `data`; raises ProfileError naming the bad field."""
    profile = profile_from_dict(data)
    return profile, build_plan(load_guide(guide_version), profile)


def _store(
    operator: Operator, user: User, profile: Profile, change: VersionChange, reason: str
) -> PlanVersion:
    # Lock the operator's row so two saves at once cannot take the same number.
    Operator.objects.select_for_update().filter(pk=operator.pk).first()
    latest = PlanVersion.objects.for_operator(operator).aggregate(latest=Max("number"))["latest"]
    return PlanVersion.objects.create(
        operator=operator,
        number=(latest or 0) + 1,
        profile=profile.model_dump(mode="json"),
        guide_version=CURRENT_VERSION,
        change=change,
        reason=reason.strip(),
        created_by=user,
    )


@transaction.atomic
def save_profile(
    operator: Operator, user: User, profile_data: dict[str, Any], reason: str = ""
) -> PlanVersion:
    """Store the wizard's answers as a new plan version, keeping the plan's adaptations.

    The plan is built first: a ProfileError (naming the field) leaves nothing stored.
    """
    data = dict(profile_data)
    if "adaptations" not in data:
        current = current_plan_version(operator)
        data["adaptations"] = current.profile.get("adaptations", []) if current else []
    profile, _plan = check_profile(data)
    return _store(operator, user, profile, VersionChange.PROFILE, reason)


@transaction.atomic
def adapt_plan(
    operator: Operator, user: User, adaptation: Adaptation | dict[str, Any]
) -> PlanVersion:
    """Add one justified adaptation to the current plan as a new version.

    The adapted plan is built first: a ProfileError (naming the field) leaves nothing stored.
    """
    current = current_plan_version(operator)
    if current is None:
        raise ProfileError("profile", "there is no plan to adapt yet")
    change = (
        adaptation.model_dump(mode="json", exclude_defaults=True)
        if isinstance(adaptation, Adaptation)
        else dict(adaptation)
    )
    data = dict(current.profile)
    data["adaptations"] = [*data.get("adaptations", []), change]
    profile, _plan = check_profile(data)
    return _store(
        operator, user, profile, VersionChange.ADAPTATION, profile.adaptations[-1].justification
    )
