"""Withdrawals and recalls: the affected set from the forward trace, the duty to notify, the
dispositions of every affected quantity, and closing; plus mock recalls."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.trace import Balance, Delivery, notification_duty
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.lots.choices import (
    DispositionKind,
    MovementKind,
    Origin,
    RecallEventKind,
    RecallTrigger,
)
from dairyhaccp.web.lots.constants import LONG_TEXT_CHARS, SHORT_TEXT_CHARS
from dairyhaccp.web.lots.models import (
    Customer,
    Disposition,
    DispositionCorrection,
    MockRecall,
    Recall,
    RecallClosure,
    RecallEvent,
    RecallLot,
)
from dairyhaccp.web.lots.presentation import quantity as worded_quantity
from dairyhaccp.web.lots.services.book import Book, left_of, load_trace_book, parse_key
from dairyhaccp.web.lots.services.common import (
    LotRef,
    check_day,
    check_quantity,
    check_reason,
    clean_text,
    lock,
    resolve_lot,
)
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.lots.services.movements import MovementInput, record_movement
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Deviation

ZERO = Decimal(0)


@dataclass(frozen=True)
class Affected:
    """The lots reached forward from the start lots, their deliveries and balances."""

    starts: tuple[str, ...]
    keys: tuple[str, ...]
    deliveries: tuple[Delivery, ...]
    balances: dict[str, Balance]

    @property
    def left_control(self) -> bool:
        return any(b.delivered > 0 or b.sold > 0 for b in self.balances.values())

    @property
    def lots_out(self) -> tuple[str, ...]:
        return tuple(
            k for k in self.keys if self.balances[k].delivered > 0 or self.balances[k].sold > 0
        )


def affected_set(book: Book, starts: Sequence[str]) -> Affected:
    """The union of the forward traces of `starts`: a lot made with any of them is affected
    whole (the core's rule), each lot once, in trace order."""
    keys: dict[str, None] = {}
    deliveries: dict[int, Delivery] = {}
    balances: dict[str, Balance] = {}
    for start in starts:
        trace = book.forward(start)
        keys.setdefault(start, None)
        for lot in trace.lots:
            keys.setdefault(lot.code, None)
        for delivery in trace.deliveries:
            deliveries.setdefault(id(delivery), delivery)
        for row in trace.balance:
            balances[row.lot] = row
    ordered = sorted(deliveries.values(), key=lambda d: (d.date, book.code(d.lot), d.customer))
    return Affected(tuple(dict.fromkeys(starts)), tuple(keys), tuple(ordered), balances)


def _amount(value: Decimal) -> str:
    return format(value, "f")


def snapshot(book: Book, affected: Affected) -> dict[str, Any]:
    """The affected set as stored with the recall: what was known when it was opened."""
    lots = []
    for key in affected.keys:
        info = book.info(key)
        row = affected.balances[key]
        lots.append(
            {
                "key": key,
                "code": info.code,
                "product": info.product,
                "kind": info.kind,
                "supplier": info.supplier,
                "date": info.day.isoformat(),
                "date_mark": info.date_mark.isoformat() if info.date_mark else None,
                "mark_kind": "use_by" if info.use_by else "best_before",
                "unit": info.unit,
                "start": key in affected.starts,
                "received": _amount(row.received),
                "used": _amount(row.used),
                "delivered": _amount(row.delivered),
                "sold": _amount(row.sold),
                "destroyed": _amount(row.destroyed),
                "in_stock": _amount(row.in_stock),
                "accounted_pct": _amount(row.accounted_pct),
            }
        )
    deliveries = [
        {
            "key": d.lot,
            "lot": book.code(d.lot),
            "customer": d.customer,
            "quantity": _amount(d.quantity),
            "unit": book.info(d.lot).unit,
            "date": d.date.isoformat(),
        }
        for d in affected.deliveries
    ]
    return {"lots": lots, "deliveries": deliveries}


@dataclass(frozen=True)
class RecallInput:
    """A recall to open, as a form or the API gives it; `lots` are keys ('b12', 'i7')."""

    trigger: str
    lots: Sequence[str]
    hazard: str
    origin: str
    measures: str = ""
    deviation: Deviation | None = None
    product_result: ProductResult | None = None
    raw_milk_result: RawMilkResult | None = None


def _check_sources(operator: Operator, data: RecallInput) -> None:
    for source in (data.deviation, data.product_result, data.raw_milk_result):
        if source is not None and source.operator_id != operator.pk:
            raise LotError("trigger", _("Not found."))


@transaction.atomic
def open_recall(operator: Operator, user: User, data: RecallInput) -> Recall:
    """Open a withdrawal or recall: the affected set is the forward trace of its lots, and the
    duty to notify is decided by the module's rule (notify unless the hazard arose in-house,
    nothing left the business and measures are taken). Its lots are blocked until it closes."""
    lock(operator)
    if data.trigger not in RecallTrigger.values:
        raise LotError("trigger", _("Say what opened the recall."))
    if data.origin not in Origin.values:
        raise LotError("origin", _("Say where the hazard arose."))
    _check_sources(operator, data)
    hazard = clean_text(
        "hazard", data.hazard, LONG_TEXT_CHARS, required=_("Describe the hazard."), multiline=True
    )
    measures = clean_text("measures", data.measures, LONG_TEXT_CHARS, multiline=True)
    if not data.lots:
        raise LotError("lots", _("Choose the lot (or lots) concerned."))
    resolved: list[LotRef | LotError] = []
    for key in data.lots:
        try:
            resolved.append(resolve_lot(operator, key, "lots"))
        except LotError as error:
            resolved.append(error)
            break
    book = load_trace_book(operator, [r.key for r in resolved if not isinstance(r, LotError)])
    starts = []
    for ref in resolved:
        if isinstance(ref, LotError):
            raise ref
        if ref.key not in book.lots:
            raise LotError(
                "lots",
                _("Lot {lot} has no quantity recorded: it cannot be traced.").format(
                    lot=ref.batch.lot_code if ref.batch else ref.key
                ),
            )
        starts.append(ref.key)
    affected = affected_set(book, starts)
    decision = notification_duty(
        data.origin,  # type: ignore[arg-type]  # checked against Origin above
        affected.left_control,
        measures_taken=bool(measures),
        lots_out=[book.code(key) for key in affected.lots_out],
    )
    number = (Recall.objects.filter(operator=operator).aggregate(m=Max("number"))["m"] or 0) + 1
    recall = Recall.objects.create(
        operator=operator,
        number=number,
        trigger=data.trigger,
        deviation=data.deviation,
        product_result=data.product_result,
        raw_milk_result=data.raw_milk_result,
        hazard=hazard,
        origin=data.origin,
        measures=measures,
        notify=decision.notify,
        conditions_met=list(decision.met),
        conditions_unmet=list(decision.unmet),
        lots_out=list(decision.lots_out),
        affected=snapshot(book, affected),
        opened_by=user,
    )
    for key in affected.keys:
        info = book.info(key)
        row = affected.balances[key]
        kind, pk = parse_key(key) or ("", 0)
        RecallLot.objects.create(
            operator=operator,
            recall=recall,
            batch_id=pk if kind == "batch" else None,
            input_lot_id=pk if kind == "input" else None,
            lot_code=info.code,
            product=info.product,
            starting=key in affected.starts,
            quantity=row.delivered + row.sold + row.in_stock,
            unit=info.unit,
        )
    return recall


def current_dispositions(recall_lot: RecallLot) -> QuerySet[Disposition]:
    """The dispositions of an affected lot that no later version corrects."""
    return recall_lot.dispositions.filter(correction__isnull=True)


def disposed(recall_lot: RecallLot) -> Decimal:
    """The quantity of an affected lot that has a disposition (current versions only)."""
    total = current_dispositions(recall_lot).aggregate(total=Sum("quantity"))["total"]
    return total if total is not None else ZERO


def _require_open(recall: Recall) -> None:
    if RecallClosure.objects.filter(recall=recall).exists():
        raise LotError("__all__", _("This recall is closed."))


@transaction.atomic
def record_disposition(
    recall: Recall,
    user: User,
    recall_lot: RecallLot,
    kind: str,
    amount: Decimal,
    done_on: date,
    note: str = "",
) -> Disposition:
    """Record what became of a quantity of an affected lot, with who and when. A destroyed
    quantity is also taken off the lot's stock, as far as the stock goes."""
    operator = recall.operator
    lock(operator)
    _require_open(recall)
    if recall_lot.recall_id != recall.pk:
        raise LotError("lot", _("Choose a lot of this recall."))
    fields = _disposition_fields(recall_lot, kind, amount, done_on, note, ZERO)
    disposition = Disposition.objects.create(
        operator=operator, recall_lot=recall_lot, recorded_by=user, **fields
    )
    if kind == DispositionKind.DESTROYED:
        _destroy(recall, user, recall_lot, fields["quantity"], fields["done_on"])
    return disposition


def _disposition_fields(
    recall_lot: RecallLot,
    kind: str,
    amount: Decimal,
    done_on: date,
    note: str,
    given_back: Decimal,
) -> dict[str, Any]:
    """A disposition's fields, checked; `given_back` is what a corrected version frees."""
    if kind not in DispositionKind.values:
        raise LotError("kind", _("Choose what became of the quantity."))
    amount = check_quantity("quantity", amount)
    done_on = check_day("done_on", done_on)
    note = clean_text("note", note, SHORT_TEXT_CHARS)
    if kind == DispositionKind.RELEASED and not note:
        raise LotError("note", _("Name the favourable analysis: laboratory, date and result."))
    left = recall_lot.quantity - disposed(recall_lot) + given_back
    if amount > left:
        raise LotError(
            "quantity",
            _("{quantity} is more than what is left to account for of lot {lot}: {left}.").format(
                quantity=worded_quantity(amount, recall_lot.unit),
                lot=recall_lot.lot_code,
                left=worded_quantity(left, recall_lot.unit),
            ),
        )
    return {"kind": kind, "quantity": amount, "done_on": done_on, "note": note}


def _destroy(
    recall: Recall, user: User, recall_lot: RecallLot, amount: Decimal, done_on: date
) -> None:
    """Take a destroyed quantity off the lot's stock, as far as the stock goes."""
    key = f"b{recall_lot.batch_id}" if recall_lot.batch_id else f"i{recall_lot.input_lot_id}"
    taken = min(amount, left_of(recall.operator, key))
    if taken > 0:
        record_movement(
            recall.operator,
            user,
            MovementInput(
                kind=MovementKind.DESTROY,
                lot=key,
                quantity=taken,
                moved_on=done_on,
                reason=_("Recall {number}").format(number=recall.number),
            ),
        )


@transaction.atomic
def correct_disposition(
    disposition: Disposition,
    user: User,
    kind: str,
    amount: Decimal,
    done_on: date,
    note: str,
    reason: str,
) -> Disposition:
    """Store a corrected version of a disposition recorded wrongly, with who, when and why; the
    version corrected stays. A correction that destroys more than before takes the difference
    off the stock; a destruction already taken off the stock is corrected on the lot's page."""
    recall_lot = disposition.recall_lot
    recall = recall_lot.recall
    lock(recall.operator)
    _require_open(recall)
    if DispositionCorrection.objects.filter(corrected=disposition).exists():
        raise LotError(
            "correction_reason",
            _("This record was corrected meanwhile; start from its latest version."),
        )
    why = check_reason(reason)
    fields = _disposition_fields(recall_lot, kind, amount, done_on, note, disposition.quantity)
    corrected = Disposition.objects.create(
        operator=recall.operator, recall_lot=recall_lot, recorded_by=user, **fields
    )
    DispositionCorrection.objects.create(
        operator=recall.operator,
        corrected=disposition,
        replacement=corrected,
        reason=why,
        recorded_by=user,
    )
    before = disposition.quantity if disposition.kind == DispositionKind.DESTROYED else ZERO
    after = corrected.quantity if corrected.kind == DispositionKind.DESTROYED else ZERO
    if after > before:
        _destroy(recall, user, recall_lot, after - before, corrected.done_on)
    return corrected


def disposition_versions(disposition: Disposition) -> list[Disposition]:
    """The versions of a disposition, first to latest, each with its correction (if any)."""
    first = disposition
    while True:
        link = DispositionCorrection.objects.filter(replacement=first).first()
        if link is None:
            break
        first = link.corrected
    versions = [first]
    while True:
        link = DispositionCorrection.objects.filter(corrected=versions[-1]).first()
        if link is None:
            return versions
        versions.append(link.replacement)


@transaction.atomic
def record_recall_event(
    recall: Recall,
    user: User,
    kind: str,
    done_on: date,
    customer: Customer | None = None,
    note: str = "",
) -> RecallEvent:
    """Record that the FAVV was notified, or that a customer was informed, and when."""
    lock(recall.operator)
    _require_open(recall)
    if kind not in RecallEventKind.values:
        raise LotError("kind", _("Say what was done."))
    if kind == RecallEventKind.CUSTOMER_INFORMED:
        if customer is None or customer.operator_id != recall.operator_id:
            raise LotError("customer", _("Choose the customer."))
    else:
        customer = None
    done_on = check_day("done_on", done_on)
    if done_on < timezone.localtime(recall.opened_at).date():
        raise LotError("done_on", _("This date lies before the recall was opened."))
    return RecallEvent.objects.create(
        operator=recall.operator,
        recall=recall,
        kind=kind,
        customer=customer,
        done_on=done_on,
        note=clean_text("note", note, SHORT_TEXT_CHARS),
        recorded_by=user,
    )


def unaccounted(recall: Recall) -> list[tuple[RecallLot, Decimal]]:
    """The affected lots with a quantity still without a disposition, and that quantity."""
    found = []
    for recall_lot in recall.lots.all():
        left = recall_lot.quantity - disposed(recall_lot)
        if left > 0:
            found.append((recall_lot, left))
    return found


@transaction.atomic
def close_recall(recall: Recall, user: User, remark: str = "") -> RecallClosure:
    """Close a recall once every affected quantity has a disposition (and the FAVV was
    notified where the rule says so); its lots are no longer blocked."""
    lock(recall.operator)
    _require_open(recall)
    missing = unaccounted(recall)
    if missing:
        recall_lot, left = missing[0]
        raise LotError(
            "__all__",
            _("{quantity} of lot {lot} has no disposition yet.").format(
                quantity=worded_quantity(left, recall_lot.unit), lot=recall_lot.lot_code
            ),
        )
    if recall.notify and not recall.events.filter(kind=RecallEventKind.NOTIFIED).exists():
        raise LotError("__all__", _("Record the day the FAVV was notified first."))
    return RecallClosure.objects.create(
        operator=recall.operator,
        recall=recall,
        remark=clean_text("remark", remark, SHORT_TEXT_CHARS),
        closed_by=user,
    )


@transaction.atomic
def run_mock_recall(operator: Operator, user: User, key: str) -> MockRecall:
    """A mock recall: trace forward from a lot as in a real recall, and keep how long it took
    and the share of the quantity accounted for."""
    ref = resolve_lot(operator, key)
    started = time.perf_counter()
    book = load_trace_book(operator, [ref.key])
    if ref.key not in book.lots:
        raise LotError("lot", _("This lot has no quantity recorded: it cannot be traced."))
    trace = book.forward(ref.key)
    elapsed = time.perf_counter() - started
    shares = [row.accounted_pct for row in trace.balance]
    return MockRecall.objects.create(
        operator=operator,
        batch=ref.batch,
        input_lot=ref.input_lot,
        lot_code=book.code(ref.key),
        duration_ms=max(1, round(elapsed * 1000)),
        accounted_pct=trace.balance[0].accounted_pct,
        lowest_pct=min(shares),
        lots_reached=len(trace.lots),
        deliveries=len(trace.deliveries),
        customers=len({d.customer for d in trace.deliveries}),
        left_control=trace.left_control,
        ran_by=user,
    )
