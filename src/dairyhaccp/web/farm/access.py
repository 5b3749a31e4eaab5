"""Who reaches a farm's pages.

A member of the farm (owner, staff, vet) reaches it by their membership. An auditor reaches it
only through the certification body the farm chose: they are an auditor member of that body's
operator. An auditor of body A therefore sees no farm of body B, and an auditor membership at the
farm itself gives nothing here. The sector role reaches no farm page (403 for a member, 404 for
everyone else). A farm nobody may see is a 404, as in the rest of the app; a member whose access
is limited to a period (for an auditor: their period at the body) is refused outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone

from dairyhaccp.web.farm.models import FarmProfile
from dairyhaccp.web.operators.access import OperatorView, View, outside_period_response
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.operators.selectors import membership_for


def chosen_body_operator_id(farm: Operator) -> int | None:
    """The operator id of the certification body the farm's current profile names."""
    profile = (
        FarmProfile.objects.for_operator(farm)
        .order_by("-version")
        .values_list("certification_body__operator_id", flat=True)
        .first()
    )
    return profile


def body_membership(user: User | AnonymousUser, body_operator_id: int | None) -> Membership | None:
    """The auditor membership of `user` at the body operator, or None."""
    if body_operator_id is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(
        user=user, operator_id=body_operator_id, role=Role.AUDITOR
    ).first()


def auditor_of_body(user: User | AnonymousUser, body_operator_id: int | None) -> bool:
    """Whether `user` is an auditor member of the body operator."""
    return body_membership(user, body_operator_id) is not None


def farm_membership(user: User | AnonymousUser, farm: Operator | str) -> Membership | None:
    """The membership that lets `user` see the farm, or None.

    For an auditor it is an implied membership (not stored) through the farm's chosen body.
    """
    membership = membership_for(user, farm)
    if membership is not None and membership.role != Role.AUDITOR:
        return membership
    operator = farm if isinstance(farm, Operator) else Operator.objects.filter(slug=farm).first()
    if operator is None:
        return None
    through = body_membership(user, chosen_body_operator_id(operator))
    if through is None:
        return None
    assert isinstance(user, User)
    # The auditor's period of access at the body holds for the farms of the body too.
    return Membership(
        user=user,
        operator=operator,
        role=Role.AUDITOR,
        access_from=through.access_from,
        access_until=through.access_until,
    )


def farm_view(roles: frozenset[str]) -> Callable[[OperatorView], View]:
    """Decorate a farm page that members with one of `roles` may use (see the module)."""
    if Role.SECTOR in roles:
        raise ValueError("the sector role sees no farm page")

    def decorator(view: OperatorView) -> View:
        @login_required
        @wraps(view)
        def wrapped(
            request: HttpRequest, *args: Any, operator_slug: str, **kwargs: Any
        ) -> HttpResponseBase:
            membership = farm_membership(request.user, operator_slug)
            if membership is None:
                raise Http404("No such farm.")
            if not membership.in_force_on(timezone.localdate()):
                return outside_period_response(request, membership)
            if membership.role not in roles:
                raise PermissionDenied("This role may not do this.")
            request.operator = membership.operator  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)  # type: ignore[arg-type]

        return wrapped

    return decorator
