"""API endpoints of the plans context: the current plan as the CLI's JSON, and its versions."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.schemas import PlanVersionOut
from dairyhaccp.web.plans.selectors import current_plan_version, plan_of_version, plan_versions

router = Router(tags=["plans"])

Lang = Literal["nl", "fr", "en"]


def _version_out(version: PlanVersion) -> PlanVersionOut:
    return PlanVersionOut(
        number=version.number,
        created_at=version.created_at,
        created_by=version.created_by.get_username(),
        change=version.change,
        reason=version.reason,
        guide_version=version.guide_version,
        adaptation=version.adaptation,
    )


@router.get(
    "/plan",
    response=dict[str, Any],
    summary="The current HACCP plan, as `dairyhaccp plan --format json` prints it",
)
def current_plan_data(request: HttpRequest, lang: Lang = "nl") -> dict[str, Any]:
    membership = api_membership(request)
    version = current_plan_version(membership.operator)
    if version is None:
        raise HttpError(404, "This operator has no plan yet.")
    return plan_to_data(plan_of_version(version), lang)


@router.get("/plan/versions", response=list[PlanVersionOut], summary="Every plan version")
def versions(request: HttpRequest) -> list[PlanVersionOut]:
    membership = api_membership(request)
    return [_version_out(v) for v in plan_versions(membership.operator)]


@router.get(
    "/plan/versions/{number}",
    response=dict[str, Any],
    summary="One plan version, as `dairyhaccp plan --format json` prints it",
)
def version_data(request: HttpRequest, number: int, lang: Lang = "nl") -> dict[str, Any]:
    membership = api_membership(request)
    version = plan_versions(membership.operator).filter(number=number).first()
    if version is None:
        raise HttpError(404, "No such plan version.")
    return plan_to_data(plan_of_version(version), lang)
