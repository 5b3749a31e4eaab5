"""Storage of the daily self-check: rooms, batches, registrations and deviations."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.operators.models import AppendOnlyModel, Operator, TenantModel
from dairyhaccp.web.records.choices import (
    DeviationEventKind,
    DeviationStatus,
    Outcome,
    RoomKind,
    Verdict,
)


class Room(TenantModel):
    """A room or piece of equipment where periodic checks are done (ripening room, freezer, ...)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices)
    product = models.CharField(
        _("product kept here"),
        max_length=200,
        blank=True,
        help_text=_("The product of your plan the limits are read for, e.g. the cheese ripened."),
    )
    storage_category = models.CharField(
        _("storage category"),
        max_length=40,
        blank=True,
        help_text=_("For cold rooms and cabinets: the category whose maximum temperature applies."),
    )
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("room or equipment")
        verbose_name_plural = _("rooms and equipment")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="records_room_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=RoomKind.values), name="records_room_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Batch(TenantModel):
    """A production batch (lot) of a product of the plan, or a batch of raw milk (a milking)."""

    lot_code = models.CharField(_("lot code"), max_length=60)
    product = models.CharField(_("product"), max_length=200)
    started_at = models.DateTimeField(
        _("made or milked at"), help_text=_("When the production started or the milk was milked.")
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("kept in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
    )
    made_from = models.ManyToManyField(
        "self",
        verbose_name=_("made from"),
        symmetrical=False,
        blank=True,
        related_name="used_in",
        through="BatchSource",
        through_fields=("from_batch", "to_batch"),
    )
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "lot_code"], name="records_batch_unique_lot_code"
            ),
        ]
        indexes = [
            # The batch list and the recent batches of the agenda.
            models.Index(fields=["operator", "started_at"], name="records_batch_op_started"),
        ]

    def __str__(self) -> str:
        return self.lot_code

    def add_sources(self, *sources: Batch) -> None:
        """Record that this batch was made from `sources`; one already there stays as it is."""
        self.made_from.add(*sources, through_defaults={"operator_id": self.operator_id})


