"""The self-assessment: readiness per module, each criterion with its answer and evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.constants import FARM_ROLES, FARMER_ROLES
from dairyhaccp.web.farm.evidence import assessment as build_assessment
from dairyhaccp.web.farm.evidence import criterion_row
from dairyhaccp.web.farm.forms import AnswerForm, add_error
from dairyhaccp.web.farm.models import EvidenceFile
from dairyhaccp.web.farm.services import (
    AnswerInput,
    FarmInputError,
    answer_criterion,
    store_evidence_file,
)
from dairyhaccp.web.farm.views.common import may, text
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404


@farm_view(FARM_ROLES)
def assessment(request: OperatorRequest) -> HttpResponse:
    """Every criterion by module with readiness at a glance."""
    modules = [
        {
            "name": text(group.module.name) if group.module else _("Preconditions"),
            "readiness": group.readiness,
            "rows": [(row, text(row.criterion.text)) for row in group.rows],
        }
        for group in build_assessment(request.operator)
    ]
    book = selectors.lastenboek()
    return render(
        request,
        "farm/assessment.html",
        {
            "operator": request.operator,
            "modules": modules,
            "title": text(book.meta.title),
            "note": text(book.meta.note),
            "may_answer": may(request, FARMER_ROLES),
        },
    )


@farm_view(FARM_ROLES)
def answer(request: OperatorRequest, criterion_id: str) -> HttpResponseBase:
    """One criterion: its text, evidence, the answer's versions; the farmer answers here."""
    row = criterion_row(request.operator, criterion_id)
    if row is None:
        raise Http404("No such criterion.")
    may_answer = may(request, FARMER_ROLES)
    current = row.answer
    initial = (
        {
            "answer": current.answer,
            "evidence_note": current.evidence_note,
            "evidence_link": current.evidence_link,
            "open_point": current.open_point,
            "open_point_due": current.open_point_due,
        }
        if current
        else {"answer": row.effective}
        if row.effective
        else {}
    )
    form = AnswerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied("This role may not answer.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # no file kept without the answer it evidences
                    upload = data.get("evidence_file")
                    evidence_file = (
                        store_evidence_file(
                            request.operator, request.user, upload.name, upload.read()
                        )
                        if upload
                        else (current.evidence_file if current else None)
                    )
                    answer_criterion(
                        request.operator,
                        request.user,
                        AnswerInput(
                            criterion_id=criterion_id,
                            answer=data["answer"],
                            evidence_note=data["evidence_note"],
                            evidence_link=data["evidence_link"],
                            evidence_file=evidence_file,
                            open_point=data["open_point"],
                            open_point_due=data["open_point_due"],
                        ),
                    )
            except FarmInputError as error:
                add_error(form, error)
            else:
                messages.success(request, _("Answer saved."))
                return redirect("farm:assessment", operator_slug=request.operator.slug)
    criterion = row.criterion
    return render(
        request,
        "farm/answer.html",
        {
            "operator": request.operator,
            "row": row,
            "criterion_text": text(criterion.text),
            "criterion_note": text(criterion.note),
            "evidence_kinds": criterion.evidence,
            "versions": list(selectors.answer_versions(request.operator, criterion_id)),
            "form": form,
            "may_answer": may_answer,
        },
    )


@farm_view(FARM_ROLES)
def evidence_file(request: OperatorRequest, file_id: int) -> HttpResponse:
    """An evidence file of the farm, to its members only; always downloaded, never run."""
    stored = get_for_operator_or_404(EvidenceFile.objects.all(), request.operator, pk=file_id)
    response = HttpResponse(bytes(stored.data), content_type=stored.content_type)
    safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in stored.name)[:100]
    response["Content-Disposition"] = f'attachment; filename="{safe_name or "evidence"}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
