"""Back office: rooms and batches; registrations and deviations only to read (they are records)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.records.models import Batch, Deviation, DeviationEvent, Registration, Room


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by the services only: the back office shows them and changes nothing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "operator", "active"]
    list_filter = ["kind", "operator"]
    search_fields = ["name"]


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["lot_code", "product", "started_at", "operator"]
    list_filter = ["operator"]
    search_fields = ["lot_code", "product"]
    # Stored through a model of its own, so not a form field: shown as read.
    readonly_fields = ["made_from"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["control_id", "measured_at", "verdict", "version", "operator", "recorded_by"]
    list_filter = ["verdict", "control_id", "operator"]
    date_hierarchy = "measured_at"


class DeviationEventInline(admin.TabularInline):
    model = DeviationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "kind", "data"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdmin):
    list_display = ["control_id", "opened_at", "status", "outcome", "operator"]
    list_filter = ["status", "control_id", "operator"]
    readonly_fields = ["lots"]
    inlines = [DeviationEventInline]
