"""Lots coming in and lots made: received lots, milkings and productions, and their corrections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.vocabulary import SPECIES
from dairyhaccp.web.farm.services import milk as farm_milk
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.lots.choices import DateKind, InputKind, ProductionKind, Unit
from dairyhaccp.web.lots.constants import CODE_CHARS, SHORT_TEXT_CHARS
from dairyhaccp.web.lots.models import InputLot, Production, ProductionInput, Supplier
from dairyhaccp.web.lots.services.book import (
    Change,
    LotInfo,
    batch_key,
    check_change,
    input_event,
    input_key,
    input_tag,
    production_event,
    production_tag,
)
from dairyhaccp.web.lots.services.common import (
    LotRef,
    check_date_mark,
    check_day,
    check_quantity,
    check_reason,
    clean_text,
    first_version,
    lock,
    new_version,
    require_current,
    resolve_lot,
)
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch, Room
from dairyhaccp.web.records.services import RegistrationError, create_batch

# Fields of records' batch service as this app's forms name them.
_BATCH_FIELDS = {"lot_code": "lot_code", "started_at": "made_at", "room": "room"}


def _batch_error(error: RegistrationError) -> LotError:
    return LotError(_BATCH_FIELDS.get(error.field, "__all__"), error.problem)


def _check_code_free(operator: Operator, code: str, except_chain: object = None) -> None:
    """A lot code names one lot: no batch and no other received lot has it."""
    taken = Batch.objects.filter(operator=operator, lot_code=code).exists()
    others = InputLot.objects.filter(
        operator=operator, lot_code=code, correction__isnull=True, withdrawn=False
    )
    if except_chain is not None:
        others = others.exclude(chain=except_chain)
    if taken or others.exists():
        raise LotError("lot_code", _("This lot code exists already."))


def _dates(
    made_on: date, date_kind: str, date_mark: date | None
) -> tuple[date | None, date | None]:
    """(best_before, use_by) from the kind and date typed."""
    if date_kind not in DateKind.values:
        raise LotError("date_kind", _("Choose best before or use by."))
    mark = check_date_mark("date_mark", date_mark, made_on)
    return (mark, None) if date_kind == DateKind.BEST_BEFORE else (None, mark)


def _unit(unit: str) -> str:
    if unit not in Unit.values:
        raise LotError("unit", _("Choose kg, l or pieces."))
    return unit


def shelf_life_days(operator: Operator, product: str) -> int | None:
    """The shelf life the operator's plan gives a product, if it gives one."""
    current = records_selectors.operator_plan(operator)
    if current is None:
        return None
    for spec in current.plan.profile.products:
        if spec.label == product:
            return spec.shelf_life_days
    return None


# --- received lots --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiveInput:
    """A lot received from a supplier, as a form or the API gives it."""

    kind: str
    supplier_id: int | None
    quantity: Decimal
    unit: str
    received_on: date
    lot_code: str = ""
    supplier_lot: str = ""
    delivery_note: str = ""
    species: str = ""
    date_kind: str = DateKind.BEST_BEFORE
    date_mark: date | None = None
    remark: str = ""


def _receive_fields(operator: Operator, data: ReceiveInput) -> dict[str, Any]:
    if data.kind not in InputKind.values:
        raise LotError("kind", _("Choose what was received."))
    supplier = (
        Supplier.objects.filter(operator=operator, pk=data.supplier_id).first()
        if data.supplier_id is not None
        else None
    )
    if supplier is None:
        raise LotError("supplier", _("Choose the supplier."))
    supplier_lot = clean_text("supplier_lot", data.supplier_lot, 100)
    code = clean_text("lot_code", data.lot_code, CODE_CHARS) or supplier_lot
    if not code:
        raise LotError("lot_code", _("Give the lot code, or the supplier's lot."))
    if len(code) > CODE_CHARS:
        raise LotError("lot_code", _("At most {limit} characters.").format(limit=CODE_CHARS))
    species = data.species.strip()
    if species and species not in SPECIES:
        raise LotError("species", _("Choose a species."))
    received_on = check_day("received_on", data.received_on, operator.active_since)
    best_before, use_by = _dates(received_on, data.date_kind, data.date_mark)
    return {
        "lot_code": code,
        "kind": data.kind,
        "supplier": supplier,
        "supplier_lot": supplier_lot,
        "delivery_note": clean_text("delivery_note", data.delivery_note, 100),
        "species": species,
        "quantity": check_quantity("quantity", data.quantity),
        "unit": _unit(data.unit),
        "received_on": received_on,
        "best_before": best_before,
        "use_by": use_by,
        "remark": clean_text("remark", data.remark, SHORT_TEXT_CHARS),
    }


