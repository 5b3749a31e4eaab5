"""Raw milk: result entry, CSV import, verdicts with the trend, corrections, withdrawal periods."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.lab.csv_import import (
    FIELD_ALIASES,
    PARAMETER_ALIASES,
    CsvImportError,
    decode_csv,
)
from dairyhaccp.web.lab import lists, selectors, services
from dairyhaccp.web.lab.forms import (
    CsvImportForm,
    RawMilkResultForm,
    WithdrawalPeriodForm,
    stream_label,
)
from dairyhaccp.web.lab.models import RawMilkResult
from dairyhaccp.web.lab.presentation import (
    csv_problem_text,
    raw_milk_view,
    result_value,
)
from dairyhaccp.web.lab.views.overview import no_plan
from dairyhaccp.web.lab.views.versions import add_service_errors, correction_page, withdraw_page
from dairyhaccp.web.operators.access import OperatorRequest, operator_view, require_write
from dairyhaccp.web.parameters import parameter_label
from dairyhaccp.web.records.constants import LIST_PAGE
from dairyhaccp.web.records.selectors import page_of
from dairyhaccp.web.records.views.paging import page_number
from dairyhaccp.web.tables import export_format, export_response, filter_form


def _verdict_redirect(request: OperatorRequest, result: RawMilkResult) -> HttpResponseBase:
    return redirect(
        "lab:raw_milk_verdict",
        operator_slug=request.operator.slug,
        species=result.species,
        source=result.source,
        parameter=result.parameter,
    )


@require_write
def new_result(request: OperatorRequest) -> HttpResponseBase:
    """Enter a raw-milk result by hand; the verdict page follows."""
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    initial = {key: request.GET[key] for key in ("stream", "parameter") if key in request.GET}
    form = RawMilkResultForm(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_raw_milk_result(
                request.operator, request.user, form.to_input()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Result saved."))
            return _verdict_redirect(request, result)
    return render(request, "lab/raw_milk_form.html", {"operator": request.operator, "form": form})


def _single_verdicts(verdict: selectors.RowVerdict) -> dict[int, bool | None]:
    """Per result (by pk): its single verdict as the shown judgement holds it (None: not
    judged, its date lies where no judge goes)."""
    judged: dict[tuple[str, object, object], list[bool]] = {}
    if verdict.judgement is not None:
        for single in verdict.judgement.singles:
            judged.setdefault((single.ref, single.day, single.value), []).append(single.conform)
    flags: dict[int, bool | None] = {}
    for result in verdict.results:
        same = judged.get((str(result.entry), result.sampled_on, result.value))
        flags[result.pk] = same.pop(0) if same else None
    return flags


@operator_view
def verdict(request: OperatorRequest, species: str, source: str, parameter: str) -> HttpResponse:
    """The verdict on one analysis of one milk source: norm, means, months, trend, actions."""
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    stream = selectors.find_stream(plan, species, source)
    if stream is None or parameter not in stream.parameters:
        raise Http404("This milk is not analysed for this parameter in the plan.")
    verdicts = [
        selectors.row_verdict(request.operator, plan, stream, row)
        for row in stream.rows
        if row.parameter == parameter
    ]
    flags = _single_verdicts(verdicts[0])
    rows = [
        {"result": r, "value": result_value(r.value), "conform": flags[r.pk]}
        for r in reversed(verdicts[0].results)
    ]
    return render(
        request,
        "lab/raw_milk_verdict.html",
        {
            "operator": request.operator,
            "stream_label": stream_label(species, source),
            "stream": stream,
            "parameter": parameter,
            "parameter_label": parameter_label(parameter),
            "views": [raw_milk_view(v) for v in verdicts],
            "rows": rows,
        },
    )


@operator_view
def result(request: OperatorRequest, entry: uuid.UUID) -> HttpResponse:
    """One result with all its versions: who recorded or changed it, when and why."""
    latest = selectors.latest_version_or_404(RawMilkResult, request.operator, entry)
    versions = [
        (version, result_value(version.value), selectors.verdicts_caused_by(version))
        for version in selectors.versions_of(RawMilkResult, request.operator, entry)
    ]
    return render(
        request,
        "lab/raw_milk_result.html",
        {
            "operator": request.operator,
            "result": latest,
            "value": result_value(latest.value),
            "parameter_label": parameter_label(latest.parameter),
            "stream_label": stream_label(latest.species, latest.source),
            "versions": versions,
        },
    )


@require_write
def correct(request: OperatorRequest, entry: uuid.UUID) -> HttpResponseBase:
    """Correct a result: a new version with the reason; the old one stays readable."""
    latest = selectors.latest_version_or_404(RawMilkResult, request.operator, entry)
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    if latest.withdrawn:
        raise Http404("A withdrawn result is not corrected.")
    initial = {
        "stream": f"{latest.species}:{latest.source}",
        "parameter": latest.parameter,
        "sampled_on": latest.sampled_on,
        "count": latest.count,
        "outcome": latest.outcome,
        "sample_ref": latest.sample_ref,
        "laboratory": latest.laboratory,
        "lots": latest.lots,
        "left_control": ""
        if latest.left_control is None
        else ("yes" if latest.left_control else "no"),
        "remark": latest.remark,
    }
    form = RawMilkResultForm(plan, request.POST or None, initial=initial, fixed=True)
    return correction_page(
        request,
        form,
        services.correct_raw_milk_result,
        entry,
        lambda: _verdict_redirect(request, latest),
        "lab/raw_milk_form.html",
        latest,
    )


@require_write
def withdraw(request: OperatorRequest, entry: uuid.UUID) -> HttpResponseBase:
    """Take a wrongly entered result out, with the reason; it stays in the history."""
    latest = selectors.latest_version_or_404(RawMilkResult, request.operator, entry)
    what = (
        f"{parameter_label(latest.parameter)} · {latest.sampled_on:%d-%m-%Y} · "
        f"{result_value(latest.value)}"
    )
    return withdraw_page(
        request,
        latest,
        services.withdraw_raw_milk_result,
        lambda: _verdict_redirect(request, latest),
        what,
    )


@require_write
def import_csv(request: OperatorRequest) -> HttpResponseBase:
    """Import a lab's CSV file whole, or show every problem and store nothing."""
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    form = CsvImportForm(plan, request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        species, source = form.cleaned_data["stream"].split(":", 1)
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_raw_milk_csv(
                request.operator,
                request.user,
                species,
                source,
                upload.name,
                decode_csv(upload.read()),
            )
        except CsvImportError as exc:
            problems = [csv_problem_text(problem) for problem in exc.problems]
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(
                request,
                _("{count} results imported from {file}.").format(
                    count=batch.result_count, file=batch.file_name
                ),
            )
            return redirect("lab:index", operator_slug=request.operator.slug)
    columns = [(field, ", ".join(aliases)) for field, aliases in FIELD_ALIASES.items()]
    parameters = [
        (parameter_label(name), ", ".join(aliases)) for name, aliases in PARAMETER_ALIASES.items()
    ]
    return render(
        request,
        "lab/import.html",
        {
            "operator": request.operator,
            "form": form,
            "problems": problems,
            "columns": columns,
            "parameters": parameters,
        },
    )


@require_write
def new_withdrawal(request: OperatorRequest) -> HttpResponseBase:
    """Note the end of a treated animal's withdrawal period: an antibiotic test is then due."""
    plan = selectors.plan_or_none(request.operator)
    if plan is None:
        return no_plan(request)
    form = WithdrawalPeriodForm(plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_withdrawal_period(
                request.operator,
                request.user,
                data["species"],
                data["animal"],
                data["ends_on"],
                data["remark"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved: an antibiotic test is due when the period ends."))
            return redirect("lab:index", operator_slug=request.operator.slug)
    return render(request, "lab/withdrawal_form.html", {"operator": request.operator, "form": form})


@operator_view
def results(request: OperatorRequest) -> HttpResponseBase:
    """Raw-milk results as they stand, newest first, a page at a time, each with its own
    verdict; filtered by period, analysis and lot, exported as CSV or XLSX (?export=)."""
    form = filter_form(lists.RawMilkFilter, request)
    found = lists.raw_milk_results(request.operator, form)
    kind = export_format(request)
    if kind:
        return export_response(
            kind,
            f"{request.operator.slug}-raw-milk-results",
            lists.raw_milk_columns(),
            lists.raw_milk_export_rows(request.operator, found),
        )
    page = page_of(found, page_number(request), LIST_PAGE)
    rows = [
        {
            "row": row,
            "milk": lists.milk_label(row.result),
            "parameter": parameter_label(row.result.parameter),
            "value": lists.raw_milk_shown(row.result),
        }
        for row in lists.raw_milk_rows(request.operator, page.rows)
    ]
    return render(
        request,
        "lab/raw_milk_results.html",
        {
            "operator": request.operator,
            "rows": rows,
            "form": form,
            "page": page,
            "page_query": form.query(),
        },
    )
