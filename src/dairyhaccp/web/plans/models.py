"""Storage of the operator's HACCP plan: an append-only list of versions of the profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.operators.models import AppendOnlyModel, TenantModel
from dairyhaccp.web.plans.choices import AdaptationKind, PdfStatus, VersionChange


class PlanVersion(AppendOnlyModel):
    """One version of an operator's plan: the profile (with adaptations) it is built from.

    Written by the services when the wizard is saved or the plan is adapted; never changed
    afterwards, so every plan the operator ever had can be rebuilt and compared.
    """

    number = models.PositiveIntegerField(_("version number"))
    profile = models.JSONField(
        _("profile"), help_text=_("The answers of the wizard and the adaptations, as data.")
    )
    guide_version = models.CharField(_("version of the guide"), max_length=40)
    change = models.CharField(_("change"), max_length=20, choices=VersionChange.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        # Who made a version stays part of the record: remove the user's versions never.
        on_delete=models.PROTECT,
        related_name="plan_versions",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["operator", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "number"], name="plans_planversion_one_number_per_operator"
            ),
            models.CheckConstraint(
                condition=models.Q(change__in=VersionChange.values),
                name="plans_planversion_change_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} v{self.number}"

    @property
    def adaptation(self) -> dict[str, Any] | None:
        """The adaptation this version added, for versions made by adapting the plan."""
        if self.change != VersionChange.ADAPTATION:
            return None
        adaptations = self.profile.get("adaptations") or []
        return adaptations[-1] if adaptations else None

    @property
    def adaptation_label(self) -> str:
        """The kind of adaptation this version added, in words ("" for other versions)."""
        adaptation = self.adaptation
        if adaptation is None:
            return ""
        kinds = dict(AdaptationKind.choices)
        return str(kinds.get(adaptation.get("kind", ""), adaptation.get("kind", "")))


class PlanPdf(TenantModel):
    """The printable PDF of one plan version in one language: made once, in the background,
    and kept; a version never changes, so neither does its PDF."""

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.PROTECT, related_name="pdfs"
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.QUEUED
    )
    step = models.PositiveSmallIntegerField(_("step reached"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan PDF")
        verbose_name_plural = _("plan PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="plans_planpdf_one_per_version_language"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PdfStatus.values), name="plans_planpdf_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language}): {self.status}"
