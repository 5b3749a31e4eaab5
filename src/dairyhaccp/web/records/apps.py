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