@transaction.atomic
def receive_lot(operator: Operator, user: User, data: ReceiveInput) -> InputLot:
    """Record a lot received from a supplier (bought milk, an ingredient, packaging)."""
    lock(operator)
    fields = _receive_fields(operator, data)
    _check_code_free(operator, str(fields["lot_code"]))
    return InputLot.objects.create(operator=operator, recorded_by=user, **fields)


def _input_change(lot: InputLot, replacement: InputLot | None) -> Change:
    first = first_version(lot)
    key = input_key(first.pk)
    event = input_event(replacement, key) if replacement is not None else None
    return Change(replace={input_tag(lot.chain): event})


def _input_fields(name: str) -> str:
    return {"date": "received_on", "quantity": "quantity", "lot": "correction_reason"}.get(
        name, name
    )


@transaction.atomic
def correct_input_lot(lot: InputLot, user: User, data: ReceiveInput, reason: str) -> InputLot:
    """Store a corrected version of a received lot, with who, when and why."""
    lock(lot.operator)
    current = require_current(lot)
    why = check_reason(reason)
    fields = _receive_fields(lot.operator, data)
    _check_code_free(lot.operator, str(fields["lot_code"]), except_chain=lot.chain)
    corrected = new_version(current, user, why, **fields)
    check_change(lot.operator, _input_change(current, corrected), _input_fields)
    corrected.save()
    return corrected


@transaction.atomic
def withdraw_input_lot(lot: InputLot, user: User, reason: str) -> InputLot:
    """Take a received lot out (entered by mistake) as a new, withdrawing version."""
    lock(lot.operator)
    current = require_current(lot)
    why = check_reason(reason)
    check_change(
        lot.operator,
        _input_change(current, None),
        lambda name: "correction_reason",
        lots=[input_key(first_version(current).pk)],
    )
    withdrawn = new_version(current, user, why, withdrawn=True)
    withdrawn.save()
    return withdrawn


# --- milkings and productions ---------------------------------------------------------------


@dataclass(frozen=True)
class InputLine:
    """A quantity of a lot (key 'b12' or 'i7') used by a production."""

    lot: str
    quantity: Decimal


@dataclass(frozen=True)
class ProductionData:
    """A production or a milking, as a form or the API gives it."""

    kind: str
    lot_code: str
    product: str
    made_at: datetime
    quantity: Decimal
    unit: str
    inputs: Sequence[InputLine] = ()
    date_kind: str = DateKind.BEST_BEFORE
    date_mark: date | None = None
    species: str = ""
    room: Room | None = None
    remark: str = ""
    propose_date_mark: bool = True
    # A milking during a milk withdrawal: the withheld animals' milk was kept apart.
    withheld_milk_kept_apart: bool = False


def _made_on(made_at: datetime) -> date:
    if timezone.is_naive(made_at):
        made_at = timezone.make_aware(made_at)
    if made_at > timezone.now() + timedelta(minutes=10):
        raise LotError("made_at", _("This date lies in the future."))
    return check_day("made_at", timezone.localtime(made_at).date())


def _resolved_inputs(
    operator: Operator, data: ProductionData, own_batch: Batch | None
) -> list[tuple[LotRef, Decimal]]:
    if data.kind == ProductionKind.MILKING:
        if data.inputs:
            raise LotError("inputs", _("A milking is made from nothing recorded here."))
        return []
    if not data.inputs:
        raise LotError("inputs[0].lot", _("Give at least one lot this batch was made from."))
    lines = []
    for index, line in enumerate(data.inputs):
        ref = resolve_lot(operator, line.lot, f"inputs[{index}].lot")
        if own_batch is not None and ref.batch is not None and ref.batch.pk == own_batch.pk:
            raise LotError(f"inputs[{index}].lot", _("A lot cannot be made from itself."))
        lines.append((ref, check_quantity(f"inputs[{index}].quantity", line.quantity)))
    return lines


