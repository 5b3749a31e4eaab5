"""Making dossiers in the background: a job per request, run by a process of its own.

Verifying the chain of a year of records alone takes longer than a page may wait (see the
README), so asking for a dossier stores a job and starts `manage.py run_dossier_job JOB`; the
page shows the progress and links to the PDF and the ZIP once they are ready. Jobs are copies,
not records: they are removed after KEEP_JOBS.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dairyhaccp.web.dossier.choices import JobStatus, JobStep
from dairyhaccp.web.dossier.constants import KEEP_JOBS, LISTED_JOBS, STALE
from dairyhaccp.web.dossier.models import DossierJob
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections.common import person
from dairyhaccp.web.dossier.services import make_dossier
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator

logger = logging.getLogger(__name__)
SETTINGS = "dairyhaccp.web.config.settings"
# At most this many dossiers of one operator are made at the same time.
MAX_RUNNING = 2

_children: list[subprocess.Popen[bytes]] = []


class DossierBusyError(Exception):
    """Too many dossiers of this operator are being made right now."""


def in_background() -> bool:
    """Whether jobs run in a process of their own (not while testing: the test database is
    only visible to the test's own connection)."""
    return bool(getattr(settings, "DOSSIER_IN_BACKGROUND", not settings.TESTING))


def visible_jobs(membership: Membership) -> QuerySet[DossierJob]:
    """The dossiers a member may see and download: an owner every dossier of the business,
    an auditor those they asked for. Without the files, newest first."""
    jobs = DossierJob.objects.for_operator(membership.operator).defer("pdf", "csv_zip")
    if membership.role != Role.OWNER:
        jobs = jobs.filter(requested_by=membership.user)
    return jobs.order_by("-requested_at", "-pk")


def listed_jobs(membership: Membership) -> list[DossierJob]:
    return list(visible_jobs(membership)[:LISTED_JOBS])


def _is_stale(job: DossierJob) -> bool:
    return job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and (
        job.requested_at < timezone.now() - STALE
    )


def checked_job(job: DossierJob) -> DossierJob:
    """The job as it stands: one left unfinished longer than STALE (its process was stopped)
    is marked failed, so its page stops waiting and offers to try again."""
    if _is_stale(job):
        DossierJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error="stopped before it finished", finished_at=timezone.now()
        )
        job.refresh_from_db(fields=["status", "error", "finished_at"])
    return job


def _remove_old(operator: Operator) -> None:
    DossierJob.objects.for_operator(operator).filter(
        requested_at__lt=timezone.now() - KEEP_JOBS
    ).delete()


def request_dossier(operator: Operator, user: User, period: Period, language: str) -> DossierJob:
    """A job for the dossier of `period` in `language`, started at once.

    The same dossier asked for again while it is being made is that job; DossierBusyError
    when MAX_RUNNING dossiers of the operator are being made."""
    _remove_old(operator)
    unfinished = [
        job
        for job in DossierJob.objects.for_operator(operator)
        .filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
        .defer("pdf", "csv_zip")
        if not _is_stale(job)
    ]
    for job in unfinished:
        same = (job.first_day, job.last_day, job.language) == (period.first, period.last, language)
        if same and job.requested_by_id == user.pk:
            return job
    if len(unfinished) >= MAX_RUNNING:
        raise DossierBusyError("too many dossiers are being made")
    job = DossierJob.objects.create(
        operator=operator,
        first_day=period.first,
        last_day=period.last,
        language=language,
        requested_by=user,
        made_by_name=person(user),
    )
    _start(job)
    return job


def _start(job: DossierJob) -> None:
    if not in_background():
        try:
            run_job(job.pk)
        except Exception:  # stored on the job for its page; the traceback goes to the log
            logger.exception("dossier job %s failed", job.pk)
        job.refresh_from_db(fields=["status", "step", "error", "started_at", "finished_at"])
        return
    transaction.on_commit(lambda: _spawn(job.pk))


def _spawn(job_id: int) -> None:
    """Start `manage.py run_dossier_job` for the job in a process of its own."""
    for child in list(_children):  # reap the processes that finished
        if child.poll() is not None:
            _children.remove(child)
    module = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE or SETTINGS
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": module}
    _children.append(
        subprocess.Popen(  # our own interpreter and command, no shell
            [sys.executable, "-m", "django", "run_dossier_job", str(job_id)],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


def _step(job_id: int, step: JobStep, **fields: object) -> None:
    DossierJob.objects.filter(pk=job_id).update(step=step, **fields)


def run_job(job_id: int) -> None:
    """Make the dossier of a job and store its files, reporting each step; a failure is kept
    for the page to show."""
    job = DossierJob.objects.select_related("operator").defer("pdf", "csv_zip").get(pk=job_id)
    _step(job_id, JobStep.RECORDS, status=JobStatus.RUNNING, started_at=timezone.now())
    reached = [JobStep.RECORDS]

    def progress(step: JobStep) -> None:
        reached.append(step)
        _step(job_id, step)

    try:
        files = make_dossier(
            job.operator,
            Period(job.first_day, job.last_day),
            job.made_by_name,
            job.language,
            progress,
        )
    except Exception as error:  # any failure is kept for the page to show
        _step(
            job_id,
            reached[-1],
            status=JobStatus.FAILED,
            error=repr(error)[:2000],
            finished_at=timezone.now(),
        )
        raise
    _step(
        job_id,
        JobStep.DONE,
        status=JobStatus.DONE,
        pdf=files.pdf,
        csv_zip=files.csv_zip,
        finished_at=timezone.now(),
    )


def job_file(job: DossierJob, field: str) -> bytes:
    """The stored PDF (`pdf`) or ZIP (`csv_zip`) of a finished job."""
    stored = DossierJob.objects.filter(pk=job.pk).values_list(field, flat=True).get()
    if stored is None:
        raise ValueError(f"job {job.pk} has no {field}")
    return bytes(stored)
