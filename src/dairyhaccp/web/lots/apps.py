"""App configuration of the lots context."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotsConfig(AppConfig):
    """Lots and traceability."""

    name = "dairyhaccp.web.lots"
    label = "lots"
    verbose_name = _("Lots")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dairyhaccp.web.evidence.purge import records_purged

        records_purged.connect(_note_purged_lots, dispatch_uid="lots-stock-after-purge")


def _note_purged_lots(sender: Any, operator: Any, tables: frozenset[str], **kwargs: Any) -> None:
    """Records of lots gone: the stock of every lot is worked out again at the next read."""
    from dairyhaccp.web.lots.models import InputLot, Movement, Production, ProductionInput
    from dairyhaccp.web.lots.services.stock import note_every_lot

    models = (InputLot, Production, ProductionInput, Movement)
    if any(model._meta.db_table in tables for model in models):
        note_every_lot(operator)
