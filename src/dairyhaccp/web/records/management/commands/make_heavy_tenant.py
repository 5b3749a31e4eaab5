"""`manage.py make_heavy_tenant`: a dairy with two years of records and lots, for benchmarks.

Made through the project's own services and the bulk path; see dairyhaccp/web/records/heavy.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.heavy import MAX_DAYS, HeavyDairy
from dairyhaccp.web.records.services import BulkRefusedError


class Command(BaseCommand):
    help = (
        "Make a dairy with two years of records through the services and the bulk path "
        "(about 14 600 registrations, 200 batches, 100 lab results) and its lot book through "
        "the lots services (a milking and a production a day, received ingredients, "
        "deliveries and sales; part of the last month in stock), for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", default="zware-hoeve", help="short name of the dairy")
        parser.add_argument("--days", type=int, default=730, help="days of records and lots (730)")
        parser.add_argument(
            "--batches",
            type=int,
            default=200,
            help="batches with their production checks (200), besides the lot book's",
        )
        parser.add_argument("--lab-results", type=int, default=100, help="lab results (100)")
        parser.add_argument("--seed", type=int, default=2024, help="the same seed, the same dairy")
        parser.add_argument("--owner", default="", help="username of the owner (default: slug)")
        parser.add_argument(
            "--password", default="", help="the owner's password (default: none, no login)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days: between 1 and {MAX_DAYS}")
        for name in ("batches", "lab_results"):
            if not 0 <= options[name] <= 100_000:
                raise CommandError(f"--{name.replace('_', '-')}: between 0 and 100000")
        if Operator.objects.filter(slug=slug).exists():
            raise CommandError(f"an operator {slug!r} exists already")
        dairy = HeavyDairy(
            slug,
            days=options["days"],
            batch_count=options["batches"],
            lab_count=options["lab_results"],
            seed=options["seed"],
            username=options["owner"],
            password=options["password"],
        )
        try:
            made = dairy.build()
        except BulkRefusedError as refused:
            first = refused.problems[0]
            raise CommandError(
                f"{len(refused.problems)} registrations refused, e.g. item {first.index}: "
                f"{first.field}: {first.problem}"
            ) from refused
        self.stdout.write(
            f"{made.operator.name} ({slug}): {made.registrations} registrations, "
            f"{made.batches} batches, {made.lab_results} lab results, "
            f"{made.lots} lots, {made.movements} lot movements, "
            f"{made.deviations_closed} deviations closed, {made.deviations_open} open; "
            f"{made.seconds:.0f} s"
        )
