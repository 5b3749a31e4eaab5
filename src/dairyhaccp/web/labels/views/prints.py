"""Printing labels for a lot: the print form, the recorded prints and their PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.labels import selectors
from dairyhaccp.web.labels.composing import LabelError
from dairyhaccp.web.labels.forms import PrintForm
from dairyhaccp.web.labels.layouts import printing
from dairyhaccp.web.labels.pdf import html_to_pdf, lot_url, print_face, print_html
from dairyhaccp.web.labels.qr import qr_svg
from dairyhaccp.web.labels.services import printable_label, record_print
from dairyhaccp.web.labels.views.editor import live_context
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.records.models import Batch


def _lot(request: OperatorRequest, batch_id: int) -> Batch:
    return get_for_operator_or_404(Batch.objects.all(), request.operator, pk=batch_id)


def _lot_context(
    request: OperatorRequest, batch: Batch, form: PrintForm | None = None
) -> dict[str, Any]:
    """The lot page: the label it is printed with (or why not), the form and the prints."""
    operator = request.operator
    refusal = ""
    version = composed = None
    try:
        version, composed = printable_label(operator, batch)
    except LabelError as error:
        refusal = error.problem
    if batch.destroyed_at is not None:
        refusal = _("this lot was destroyed")
    if form is None and version is not None and not refusal and request.membership.can_write:
        first = printing().layouts[0]
        form = PrintForm(
            initial={
                "layout": first.id,
                "copies": first.per_page,
                "first_position": 1,
                "net_quantity": version.net_quantity,
            }
        )
    context: dict[str, Any] = {
        "operator": operator,
        "batch": batch,
        "version": version,
        "refusal": refusal,
        "form": form if not refusal else None,
        "prints": selectors.prints_of_batch(batch),
    }
    if composed is not None:
        context.update(live_context(composed, ""))
    return context


@operator_view
def lot_page(request: OperatorRequest, batch_id: int) -> HttpResponse:
    """A lot's labels: the prints recorded for it, and the form to print more."""
    return render(request, "labels/lot.html", _lot_context(request, _lot(request, batch_id)))


@require_write
def print_lot(request: OperatorRequest, batch_id: int) -> HttpResponseBase:
    """Record a print of labels for a lot, then show it with its PDF."""
    batch = _lot(request, batch_id)
    if request.method != "POST":
        return redirect("labels:lot", operator_slug=request.operator.slug, batch_id=batch.pk)
    form = PrintForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            label_print = record_print(
                request.operator,
                request.user,
                batch,
                copies=data["copies"],
                layout=data["layout"],
                net_quantity=data["net_quantity"],
                first_position=data["first_position"],
            )
        except LabelError as error:
            form.add_label_error(error)
        else:
            messages.success(request, _("The print is recorded for this lot."))
            return redirect(
                "labels:print", operator_slug=request.operator.slug, print_id=label_print.pk
            )
    return render(request, "labels/lot.html", _lot_context(request, batch, form))


@operator_view
def print_page(request: OperatorRequest, print_id: int) -> HttpResponse:
    """A recorded print: which label version, how many, and its PDF."""
    label_print = get_for_operator_or_404(
        selectors.prints(request.operator), request.operator, pk=print_id
    )
    layout = printing().layout(label_print.layout)
    return render(
        request,
        "labels/print.html",
        {
            "operator": request.operator,
            "print": label_print,
            "layout": layout,
            "face": print_face(label_print),
            "qr": qr_svg(lot_url(request, label_print.batch), label_print.batch.lot_code),
        },
    )


@operator_view
def print_pdf(request: OperatorRequest, print_id: int) -> HttpResponse:
    """The PDF of a recorded print, to send to the printer (opening it records nothing)."""
    label_print = get_for_operator_or_404(
        selectors.prints(request.operator), request.operator, pk=print_id
    )
    response = HttpResponse(
        html_to_pdf(print_html(request, label_print)), content_type="application/pdf"
    )
    filename = f"labels-{label_print.batch.lot_code}-{label_print.pk}.pdf"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename)
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    return response
