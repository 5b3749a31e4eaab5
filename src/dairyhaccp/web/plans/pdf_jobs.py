"""Making the plan's PDF in the background, once per plan version and language.

Asking for the PDF of a version creates its job and starts a separate process for it
(`manage.py make_plan_pdf JOB`), so the page answers at once and shows the progress; the
PDF is then served from the database for as long as the version exists. A job that stopped
without finishing (its process was killed) is started again once it is older than STALE.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.choices import PdfStatus
from dairyhaccp.web.plans.models import PlanPdf, PlanVersion
from dairyhaccp.web.plans.pdf import layout, write
from dairyhaccp.web.plans.presentation import plan_context
from dairyhaccp.web.plans.selectors import plan_of_version

# The steps a job goes through, as its progress shows them.
STEP_HTML, STEP_LAYOUT, STEP_WRITE, STEP_DONE = 1, 2, 3, 4
STEPS = STEP_DONE
# A job not finished after this long was stopped: it is started again when asked for.
STALE = timedelta(minutes=10)

SETTINGS = "dairyhaccp.web.config.settings"

_children: list[subprocess.Popen[bytes]] = []


def in_background() -> bool:
    """Whether jobs run in a process of their own (not while testing: the test database is
    only visible to the test's own connection)."""
    return bool(getattr(settings, "PLAN_PDF_IN_BACKGROUND", not settings.TESTING))


def _stale(job: PlanPdf) -> bool:
    if job.status == PdfStatus.FAILED:
        return True
    if job.status == PdfStatus.DONE:
        return False
    return job.requested_at < timezone.now() - STALE


def pdf_job(version: PlanVersion, language: str) -> PlanPdf:
    """The PDF job of a version in a language: made and started when there is none yet, or
    started again when the last one failed or stopped."""
    job = PlanPdf.objects.filter(version=version, language=language).defer("pdf").first()
    if job is None:
        try:
            with transaction.atomic():
                job = PlanPdf.objects.create(
                    operator_id=version.operator_id, version=version, language=language
                )
        except IntegrityError:  # asked for twice at once: the other request made it
            return PlanPdf.objects.defer("pdf").get(version=version, language=language)
        _start(job)
    elif _stale(job):
        PlanPdf.objects.filter(pk=job.pk).update(
            status=PdfStatus.QUEUED,
            step=0,
            error="",
            requested_at=timezone.now(),
            started_at=None,
            finished_at=None,
        )
        job.refresh_from_db(fields=["status", "step", "error", "requested_at"])
        _start(job)
    return job


def _start(job: PlanPdf) -> None:
    if not in_background():
        make_pdf(job.pk)
        job.refresh_from_db(fields=["status", "step", "error", "finished_at"])
        return
    transaction.on_commit(lambda: _spawn(job.pk))


def _spawn(job_id: int) -> None:
    """Start `manage.py make_plan_pdf` for the job in a process of its own."""
    for child in list(_children):  # reap the processes that finished
        if child.poll() is not None:
            _children.remove(child)
    module = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE or SETTINGS
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": module}
    _children.append(
        subprocess.Popen(  # our own interpreter and command, no shell
            [sys.executable, "-m", "django", "make_plan_pdf", str(job_id)],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


def _step(job_id: int, step: int, **fields: object) -> None:
    PlanPdf.objects.filter(pk=job_id).update(step=step, **fields)


def css_string(text: str) -> str:
    """A text as a quoted CSS string: anything but plain letters, digits and spaces escaped."""
    escaped = "".join(
        char if char.isalnum() or char in " .,:/-" else f"\\{ord(char):x} " for char in text
    )
    return f'"{escaped}"'


def _running(operator: Operator, version: PlanVersion, printed_on: date) -> dict[str, str]:
    """The running header and footer of the plan's pages as CSS content values."""
    page = _("Page {page} of {pages}").format(page="\0", pages="\1")
    before, rest = page.split("\0")
    between, after = rest.split("\1")
    return {
        "business": css_string(operator.name),
        "version": css_string(_("HACCP plan, version {number}").format(number=version.number)),
        "printed": css_string(
            _("Printed on {date}").format(date=formats.date_format(printed_on, "DATE_FORMAT"))
        ),
        "page": " ".join(
            (
                css_string(before),
                "counter(page)",
                css_string(between),
                "counter(pages)",
                css_string(after),
            )
        ),
    }


def pdf_context(operator: Operator, version: PlanVersion) -> dict[str, Any]:
    """Everything the PDF template shows: the cover, the running header and the plan. The
    approval date is shown only when it is not older than the version (else it approved an
    earlier plan, and the cover leaves a line to write it)."""
    printed_on = timezone.localdate()
    approved_on = operator.plan_approved_on
    if approved_on is not None and approved_on < timezone.localdate(version.created_at):
        approved_on = None
    context: dict[str, Any] = {
        "operator": operator,
        "version": version,
        "printed_on": printed_on,
        "approved_on": approved_on,
        "running": {
            key: mark_safe(value) for key, value in _running(operator, version, printed_on).items()
        },  # escaped by css_string
    }
    context.update(plan_context(plan_of_version(version)))
    return context


def forget_pdfs(operator: Operator) -> None:
    """Drop the operator's made PDFs: their cover shows details that changed."""
    PlanPdf.objects.filter(operator=operator).delete()


def make_pdf(job_id: int) -> None:
    """Make the PDF of a job and store it, reporting each step; a failure is stored too."""
    job = PlanPdf.objects.select_related("version", "version__created_by", "operator").get(
        pk=job_id
    )
    _step(job_id, STEP_HTML, status=PdfStatus.RUNNING, started_at=timezone.now())
    try:
        with translation.override(job.language):
            html = render_to_string("plans/plan_pdf.html", pdf_context(job.operator, job.version))
        _step(job_id, STEP_LAYOUT)
        document = layout(html)
        _step(job_id, STEP_WRITE)
        pdf = write(document)
    except Exception as error:  # any failure is kept for the page to show
        _step(
            job_id,
            job.step,
            status=PdfStatus.FAILED,
            error=repr(error)[:2000],
            finished_at=timezone.now(),
        )
        raise
    _step(job_id, STEP_DONE, status=PdfStatus.DONE, pdf=pdf, finished_at=timezone.now())


def pdf_bytes(job: PlanPdf) -> bytes:
    """The stored PDF of a finished job."""
    stored = PlanPdf.objects.filter(pk=job.pk).values_list("pdf", flat=True).get()
    assert stored is not None
    return bytes(stored)
