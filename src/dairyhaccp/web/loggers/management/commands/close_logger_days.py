"""Judge and register the days of loggers that are over (run it shortly after midnight)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dairyhaccp.web.loggers.models import Device
from dairyhaccp.web.loggers.services import close_days


class Command(BaseCommand):
    help = (
        "Fold the readings loggers sent for days that are over into those days, then judge "
        "and register every day not judged yet (a logger that stopped sending is judged too)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--operator", help="only this operator's loggers (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        devices = Device.objects.filter(active=True).select_related("operator", "room")
        if options.get("operator"):
            devices = devices.filter(operator__slug=options["operator"])
        total = 0
        for device in devices:
            user = device.token_user or device.created_by
            total += len(close_days(device, user))
        self.stdout.write(f"{total} days judged")
