"""App configuration of the operators context."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class OperatorsConfig(AppConfig):
    """Tenants, memberships with roles, and API tokens."""

    name = "dairyhaccp.web.operators"
    label = "operators"
    verbose_name = _("Operators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dairyhaccp.web.pgtimes import use_compiled_loader

        connection_created.connect(use_compiled_loader, dispatch_uid="compiled-moment-loader")
