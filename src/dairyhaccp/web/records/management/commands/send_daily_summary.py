"""`manage.py send_daily_summary`: e-mail each operator's overdue checks and open deviations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.services.summary import send_daily_summary


class Command(BaseCommand):
    help = (
        "E-mail owners and staff of each operator the overdue checks and open deviations "
        "(run once a day, e.g. from cron). Operators with nothing to report get no e-mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--operator", action="append", default=[], help="only this operator (slug); repeatable"
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="start of the links in the e-mail, e.g. https://haccp.example",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operators = Operator.objects.order_by("slug")
        if options["operator"]:
            operators = operators.filter(slug__in=options["operator"])
        sent = 0
        for operator in operators:
            result = send_daily_summary(operator, base_url=options["base_url"])
            if result is None:
                continue
            sent += 1
            self.stdout.write(
                f"{operator.slug}: {result.open_deviations} open deviation(s), "
                f"{result.overdue} overdue check(s) -> {', '.join(result.recipients)}"
            )
        self.stdout.write(self.style.SUCCESS(f"Summaries sent: {sent}"))
