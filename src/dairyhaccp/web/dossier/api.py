"""API endpoints of the dossier context: ask for an audit dossier, follow it, fetch its files.

Owners and auditors only (other roles get 403); an auditor sees the dossiers they asked for,
an owner all of the business's. Another operator's dossier is a 404. While the test suite
runs a dossier is made at once; otherwise in the background (poll `GET /dossiers/{id}`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import override
from ninja import Router, Status
from ninja.errors import HttpError

from dairyhaccp.web.apischema import error_codes
from dairyhaccp.web.dossier.jobs import (
    DossierBusyError,
    checked_job,
    job_file,
    listed_jobs,
    request_dossier,
    visible_jobs,
)
from dairyhaccp.web.dossier.models import DossierJob
from dairyhaccp.web.dossier.period import PeriodError, checked_period
from dairyhaccp.web.dossier.schemas import DossierIn, DossierOut, Lang
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership

router = Router(tags=["dossier"])
READERS = (Role.OWNER, Role.AUDITOR)


def _member(request: HttpRequest) -> Membership:
    return api_membership(request, *READERS)


def _url(name: str, job: DossierJob) -> str:
    return reverse(name, kwargs={"operator_slug": job.operator.slug, "job_id": job.pk})


def _out(job: DossierJob) -> DossierOut:
    done = job.is_done
    return DossierOut(
        id=job.pk,
        first_day=job.first_day,
        last_day=job.last_day,
        language=job.language,
        status=job.status,  # type: ignore[arg-type]  # a JobStatus value, checked by the model
        percent=job.percent,
        requested_at=job.requested_at,
        finished_at=job.finished_at,
        made_by=job.made_by_name,
        pdf_url=_url("dossier:pdf", job) if done else None,
        zip_url=_url("dossier:zip", job) if done else None,
    )


def _job(membership: Membership, job_id: int) -> DossierJob:
    job = visible_jobs(membership).select_related("operator").filter(pk=job_id).first()
    if job is None:
        raise HttpError(404, "Not found")
    return checked_job(job)


@router.post(
    "/dossiers",
    response={202: DossierOut, **error_codes(429)},
    summary="Ask for the audit dossier of a period (PDF and ZIP of CSV files)",
)
def ask_dossier(request: HttpRequest, payload: DossierIn, lang: Lang = "nl") -> Status[DossierOut]:
    membership = _member(request)
    with override(lang):
        try:
            period = checked_period(payload.first_day, payload.last_day)
        except PeriodError as error:
            raise HttpError(422, str(error)) from None
        try:
            job = request_dossier(membership.operator, membership.user, period, lang)
        except DossierBusyError:
            raise HttpError(429, "Other dossiers are being made; try again in a minute.") from None
    job.operator = membership.operator
    return Status(202, _out(job))


@router.get("/dossiers", response=list[DossierOut], summary="The dossiers made lately")
def list_dossiers(request: HttpRequest) -> list[DossierOut]:
    membership = _member(request)
    jobs = listed_jobs(membership)
    for job in jobs:
        job.operator = membership.operator
    return [_out(job) for job in jobs]


@router.get("/dossiers/{job_id}", response=DossierOut, summary="A dossier and its progress")
def get_dossier(request: HttpRequest, job_id: int) -> DossierOut:
    return _out(_job(_member(request), job_id))


def _file(request: HttpRequest, job_id: int, field: str, content_type: str) -> HttpResponse:
    job = _job(_member(request), job_id)
    if not job.is_done:
        raise HttpError(409, "The dossier is not ready yet.")
    return HttpResponse(job_file(job, field), content_type=content_type)


@router.get(
    "/dossiers/{job_id}/pdf", summary="The dossier's PDF", response={200: None, **error_codes(409)}
)
def dossier_pdf(request: HttpRequest, job_id: int) -> HttpResponse:
    return _file(request, job_id, "pdf", "application/pdf")


@router.get(
    "/dossiers/{job_id}/zip",
    summary="The dossier's CSV files (ZIP)",
    response={200: None, **error_codes(409)},
)
def dossier_zip(request: HttpRequest, job_id: int) -> HttpResponse:
    return _file(request, job_id, "csv_zip", "application/zip")
