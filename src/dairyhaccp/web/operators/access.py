"""Resolving the current operator of a request, and role checks.

A view under `/<operator_slug>/` is decorated with exactly one of:

- `@operator_view` — any member may see it (owners, staff, auditors);
- `@require_role(Role.OWNER, Role.STAFF)` — only those roles; everyone else gets 403.

Both log the user in first, give 404 to a non-member (another operator's pages do not exist
for them), refuse (403) a member whose access is limited to a period that does not hold today,
and set `request.operator` and `request.membership` before calling the view. The view receives
the remaining URL arguments without `operator_slug`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dairyhaccp.web.operators.choices import WRITING_ROLES, Role
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.operators.selectors import membership_for
from dairyhaccp.web.operators.wording import period_refusal

_M = TypeVar("_M", bound=Model)


class OperatorRequest(HttpRequest):
    """A request of a logged-in member, with the operator of the URL resolved."""

    user: User
    operator: Operator
    membership: Membership


OperatorView = Callable[Concatenate[OperatorRequest, ...], HttpResponseBase]
View = Callable[..., HttpResponseBase]


def _resolve(request: HttpRequest, operator_slug: str | None) -> OperatorRequest:
    """Attach the operator of `operator_slug` to the request, or raise 404 for a non-member."""
    if operator_slug is None:
        if isinstance(getattr(request, "membership", None), Membership):
            return request  # type: ignore[return-value]  # already resolved by an outer decorator
        raise TypeError("an operator view needs the operator_slug URL argument")
    membership = membership_for(request.user, operator_slug)
    if membership is None:
        raise Http404("No such operator.")
    request.operator = membership.operator  # type: ignore[attr-defined]
    request.membership = membership  # type: ignore[attr-defined]
    return request  # type: ignore[return-value]


def outside_period_response(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The page that refuses a member outside the period their access is limited to."""
    return render(
        request,
        "operators/outside_period.html",
        {"operator": membership.operator, "refusal": period_refusal(membership)},
        status=403,
    )


def _operator_view(view: OperatorView, roles: frozenset[str] | None) -> View:
    @login_required
    @wraps(view)
    def wrapped(
        request: HttpRequest, *args: Any, operator_slug: str | None = None, **kwargs: Any
    ) -> HttpResponseBase:
        operator_request = _resolve(request, operator_slug)
        if not operator_request.membership.in_force_on(timezone.localdate()):
            return outside_period_response(request, operator_request.membership)
        if roles is not None and operator_request.membership.role not in roles:
            raise PermissionDenied("This role may not do this.")
        return view(operator_request, *args, **kwargs)

    return wrapped


def operator_view(view: OperatorView) -> View:
    """Decorate a view that any member of the URL's operator may see."""
    return _operator_view(view, roles=None)


def require_role(*roles: Role | str) -> Callable[[OperatorView], View]:
    """Decorate a view that only members with one of `roles` may use; others get 403."""
    allowed = frozenset(Role(role).value for role in roles)
    if not allowed:
        raise ValueError("require_role needs at least one role")

    def decorator(view: OperatorView) -> View:
        return _operator_view(view, roles=allowed)

    return decorator


def require_write(view: OperatorView) -> View:
    """Decorate a view that changes data: owners and staff may, auditors get 403."""
    return _operator_view(view, roles=WRITING_ROLES)


def get_for_operator_or_404(queryset: QuerySet[_M], operator: Operator, **lookup: Any) -> _M:
    """The one object of `operator` matching `lookup`; another operator's object is a 404."""
    return get_object_or_404(queryset, operator=operator, **lookup)
