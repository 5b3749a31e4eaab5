"""The plan's PDF: made once per version and language, in the background, with its progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans import pdf_jobs
from dairyhaccp.web.plans.choices import PdfStatus
from dairyhaccp.web.plans.models import PlanPdf, PlanVersion
from dairyhaccp.web.plans.services import save_profile

from ..tenancy import Tenancy
from .conftest import demo_profile

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 the plan"


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Lay out and write without WeasyPrint (seconds per plan): the HTML given is kept."""
    pages: list[str] = []

    def layout(html: str) -> str:
        pages.append(html)
        return html

    monkeypatch.setattr(pdf_jobs, "layout", layout)
    monkeypatch.setattr(pdf_jobs, "write", lambda document: FAKE_PDF)
    return pages


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs go to the background; the processes that would be started are recorded."""
    started: list[int] = []
    monkeypatch.setattr(pdf_jobs, "in_background", lambda: True)
    monkeypatch.setattr(pdf_jobs, "_spawn", started.append)
    return started


def pdf_url(operator: Operator, name: str = "plans:pdf") -> str:
    return reverse(name, kwargs={"operator_slug": operator.slug})


def test_the_pdf_is_made_once_per_version_and_served_from_then_on(
    owner_client: Client, operator: Operator, planned: PlanVersion, laid_out: list[str]
) -> None:
    first = owner_client.get(pdf_url(operator))
    second = owner_client.get(pdf_url(operator))

    assert first.content == second.content == FAKE_PDF
    assert second["Content-Type"] == "application/pdf"
    assert len(laid_out) == 1
    assert "HACCP" in laid_out[0]


def test_each_language_and_each_version_has_its_own_pdf(
    owner_client: Client,
    operator: Operator,
    owner: User,
    planned: PlanVersion,
    laid_out: list[str],
) -> None:
    owner_client.get(pdf_url(operator), headers={"accept-language": "en"})
    owner_client.get(pdf_url(operator), headers={"accept-language": "nl"})
    save_profile(operator, owner, demo_profile(), "a new version")
    owner_client.get(pdf_url(operator), headers={"accept-language": "nl"})

    jobs = PlanPdf.objects.filter(operator=operator)
    assert sorted((j.version.number, j.language) for j in jobs) == [(1, "en"), (1, "nl"), (2, "nl")]
    assert len(laid_out) == 3
    assert '<html lang="en">' in laid_out[0] and '<html lang="nl">' in laid_out[1]


def test_in_the_background_the_page_shows_the_progress_until_the_pdf_is_ready(
    owner_client: Client,
    operator: Operator,
    planned: PlanVersion,
    laid_out: list[str],
    background: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # when the PDF is asked for
    with django_capture_on_commit_callbacks(execute=True):
        waiting = owner_client.get(pdf_url(operator), headers={"accept-language": "en"})

    # then a page answers at once, the job is started in a process of its own
    job = PlanPdf.objects.get()
    assert waiting["Content-Type"].startswith("text/html")
    assert pdf_url(operator, "plans:pdf-progress") in waiting.content.decode()
    assert background == [job.pk]
    assert job.status == PdfStatus.QUEUED
    english = {"accept-language": "en"}
    progress = owner_client.get(pdf_url(operator, "plans:pdf-progress"), headers=english)
    assert "HX-Redirect" not in progress
    assert "<progress" in progress.content.decode()

    # when the job has run, the progress answers with the PDF's address, the PDF is served
    call_command("make_plan_pdf", str(job.pk))
    done = owner_client.get(pdf_url(operator, "plans:pdf-progress"), headers=english)
    assert done["HX-Redirect"] == pdf_url(operator)
    assert owner_client.get(pdf_url(operator), headers=english).content == FAKE_PDF
    assert background == [job.pk]


def test_a_failed_or_stopped_job_is_started_again(
    owner_client: Client,
    operator: Operator,
    planned: PlanVersion,
    laid_out: list[str],
    background: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.get(pdf_url(operator))
    job = PlanPdf.objects.get()
    PlanPdf.objects.filter(pk=job.pk).update(status=PdfStatus.FAILED, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.get(pdf_url(operator))
    job.refresh_from_db()
    assert job.status == PdfStatus.QUEUED and job.error == ""
    long_ago = timezone.now() - pdf_jobs.STALE - timedelta(minutes=1)
    PlanPdf.objects.filter(pk=job.pk).update(status=PdfStatus.RUNNING, requested_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.get(pdf_url(operator))
    assert background == [job.pk, job.pk, job.pk]
    # a running job that is not stale is left alone
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.get(pdf_url(operator))
    assert len(background) == 3


def test_a_job_that_fails_keeps_why(
    operator: Operator, planned: PlanVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = PlanPdf.objects.create(operator=operator, version=planned, language="nl")

    def broken(html: str) -> None:
        raise ValueError("no fonts")

    monkeypatch.setattr(pdf_jobs, "layout", broken)
    with pytest.raises(ValueError, match="no fonts"):
        pdf_jobs.make_pdf(job.pk)
    job.refresh_from_db()
    assert job.status == PdfStatus.FAILED and "no fonts" in job.error


def test_an_auditor_may_print_the_plan(
    client: Client,
    operator: Operator,
    planned: PlanVersion,
    laid_out: list[str],
    make_member: Callable[..., User],
) -> None:
    client.force_login(make_member(operator, Role.AUDITOR))
    assert client.get(pdf_url(operator)).content == FAKE_PDF


def test_the_progress_of_another_operators_pdf_does_not_exist(
    client: Client, tenancy: Tenancy
) -> None:
    tenancy.assert_refused(client, "plans:pdf-progress", methods=["get"])


def test_the_command_refuses_an_unknown_job() -> None:
    with pytest.raises(CommandError, match="no plan PDF job 424242"):
        call_command("make_plan_pdf", "424242")
