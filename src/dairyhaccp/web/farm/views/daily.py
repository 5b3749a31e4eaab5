"""The farm's start: where each role lands, and the farm's today page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from dairyhaccp.web import compiled
from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_membership, farm_view
from dairyhaccp.web.farm.constants import DAILY_ROLES, TREATMENT_WRITERS
from dairyhaccp.web.farm.views.common import certificate_state, may, text
from dairyhaccp.web.operators.access import OperatorRequest
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.selectors import membership_for

# Open findings the farm's today page lists.
OPEN_FINDINGS_SHOWN = 20


@login_required
def index(request: HttpRequest, operator_slug: str) -> HttpResponseBase:
    """Send each role where it works: the sector to its figures, a body's auditor to the
    farms of the body, a farm's auditor to its audits, everyone else to the farm's today."""
    membership = membership_for(request.user, operator_slug)
    if membership is not None and membership.role == Role.SECTOR:
        return redirect("farm:sector", operator_slug=operator_slug)
    if (
        membership is not None
        and membership.role == Role.AUDITOR
        and selectors.body_of(membership.operator) is not None
    ):
        return redirect("farm:body-farms", operator_slug=operator_slug)
    access = farm_membership(request.user, operator_slug)
    if access is None:
        raise Http404("No such farm.")
    if access.role == Role.AUDITOR:
        return redirect("farm:audits", operator_slug=operator_slug)
    return redirect("farm:today", operator_slug=operator_slug)


@farm_view(DAILY_ROLES)
def today(request: OperatorRequest) -> HttpResponse:
    """What the farmer must see today: milk withheld and until which milking, the certificate,
    open findings and open points."""
    operator = request.operator
    now = timezone.now()
    day = timezone.localdate(now)
    profile = selectors.current_profile(operator)
    certificate = selectors.certificate_now(operator, day)
    book = selectors.lastenboek()
    open_findings = [
        (finding, text(book.criterion(finding.criterion_id).text))
        for finding in compiled.instances(
            ("open findings shown", operator.pk, OPEN_FINDINGS_SHOWN),
            lambda: selectors.open_findings(operator)[:OPEN_FINDINGS_SHOWN],
        )
    ]
    open_points = [
        answer
        for answer in selectors.latest_answers(operator).values()
        if answer.open_point and answer.answer != "met"
    ]
    open_points.sort(key=lambda a: (a.open_point_due is None, a.open_point_due or day))
    return render(
        request,
        "farm/today.html",
        {
            "operator": operator,
            "profile": profile,
            "day": day,
            "now": now,
            "withheld": selectors.withheld(operator, now),
            "certificate": certificate,
            "certificate_state": certificate_state(certificate.status),
            "open_findings": open_findings,
            "open_points": [
                (answer, text(book.criterion(answer.criterion_id).text))
                for answer in open_points[:20]
            ],
            "may_treat": may(request, TREATMENT_WRITERS),
        },
    )
