"""App configuration of the evidence context."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """The hash chain of each operator's records and the database guards on them."""

    name = "dairyhaccp.web.evidence"
    label = "evidence"
    verbose_name = _("Evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dairyhaccp.web.evidence.guards import install_after_migrate

        # After every migrate: a table rebuilt by a migration (SQLite) gets its guards again,
        # a new evidence table gets them the first time.
        post_migrate.connect(install_after_migrate, dispatch_uid="evidence-guards")