def _production_fields(operator: Operator, data: ProductionData, product: str) -> dict[str, Any]:
    if data.kind not in ProductionKind.values:
        raise LotError("kind", _("Choose a production or a milking."))
    made_on = _made_on(data.made_at)
    mark = data.date_mark
    if mark is None and data.propose_date_mark:
        days = shelf_life_days(operator, product)
        if days is not None:
            mark = made_on + timedelta(days=days)
    best_before, use_by = _dates(made_on, data.date_kind, mark)
    species = data.species.strip()
    if species and species not in SPECIES:
        raise LotError("species", _("Choose a species."))
    return {
        "kind": data.kind,
        "quantity": check_quantity("quantity", data.quantity),
        "unit": _unit(data.unit),
        "made_on": made_on,
        "best_before": best_before,
        "use_by": use_by,
        "species": species,
        "remark": clean_text("remark", data.remark, SHORT_TEXT_CHARS),
    }


def _withheld_milk(
    operator: Operator,
    data: ProductionData,
    lines: Sequence[tuple[LotRef, Decimal]],
    milked_at: datetime,
) -> list[farm_milk.Withheld]:
    """The farm's rule on withheld animals' milk (web/farm/services/milk.py): the animals
    withheld at a milking, or a refusal of a raw-milk lot that holds their milk."""
    try:
        if data.kind == ProductionKind.MILKING:
            return farm_milk.check_milking(operator, milked_at, data.withheld_milk_kept_apart)
        farm_milk.check_raw_milk_inputs(
            operator,
            [
                (f"inputs[{index}].lot", ref.batch)
                for index, (ref, _amount) in enumerate(lines)
                if ref.batch is not None
            ],
        )
    except FarmInputError as error:
        raise LotError(error.field, error.problem) from error
    return []


def _production_field(name: str) -> str:
    """The form field of a refusal of a production event."""
    if name.startswith("inputs["):
        return name
    return {"date": "made_at", "quantity": "quantity", "lot": "__all__"}.get(name, name)


def _store_inputs(production: Production, lines: Sequence[tuple[LotRef, Decimal]]) -> None:
    for ref, amount in lines:
        ProductionInput.objects.create(
            operator=production.operator,
            production=production,
            batch=ref.batch,
            input_lot=ref.input_lot,
            quantity=amount,
        )


def _info(production: Production) -> LotInfo:
    batch = production.batch
    return LotInfo(
        key=batch_key(batch.pk),
        code=batch.lot_code,
        is_batch=True,
        pk=batch.pk,
        current_pk=production.pk,
        kind=production.kind,
        product=batch.product,
        quantity=production.quantity,
        unit=production.unit,
        day=production.made_on,
        best_before=production.best_before,
        use_by=production.use_by,
        supplier=None,
        supplier_lot="",
    )


@transaction.atomic
def record_production(
    operator: Operator, user: User, data: ProductionData, batch: Batch | None = None
) -> Production:
    """Record a production (a batch made from quantities of lots, yielding a quantity) or a
    milking (a batch of the own herd's raw milk). Without `batch` the batch is made here, with
    records' batch service; with it, an existing batch gets its quantity and inputs."""
    lock(operator)
    if batch is not None:
        if batch.operator_id != operator.pk:
            raise LotError("__all__", _("Not found."))
        stored = Production.objects.filter(operator=operator, batch=batch)
        if stored.filter(correction__isnull=True, withdrawn=False).exists():
            raise LotError("__all__", _("This batch has its quantity already; correct it instead."))
        product = batch.product
        if data.kind == ProductionKind.MILKING and product != RAW_MILK:
            raise LotError("kind", _("Only a batch of raw milk is a milking."))
    else:
        product = RAW_MILK if data.kind == ProductionKind.MILKING else data.product.strip()
    fields = _production_fields(operator, data, product)
    lines = _resolved_inputs(operator, data, batch)
    withheld = _withheld_milk(
        operator, data, lines, batch.started_at if batch is not None else data.made_at
    )
    if batch is None:
        code = clean_text("lot_code", data.lot_code, CODE_CHARS, required=_("Give the lot code."))
        _check_code_free(operator, code)
        try:
            batch = create_batch(
                operator,
                user,
                code,
                product,
                started_at=data.made_at,
                room=data.room,
                made_from=[ref.batch for ref, _amount in lines if ref.batch is not None],
                note=str(fields["remark"]),
            )
        except RegistrationError as error:
            raise _batch_error(error) from error
    else:
        batch.add_sources(*[ref.batch for ref, _amount in lines if ref.batch is not None])
    production = Production(operator=operator, batch=batch, recorded_by=user, **fields)
    if lines:
        event = production_event(production, [(ref.key, amount) for ref, amount in lines])
        check_change(
            operator,
            Change(add=[event], infos={batch_key(batch.pk): _info(production)}),
            _production_field,
        )
    production.save()
    _store_inputs(production, lines)
    farm_milk.record_kept_apart(operator, user, batch, withheld)
    return production


