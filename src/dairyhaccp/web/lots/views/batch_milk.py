"""A batch linked to its milk afterwards: one started in one tap without a usable milking."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.lots.constants import MILK_FORM_WINDOW
from dairyhaccp.web.lots.forms import MilkLinkForm
from dairyhaccp.web.lots.services import LotError, link_milk, milk_problem, recent_milkings
from dairyhaccp.web.lots.views.common import add_error, lot_from_url
from dairyhaccp.web.operators.access import OperatorRequest, require_write
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.presentation import milk_label


@require_write
def link(request: OperatorRequest, key: str) -> HttpResponseBase:
    """Choose the milking a batch is made from, among those of the days before it started; the
    ones that may not go into a batch are listed with the reason."""
    ref = lot_from_url(request, key)
    batch = ref.batch
    if batch is None or batch.product == RAW_MILK:
        raise Http404("Only a batch made from milk is linked to its milk.")
    operator = request.operator
    linked = records_selectors.milk_of(operator, [batch.pk]).get(batch.pk, [])
    milkings = [
        milk
        for milk in recent_milkings(operator, batch.started_at, MILK_FORM_WINDOW)
        if milk not in linked
    ]
    problems = {milk.pk: milk_problem(operator, milk) for milk in milkings}
    usable = [milk for milk in milkings if problems[milk.pk] is None]
    form = MilkLinkForm(
        request.POST or None, milkings=[(str(milk.pk), milk_label(milk)) for milk in usable]
    )
    if request.method == "POST" and form.is_valid():
        milk = next(m for m in usable if str(m.pk) == form.cleaned_data["milk"])
        try:
            link_milk(batch, milk)
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("Batch {lot} is made from milk {milk}.").format(
                    lot=batch.lot_code, milk=milk_label(milk)
                ),
            )
            return redirect("records:batch", operator_slug=operator.slug, batch_id=batch.pk)
    return render(
        request,
        "lots/link_milk.html",
        {
            "operator": operator,
            "batch": batch,
            "form": form,
            "linked": [milk_label(milk) for milk in linked],
            "refused": [(milk_label(m), problems[m.pk]) for m in milkings if problems[m.pk]],
        },
    )
