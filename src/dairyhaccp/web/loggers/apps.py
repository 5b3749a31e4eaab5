"""App configuration of the loggers context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoggersConfig(AppConfig):
    """Temperature loggers: devices in rooms, imported and pushed readings, judged days."""

    name = "dairyhaccp.web.loggers"
    label = "loggers"
    verbose_name = _("Loggers")
    default_auto_field = "django.db.models.BigAutoField"
