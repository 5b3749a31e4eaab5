"""`manage.py refresh_sector_figures [SLUG ...]`: the sector figures computed again (nightly)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dairyhaccp.web.farm.services import refresh_sector_figures
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator


class Command(BaseCommand):
    help = (
        "Compute the sector figures over all farms again for the given sector organisations "
        "(default: every operator with a member of the sector role)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slugs", nargs="*", help="short names of sector organisations")

    def handle(self, *args: Any, **options: Any) -> None:
        sectors = Operator.objects.filter(memberships__role=Role.SECTOR).distinct()
        if options["slugs"]:
            sectors = Operator.objects.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(sectors.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"no operator {', '.join(sorted(missing))}")
        for sector in sectors.order_by("slug"):
            started = time.perf_counter()
            snapshot = refresh_sector_figures(sector)
            self.stdout.write(
                f"{sector.slug}: {snapshot.farms} farms ({time.perf_counter() - started:.1f} s)"
            )
