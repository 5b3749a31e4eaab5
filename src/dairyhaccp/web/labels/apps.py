"""App configuration of the labels context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    """Labels."""

    name = "dairyhaccp.web.labels"
    label = "labels"
    verbose_name = _("Labels")
    default_auto_field = "django.db.models.BigAutoField"
