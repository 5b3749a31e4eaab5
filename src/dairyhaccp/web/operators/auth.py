"""Bearer-token authentication of the HTTP API."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import ApiToken, Membership
from dairyhaccp.web.operators.selectors import membership_for
from dairyhaccp.web.operators.services import authenticate_api_token
from dairyhaccp.web.operators.wording import period_refusal


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; on success `request.auth` is the ApiToken.

    A member whose access is limited to a period that does not hold today gets 403 on every
    route.
    """

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        access = authenticate_api_token(token)
        if access is None:
            return None
        refuse_outside_period(access.membership)
        setattr(request, _MEMBERSHIP, access.membership)  # read once per request
        request.user = access.token.user
        return access.token


# The membership authenticate() found, kept on the request for api_membership().
_MEMBERSHIP = "_api_membership"


def refuse_outside_period(membership: Membership) -> None:
    """403 when the member's access does not hold today."""
    if not membership.in_force_on(timezone.localdate()):
        raise HttpError(403, period_refusal(membership))


def api_membership(request: HttpRequest, *roles: Role | str) -> Membership:
    """The membership behind the request's API token; 403 unless its role is one of `roles`.

    With no `roles` any member passes (reading); writing endpoints pass WRITING_ROLES.
    """
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise HttpError(401, "Unauthorized")
    membership = getattr(request, _MEMBERSHIP, None)
    if not (
        isinstance(membership, Membership)
        and membership.user_id == token.user_id
        and membership.operator_id == token.operator_id
    ):
        membership = membership_for(token.user, token.operator)
    if membership is None:
        raise HttpError(401, "Unauthorized")
    refuse_outside_period(membership)
    if roles and membership.role not in {Role(role).value for role in roles}:
        raise HttpError(403, "This role may not do this.")
    return membership
