"""Storage of labels: a label per product, its append-only versions, and every print of a lot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.labels.choices import DateType, LabelLanguage
from dairyhaccp.web.operators.models import AppendOnlyModel, TenantModel
from dairyhaccp.web.records.models import Batch


class Label(TenantModel):
    """The label of one product of the plan; what it says lives in its versions."""

    product = models.CharField(
        _("product"), max_length=200, help_text=_("The product of the plan this label is for.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["product"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "product"], name="labels_label_one_per_product"
            ),
        ]

    def __str__(self) -> str:
        return self.product


class LabelVersion(AppendOnlyModel):
    """One version of a label as composed and checked at that moment; never changed.

    Saving the editor stores a new version with who, when and why. The label of a product is
    its latest version; it may be printed only when that version is marked in use, which the
    services allow only when the core's check finds nothing missing or wrong.
    """

    label = models.ForeignKey(
        Label, verbose_name=_("label"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version number"))
    composition = models.JSONField(
        _("composition"), help_text=_("What the product is made of, as the label check reads it.")
    )
    sales_name = models.CharField(_("sales name"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the label"), max_length=2, choices=LabelLanguage.choices
    )
    mentions = models.JSONField(
        _("mentions printed"), default=list, help_text=_("The mentions ticked to be printed.")
    )
    net_quantity = models.CharField(_("net quantity"), max_length=60, blank=True)
    operator_address = models.TextField(_("name and address of the business"), blank=True)
    approval_number = models.CharField(_("approval number"), max_length=40, blank=True)
    nutrition = models.TextField(_("nutrition declaration"), blank=True)
    own_text = models.TextField(_("own text"), blank=True)
    in_use = models.BooleanField(_("in use"), default=False)
    check_result = models.JSONField(
        _("check"),
        default=dict,
        help_text=_("What the label check found when this version was saved."),
    )
    guide_version = models.CharField(_("version of the guide"), max_length=40)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("label version")
        verbose_name_plural = _("label versions")
        ordering = ["label", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["label", "number"], name="labels_labelversion_one_number_per_label"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=LabelLanguage.values),
                name="labels_labelversion_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} v{self.number}"

    @property
    def missing(self) -> list[Any]:
        """The mandatory mentions the check found missing when this version was saved."""
        return list(self.check_result.get("missing", []))


class LabelPrint(AppendOnlyModel):
    """A print of labels for a lot: which label version, how many, on what; never changed.

    This is the registration of PVA 6 (packaging and labelling) for the lot.
    """

    batch = models.ForeignKey(
        Batch, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="label_prints"
    )
    label_version = models.ForeignKey(
        LabelVersion,
        verbose_name=_("label version"),
        on_delete=models.PROTECT,
        related_name="prints",
    )
    copies = models.PositiveIntegerField(_("number of labels"))
    layout = models.CharField(_("label size"), max_length=40)
    first_position = models.PositiveIntegerField(
        _("first place on the sheet"),
        default=1,
        help_text=_("Skip the places of a sheet already used: 1 is the top left label."),
    )
    net_quantity = models.CharField(_("net quantity"), max_length=60, blank=True)
    # Empty when the label carries no date (a product that is not prepacked).
    date = models.DateField(_("date on the label"), null=True, blank=True)
    date_type = models.CharField(
        _("kind of date"), max_length=20, choices=DateType.choices, blank=True
    )
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now)

    class Meta:
        verbose_name = _("label print")
        verbose_name_plural = _("label prints")
        ordering = ["-printed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(copies__gte=1), name="labels_labelprint_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(date_type__in=[*DateType.values, ""]),
                name="labels_labelprint_date_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} × {self.copies} ({self.label_version})"
