"""App configuration of the records context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Daily self-check: rooms, batches, registrations, deviations, schedule."""

    name = "dairyhaccp.web.records"
    label = "records"
    verbose_name = _("Records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Load and validate the guide when Django starts: under `gunicorn --preload` that is
        # once, in the master, and every worker shares it instead of loading its own.
        from dairyhaccp.guide.loader import load_guide

        load_guide()
