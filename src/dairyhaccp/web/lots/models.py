"""Storage of lots and their movements, suppliers, customers, mock recalls and recalls.

A production or a milking is a `records.Batch`: its quantity and what it was made from are a
`Production` pointing at it. Lots received from suppliers (bought raw milk, ingredients,
packaging) are `InputLot`s. Evidence is append-only: a correction is a new version of the same
`chain`, pointing at the version it corrects, with the reason; a `withdrawn` version takes the
record out. Movements and inputs point at the first version of an input lot (its identity).
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.lots.choices import (
    CustomerKind,
    DispositionKind,
    InputKind,
    MovementKind,
    Origin,
    ProductionKind,
    RecallEventKind,
    RecallTrigger,
    Unit,
)
from dairyhaccp.web.lots.constants import (
    CODE_CHARS,
    NAME_CHARS,
    QUANTITY_DIGITS,
    QUANTITY_PLACES,
    SHORT_TEXT_CHARS,
)
from dairyhaccp.web.lots.keys import batch_key, input_key, lot_key_of
from dairyhaccp.web.operators.models import AppendOnlyModel, AppendOnlyQuerySet, TenantModel
from dairyhaccp.web.records.models import Batch, Deviation


def _quantity(verbose_name: Any) -> Any:
    return models.DecimalField(
        verbose_name, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES
    )


def _unit() -> Any:
    return models.CharField(_("unit"), max_length=10, choices=Unit.choices)


def _one_lot(prefix: str, batch: str, input_lot: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{batch}__isnull": False, f"{input_lot}__isnull": True})
        | models.Q(**{f"{batch}__isnull": True, f"{input_lot}__isnull": False}),
        name=f"{prefix}_one_lot",
    )


class Supplier(TenantModel):
    """A supplier of raw milk, ingredients or packaging (one step back, Reg. 178/2002 art. 18)."""

    name = models.CharField(_("name"), max_length=NAME_CHARS)
    favv_number = models.CharField(
        _("FAVV unit number"),
        max_length=40,
        blank=True,
        help_text=_("The supplier's establishment unit number at the FAVV, if known."),
    )
    contact = models.CharField(
        _("contact"), max_length=SHORT_TEXT_CHARS, blank=True, help_text=_("Phone or e-mail.")
    )
    address = models.CharField(_("address"), max_length=SHORT_TEXT_CHARS, blank=True)
    active = models.BooleanField(_("still a supplier"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="lots_supplier_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Customer(TenantModel):
    """A customer delivered by name: a shop, a restaurant, a wholesaler, another dairy."""

    name = models.CharField(_("name"), max_length=NAME_CHARS)
    kind = models.CharField(_("kind"), max_length=20, choices=CustomerKind.choices)
    contact = models.CharField(
        _("contact"), max_length=SHORT_TEXT_CHARS, blank=True, help_text=_("Phone or e-mail.")
    )
    address = models.CharField(_("address"), max_length=SHORT_TEXT_CHARS, blank=True)
    active = models.BooleanField(_("still a customer"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="lots_customer_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=CustomerKind.values), name="lots_customer_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StockChange(TenantModel):
    """A lot whose stock is to be worked out again: one of its records was stored. Written in
    the same transaction as the record; removed once the lot's stock is worked out."""

    key = models.CharField(_("lot"), max_length=21)

    class Meta:
        verbose_name = _("change of stock")
        verbose_name_plural = _("changes of stock")


class LotStock(TenantModel):
    """What is left of a lot, as its own records give it; kept up to date from the changes of
    stock, so that lists of what is in stock read only those lots."""

    key = models.CharField(_("lot"), max_length=21)
    left = _quantity(_("left"))

    class Meta:
        verbose_name = _("stock of a lot")
        verbose_name_plural = _("stock of lots")
        constraints = [
            models.UniqueConstraint(fields=["operator", "key"], name="lots_lotstock_one_per_lot")
        ]
        indexes = [models.Index(fields=["operator", "left"], name="lots_lotstock_op_left")]


def _note_stock(records: Iterable[StockRecord]) -> None:
    StockChange.objects.bulk_create(
        StockChange(operator_id=record.operator_id, key=key)
        for record in records
        for key in sorted(record.stock_keys())
    )


