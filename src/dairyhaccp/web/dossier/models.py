"""Storage of the dossier context: the dossiers asked for, made in the background and kept for
a while. A dossier is a copy of records for an audit, not a record: it is not evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.dossier.choices import JobStatus, JobStep
from dairyhaccp.web.operators.models import TenantModel


class DossierJob(TenantModel):
    """An audit dossier of one period in one language: asked for by a member, made by a
    process of its own (progress in `step`), its PDF and ZIP of CSV files kept when done."""

    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    made_by_name = models.CharField(_("made by"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    step = models.PositiveSmallIntegerField(
        _("step reached"), choices=JobStep.choices, default=JobStep.WAITING
    )
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    csv_zip = models.BinaryField(_("ZIP of CSV files"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit dossier")
        verbose_name_plural = _("audit dossiers")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["operator", "requested_at"], name="dossier_job_op_requested"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="dossier_job_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")),
                name="dossier_job_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.first_day}–{self.last_day} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def percent(self) -> int:
        return round(100 * min(self.step, JobStep.DONE) / JobStep.DONE)
