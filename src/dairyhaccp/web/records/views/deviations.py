"""Deviations: the list, and one deviation with its actions, notification and closing."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.records import lists, selectors
from dairyhaccp.web.records.constants import LIST_PAGE
from dairyhaccp.web.records.forms import DeviationForm
from dairyhaccp.web.records.models import Deviation
from dairyhaccp.web.records.presentation import (
    action_choices,
    action_labels,
    control_title,
    registration_reasons,
    text,
    value_rows,
)
from dairyhaccp.web.records.services import (
    RegistrationError,
    close_deviation,
    record_deviation_progress,
)
from dairyhaccp.web.records.views.paging import page_number
from dairyhaccp.web.tables import export_format, export_response, filter_form

CLOSE = "close"


@operator_view
def deviation_list(request: OperatorRequest) -> HttpResponseBase:
    """Deviations with their follow-up in one row, open ones first, a page at a time; filtered
    by period, control, product, lot and status, exported as CSV or XLSX (?export=)."""
    current = selectors.operator_plan(request.operator)
    plan = current.plan if current else None
    form = filter_form(lists.DeviationFilter, request, plan=plan)
    kind = export_format(request)
    if kind:
        return export_response(
            kind,
            f"{request.operator.slug}-deviations",
            lists.deviation_columns(),
            lists.deviation_rows(plan, lists.deviations(request.operator, form)),
        )
    page = selectors.kept_page(
        ("deviations", request.operator.pk, form.key()),
        partial(lists.deviations, request.operator, form),
        page_number(request),
        LIST_PAGE,
    )
    return render(
        request,
        "records/deviations.html",
        {
            "operator": request.operator,
            "rows": lists.deviation_page(plan, page.rows),
            "form": form,
            "page": page,
            "page_query": form.query(),
        },
    )


def _deviation(request: OperatorRequest, deviation_id: int) -> Deviation:
    return get_for_operator_or_404(
        selectors.deviations(request.operator), request.operator, pk=deviation_id
    )


def _render(
    request: OperatorRequest, deviation: Deviation, form: DeviationForm | None = None
) -> HttpResponse:
    current = selectors.operator_plan(request.operator)
    plan = current.plan if current else None
    if form is None:
        form = DeviationForm(
            actions=action_choices(plan, deviation.control_id),
            initial={"actions": deviation.actions, "notified_on": deviation.notified_on},
        )
    registration = deviation.registration
    context: dict[str, Any] = {
        "operator": request.operator,
        "deviation": deviation,
        "title": control_title(plan, deviation.control_id),
        "registration": registration,
        "values": value_rows(registration),
        "reasons": registration_reasons(registration),
        "lots": deviation.lots.all(),
        "actions": action_labels(plan, deviation),
        "notifications": [
            {"text": text(n["text"]), "exemption": text(n.get("exemption"))}
            for n in deviation.notifications
        ],
        "events": deviation.events.select_related("by"),
        "form": form,
    }
    return render(request, "records/deviation.html", context)


@operator_view
def deviation_detail(request: OperatorRequest, deviation_id: int) -> HttpResponse:
    """A deviation: what was found, the lots blocked, the actions, and how it was closed."""
    return _render(request, _deviation(request, deviation_id))


@require_write
def handle_deviation(request: OperatorRequest, deviation_id: int) -> HttpResponseBase:
    """Save the corrective actions of a deviation, or save them and close it (POST only)."""
    deviation = _deviation(request, deviation_id)
    if request.method != "POST":
        return redirect(
            "records:deviation", operator_slug=request.operator.slug, deviation_id=deviation.pk
        )
    current = selectors.operator_plan(request.operator)
    plan = current.plan if current else None
    form = DeviationForm(request.POST, actions=action_choices(plan, deviation.control_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if CLOSE in request.POST:
                close_deviation(
                    deviation,
                    request.user,
                    plan,
                    outcome=data["outcome"],
                    justification=data["justification"],
                    action_ids=data["actions"],
                    own_action=data["own_action"],
                    notified_on=data["notified_on"],
                )
                messages.success(request, _("The deviation is closed."))
            else:
                record_deviation_progress(
                    deviation,
                    request.user,
                    plan,
                    data["actions"],
                    data["own_action"],
                    data["notified_on"],
                )
                messages.success(request, _("The corrective actions are saved."))
        except RegistrationError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.problem)
        else:
            return redirect(
                "records:deviation", operator_slug=request.operator.slug, deviation_id=deviation.pk
            )
    deviation.refresh_from_db()
    return _render(request, deviation, form)
