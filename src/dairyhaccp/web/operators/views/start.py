"""Choosing an operator, its dashboard and its settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.access import OperatorRequest, operator_view, require_role
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.forms import OperatorSettingsForm
from dairyhaccp.web.operators.selectors import operators_for_user
from dairyhaccp.web.operators.services import set_plan_responsibility, update_operator_details
from dairyhaccp.web.operators.services.twofactor import may_use_two_factor
from dairyhaccp.web.plans.pdf_jobs import forget_pdfs


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    """Send a user with one operator to its dashboard; let a user with several pick one."""
    operators = list(operators_for_user(request.user))
    if len(operators) == 1:
        return redirect("operators:dashboard", operator_slug=operators[0].slug)
    context = {"operators": operators, "two_factor_allowed": may_use_two_factor(request.user)}  # type: ignore[arg-type]  # logged in
    return render(request, "operators/home.html", context)


@operator_view
def dashboard(request: OperatorRequest) -> HttpResponse:
    """The operator's start page: links to everything the member may use."""
    return render(request, "operators/dashboard.html", {"operator": request.operator})


@require_role(Role.OWNER)
def operator_settings(request: OperatorRequest) -> HttpResponseBase:
    """Let the owner change the name, address, FAVV unit number, kind and start of the business."""
    operator = request.operator
    form = OperatorSettingsForm(
        request.POST or None,
        operator_kind=operator.kind,
        initial={
            "name": operator.name,
            "address": operator.address,
            "favv_number": operator.favv_number,
            "kind": operator.kind,
            "active_since": operator.active_since,
            "responsible_person": operator.responsible_person,
            "plan_approved_on": operator.plan_approved_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        update_operator_details(operator, form.business())
        set_plan_responsibility(
            operator,
            form.cleaned_data["responsible_person"],
            form.cleaned_data["plan_approved_on"],
        )
        forget_pdfs(operator)  # their cover shows these details
        messages.success(request, _("Settings saved."))
        return redirect("operators:dashboard", operator_slug=operator.slug)
    return render(request, "operators/settings.html", {"operator": operator, "form": form})
