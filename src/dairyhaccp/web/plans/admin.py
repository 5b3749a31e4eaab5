"""Back office: plan versions, read-only (they are written by the services and never changed)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.plans.models import PlanVersion


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["operator", "number", "change", "created_by", "created_at"]
    list_filter = ["operator", "change"]
    search_fields = ["operator__name", "reason"]
    readonly_fields = [
        "operator",
        "number",
        "profile",
        "guide_version",
        "change",
        "reason",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from the wizard and the adapt forms, with their checks

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
