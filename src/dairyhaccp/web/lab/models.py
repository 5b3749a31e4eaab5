"""Storage of lab results: append-only, a correction is a new version with who, when and why.

A result (`entry`) has one or more versions; the highest version is the result as it stands,
and a version marked `withdrawn` takes the result out. Rows are never updated or deleted.

Verdicts are stored when judged, with the guide version, and never judged again in place:
- a finished product's verdict (`ProductVerdict`) belongs to one version of its result;
- a raw-milk analysis (`RawMilkVerdict`) is judged again each time a result of it is entered,
  corrected, withdrawn or imported, over all its results as they then stand; a month whose
  results did not change keeps its status, a result its single verdict (`lab.raw_milk_verdict`).
  The latest row is the verdict as it stands; the earlier rows are what was shown before.
"""

from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.vocabulary import SPECIES
from dairyhaccp.web.lab.choices import (
    EntryMethod,
    MilkSource,
    Outcome,
    ProductParameter,
    ProductVerdictChoice,
    RawMilkParameter,
    RawMilkVerdictChoice,
    VerdictCause,
)
from dairyhaccp.web.operators.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel


class LabRecordQuerySet(AppendOnlyQuerySet):
    """Lab records: append-only, with the result as it stands after its versions."""

    def latest_versions(self) -> Self:
        """The last version of each result (withdrawn ones included)."""
        newer = self.model._default_manager.filter(
            entry=OuterRef("entry"), version__gt=OuterRef("version")
        )
        return self.filter(~Exists(newer))

    def current(self) -> Self:
        """The results as they stand: last versions that are not withdrawn."""
        return self.latest_versions().filter(withdrawn=False)


