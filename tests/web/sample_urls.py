"""A URL configuration for testing the tenancy helper itself: one scoped view, one leaky one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
)
from dairyhaccp.web.operators.models import Membership


@operator_view
def membership_detail(request: OperatorRequest, membership_id: int) -> HttpResponse:
    membership = get_for_operator_or_404(
        Membership.objects.all(), request.operator, pk=membership_id
    )
    return HttpResponse(membership.role)


def leaky_membership_detail(
    request: HttpRequest, operator_slug: str, membership_id: int
) -> HttpResponse:
    # Deliberately wrong: neither the operator nor the object is checked.
    return HttpResponse(Membership.objects.get(pk=membership_id).role)


urlpatterns = [
    path(
        "sample/<slug:operator_slug>/members/<int:membership_id>/",
        membership_detail,
        name="membership-detail",
    ),
    path(
        "sample/<slug:operator_slug>/leaky/<int:membership_id>/",
        leaky_membership_detail,
        name="leaky-membership-detail",
    ),
    # The site's own URLs, which the page templates link to.
    path("", include("dairyhaccp.web.config.urls")),
]
