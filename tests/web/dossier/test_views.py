"""The dossier page: choose a period, follow the making, download both files; roles and tenants.

While testing a dossier is made at once (`jobs.in_background` is false), so the page after
asking shows the files ready.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.dossier import jobs
from dairyhaccp.web.dossier.choices import JobStatus
from dairyhaccp.web.dossier.models import DossierJob
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership

from .conftest import Dairy

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PERIOD = {"first_day": "2026-03-02", "last_day": "2026-03-08"}
PERIOD_DAYS = (date(2026, 3, 2), date(2026, 3, 8))


def url(name: str, slug: str = "de-wei", **kwargs: int) -> str:
    return reverse(f"dossier:{name}", kwargs={"operator_slug": slug, **kwargs})


def ask(client: Client, data: dict[str, str] = PERIOD, slug: str = "de-wei") -> DossierJob:
    response = client.post(url("index", slug), data, **EN)
    assert response.status_code == 302, response.content[:500]
    job = DossierJob.objects.latest("pk")
    assert response["Location"] == url("job", slug, job_id=job.pk)
    return job


def test_the_page_proposes_the_year_up_to_today(owner_client: Client) -> None:
    response = owner_client.get(url("index"), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="first_day" value="2025-03-21"' in body
    assert 'name="last_day" value="2026-03-20"' in body
    assert "Make the dossier" in body


def test_an_owner_asks_follows_and_downloads_both_files(owner_client: Client) -> None:
    job = ask(owner_client)
    assert (job.status, job.language, job.made_by_name) == (JobStatus.DONE, "en", "An Peeters")
    page = owner_client.get(url("job", job_id=job.pk), **EN).content.decode()
    assert "The dossier is ready." in page
    assert url("pdf", job_id=job.pk) in page and url("zip", job_id=job.pk) in page
    progress = owner_client.get(url("progress", job_id=job.pk), **EN)
    assert progress.status_code == 200 and "hx-get" not in progress.content.decode()
    pdf = owner_client.get(url("pdf", job_id=job.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="audit-dossier-de-wei-20260302-20260308.pdf"'
    )
    assert pdf.content.startswith(b"%PDF-")
    archive = owner_client.get(url("zip", job_id=job.pk))
    assert archive["Content-Type"] == "application/zip"
    assert "checks.csv" in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    listed = owner_client.get(url("index"), **EN).content.decode()
    assert url("pdf", job_id=job.pk) in listed


def test_a_dossier_in_the_making_shows_its_progress(owner_client: Client, dairy: Dairy) -> None:
    job = DossierJob.objects.create(
        operator=dairy.operator,
        first_day=PERIOD_DAYS[0],
        last_day=PERIOD_DAYS[1],
        language="en",
        requested_by=dairy.owner,
        made_by_name="An Peeters",
        status=JobStatus.RUNNING,
        step=2,
    )
    page = owner_client.get(url("job", job_id=job.pk), **EN).content.decode()
    assert 'value="40"' in page and "Verifying the chain of the records" in page
    assert f'hx-get="{url("progress", job_id=job.pk)}"' in page
    assert owner_client.get(url("pdf", job_id=job.pk))["Location"] == url("job", job_id=job.pk)


def test_a_dossier_whose_making_stopped_says_so(owner_client: Client, dairy: Dairy) -> None:
    job = DossierJob.objects.create(
        operator=dairy.operator,
        first_day=PERIOD_DAYS[0],
        last_day=PERIOD_DAYS[1],
        language="en",
        requested_by=dairy.owner,
        made_by_name="An Peeters",
        status=JobStatus.RUNNING,
        requested_at=timezone.now() - timedelta(minutes=16),
    )
    page = owner_client.get(url("job", job_id=job.pk), **EN).content.decode()
    assert "The dossier could not be made." in page and "hx-get" not in page
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    # It no longer counts as being made: the same period may be asked again.
    assert ask(owner_client).pk != job.pk


def test_a_dossier_that_fails_says_so_and_may_be_asked_again(
    owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(jobs, "make_dossier", broken)
    job = ask(owner_client)
    assert job.status == JobStatus.FAILED and "the disk is full" in job.error
    page = owner_client.get(url("job", job_id=job.pk), **EN).content.decode()
    assert "The dossier could not be made." in page and "the disk is full" not in page
    assert owner_client.get(url("pdf", job_id=job.pk))["Location"] == url("job", job_id=job.pk)


def test_no_more_than_two_dossiers_are_made_at_once(owner_client: Client, dairy: Dairy) -> None:
    for day in (1, 2):
        DossierJob.objects.create(
            operator=dairy.operator,
            first_day=date(2026, 1, day),
            last_day=PERIOD_DAYS[1],
            language="en",
            requested_by=dairy.owner,
            made_by_name="An Peeters",
            status=JobStatus.RUNNING,
        )
    response = owner_client.post(url("index"), PERIOD, **EN)
    assert response.status_code == 429
    assert "Other dossiers are being made." in response.content.decode()
    assert DossierJob.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"first_day": "1999-12-31", "last_day": "2026-03-08"},
            "first_day",
            "lies before the year 2000",
        ),
        (
            {"first_day": "0001-01-01", "last_day": "2026-03-08"},
            "first_day",
            "lies before the year 2000",
        ),
        ({"first_day": "2026-03-02", "last_day": "2026-03-21"}, "last_day", "lies in the future"),
        (
            {"first_day": "2026-03-08", "last_day": "2026-03-02"},
            "last_day",
            "lies before the first day",
        ),
        ({"first_day": "2020-01-01", "last_day": "2026-03-08"}, "last_day", "at most 1098 days"),
        ({"first_day": "2026-02-30", "last_day": "2026-03-08"}, "first_day", "Enter a valid date."),
        (
            {"first_day": "99999-01-01", "last_day": "2026-03-08"},
            "first_day",
            "Enter a valid date.",
        ),
        (
            {"first_day": "2026\x00-03-02", "last_day": "2026-03-08"},
            "first_day",
            "Enter a valid date.",
        ),
        ({"first_day": "", "last_day": "2026-03-08"}, "first_day", "This field is required."),
    ],
)
def test_a_bad_period_is_said_next_to_its_field(
    owner_client: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = owner_client.post(url("index"), data, **EN)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert DossierJob.objects.count() == 0


def test_an_auditor_may_ask_and_sees_only_their_own_dossiers(
    dairy: Dairy, client: Client, auditor: User
) -> None:
    client.force_login(dairy.owner)
    owners = ask(client)
    client.force_login(auditor)
    own = ask(client)
    assert client.get(url("pdf", job_id=own.pk)).status_code == 200
    for name in ("job", "progress", "pdf", "zip"):
        assert client.get(url(name, job_id=owners.pk)).status_code == 404
    client.force_login(dairy.owner)
    assert client.get(url("pdf", job_id=own.pk)).status_code == 200


def test_an_auditor_outside_their_access_period_is_refused(
    dairy: Dairy, client: Client, auditor: User
) -> None:
    Membership.objects.filter(user=auditor).update(access_until=date(2026, 3, 19))
    client.force_login(auditor)
    assert client.get(url("index")).status_code == 403
    assert client.post(url("index"), PERIOD).status_code == 403
    assert DossierJob.objects.count() == 0


@pytest.mark.parametrize("role", [Role.STAFF, Role.VET, Role.SECTOR])
def test_other_roles_may_not_make_dossiers(
    dairy: Dairy, client: Client, member: Callable[[Role], User], role: Role
) -> None:
    client.force_login(dairy.owner)
    job = ask(client)
    client.force_login(member(role))
    assert client.get(url("index")).status_code == 403
    assert client.post(url("index"), PERIOD).status_code == 403
    for name in ("job", "progress", "pdf", "zip"):
        assert client.get(url(name, job_id=job.pk)).status_code == 403
    assert DossierJob.objects.count() == 1


def test_another_operator_s_page_and_dossiers_are_not_found(
    dairy: Dairy, other_dairy: Dairy, client: Client
) -> None:
    client.force_login(other_dairy.owner)
    foreign = ask(client, slug="ander")
    client.force_login(dairy.owner)
    assert client.get(url("index", "ander")).status_code == 404
    assert client.post(url("index", "ander"), PERIOD).status_code == 404
    for name in ("job", "progress", "pdf", "zip"):
        assert client.get(url(name, job_id=foreign.pk)).status_code == 404
        assert client.get(url(name, "ander", job_id=foreign.pk)).status_code == 404
    assert DossierJob.objects.filter(operator=dairy.operator).count() == 0


def test_a_visitor_is_sent_to_log_in(dairy: Dairy, client: Client) -> None:
    response = client.get(url("index"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_dossier_is_made_in_the_language_of_the_page(owner_client: Client) -> None:
    owner_client.post(url("index"), PERIOD)
    owner_client.post(url("index"), PERIOD, HTTP_ACCEPT_LANGUAGE="fr")
    made = DossierJob.objects.order_by("pk").values_list("language", flat=True)
    assert list(made) == ["nl", "fr"]
