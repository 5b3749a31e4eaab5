"""Bearer-token authentication of the HTTP API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import ApiToken, Membership
from dairyhaccp.web.operators.selectors import membership_for
from dairyhaccp.web.operators.services import authenticate_api_token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; on success `request.auth` is the ApiToken."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = authenticate_api_token(token)
        if api_token is not None:
            request.user = api_token.user
        return api_token


def api_membership(request: HttpRequest, *roles: Role | str) -> Membership:
    """The membership behind the request's API token; 403 unless its role is one of `roles`.

    With no `roles` any member passes (reading); writing endpoints pass WRITING_ROLES.
    """
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise HttpError(401, "Unauthorized")
    membership = membership_for(token.user, token.operator)
    if membership is None:
        raise HttpError(401, "Unauthorized")
    if roles and membership.role not in {Role(role).value for role in roles}:
        raise HttpError(403, "This role may not do this.")
    return membership