class BatchSource(TenantModel):
    """A batch (`to_batch`) that another batch (`from_batch`) was made from."""

    from_batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="+"
    )
    to_batch = models.ForeignKey(
        Batch, verbose_name=_("made from"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "records_batch_made_from"
        verbose_name = _("source of a batch")
        verbose_name_plural = _("sources of batches")
        unique_together = [("from_batch", "to_batch")]


class Registration(AppendOnlyModel):
    """One version of one check as registered and judged at that moment; never changed.

    A correction is a new row pointing at the version it corrects (`corrects`), in the same
    `chain`, with the reason; the current version of a chain is the one nobody corrected.
    """

    # Read through the indexes below, which all start with the operator. An index of the
    # operator alone let PostgreSQL, its estimates thrown by thousands of tenants' recent
    # checks, read an operator's every registration and filter them.
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        db_index=False,
    )
    chain = models.UUIDField(_("registration"), default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # Read through `records_reg_op_control`: an index of the control alone holds every
    # tenant's rows of it.
    control_id = models.CharField(_("control"), max_length=20)
    task_id = models.CharField(
        _("task"),
        max_length=60,
        blank=True,
        help_text=_("For a task without measurements (renewing the brine, disinfecting)."),
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room or equipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    delivery = models.CharField(_("delivery"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    category = models.CharField(_("storage category"), max_length=40, blank=True)
    industrial_starter = models.BooleanField(_("industrial starter used"), null=True, blank=True)
    measured_at = models.DateTimeField(_("measured at"))
    values = models.JSONField(_("measured values"), default=dict)
    derived = models.JSONField(
        _("values from the stored history"),
        default=dict,
        help_text=_("Values computed from earlier records rather than typed."),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    findings = models.JSONField(_("findings"), default=list)
    required = models.JSONField(_("required values"), default=dict)
    checked_limits = models.JSONField(_("limits checked"), default=list)
    plan_version = models.PositiveIntegerField(_("plan version"), null=True, blank=True)
    guide_version = models.CharField(_("version of the guide"), max_length=40, blank=True)
    remark = models.TextField(_("remark"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-measured_at", "-pk"]
        indexes = [
            # Every per-operator list, newest first (API list, batch and room pages).
            models.Index(fields=["operator", "measured_at", "id"], name="records_reg_op_measured"),
            # The history of a control, the agenda's windows, the starter uses.
            models.Index(
                fields=["operator", "control_id", "measured_at"], name="records_reg_op_control"
            ),
            # A batch's registrations (the agenda's recent batches, the batch page).
            models.Index(fields=["operator", "batch", "measured_at"], name="records_reg_op_batch"),
            # A room's registrations of a window (the milk tank's days in the IKM self-check).
            models.Index(fields=["operator", "room", "measured_at"], name="records_reg_op_room"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "version"], name="records_registration_one_row_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values),
                name="records_registration_verdict_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.control_id} {self.measured_at:%Y-%m-%d %H:%M} v{self.version}"

    @property
    def is_deviation(self) -> bool:
        return self.verdict == Verdict.DEVIATION

    def evidence_date(self) -> datetime:
        """The day the record's retention counts from: when the check was done."""
        return self.measured_at


class Deviation(TenantModel):
    """A deviation opened by a registration, open until its corrective actions and outcome
    are recorded and someone closes it. Every change is logged in DeviationEvent."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="deviation",
    )
    control_id = models.CharField(_("control"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=DeviationStatus.choices, default=DeviationStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lots = models.ManyToManyField(
        Batch,
        verbose_name=_("lots concerned"),
        blank=True,
        related_name="deviations",
        through="DeviationLot",
    )
    notification_required = models.BooleanField(_("to notify to the FAVV"), default=False)
    notifications = models.JSONField(_("notification duties"), default=list)
    notified_on = models.DateField(_("notified to the FAVV on"), null=True, blank=True)
    actions = models.JSONField(_("corrective actions"), default=list)
    own_action = models.TextField(_("own corrective action"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            # The deviation list (open first, newest first) and the open ones of the today page.
            models.Index(fields=["operator", "status", "opened_at"], name="records_dev_op_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeviationStatus.values),
                name="records_deviation_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=DeviationStatus.OPEN)
                | (
                    models.Q(closed_at__isnull=False, closed_by__isnull=False)
                    & ~models.Q(outcome="")
                ),
                name="records_deviation_closed_with_who_when_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.control_id} {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == DeviationStatus.OPEN


class DeviationLot(TenantModel):
    """A lot a deviation concerns."""

    deviation = models.ForeignKey(
        Deviation, verbose_name=_("deviation"), on_delete=models.CASCADE, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "records_deviation_lots"
        verbose_name = _("lot concerned")
        verbose_name_plural = _("lots concerned")
        unique_together = [("deviation", "batch")]


class DeviationEvent(AppendOnlyModel):
    """One step in the life of a deviation, with who and when; never changed."""

    deviation = models.ForeignKey(
        Deviation, verbose_name=_("deviation"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=DeviationEventKind.choices)
    data = models.JSONField(_("details"), default=dict)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("deviation event")
        verbose_name_plural = _("deviation events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.deviation} {self.kind}"


class IdempotencyKey(TenantModel):
    """The key a client gave a registration or a task (sent in bulk, or from a form kept offline):
    a second request with the same key is refused, so a retry never stores a record twice."""

    key = models.CharField(_("idempotency key"), max_length=100)
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="idempotency_key",
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "key"], name="records_idempotencykey_one_per_operator"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class LotCodeSettings(TenantModel):
    """The owner's pattern for the lot codes of the batches started from the today page, and
    the short code of each product it uses."""

    pattern = models.CharField(_("lot code pattern"), max_length=100)
    product_codes = models.JSONField(_("product codes"), default=dict, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lot code settings")
        verbose_name_plural = _("lot code settings")
        constraints = [
            models.UniqueConstraint(fields=["operator"], name="records_lotcodesettings_one"),
        ]

    def __str__(self) -> str:
        return self.pattern


class DayConfirmation(AppendOnlyModel):
    """The checks of a day confirmed "all in order" at once (relaxations: only
    non-conformities are registered), with who and when; never changed."""

    day = models.DateField(_("day"))
    duties = models.JSONField(
        _("checks confirmed"),
        default=list,
        help_text=_("Each check confirmed: its monitoring item or task, control and target."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("confirmation of a day's checks")
        verbose_name_plural = _("confirmations of a day's checks")
        ordering = ["-confirmed_at", "-pk"]
        indexes = [
            models.Index(fields=["operator", "confirmed_at"], name="records_dayconf_op_at"),
        ]

    def __str__(self) -> str:
        return f"{self.day} ({len(self.duties)})"

    def evidence_date(self) -> datetime:
        return self.confirmed_at
