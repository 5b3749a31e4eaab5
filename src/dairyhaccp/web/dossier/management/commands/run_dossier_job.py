"""`manage.py run_dossier_job JOB`: make the dossier of one job (started by the web app)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.dossier.jobs import run_job
from dairyhaccp.web.dossier.models import DossierJob


class Command(BaseCommand):
    help = "Make the audit dossier of a job the web app started."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", type=int, help="the id of the dossier job")

    def handle(self, *args: Any, **options: Any) -> None:
        job_id = options["job"]
        if not DossierJob.objects.filter(pk=job_id).exists():
            raise CommandError(f"no dossier job {job_id}")
        run_job(job_id)
