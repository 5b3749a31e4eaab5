"""`manage.py send_farm_reminders`: e-mail each farm's owners what is coming up (certificate,
next audit, deadlines of open findings); each reminder once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dairyhaccp.web.farm.services.reminders import farms, send_farm_reminders


class Command(BaseCommand):
    help = (
        "E-mail the owners of each farm the reminders due: before the certificate ends, before "
        "the next audit is due, before the deadlines of open audit findings (run once a day, "
        "e.g. from cron). Each reminder is sent once; a second run sends nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--operator", action="append", default=[], help="only this farm (slug); repeatable"
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="start of the links in the e-mail, e.g. https://haccp.example",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = 0
        for operator in farms():
            if options["operator"] and operator.slug not in options["operator"]:
                continue
            result = send_farm_reminders(operator, base_url=options["base_url"])
            if result is None:
                continue
            sent += 1
            kinds = ", ".join(f"{r.kind} -{r.lead}d" for r in result.reminders)
            self.stdout.write(f"{operator.slug}: {kinds} -> {', '.join(result.recipients)}")
        self.stdout.write(self.style.SUCCESS(f"Farms reminded: {sent}"))
