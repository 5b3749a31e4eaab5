"""Importing registrations from a CSV file: upload, preview of every verdict, then store."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dairyhaccp.web.operators.access import OperatorRequest, require_write
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.forms import ImportForm
from dairyhaccp.web.records.presentation import (
    FIELD_LABELS,
    field_label,
    import_columns,
    preview_rows,
)
from dairyhaccp.web.records.registration_csv import CsvProblem
from dairyhaccp.web.records.services import BulkRefusedError, RegistrationError
from dairyhaccp.web.records.services.imports import (
    ImportRefusedError,
    preview_import,
    store_import,
)

STORE = "store"


def _problem_text(problem: CsvProblem) -> str:
    if problem.line <= 0:
        return problem.problem
    column = field_label(problem.column) if problem.column in FIELD_LABELS else problem.column
    if column:
        return _("Line {line}, {column}: {problem}").format(
            line=problem.line, column=column, problem=problem.problem
        )
    return _("Line {line}: {problem}").format(line=problem.line, problem=problem.problem)


@require_write
def import_registrations(request: OperatorRequest) -> HttpResponseBase:
    """Upload a CSV file of registrations, see every verdict, then store them all (or none)."""
    operator = request.operator
    if selectors.operator_plan(operator) is None:
        return render(request, "records/no_plan.html", {"operator": operator})
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"operator": operator, "columns": import_columns()}
    if request.method == "POST" and form.is_valid():
        text = form.text()
        if STORE in request.POST and not request.FILES:
            try:
                recorded = store_import(operator, request.user, text)
            except ImportRefusedError as refused:
                context["problems"] = [_problem_text(p) for p in refused.problems]
            except BulkRefusedError:
                context["problems"] = [_("This file was imported before; nothing was stored.")]
            except RegistrationError as error:
                context["problems"] = [error.problem]
            else:
                deviations = sum(1 for r in recorded if r.deviation is not None)
                messages.success(
                    request,
                    ngettext(
                        "{count} registration stored.",
                        "{count} registrations stored.",
                        len(recorded),
                    ).format(count=len(recorded))
                    + (
                        " "
                        + ngettext(
                            "{count} deviation opened.", "{count} deviations opened.", deviations
                        ).format(count=deviations)
                        if deviations
                        else ""
                    ),
                )
                return redirect("records:today", operator_slug=operator.slug)
        else:
            preview = preview_import(operator, text)
            context["problems"] = [_problem_text(p) for p in preview.problems]
            context["rows"] = preview_rows(preview)
            context["storable"] = preview.storable
            context["store_form"] = ImportForm(initial={"csv": text}) if preview.storable else None
    context["form"] = form
    return render(request, "records/import.html", context)
