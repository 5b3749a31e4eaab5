"""Back office: lab records, read-only (written by the services and never changed)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.lab.models import (
    CsvImport,
    ProductResult,
    ProductVerdict,
    RawMilkResult,
    RawMilkVerdict,
    WithdrawalPeriod,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lab records are appended by the services with their checks; never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RawMilkResult)
class RawMilkResultAdmin(ReadOnlyAdmin):
    list_display = ["operator", "species", "source", "parameter", "sampled_on", "version"]
    list_filter = ["operator", "parameter", "method"]


@admin.register(ProductResult)
class ProductResultAdmin(ReadOnlyAdmin):
    list_display = ["operator", "product_name", "parameter", "sampled_on", "version"]
    list_filter = ["operator", "parameter", "method"]


@admin.register(CsvImport)
class CsvImportAdmin(ReadOnlyAdmin):
    list_display = ["operator", "file_name", "result_count", "imported_at"]


@admin.register(WithdrawalPeriod)
class WithdrawalPeriodAdmin(ReadOnlyAdmin):
    list_display = ["operator", "animal", "ends_on", "version"]


@admin.register(ProductVerdict)
class ProductVerdictAdmin(ReadOnlyAdmin):
    list_display = ["operator", "result", "verdict", "guide_version", "judged_at", "cause"]
    list_filter = ["operator", "verdict", "guide_version"]


@admin.register(RawMilkVerdict)
class RawMilkVerdictAdmin(ReadOnlyAdmin):
    list_display = ["operator", "analysis", "verdict", "guide_version", "judged_at", "cause"]
    list_filter = ["operator", "parameter", "verdict", "guide_version"]
