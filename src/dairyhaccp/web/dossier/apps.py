"""App configuration of the dossier context."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    """The audit dossier: a period of records for the inspector and the auditor."""

    name = "dairyhaccp.web.dossier"
    label = "dossier"
    verbose_name = _("Audit dossier")
    default_auto_field = "django.db.models.BigAutoField"
