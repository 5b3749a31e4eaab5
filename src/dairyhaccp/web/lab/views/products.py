"""Finished products: result entry, the verdict with its criterion and actions, corrections."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.lab import lists, selectors, services
from dairyhaccp.web.lab.forms import ProductResultForm
from dairyhaccp.web.lab.models import ProductResult
from dairyhaccp.web.lab.presentation import count, product_verdict_view
from dairyhaccp.web.lab.views.overview import no_plan
from dairyhaccp.web.lab.views.versions import add_service_errors, correction_page, withdraw_page
from dairyhaccp.web.operators.access import OperatorRequest, operator_view, require_write
from dairyhaccp.web.parameters import parameter_label
from dairyhaccp.web.records.constants import LIST_PAGE
from dairyhaccp.web.records.selectors import page_of
from dairyhaccp.web.records.views.paging import page_number
from dairyhaccp.web.tables import export_format, export_response, filter_form


def _results_text(values: list[float] | list[str]) -> str:
    return " ".join(
        {"detected": "+", "not_detected": "−"}.get(v, v) if isinstance(v, str) else f"{v:g}"
        for v in values
    )


def _shown(values: list[float] | list[str]) -> list[str]:
    return [
        (_("detected") if v == "detected" else _("not detected"))
        if isinstance(v, str)
        else count(v)
        for v in values
    ]


@operator_view
def results(request: OperatorRequest) -> HttpResponseBase:
    """Finished-product results as they stand, newest first, a page at a time, with their
    verdicts; filtered by period, analysis, product, lot and verdict, exported as CSV or XLSX."""
    form = filter_form(lists.ProductFilter, request)
    found = lists.product_results(request.operator, form)
    kind = export_format(request)
    if kind:
        return export_response(
            kind, f"{request.operator.slug}-product-results", lists.product_columns(), found
        )
    page = page_of(found, page_number(request), LIST_PAGE)
    rows = [
        (
            result,
            parameter_label(result.parameter),
            product_verdict_view(selectors.product_verdict(result)),
        )
        for result in page.rows
    ]
    return render(
        request,
        "lab/product_results.html",
        {
            "operator": request.operator,
            "rows": rows,
            "form": form,
            "page": page,
            "page_query": form.query(),
        },
    )


@require_write
def new_result(request: OperatorRequest) -> HttpResponseBase:
    """Enter a finished product's sub-sample results; the verdict page follows."""
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    initial = {k: request.GET[k] for k in ("product_name", "parameter") if k in request.GET}
    form = ProductResultForm(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_product_result(request.operator, request.user, form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Result saved."))
            return redirect(
                "lab:product_verdict", operator_slug=request.operator.slug, entry=result.entry
            )
    return render(request, "lab/product_form.html", {"operator": request.operator, "form": form})


@operator_view
def verdict(request: OperatorRequest, entry: uuid.UUID) -> HttpResponse:
    """The verdict on a product's results: criterion, type, findings, actions, and versions."""
    latest = selectors.latest_version_or_404(ProductResult, request.operator, entry)
    view = None if latest.withdrawn else product_verdict_view(selectors.product_verdict(latest))
    versions = [
        (version, _shown(version.results), selectors.stored_product_verdict(version))
        for version in selectors.versions_of(ProductResult, request.operator, entry)
    ]
    return render(
        request,
        "lab/product_verdict.html",
        {
            "operator": request.operator,
            "result": latest,
            "parameter_label": parameter_label(latest.parameter),
            "values": _shown(latest.results),
            "view": view,
            "versions": versions,
        },
    )


@require_write
def correct(request: OperatorRequest, entry: uuid.UUID) -> HttpResponseBase:
    """Correct a product's results: a new version with the reason."""
    latest = selectors.latest_version_or_404(ProductResult, request.operator, entry)
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    if latest.withdrawn:
        raise Http404("A withdrawn result is not corrected.")
    override = latest.criterion_override or {}
    initial = {
        "product_name": latest.product_name,
        "parameter": latest.parameter,
        "sampled_on": latest.sampled_on,
        "lot": latest.lot,
        "laboratory": latest.laboratory,
        "results": _results_text(latest.results),
        "left_control": ""
        if latest.left_control is None
        else ("yes" if latest.left_control else "no"),
        "own_n": override.get("n"),
        "own_c": override.get("c"),
        "own_m": override.get("m"),
        "own_upper": override.get("M"),
        "remark": latest.remark,
    }
    form = ProductResultForm(plan, request.POST or None, initial=initial, fixed=True)
    return correction_page(
        request,
        form,
        services.correct_product_result,
        entry,
        lambda: redirect("lab:product_verdict", operator_slug=request.operator.slug, entry=entry),
        "lab/product_form.html",
        latest,
    )


@require_write
def withdraw(request: OperatorRequest, entry: uuid.UUID) -> HttpResponseBase:
    """Take a wrongly entered product result out, with the reason."""
    latest = selectors.latest_version_or_404(ProductResult, request.operator, entry)
    what = " · ".join(
        (latest.product_name, parameter_label(latest.parameter), f"{latest.sampled_on:%d-%m-%Y}")
    )
    return withdraw_page(
        request,
        latest,
        services.withdraw_product_result,
        lambda: redirect("lab:product_results", operator_slug=request.operator.slug),
        what,
    )
