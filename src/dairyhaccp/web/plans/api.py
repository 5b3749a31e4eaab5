"""API endpoints of the plans context: the current plan as the CLI's JSON, its versions, and
adapting it.

Members who read the plan (PLAN_READERS) read it here; only its editors (PLAN_EDITORS, the
owner) adapt it. A change the plan builder refuses is a 422 whose message starts with the field.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.profile import ProfileError
from dairyhaccp.web.apischema import error_codes
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.plans.constants import PLAN_EDITORS, PLAN_READERS
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.schemas import AdaptationIn, PlanVersionOut
from dairyhaccp.web.plans.selectors import current_plan_version, plan_of_version, plan_versions
from dairyhaccp.web.plans.services import adapt_plan

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
    response={200: dict[str, Any], **error_codes(404)},
    summary="The current HACCP plan, as `dairyhaccp plan --format json` prints it",
)
def current_plan_data(request: HttpRequest, lang: Lang = "nl") -> dict[str, Any]:
    membership = api_membership(request, *PLAN_READERS)
    version = current_plan_version(membership.operator)
    if version is None:
        raise HttpError(404, "This operator has no plan yet.")
    return plan_to_data(plan_of_version(version), lang)


@router.get("/plan/versions", response=list[PlanVersionOut], summary="Every plan version")
def versions(request: HttpRequest) -> list[PlanVersionOut]:
    membership = api_membership(request, *PLAN_READERS)
    return [_version_out(v) for v in plan_versions(membership.operator)]


@router.get(
    "/plan/versions/{number}",
    response=dict[str, Any],
    summary="One plan version, as `dairyhaccp plan --format json` prints it",
)
def version_data(request: HttpRequest, number: int, lang: Lang = "nl") -> dict[str, Any]:
    membership = api_membership(request, *PLAN_READERS)
    version = plan_versions(membership.operator).filter(number=number).first()
    if version is None:
        raise HttpError(404, "No such plan version.")
    return plan_to_data(plan_of_version(version), lang)


@router.post(
    "/plan/adaptations",
    response={201: PlanVersionOut, **error_codes(404)},
    summary="Adapt the current plan with a justification (owner only); a new version",
)
def adapt(request: HttpRequest, payload: AdaptationIn) -> Status[PlanVersionOut]:
    membership = api_membership(request, *PLAN_EDITORS)
    current = current_plan_version(membership.operator)
    if current is None:
        raise HttpError(404, "This operator has no plan yet.")
    try:
        version = adapt_plan(
            membership.operator, membership.user, payload.model_dump(exclude_defaults=True)
        )
    except ProfileError as error:
        raise HttpError(
            422, _refusal(error, len(current.profile.get("adaptations") or []))
        ) from None
    return Status(201, _version_out(version))


def _refusal(error: ProfileError, new_index: int) -> str:
    """The builder's problem, naming the field of the posted adaptation without its index."""
    prefix = f"adaptations[{new_index}]"
    if error.field == prefix:
        return f"adaptation: {error.problem}"
    if error.field.startswith(prefix + "."):
        return f"{error.field.removeprefix(prefix + '.')}: {error.problem}"
    return f"{error.field}: {error.problem}"
