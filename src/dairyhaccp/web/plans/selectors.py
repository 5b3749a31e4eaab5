"""Reads of the plans context; other contexts use `current_plan`."""

from __future__ import annotations

import json
from functools import lru_cache

from django.db.models import QuerySet

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.plan import Plan, build_plan
from dairyhaccp.profile import profile_from_dict
from dairyhaccp.web import compiled
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.models import PlanVersion


def plan_versions(operator: Operator) -> QuerySet[PlanVersion]:
    """The operator's plan versions, newest first, with who made them."""
    return (
        PlanVersion.objects.for_operator(operator).select_related("created_by").order_by("-number")
    )


def current_plan_version(operator: Operator) -> PlanVersion | None:
    """The operator's latest plan version, or None before the wizard was first saved."""
    return plan_versions(operator).first()


# What the plan of a version is built from and named by: most pages judge against the plan and
# show nothing else of its version (who made it, why).
_PLAN_SOURCE = ("number", "profile", "guide_version")


def current_plan_source(operator: Operator) -> PlanVersion | None:
    """The operator's latest plan version with only its number, profile and guide version, or
    None before the wizard was first saved."""
    return compiled.first(
        ("current plan source", operator.pk),
        lambda: (
            PlanVersion.objects.for_operator(operator).only(*_PLAN_SOURCE).order_by("-number")[:1]
        ),
    )


# Plans built in this process: a version never changes, so neither does the plan it describes.
# Keyed by what the plan is built from (the guide version and the profile as stored), so a
# row id reused after a rolled-back transaction can never give another version's plan.
PLAN_CACHE_SIZE = 512


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def _built_plan(guide_version: str, profile: str) -> Plan:
    return build_plan(load_guide(guide_version), profile_from_dict(json.loads(profile)))


def plan_of_version(version: PlanVersion) -> Plan:
    """The plan a stored version describes, built with the guide version it was made with;
    built once per version and process."""
    profile = json.dumps(version.profile, sort_keys=True, separators=(",", ":"))
    return _built_plan(version.guide_version, profile)


def current_plan(operator: Operator) -> Plan | None:
    """The operator's HACCP plan as it stands, or None when they have none yet."""
    version = current_plan_source(operator)
    return plan_of_version(version) if version is not None else None
