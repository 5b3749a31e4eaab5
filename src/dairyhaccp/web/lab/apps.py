"""App configuration of the lab context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabConfig(AppConfig):
    """Lab analyses: raw-milk and finished-product results and verdicts."""

    name = "dairyhaccp.web.lab"
    label = "lab"
    verbose_name = _("Lab")
    default_auto_field = "django.db.models.BigAutoField"
