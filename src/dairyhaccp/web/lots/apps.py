"""App configuration of the lots context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotsConfig(AppConfig):
    """Lots and traceability."""

    name = "dairyhaccp.web.lots"
    label = "lots"
    verbose_name = _("Lots")
    default_auto_field = "django.db.models.BigAutoField"
