"""The chain of an operator's evidence: one link per record, in the order they were made."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.operators.models import AppendOnlyModel, Operator


class EvidenceLink(models.Model):
    """One record in its operator's chain: the hash of the row as stored, linked to the one
    before, with how long the record is kept and who made it as they were named then."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField(_("number in the chain"))
    table_name = models.CharField(_("table"), max_length=100)
    row_id = models.BigIntegerField(_("row"))
    row_hash = models.CharField(_("hash of the row"), max_length=64)
    previous_hash = models.CharField(_("hash of the previous link"), max_length=64)
    link_hash = models.CharField(_("hash of this link"), max_length=64)
    keep_until = models.DateField(_("kept until"))
    made_by_id = models.BigIntegerField(_("made by (user id)"), null=True, blank=True)
    made_by_name = models.CharField(_("made by"), max_length=300, blank=True)
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["operator", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "seq"], name="evidence_link_one_per_seq"),
            models.UniqueConstraint(
                fields=["table_name", "row_id"], name="evidence_link_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} #{self.seq} {self.table_name}:{self.row_id}"


class ChainHead(models.Model):
    """Where each operator's chain stands; locked while a link is added, so that the writers
    of one operator take turns and other operators are not held up."""

    operator = models.OneToOneField(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField(_("links"), default=0)
    head_hash = models.CharField(_("hash of the last link"), max_length=64)

    class Meta:
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")

    def __str__(self) -> str:
        return f"{self.operator_id}: {self.seq} {self.head_hash[:12]}"


class PurgeLog(AppendOnlyModel):
    """Records removed once their keep-until date had passed: what kind, how many, which dates,
    who removed them, and the hashes of their links so that the chain still verifies."""

    purged_at = models.DateTimeField(_("removed at"))
    purged_by = models.CharField(_("removed by"), max_length=300)
    summary = models.JSONField(_("what was removed"), default=list)
    links = models.JSONField(_("links removed"), default=list)

    class Meta:
        verbose_name = _("purge log")
        verbose_name_plural = _("purge logs")
        ordering = ["-purged_at"]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.purged_at:%Y-%m-%d}"
