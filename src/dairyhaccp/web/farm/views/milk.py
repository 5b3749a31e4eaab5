"""A milking whose withheld milk is confirmed kept apart afterwards: the treatment was entered
after the milking, so the milking could not ask for the confirmation when it was saved."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.constants import FARMER_ROLES
from dairyhaccp.web.farm.forms import add_error
from dairyhaccp.web.farm.services import FarmInputError, confirm_kept_apart, unconfirmed_at_milking
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch


class KeptApartForm(forms.Form):
    withheld_milk_kept_apart = forms.BooleanField(
        label=gettext_lazy("The milk of these animals was kept apart from this milking."),
        error_messages={"required": gettext_lazy("Confirm it, or leave the milking unused.")},
    )


@farm_view(FARMER_ROLES)
def kept_apart(request: OperatorRequest, batch_id: int) -> HttpResponseBase:
    """Ask for, and record, the confirmation that a milking holds no withheld animal's milk."""
    milking = get_for_operator_or_404(
        Batch.objects.filter(product=RAW_MILK), request.operator, pk=batch_id
    )
    missing = unconfirmed_at_milking(request.operator, milking)
    form = KeptApartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirm_kept_apart(request.operator, request.user, milking)
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Recorded: the withheld milk was kept apart."))
            return redirect(
                "records:batch", operator_slug=request.operator.slug, batch_id=milking.pk
            )
    return render(
        request,
        "farm/kept_apart.html",
        {"operator": request.operator, "milking": milking, "missing": missing, "form": form},
    )
