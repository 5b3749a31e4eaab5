"""API endpoints of the operators context."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.schemas import MembershipOut, MeOut
from dairyhaccp.web.operators.selectors import memberships_for_user

router = Router(tags=["operators"])


@router.get("/me", response=MeOut, summary="The user behind the token and their operators")
def me(request: HttpRequest) -> MeOut:
    membership = api_membership(request)
    user = membership.user
    return MeOut(
        username=user.get_username(),
        full_name=user.get_full_name(),
        email=user.email,
        token_operator=membership.operator.slug,
        operators=[
            MembershipOut(slug=m.operator.slug, name=m.operator.name, role=m.role)
            for m in memberships_for_user(user)
        ],
    )