class LabRecord(AppendOnlyModel):
    """Fields of every versioned lab record: which result, which version, who, when and why."""

    entry = models.UUIDField(_("result"), default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    method = models.CharField(
        _("entered"), max_length=10, choices=EntryMethod.choices, default=EntryMethod.FORM
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        # Who recorded a result stays part of the record.
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reason = models.TextField(_("reason for the change"), blank=True)

    # The append-only queryset replaces TenantModel's manager (same `for_operator`).
    objects = LabRecordQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        abstract = True


class CsvImport(TenantModel):
    """A lab's CSV file of raw-milk results, imported whole by `import_raw_milk_csv`."""

    file_name = models.CharField(_("file name"), max_length=255)
    species = models.CharField(_("species"), max_length=20, choices=[(s, s) for s in SPECIES])
    source = models.CharField(_("origin of the milk"), max_length=20, choices=MilkSource.choices)
    result_count = models.PositiveIntegerField(_("number of results"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class RawMilkResult(LabRecord):
    """One raw-milk analysis result of one milk source (species and origin), table 5.1."""

    species = models.CharField(_("species"), max_length=20, choices=[(s, s) for s in SPECIES])
    source = models.CharField(_("origin of the milk"), max_length=20, choices=MilkSource.choices)
    parameter = models.CharField(_("parameter"), max_length=30, choices=RawMilkParameter.choices)
    sampled_on = models.DateField(_("sampled on"))
    count = models.FloatField(_("count"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    sample_ref = models.CharField(_("sample number"), max_length=100, blank=True)
    laboratory = models.CharField(_("laboratory"), max_length=200, blank=True)
    lots = models.CharField(
        _("production lots made from this milk"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas; listed for destruction when antibiotics are found."),
    )
    left_control = models.BooleanField(
        _("the milk or products made from it have left the business"),
        null=True,
        blank=True,
        default=None,
    )
    remark = models.TextField(_("remark"), blank=True)
    csv_import = models.ForeignKey(
        CsvImport,
        verbose_name=_("CSV import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
    )

    class Meta:
        verbose_name = _("raw-milk result")
        verbose_name_plural = _("raw-milk results")
        ordering = ["sampled_on", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "entry", "version"], name="lab_rawmilkresult_one_version"
            ),
            models.CheckConstraint(
                condition=models.Q(count__isnull=True, outcome__in=Outcome.values)
                | models.Q(count__gt=0, outcome=""),
                name="lab_rawmilkresult_count_or_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parameter} {self.sampled_on} v{self.version}"

    @property
    def value(self) -> float | str:
        """The result as the core takes it: a count, or the outcome."""
        return self.count if self.count is not None else self.outcome

    @property
    def lot_list(self) -> list[str]:
        return [lot.strip() for lot in self.lots.split(",") if lot.strip()]


class ProductResult(LabRecord):
    """The sub-sample results of a finished product for one parameter (table 5.2)."""

    product_name = models.CharField(_("product"), max_length=200)
    product = models.JSONField(
        _("product properties"),
        help_text=_("Kind, raw milk, pH, aw, shelf life... as the plan gave them."),
    )
    parameter = models.CharField(_("parameter"), max_length=40, choices=ProductParameter.choices)
    sampled_on = models.DateField(_("sampled on"))
    lot = models.CharField(_("lot"), max_length=100, blank=True)
    laboratory = models.CharField(_("laboratory"), max_length=200, blank=True)
    results = models.JSONField(_("results of the sub-samples"))
    criterion_override = models.JSONField(_("own sampling plan"), null=True, blank=True)
    left_control = models.BooleanField(
        _("the lot has left the business"), null=True, blank=True, default=None
    )
    remark = models.TextField(_("remark"), blank=True)

    class Meta:
        verbose_name = _("finished-product result")
        verbose_name_plural = _("finished-product results")
        ordering = ["sampled_on", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "entry", "version"], name="lab_productresult_one_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} {self.parameter} {self.sampled_on} v{self.version}"


class WithdrawalPeriod(LabRecord):
    """The end of the withdrawal period of a treated animal: an antibiotic test is then due."""

    species = models.CharField(_("species"), max_length=20, choices=[(s, s) for s in SPECIES])
    animal = models.CharField(_("animal"), max_length=100)
    ends_on = models.DateField(_("withdrawal period ends on"))
    remark = models.TextField(_("remark"), blank=True)

    class Meta:
        verbose_name = _("withdrawal period")
        verbose_name_plural = _("withdrawal periods")
        ordering = ["ends_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "entry", "version"], name="lab_withdrawalperiod_one_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.animal} {self.ends_on}"


class StoredVerdict(AppendOnlyModel):
    """Fields of every stored verdict: the judgement as data, the guide version, when and why."""

    judgement = models.JSONField(
        _("judgement"),
        null=True,
        blank=True,
        help_text=_("The whole judgement as it was made: results, months, findings, actions."),
    )
    guide_version = models.CharField(_("version of the guide"), max_length=40)
    notify_favv = models.BooleanField(_("notify the FAVV"), default=False)
    judged_at = models.DateTimeField(_("judged at"), default=timezone.now)
    cause = models.CharField(_("judged because"), max_length=20, choices=VerdictCause.choices)

    class Meta:
        abstract = True


class ProductVerdict(StoredVerdict):
    """The verdict on one version of a finished product's results, stored when it was judged."""

    result = models.OneToOneField(
        ProductResult,
        verbose_name=_("result"),
        on_delete=models.PROTECT,
        related_name="stored_verdict",
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=ProductVerdictChoice.choices)
    criterion_type = models.CharField(_("type of criterion"), max_length=2)

    class Meta:
        verbose_name = _("finished-product verdict")
        verbose_name_plural = _("finished-product verdicts")
        ordering = ["-judged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=ProductVerdictChoice.values),
                name="lab_productverdict_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.verdict}"


class RawMilkVerdict(StoredVerdict):
    """The verdict on one raw-milk analysis of one milk source, as judged after a change of its
    results; the latest row of an analysis is its verdict as it stands."""

    species = models.CharField(_("species"), max_length=20, choices=[(s, s) for s in SPECIES])
    source = models.CharField(_("origin of the milk"), max_length=20, choices=MilkSource.choices)
    analysis = models.CharField(_("analysis of table 5.1"), max_length=100)
    parameter = models.CharField(_("parameter"), max_length=30, choices=RawMilkParameter.choices)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=RawMilkVerdictChoice.choices, blank=True
    )
    stop_use = models.BooleanField(_("stop use and delivery"), default=False)
    result = models.ForeignKey(
        RawMilkResult,
        verbose_name=_("changed result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
    )
    csv_import = models.ForeignKey(
        CsvImport,
        verbose_name=_("CSV import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdicts",
    )

    class Meta:
        verbose_name = _("raw-milk verdict")
        verbose_name_plural = _("raw-milk verdicts")
        ordering = ["-judged_at", "-pk"]
        indexes = [
            models.Index(
                fields=["operator", "species", "source", "analysis"],
                name="lab_rawmilkverdict_analysis",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verdict__in=[*RawMilkVerdictChoice.values, ""]),
                name="lab_rawmilkverdict_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analysis} {self.judged_at:%Y-%m-%d %H:%M} {self.verdict or '-'}"
