"""Back office: labels, their versions and prints, only to read (the services write them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.labels.models import Label, LabelPrint, LabelVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the editor and the print form with their checks; the back office only shows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin):
    list_display = ["product", "operator", "created_at"]
    list_filter = ["operator"]
    search_fields = ["product"]


@admin.register(LabelVersion)
class LabelVersionAdmin(ReadOnlyAdmin):
    list_display = ["label", "number", "in_use", "language", "created_by", "created_at"]
    list_filter = ["operator", "in_use", "language"]
    search_fields = ["label__product", "sales_name", "reason"]


@admin.register(LabelPrint)
class LabelPrintAdmin(ReadOnlyAdmin):
    list_display = ["batch", "label_version", "copies", "layout", "printed_by", "printed_at"]
    list_filter = ["operator", "layout"]
    search_fields = ["batch__lot_code"]
