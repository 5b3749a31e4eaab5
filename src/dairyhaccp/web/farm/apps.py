"""App configuration of the farm context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FarmConfig(AppConfig):
    """The dairy farm."""

    name = "dairyhaccp.web.farm"
    label = "farm"
    verbose_name = _("Farm")
    default_auto_field = "django.db.models.BigAutoField"
