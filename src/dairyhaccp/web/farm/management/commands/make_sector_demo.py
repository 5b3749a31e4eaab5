"""`manage.py make_sector_demo [--farms 6000] [--years 5] [--seed 1] [--sector-user NAME]`."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from dairyhaccp.web.farm.demo import make_sector_demo


class Command(BaseCommand):
    help = (
        "Generate a demo sector of dairy farms over several years (profiles, audits, "
        "certificates, sustainability initiatives, treatments) and compute its figures."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--farms", type=int, default=6000, help="number of farms (6000)")
        parser.add_argument("--years", type=int, default=5, help="years up to this one (5)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--sector-user",
            default="",
            help="an existing user to give the sector role at the demo sector organisation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["sector_user"]:
            user = User.objects.filter(username=options["sector_user"]).first()
            if user is None:
                raise CommandError(f"no user {options['sector_user']!r}")
        started = time.perf_counter()
        try:
            result = make_sector_demo(
                farms=options["farms"],
                years=options["years"],
                seed=options["seed"],
                sector_user=user,
                progress=lambda step: self.stdout.write(
                    f"  {step} ({time.perf_counter() - started:.0f} s)"
                ),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.farms} demo farms over {result.years[0]}-{result.years[-1]}; "
                f"sector figures at /{result.sector.slug}/farm/sector/ "
                f"({time.perf_counter() - started:.0f} s)"
            )
        )