class StockRecordQuerySet(AppendOnlyQuerySet):
    """Records added in bulk note their lots as records added one by one do."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            _note_stock(created)
        return created


class StockRecord(AppendOnlyModel):
    """A record that changes what is left of lots: storing it notes those lots for their stock
    to be worked out again."""

    objects = StockRecordQuerySet.as_manager()  # type: ignore[misc]  # narrows the manager

    class Meta:
        abstract = True

    @abstractmethod
    def stock_keys(self) -> set[str]:
        """The lots whose stock this record, stored, may change."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            _note_stock([self])


class Versioned(StockRecord):
    """Fields of a versioned record: which record, which version, who, when and why."""

    chain = models.UUIDField(_("record"), default=uuid.uuid4, editable=False, db_index=True)
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
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True


class InputLot(Versioned):
    """A lot received from a supplier: bought raw milk, an ingredient or packaging."""

    lot_code = models.CharField(_("lot code"), max_length=CODE_CHARS)
    kind = models.CharField(_("what"), max_length=20, choices=InputKind.choices)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="lots"
    )
    supplier_lot = models.CharField(_("supplier's lot"), max_length=100, blank=True)
    delivery_note = models.CharField(_("delivery note"), max_length=100, blank=True)
    species = models.CharField(_("species"), max_length=20, blank=True)
    quantity = _quantity(_("quantity received"))
    unit = _unit()
    received_on = models.DateField(_("received on"))
    best_before = models.DateField(_("best before"), null=True, blank=True)
    use_by = models.DateField(_("use by"), null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=SHORT_TEXT_CHARS, blank=True)

    class Meta:
        verbose_name = _("received lot")
        verbose_name_plural = _("received lots")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["operator", "received_on"], name="lots_inputlot_op_received")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "version"], name="lots_inputlot_one_row_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(unit__in=Unit.values), name="lots_inputlot_unit_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="lots_inputlot_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot_code} v{self.version}"

    def stock_keys(self) -> set[str]:
        if self.version == 1:
            return {input_key(self.pk)}
        first = InputLot.objects.filter(chain=self.chain, version=1).values_list("pk", flat=True)
        return {input_key(pk) for pk in first}


