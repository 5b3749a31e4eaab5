"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from dairyhaccp.web.operators.models import Membership


def current_operator(request: HttpRequest) -> dict[str, object]:
    """The operator and membership resolved for this request, if any, for the top bar."""
    membership = getattr(request, "membership", None)
    if not isinstance(membership, Membership):
        return {"current_operator": None, "current_membership": None, "can_write": False}
    return {
        "current_operator": membership.operator,
        "current_membership": membership,
        "can_write": membership.can_write,
    }
