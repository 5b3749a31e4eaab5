"""The hygiene score of the farmyard as the audits and inspections gave it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.constants import AUDIT_WRITERS, FARM_ROLES
from dairyhaccp.web.farm.forms import HygieneForm, add_error
from dairyhaccp.web.farm.services import FarmInputError, HygieneInput, record_hygiene_score
from dairyhaccp.web.farm.views.common import may, text
from dairyhaccp.web.operators.access import OperatorRequest


@farm_view(FARM_ROLES)
def hygiene(request: OperatorRequest) -> HttpResponseBase:
    """Every hygiene score, the latest first; the audit's writers add the one a report gives."""
    surroundings = selectors.lastenboek().hygiene_score.surroundings
    ratings = [(r.id, text(r.text)) for r in surroundings.ratings]
    may_record = may(request, AUDIT_WRITERS)
    form = HygieneForm(
        request.POST if request.method == "POST" and may_record else None,
        ratings=ratings,
        initial={"scored_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("This role may not record a hygiene score.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_hygiene_score(
                    request.operator,
                    request.user,
                    HygieneInput(
                        scored_on=data["scored_on"],
                        given_by=data["given_by"],
                        rating=data["rating"],
                        score=data["score"],
                        remark=data["remark"],
                    ),
                )
            except FarmInputError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Hygiene score recorded."))
                return redirect("farm:hygiene", operator_slug=request.operator.slug)
    labels = dict(ratings)
    blocking = {r.id for r in surroundings.ratings if r.no_certificate}
    rows = [
        (entry, labels.get(entry.rating, entry.rating), entry.rating in blocking)
        for entry in selectors.hygiene_ratings(request.operator)
    ]
    return render(
        request,
        "farm/hygiene.html",
        {
            "operator": request.operator,
            "rows": rows,
            "form": form if may_record else None,
            "note": text(surroundings.note),
        },
    )