@transaction.atomic
def correct_production(
    production: Production, user: User, data: ProductionData, reason: str
) -> Production:
    """Store a corrected version of a production or milking (quantity, date, date mark and
    inputs), with who, when and why. The batch and its lot code stay."""
    operator = production.operator
    lock(operator)
    current = require_current(production)
    why = check_reason(reason)
    batch = current.batch
    fields = _production_fields(operator, data, batch.product)
    if fields["kind"] != current.kind:
        raise LotError("kind", _("A milking stays a milking, a production a production."))
    lines = _resolved_inputs(operator, data, batch)
    if current.kind != ProductionKind.MILKING:
        _withheld_milk(operator, data, lines, batch.started_at)
    corrected = new_version(current, user, why, **fields)
    event = production_event(corrected, [(ref.key, amount) for ref, amount in lines])
    check_change(
        operator,
        Change(
            replace={production_tag(batch.pk): event},
            infos={batch_key(batch.pk): _info(corrected)},
        ),
        _production_field,
    )
    corrected.save()
    _store_inputs(corrected, lines)
    batch.add_sources(*[ref.batch for ref, _amount in lines if ref.batch is not None])
    return corrected


@transaction.atomic
def withdraw_production(production: Production, user: User, reason: str) -> Production:
    """Take a production's quantity out (entered by mistake) as a new, withdrawing version;
    refused while other records use the lot."""
    operator = production.operator
    lock(operator)
    current = require_current(production)
    why = check_reason(reason)
    check_change(
        operator,
        Change(replace={production_tag(current.batch_id): None}),
        lambda name: "correction_reason",
        lots=[batch_key(current.batch_id)],
    )
    withdrawn = new_version(current, user, why, withdrawn=True)
    withdrawn.save()
    return withdrawn


# --- sub-lots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubLot:
    """A sub-lot of a batch: its own lot code and the quantity of the batch it takes."""

    lot_code: str
    quantity: Decimal


def _sub_lot_field(index: int, name: str) -> str:
    """A refusal of one sub-lot's production, on that sub-lot's row."""
    if name == "lot_code":
        return f"sub_lots[{index}].lot_code"
    if name in ("quantity", "inputs[0].quantity"):
        return f"sub_lots[{index}].quantity"
    if name.startswith("inputs["):
        return "__all__"
    return name


@transaction.atomic
def split_lot(
    operator: Operator,
    user: User,
    batch: Batch,
    made_at: datetime,
    sub_lots: Sequence[SubLot],
    date_kind: str = DateKind.BEST_BEFORE,
    date_mark: date | None = None,
) -> list[Production]:
    """Split a batch into sub-lots (wheels ripened and sold over months): each a production
    taking its quantity of the batch, so the link stays. All are recorded or none; each is
    refused as a production would be, on its own row."""
    lock(operator)
    if batch.operator_id != operator.pk:
        raise LotError("__all__", _("Not found."))
    parent = Production.objects.filter(
        operator=operator, batch=batch, correction__isnull=True, withdrawn=False
    ).first()
    if parent is None:
        raise LotError("__all__", _("Record the quantity of this lot first."))
    if parent.kind != ProductionKind.PRODUCTION:
        raise LotError("__all__", _("Only a production can be split into sub-lots."))
    if not sub_lots:
        raise LotError("sub_lots[0].quantity", _("Give at least one sub-lot."))
    made = []
    for index, sub in enumerate(sub_lots):
        data = ProductionData(
            kind=ProductionKind.PRODUCTION,
            lot_code=sub.lot_code,
            product=batch.product,
            made_at=made_at,
            quantity=sub.quantity,
            unit=parent.unit,
            inputs=[InputLine(batch_key(batch.pk), sub.quantity)],
            date_kind=date_kind,
            date_mark=date_mark,
            room=batch.room,
            remark=_("Sub-lot of {lot}").format(lot=batch.lot_code),
        )
        try:
            made.append(record_production(operator, user, data))
        except LotError as error:
            raise LotError(_sub_lot_field(index, error.field), error.problem) from error
    return made
