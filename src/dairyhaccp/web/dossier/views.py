"""Views of the dossier context: choose a period, follow the making, download the files.

For owners and auditors. Making a dossier reads the records and changes none, so an auditor
may ask for one; an auditor sees only the dossiers they asked for, an owner all of them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.web.dossier.constants import KEEP_JOBS
from dairyhaccp.web.dossier.forms import PeriodForm
from dairyhaccp.web.dossier.jobs import (
    DossierBusyError,
    checked_job,
    job_file,
    listed_jobs,
    request_dossier,
    visible_jobs,
)
from dairyhaccp.web.dossier.models import DossierJob
from dairyhaccp.web.dossier.period import default_period
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    require_role,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.language import guide_language

READERS = (Role.OWNER, Role.AUDITOR)


@require_role(*READERS)
def index(request: OperatorRequest) -> HttpResponseBase:
    """The period to cover, and the dossiers made lately."""
    busy = ""
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                job = request_dossier(request.operator, request.user, form.period, guide_language())
            except DossierBusyError:
                busy = _("Other dossiers are being made. Try again in a minute.")
            else:
                return redirect("dossier:job", operator_slug=request.operator.slug, job_id=job.pk)
    else:
        period = default_period()
        form = PeriodForm(initial={"first_day": period.first, "last_day": period.last})
    return render(
        request,
        "dossier/index.html",
        {
            "operator": request.operator,
            "form": form,
            "busy": busy,
            "jobs": listed_jobs(request.membership),
            "keep_days": KEEP_JOBS.days,
        },
        status=(429 if busy else 400) if request.method == "POST" else 200,
    )


def _job(request: OperatorRequest, job_id: int) -> DossierJob:
    jobs = visible_jobs(request.membership)
    return checked_job(get_for_operator_or_404(jobs, request.operator, pk=job_id))


def _context(request: OperatorRequest, job: DossierJob) -> dict[str, Any]:
    return {"operator": request.operator, "job": job}


@require_role(*READERS)
def job_page(request: OperatorRequest, job_id: int) -> HttpResponse:
    """One dossier: its progress while it is made, then its files."""
    return render(request, "dossier/job.html", _context(request, _job(request, job_id)))


@require_role(*READERS)
def job_progress(request: OperatorRequest, job_id: int) -> HttpResponse:
    """htmx: how far the dossier is; once ready, the links to its files."""
    return render(request, "dossier/_progress.html", _context(request, _job(request, job_id)))


def _download(
    request: OperatorRequest, job_id: int, field: str, content_type: str, suffix: str
) -> HttpResponseBase:
    job = _job(request, job_id)
    if not job.is_done:
        return redirect("dossier:job", operator_slug=request.operator.slug, job_id=job.pk)
    response = HttpResponse(job_file(job, field), content_type=content_type)
    name = f"audit-dossier-{request.operator.slug}-{job.first_day:%Y%m%d}-{job.last_day:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response


@require_role(*READERS)
def job_pdf(request: OperatorRequest, job_id: int) -> HttpResponseBase:
    """The dossier's PDF."""
    return _download(request, job_id, "pdf", "application/pdf", "pdf")


@require_role(*READERS)
def job_zip(request: OperatorRequest, job_id: int) -> HttpResponseBase:
    """The dossier's CSV files, in one ZIP."""
    return _download(request, job_id, "csv_zip", "application/zip", "zip")
