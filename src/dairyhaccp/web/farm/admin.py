"""Back office: certification bodies are set up here; the farm's records are only read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dairyhaccp.web.farm.models import (
    AssessmentAnswer,
    Audit,
    CertificationBody,
    FarmProfile,
    Notification,
    SectorSnapshot,
    SustainabilityEntry,
    Treatment,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by the services only: the back office shows them and changes nothing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CertificationBody)
class CertificationBodyAdmin(admin.ModelAdmin):
    list_display = ["operator", "created_at"]
    search_fields = ["operator__name"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FarmProfile)
class FarmProfileAdmin(ReadOnlyAdmin):
    list_display = ["operator", "version", "region", "animals_in_milk", "certification_body"]
    list_filter = ["region"]


@admin.register(Treatment)
class TreatmentAdmin(ReadOnlyAdmin):
    list_display = ["operator", "animal", "last_dose_at", "product", "version", "withdrawn"]
    search_fields = ["animal", "product"]


@admin.register(AssessmentAnswer)
class AssessmentAnswerAdmin(ReadOnlyAdmin):
    list_display = ["operator", "criterion_id", "version", "answer"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ["operator", "body", "held_on", "kind", "certificate", "expires_on"]
    list_filter = ["kind", "certificate"]


@admin.register(SustainabilityEntry)
class SustainabilityEntryAdmin(ReadOnlyAdmin):
    list_display = ["operator", "year", "version"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["operator", "kind", "notified_on", "version", "closed"]


@admin.register(SectorSnapshot)
class SectorSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["operator", "computed_at", "farms"]
