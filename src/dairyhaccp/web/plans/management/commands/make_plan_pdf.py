"""`manage.py make_plan_pdf JOB`: make the PDF of one plan PDF job (started by the web app)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.plans.models import PlanPdf
from dairyhaccp.web.plans.pdf_jobs import make_pdf


class Command(BaseCommand):
    help = "Make the PDF of a plan version for a job the web app started."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", type=int, help="the id of the plan PDF job")

    def handle(self, *args: Any, **options: Any) -> None:
        job_id = options["job"]
        if not PlanPdf.objects.filter(pk=job_id).exists():
            raise CommandError(f"no plan PDF job {job_id}")
        make_pdf(job_id)
