"""`manage.py verify_evidence [OPERATOR_SLUG ...]`: recompute each operator's chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.evidence.guards import evidence_tables, installed
from dairyhaccp.web.operators.models import Operator


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of each operator's records from the rows as stored, name the "
        "first record that does not hold, and check that the database guards are in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operators", nargs="*", help="operator slugs (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["operators"]
        operators = Operator.objects.order_by("slug")
        if slugs:
            operators = operators.filter(slug__in=slugs)
            missing = set(slugs) - set(operators.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"unknown operator: {', '.join(sorted(missing))}")
        failures = 0
        existing = set(connection.introspection.table_names())
        unguarded = sorted(set(evidence_tables()) & existing - installed(connection))
        if unguarded and connection.vendor in ("sqlite", "postgresql"):
            failures += 1
            self.stderr.write(f"tables without their database guards: {', '.join(unguarded)}")
        for operator in operators:
            result = verify(operator)
            if result.intact:
                self.stdout.write(
                    f"{operator.slug}: intact, {result.links} records, head {result.head_hash}"
                )
            else:
                failures += 1
                self.stdout.write(f"{operator.slug}: BROKEN at {result.broken}")
        if failures:
            raise CommandError(f"{failures} problem(s) found")
