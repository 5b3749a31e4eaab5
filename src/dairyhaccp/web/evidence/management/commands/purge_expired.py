"""`manage.py purge_expired [--yes] [OPERATOR_SLUG ...]`: remove what is past its keep-until."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.evidence.purge import expired, purge
from dairyhaccp.web.operators.models import Operator


class Command(BaseCommand):
    help = (
        "Remove the records whose keep-until date has passed (6 months or 2 years after their "
        "date or the dates of the lots they concern, as the module says), and only those. Asks "
        "for confirmation unless --yes; writes a purge log that is itself kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operators", nargs="*", help="operator slugs (default: all)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        operators = Operator.objects.order_by("slug")
        if options["operators"]:
            operators = operators.filter(slug__in=options["operators"])
            if operators.count() != len(set(options["operators"])):
                raise CommandError("unknown operator")
        who = f"{getpass.getuser()} (manage.py purge_expired)"
        for operator in operators:
            plan = expired(operator)
            if not plan.count:
                self.stdout.write(f"{operator.slug}: nothing past its keep-until date")
                continue
            for kind in plan.kinds.values():
                self.stdout.write(
                    f"{operator.slug}: {kind.count} {kind.label},"
                    f" entered from {kind.first} to {kind.last}"
                )
            if not options["yes"]:
                try:
                    answer = input(f"Remove these {plan.count} records of {operator.slug}? [y/N] ")
                except EOFError:
                    answer = ""
                if answer.strip().lower() not in ("y", "yes", "j", "ja", "o", "oui"):
                    self.stdout.write(f"{operator.slug}: nothing removed")
                    continue
            log = purge(plan, who)
            removed = sum(entry["count"] for entry in log.summary) if log else 0
            kept = sum(kind.kept for kind in plan.kinds.values())
            self.stdout.write(
                f"{operator.slug}: {removed} removed"
                + (f", {kept} kept because other records refer to them" if kept else "")
            )
