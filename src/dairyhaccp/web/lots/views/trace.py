"""Forward and backward traces as a page, a CSV file and a PDF for the inspector; mock recalls."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.pdf import html_to_pdf
from dairyhaccp.web.lots.presentation import percent
from dairyhaccp.web.lots.reports import TraceReport, related_records, trace_csv, trace_report
from dairyhaccp.web.lots.services import LotError, run_mock_recall
from dairyhaccp.web.lots.views.common import lot_from_url
from dairyhaccp.web.operators.access import OperatorRequest, operator_view, require_write

DIRECTIONS = ("forward", "backward")


def _report(request: OperatorRequest, key: str, direction: str) -> TraceReport:
    if direction not in DIRECTIONS:
        raise Http404("No such trace.")
    ref = lot_from_url(request, key)
    book = selectors.trace_book_of(
        request.operator, ref.key, "forward" if direction == "forward" else "backward"
    )
    if ref.key not in book.lots:
        raise Http404("This lot has no quantity recorded.")
    return trace_report(book, ref.key, direction)


def _file_name(report: TraceReport, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in report.start.code)[:60]
    return f"trace-{report.direction}-{safe}.{extension}"


@operator_view
def trace(request: OperatorRequest, key: str, direction: str) -> HttpResponse:
    """Every lot made from this lot (forward) or that it was made from (backward), with the
    customers, what was sold and what is in stock, and each lot's mass balance."""
    report = _report(request, key, direction)
    return render(
        request,
        "lots/trace.html",
        {
            "operator": request.operator,
            "report": report,
            "related": related_records(request.operator, report) if report.forward else None,
        },
    )


@operator_view
def trace_csv_file(request: OperatorRequest, key: str, direction: str) -> HttpResponse:
    """The trace as a CSV file."""
    report = _report(request, key, direction)
    response = HttpResponse(trace_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "csv")}"'
    return response


@operator_view
def trace_pdf(request: OperatorRequest, key: str, direction: str) -> HttpResponse:
    """The trace as a PDF for the inspector."""
    report = _report(request, key, direction)
    context = {
        "operator": request.operator,
        "report": report,
        "related": related_records(request.operator, report) if report.forward else None,
        "made_at": timezone.localtime(),
        "by": request.user,
    }
    html = render_to_string("lots/trace_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(report, "pdf")}"'
    return response


@require_write
def mock_recall(request: OperatorRequest, key: str) -> HttpResponseBase:
    """Run a mock recall from a lot (POST): the forward trace, timed, with the share accounted
    for; the result is kept."""
    ref = lot_from_url(request, key)
    if request.method != "POST":
        return redirect("lots:lot", operator_slug=request.operator.slug, key=ref.key)
    try:
        mock = run_mock_recall(request.operator, request.user, ref.key)
    except LotError as error:
        messages.error(request, error.problem)
        return redirect("lots:lot", operator_slug=request.operator.slug, key=ref.key)
    messages.success(
        request,
        _(
            "Mock recall of {lot}: traced in {ms} ms, {share} of the lot accounted for, "
            "{customers} customer(s) to inform."
        ).format(
            lot=mock.lot_code,
            ms=mock.duration_ms,
            share=percent(mock.accounted_pct),
            customers=mock.customers,
        ),
    )
    return redirect(
        "lots:trace", operator_slug=request.operator.slug, key=ref.key, direction="forward"
    )


@operator_view
def mock_recall_list(request: OperatorRequest) -> HttpResponse:
    """The mock recalls run, newest first."""
    return render(
        request,
        "lots/mock_recalls.html",
        {"operator": request.operator, "mocks": selectors.mock_recalls(request.operator)[:200]},
    )
