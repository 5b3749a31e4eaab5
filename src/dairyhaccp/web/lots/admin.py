"""Back office: suppliers and customers; lots, movements and recalls only to read (records)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.lots.models import (
    Customer,
    InputLot,
    MockRecall,
    Movement,
    Production,
    Recall,
    Supplier,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by the services only: the back office shows them and changes nothing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "favv_number", "operator", "active"]
    list_filter = ["operator"]
    search_fields = ["name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "operator", "active"]
    list_filter = ["kind", "operator"]
    search_fields = ["name"]


@admin.register(InputLot)
class InputLotAdmin(ReadOnlyAdmin):
    list_display = ["lot_code", "kind", "supplier", "received_on", "version", "operator"]
    list_filter = ["kind", "operator"]
    search_fields = ["lot_code", "supplier_lot"]


@admin.register(Production)
class ProductionAdmin(ReadOnlyAdmin):
    list_display = ["batch", "kind", "quantity", "unit", "made_on", "version", "operator"]
    list_filter = ["kind", "operator"]


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["kind", "batch", "input_lot", "quantity", "unit", "moved_on", "version"]
    list_filter = ["kind", "operator"]


@admin.register(MockRecall)
class MockRecallAdmin(ReadOnlyAdmin):
    list_display = ["lot_code", "ran_at", "duration_ms", "accounted_pct", "operator"]


@admin.register(Recall)
class RecallAdmin(ReadOnlyAdmin):
    list_display = ["number", "trigger", "opened_at", "notify", "operator"]
    list_filter = ["trigger", "notify", "operator"]