class Production(Versioned):
    """A batch's quantity (a production's yield or a milking's volume), date mark and inputs."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="productions"
    )
    kind = models.CharField(_("what"), max_length=20, choices=ProductionKind.choices)
    quantity = _quantity(_("quantity"))
    unit = _unit()
    made_on = models.DateField(_("made or milked on"))
    best_before = models.DateField(_("best before"), null=True, blank=True)
    use_by = models.DateField(_("use by"), null=True, blank=True)
    species = models.CharField(_("species"), max_length=20, blank=True)
    remark = models.CharField(_("remark"), max_length=SHORT_TEXT_CHARS, blank=True)

    class Meta:
        verbose_name = _("production or milking")
        verbose_name_plural = _("productions and milkings")
        ordering = ["-made_on", "-pk"]
        indexes = [models.Index(fields=["operator", "made_on"], name="lots_production_op_made")]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "version"], name="lots_production_one_row_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(unit__in=Unit.values), name="lots_production_unit_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="lots_production_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} v{self.version}"

    def stock_keys(self) -> set[str]:
        # A new version takes the place of the earlier ones: what they used is free again.
        used = ProductionInput.objects.filter(production__chain=self.chain).values_list(
            "batch_id", "input_lot_id"
        )
        return {batch_key(self.batch_id)} | {lot_key_of(*lot) for lot in used}


class ProductionInput(StockRecord):
    """A quantity of a lot used by one version of a production, in that lot's unit."""

    production = models.ForeignKey(
        Production, verbose_name=_("production"), on_delete=models.PROTECT, related_name="inputs"
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
    )
    input_lot = models.ForeignKey(
        InputLot,
        verbose_name=_("received lot used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
    )
    quantity = _quantity(_("quantity used"))

    class Meta:
        verbose_name = _("input of a production")
        verbose_name_plural = _("inputs of productions")
        ordering = ["pk"]
        constraints = [
            _one_lot("lots_productioninput", "batch", "input_lot"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="lots_productioninput_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.production} ← {self.batch or self.input_lot}"

    def stock_keys(self) -> set[str]:
        return {lot_key_of(self.batch_id, self.input_lot_id)}


class Movement(Versioned):
    """What left a lot: a delivery to a customer, a sale to consumers, a destruction; or a
    stock count saying what was left of it on a day."""

    kind = models.CharField(_("what"), max_length=20, choices=MovementKind.choices)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
    )
    input_lot = models.ForeignKey(
        InputLot,
        verbose_name=_("received lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
    )
    quantity = _quantity(_("quantity"))
    unit = _unit()
    moved_on = models.DateField(_("date"))
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    reason = models.CharField(_("reason"), max_length=SHORT_TEXT_CHARS, blank=True)

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-moved_on", "-pk"]
        # The latest movements recorded (the lots page) and moved (the API list), read in
        # order without sorting the history.
        indexes = [
            models.Index(fields=["operator", "recorded_at"], name="lots_movement_op_recorded"),
            models.Index(fields=["operator", "moved_on"], name="lots_movement_op_moved"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "version"], name="lots_movement_one_row_per_version"
            ),
            _one_lot("lots_movement", "batch", "input_lot"),
            models.CheckConstraint(
                condition=models.Q(kind__in=MovementKind.values), name="lots_movement_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=MovementKind.DELIVER, customer__isnull=False)
                | (~models.Q(kind=MovementKind.DELIVER) & models.Q(customer__isnull=True)),
                name="lots_movement_customer_for_deliveries",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="lots_movement_quantity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.batch or self.input_lot} v{self.version}"

    def stock_keys(self) -> set[str]:
        # A correction may move the quantity to another lot: every version's lot is concerned.
        lots = Movement.objects.filter(chain=self.chain).values_list("batch_id", "input_lot_id")
        return {lot_key_of(self.batch_id, self.input_lot_id)} | {lot_key_of(*lot) for lot in lots}


class MockRecall(AppendOnlyModel):
    """A mock recall: a forward trace run as an exercise, how long it took and the share of
    the quantity accounted for."""

    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mock_recalls",
    )
    input_lot = models.ForeignKey(
        InputLot,
        verbose_name=_("received lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mock_recalls",
    )
    lot_code = models.CharField(_("lot code"), max_length=CODE_CHARS)
    duration_ms = models.PositiveIntegerField(_("time taken (ms)"))
    accounted_pct = models.DecimalField(
        _("share of the lot accounted for (%)"), max_digits=12, decimal_places=1
    )
    lowest_pct = models.DecimalField(
        _("lowest share accounted for of a lot reached (%)"), max_digits=12, decimal_places=1
    )
    lots_reached = models.PositiveIntegerField(_("lots reached"))
    deliveries = models.PositiveIntegerField(_("deliveries"))
    customers = models.PositiveIntegerField(_("customers"))
    left_control = models.BooleanField(_("left the business"))
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    ran_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("mock recall")
        verbose_name_plural = _("mock recalls")
        ordering = ["-ran_at", "-pk"]
        constraints = [_one_lot("lots_mockrecall", "batch", "input_lot")]

    def __str__(self) -> str:
        return f"{self.lot_code} {self.ran_at:%Y-%m-%d}"


class Recall(AppendOnlyModel):
    """A withdrawal or recall as opened: what started it, the hazard, the affected set taken
    from the forward trace, and the duty to notify decided then. Closed by a RecallClosure."""

    number = models.PositiveIntegerField(_("number"))
    trigger = models.CharField(_("opened because of"), max_length=20, choices=RecallTrigger.choices)
    deviation = models.ForeignKey(
        Deviation,
        verbose_name=_("deviation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recalls",
    )
    product_result = models.ForeignKey(
        ProductResult,
        verbose_name=_("lab result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recalls",
    )
    raw_milk_result = models.ForeignKey(
        RawMilkResult,
        verbose_name=_("raw-milk result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recalls",
    )
    hazard = models.TextField(_("hazard"))
    origin = models.CharField(_("where the hazard arose"), max_length=20, choices=Origin.choices)
    measures = models.TextField(_("measures taken"), blank=True)
    notify = models.BooleanField(_("notify the FAVV"))
    conditions_met = models.JSONField(_("conditions of the exemption met"), default=list)
    conditions_unmet = models.JSONField(_("conditions of the exemption not met"), default=list)
    lots_out = models.JSONField(_("lots that left the business"), default=list)
    affected = models.JSONField(
        _("affected set"), default=dict, help_text=_("The forward trace as it stood at opening.")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "number"], name="lots_recall_number"),
            models.CheckConstraint(
                condition=models.Q(trigger__in=RecallTrigger.values),
                name="lots_recall_trigger_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=Origin.values), name="lots_recall_origin_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    @property
    def is_open(self) -> bool:
        return not RecallClosure.objects.filter(recall=self).exists()


class RecallLot(AppendOnlyModel):
    """An affected lot of a recall and the quantity of it that needs a disposition."""

    recall = models.ForeignKey(
        Recall, verbose_name=_("recall"), on_delete=models.PROTECT, related_name="lots"
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recall_lots",
    )
    input_lot = models.ForeignKey(
        InputLot,
        verbose_name=_("received lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recall_lots",
    )
    lot_code = models.CharField(_("lot code"), max_length=CODE_CHARS)
    product = models.CharField(_("product"), max_length=NAME_CHARS)
    starting = models.BooleanField(_("where the trace started"), default=False)
    quantity = _quantity(_("quantity to account for"))
    unit = _unit()

    class Meta:
        verbose_name = _("affected lot")
        verbose_name_plural = _("affected lots")
        ordering = ["pk"]
        constraints = [_one_lot("lots_recalllot", "batch", "input_lot")]

    def __str__(self) -> str:
        return f"{self.recall} {self.lot_code}"


class Disposition(AppendOnlyModel):
    """What became of a quantity of an affected lot, with who and when."""

    recall_lot = models.ForeignKey(
        RecallLot,
        verbose_name=_("affected lot"),
        on_delete=models.PROTECT,
        related_name="dispositions",
    )
    kind = models.CharField(_("disposition"), max_length=20, choices=DispositionKind.choices)
    quantity = _quantity(_("quantity"))
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("note"), max_length=SHORT_TEXT_CHARS, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DispositionKind.values),
                name="lots_disposition_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="lots_disposition_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recall_lot} {self.kind}"


class DispositionCorrection(AppendOnlyModel):
    """A disposition corrected by a new version: which version it replaces, by which, who, when
    and why. Kept beside the dispositions (not as columns of theirs) so that the stored
    dispositions, and their links in the evidence chain, stay as they were."""

    corrected = models.OneToOneField(
        Disposition,
        verbose_name=_("version corrected"),
        on_delete=models.PROTECT,
        related_name="correction",
    )
    replacement = models.OneToOneField(
        Disposition,
        verbose_name=_("corrected version"),
        on_delete=models.PROTECT,
        related_name="corrects",
    )
    reason = models.TextField(_("reason for the correction"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("correction of a disposition")
        verbose_name_plural = _("corrections of dispositions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.corrected} → {self.replacement}"


class RecallEvent(AppendOnlyModel):
    """A step of a recall: the FAVV notified, a customer informed; with who and when."""

    recall = models.ForeignKey(
        Recall, verbose_name=_("recall"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what"), max_length=20, choices=RecallEventKind.choices)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=SHORT_TEXT_CHARS, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("recall step")
        verbose_name_plural = _("recall steps")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RecallEventKind.values),
                name="lots_recallevent_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recall} {self.kind}"


class RecallClosure(AppendOnlyModel):
    """The closing of a recall, once every affected quantity has a disposition."""

    recall = models.OneToOneField(
        Recall, verbose_name=_("recall"), on_delete=models.PROTECT, related_name="closure"
    )
    remark = models.CharField(_("remark"), max_length=SHORT_TEXT_CHARS, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)

    class Meta:
        verbose_name = _("closing of a recall")
        verbose_name_plural = _("closings of recalls")

    def __str__(self) -> str:
        return f"{self.recall} closed"
