"""API endpoints of the lots context: lots and their movements, traces, recalls.

The token belongs to one operator: every lookup is narrowed to it, so another operator's lots,
movements and recalls are 404. Reading needs any membership; writing needs owner or staff
(auditors get 403). Input the services refuse is a 422 whose message starts with the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import override
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dairyhaccp.trace import NotificationDecision, describe_notification, trace_to_data
from dairyhaccp.web import compiled
from dairyhaccp.web.apischema import MAX_OFFSET, MAX_PAGE, error_codes
from dairyhaccp.web.jsontext import json_response
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.choices import ProductionKind, RecallEventKind
from dairyhaccp.web.lots.models import Customer, Disposition, Movement, Recall, Supplier
from dairyhaccp.web.lots.schemas import (
    BalanceOut,
    CustomerIn,
    CustomerOut,
    DispositionCorrectionIn,
    DispositionIn,
    DispositionOut,
    Lang,
    LotDetailOut,
    LotKey,
    LotOut,
    MilkingIn,
    MockRecallOut,
    MovementCorrectionIn,
    MovementIn,
    MovementOut,
    ProductionIn,
    RecallCloseIn,
    RecallIn,
    RecallLotOut,
    RecallOut,
    RecallStepIn,
    ReceivedIn,
    SupplierIn,
    SupplierOut,
    TraceOut,
    WithdrawalIn,
)
from dairyhaccp.web.lots.services import (
    InputLine,
    LotError,
    MovementInput,
    ProductionData,
    RecallInput,
    ReceiveInput,
    close_recall,
    correct_disposition,
    correct_movement,
    current_dispositions,
    disposed,
    open_recall,
    receive_lot,
    record_disposition,
    record_movement,
    record_production,
    record_recall_event,
    run_mock_recall,
    save_customer,
    save_supplier,
    withdraw_movement,
)
from dairyhaccp.web.lots.services.book import Book, LotInfo, batch_key, input_key, lot_key_of
from dairyhaccp.web.lots.services.common import LotRef, current_version, resolve_lot
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import WRITING_ROLES
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Deviation, Room

router = Router(tags=["lots"])
_T = TypeVar("_T")


def _member(request: HttpRequest, *, write: bool = False) -> Membership:
    return api_membership(request, *WRITING_ROLES) if write else api_membership(request)


# The services' field names as this API names them.
MOVEMENT_FIELDS = {"moved_on": "date"}
RECALL_FIELDS = {"done_on": "date", "lot": "recall_lot_id", "customer": "customer_id"}
MILKING_FIELDS = {"made_at": "milked_at", "room": "room_id"}
PRODUCTION_FIELDS = {"room": "room_id"}
RECEIVED_FIELDS = {"supplier": "supplier_id"}


def _run(lang: str, action: Callable[[], _T], fields: dict[str, str] | None = None) -> _T:
    """Call a service with its messages in `lang`; a refusal is a 422 naming the field."""
    with override(lang):
        try:
            return action()
        except LotError as error:
            field = (fields or {}).get(error.field, error.field)
            raise HttpError(422, f"{field}: {error.problem}") from error


def _own(model: Any, operator: Operator, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(operator=operator, pk=pk).first()
    if found is None:
        raise HttpError(422, f"{field}: not found")
    return found


def _lot(operator: Operator, key: str) -> LotRef:
    try:
        return resolve_lot(operator, key)
    except LotError:
        raise HttpError(404, "Not found") from None


# --- suppliers and customers ------------------------------------------------------------------


def _supplier_out(s: Supplier) -> SupplierOut:
    return SupplierOut(
        id=s.pk,
        name=s.name,
        favv_number=s.favv_number,
        contact=s.contact,
        address=s.address,
        active=s.active,
    )


def _customer_out(c: Customer) -> CustomerOut:
    return CustomerOut(
        id=c.pk, name=c.name, kind=c.kind, contact=c.contact, address=c.address, active=c.active
    )


@router.get("/suppliers", response=list[SupplierOut], summary="Suppliers, by name")
def list_suppliers(request: HttpRequest) -> list[SupplierOut]:
    return [_supplier_out(s) for s in selectors.suppliers(_member(request).operator)]


@router.post("/suppliers", response={201: SupplierOut}, summary="Add a supplier")
def create_supplier(
    request: HttpRequest, payload: SupplierIn, lang: Lang = "nl"
) -> Status[SupplierOut]:
    operator = _member(request, write=True).operator
    supplier = _run(lang, lambda: save_supplier(operator, **payload.model_dump()))
    return Status(201, _supplier_out(supplier))


@router.get("/customers", response=list[CustomerOut], summary="Customers, by name")
def list_customers(request: HttpRequest) -> list[CustomerOut]:
    return [_customer_out(c) for c in selectors.customers(_member(request).operator)]


@router.post("/customers", response={201: CustomerOut}, summary="Add a customer")
def create_customer(
    request: HttpRequest, payload: CustomerIn, lang: Lang = "nl"
) -> Status[CustomerOut]:
    operator = _member(request, write=True).operator
    customer = _run(lang, lambda: save_customer(operator, **payload.model_dump()))
    return Status(201, _customer_out(customer))


# --- lots -------------------------------------------------------------------------------------


# The answers' fields as plain dicts: the route's response schema checks them once (built as
# schema objects, ninja checked them a second time).


def _lot_out(book: selectors.Lots, info: LotInfo, blocked: set[str]) -> dict[str, Any]:
    """A `LotOut`."""
    return {
        "key": info.key,
        "code": info.code,
        "kind": info.kind,
        "product": info.product,
        "quantity": info.quantity,
        "unit": info.unit,
        "date": info.day,
        "best_before": info.best_before,
        "use_by": info.use_by,
        "supplier": info.supplier,
        "supplier_lot": info.supplier_lot,
        "in_stock": book.left(info.key),
        "blocked": info.key in blocked,
    }


def _movement_out(m: Movement, code: str) -> dict[str, Any]:
    """A `MovementOut`."""
    return {
        "id": m.pk,
        "chain": str(m.chain),
        "version": m.version,
        "corrects_id": m.corrects_id,
        "correction_reason": m.correction_reason,
        "withdrawn": m.withdrawn,
        "kind": m.kind,
        "lot": lot_key_of(m.batch_id, m.input_lot_id),
        "lot_code": code,
        "quantity": m.quantity,
        "unit": m.unit,
        "date": m.moved_on,
        "customer_id": m.customer_id,
        "customer": m.customer.name if m.customer else None,
        "reason": m.reason,
        "recorded_by": m.recorded_by.get_username(),
        "recorded_at": m.recorded_at,
    }


@router.get(
    "/lots",
    response=list[LotOut],
    summary="Lots with a quantity (batches and received lots), newest first, with what is left",
)
def list_lots(
    request: HttpRequest,
    in_stock: bool = False,
    limit: int = Query(100, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    operator = _member(request).operator
    blocked = selectors.blocked_keys(operator)
    if not in_stock:
        page = selectors.newest(operator, offset, limit)
        return [_lot_out(page, info, blocked) for info in selectors.lots_newest_first(page)]
    book = selectors.in_stock(operator)
    infos = [info for info in selectors.lots_newest_first(book) if book.left(info.key) > 0]
    return [_lot_out(book, info, blocked) for info in infos[offset : offset + limit]]


@router.post(
    "/lots/received",
    response={201: LotOut},
    summary="Record a lot received: bought raw milk, an ingredient or packaging",
)
def create_received(request: HttpRequest, payload: ReceivedIn, lang: Lang = "nl") -> Status[LotOut]:
    member = _member(request, write=True)
    operator = member.operator
    data = ReceiveInput(**payload.model_dump())
    lot = _run(lang, lambda: receive_lot(operator, member.user, data), RECEIVED_FIELDS)
    book, info = _book_lot(operator, input_key(lot.pk))
    return Status(201, LotOut(**_lot_out(book, info, set())))


@router.post(
    "/lots/milkings",
    response={201: LotOut},
    summary="Record a milking (or tank day) of the own herd: a batch of raw milk, in litres",
)
def create_milking(request: HttpRequest, payload: MilkingIn, lang: Lang = "nl") -> Status[LotOut]:
    member = _member(request, write=True)
    operator = member.operator
    room = _own(Room, operator, payload.room_id, "room_id")
    data = ProductionData(
        kind=ProductionKind.MILKING,
        lot_code=payload.lot_code,
        product=RAW_MILK,
        made_at=payload.milked_at,
        quantity=payload.quantity,
        unit="l",
        species=payload.species,
        room=room,
        remark=payload.remark,
        withheld_milk_kept_apart=payload.withheld_milk_kept_apart,
    )
    production = _run(lang, lambda: record_production(operator, member.user, data), MILKING_FIELDS)
    book, info = _book_lot(operator, batch_key(production.batch_id))
    return Status(201, LotOut(**_lot_out(book, info, set())))


@router.post(
    "/lots/productions",
    response={201: LotOut},
    summary="Record a production: the lots used (keys) with quantities, and what it yields",
)
def create_production(
    request: HttpRequest, payload: ProductionIn, lang: Lang = "nl"
) -> Status[LotOut]:
    member = _member(request, write=True)
    operator = member.operator
    room = _own(Room, operator, payload.room_id, "room_id")
    data = ProductionData(
        kind=ProductionKind.PRODUCTION,
        lot_code=payload.lot_code,
        product=payload.product,
        made_at=payload.made_at,
        quantity=payload.quantity,
        unit=payload.unit,
        inputs=[InputLine(line.lot, line.quantity) for line in payload.inputs],
        date_kind=payload.date_kind,
        date_mark=payload.date_mark,
        room=room,
        remark=payload.remark,
    )
    production = _run(
        lang, lambda: record_production(operator, member.user, data), PRODUCTION_FIELDS
    )
    book, info = _book_lot(operator, batch_key(production.batch_id))
    return Status(201, LotOut(**_lot_out(book, info, selectors.blocked_keys(operator))))


def _book_lot(operator: Operator, key: str) -> tuple[Book, LotInfo]:
    ref = _lot(operator, key)
    book = selectors.lots_book_of(operator, {ref.key})
    info = book.lots.get(ref.key)
    if info is None:
        raise HttpError(404, "Not found")
    return book, info


@router.get("/lots/{key}", response=LotDetailOut, summary="A lot, its mass balance and movements")
def get_lot(request: HttpRequest, key: LotKey) -> LotDetailOut:
    operator = _member(request).operator
    book, info = _book_lot(operator, key)
    row = book.balance(info.key)
    return LotDetailOut(
        **_lot_out(book, info, selectors.blocked_keys(operator)),
        balance=BalanceOut(
            lot=info.code,
            unit=row.unit,
            received=row.received,
            used=row.used,
            delivered=row.delivered,
            sold=row.sold,
            destroyed=row.destroyed,
            in_stock=row.in_stock,
            counted=row.counted,
            accounted_pct=row.accounted_pct,
        ),
        movements=[
            MovementOut(**_movement_out(m, info.code))
            for m in selectors.movements_of(operator, info.key)
        ],
    )


def _coded(data: Any, codes: dict[str, str]) -> Any:
    """The trace's data with lot keys replaced by lot codes."""
    if isinstance(data, dict):
        return {k: codes.get(v, v) if k == "lot" else _coded(v, codes) for k, v in data.items()}
    if isinstance(data, list):
        return [_coded(item, codes) for item in data]
    return data


@router.get(
    "/lots/{key}/trace",
    response=TraceOut,
    summary="Trace a lot forward (every lot made from it, its customers, stock and balances) "
    "or backward (every lot it was made from, with suppliers)",
)
def trace_lot(
    request: HttpRequest, key: LotKey, direction: str = "forward", lang: Lang = "nl"
) -> TraceOut:
    operator = _member(request).operator
    if direction not in ("forward", "backward"):
        raise HttpError(422, "direction: forward or backward")
    ref = _lot(operator, key)
    book = selectors.trace_book_of(
        operator, ref.key, "forward" if direction == "forward" else "backward"
    )
    info = book.lots.get(ref.key)
    if info is None:
        raise HttpError(404, "Not found")
    trace = book.forward(info.key) if direction == "forward" else book.backward(info.key)
    codes = {k: book.code(k) for k in [info.key, *(lot.code for lot in trace.lots)]}
    data = _coded(trace_to_data(trace, lang=lang), codes)
    return TraceOut(key=info.key, keys={code: k for k, code in codes.items()}, **data)


@router.post(
    "/lots/{key}/mock-recall",
    response={201: MockRecallOut},
    summary="Run a mock recall from a lot: the forward trace, timed, with the share accounted for",
)
def create_mock_recall(
    request: HttpRequest, key: LotKey, lang: Lang = "nl"
) -> Status[MockRecallOut]:
    member = _member(request, write=True)
    ref = _lot(member.operator, key)
    mock = _run(lang, lambda: run_mock_recall(member.operator, member.user, ref.key))
    return Status(
        201,
        MockRecallOut(
            id=mock.pk,
            lot_code=mock.lot_code,
            duration_ms=mock.duration_ms,
            accounted_pct=mock.accounted_pct,
            lowest_pct=mock.lowest_pct,
            lots_reached=mock.lots_reached,
            deliveries=mock.deliveries,
            customers=mock.customers,
            left_control=mock.left_control,
            ran_at=mock.ran_at,
        ),
    )


# --- movements --------------------------------------------------------------------------------


def _movement_input(payload: MovementIn) -> MovementInput:
    return MovementInput(
        kind=payload.kind,
        lot=payload.lot,
        quantity=payload.quantity,
        moved_on=payload.date,
        customer_id=payload.customer_id,
        reason=payload.reason,
    )


def _movement_code(movement: Movement, codes: dict[Any, str] | None = None) -> str:
    """The code of the movement's lot (a received lot's as its latest version gives it, from
    `codes` when read already)."""
    if movement.batch is not None:
        return movement.batch.lot_code
    assert movement.input_lot is not None
    if codes is not None:
        return codes[movement.input_lot.chain]
    return current_version(movement.input_lot).lot_code


@router.get(
    "/movements",
    response={200: list[MovementOut], **error_codes(404)},
    summary="Movements (latest versions), newest first; ?lot= narrows to one lot",
)
def list_movements(
    request: HttpRequest,
    lot: str = "",
    limit: int = Query(100, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> HttpResponse:
    operator = _member(request).operator
    ref = _lot(operator, lot) if lot else None
    of_lot = (
        (ref.batch.pk if ref.batch else None, ref.input_lot.pk if ref.input_lot else None)
        if ref is not None
        else None
    )

    def page() -> QuerySet[Movement]:
        rows = selectors.movements(operator)
        if ref is not None:
            rows = rows.filter(batch=ref.batch, input_lot=ref.input_lot)
        return rows[offset : offset + limit]

    found = compiled.instances(("movements", operator.pk, of_lot, offset, limit), page)
    codes = selectors.received_lot_codes(
        operator, {m.input_lot.chain for m in found if m.input_lot is not None}
    )
    return json_response([_movement_out(m, _movement_code(m, codes)) for m in found])


@router.post(
    "/movements",
    response={201: MovementOut},
    summary="Record a delivery, a sale to consumers, a destruction or a stock count; refused "
    "when it takes more than what is left of the lot",
)
def create_movement(
    request: HttpRequest, payload: MovementIn, lang: Lang = "nl"
) -> Status[MovementOut]:
    member = _member(request, write=True)
    data = _movement_input(payload)
    movement = _run(
        lang, lambda: record_movement(member.operator, member.user, data), MOVEMENT_FIELDS
    )
    return Status(201, MovementOut(**_movement_out(movement, _movement_code(movement))))


def _movement(operator: Operator, movement_id: int) -> Movement:
    return get_object_or_404(Movement, operator=operator, pk=movement_id)


@router.post(
    "/movements/{movement_id}/corrections",
    response={201: MovementOut},
    summary="Correct the latest version of a movement: stored as a new version with the reason",
)
def create_movement_correction(
    request: HttpRequest, movement_id: int, payload: MovementCorrectionIn, lang: Lang = "nl"
) -> Status[MovementOut]:
    member = _member(request, write=True)
    movement = _movement(member.operator, movement_id)
    data = _movement_input(payload)
    corrected = _run(
        lang,
        lambda: correct_movement(movement, member.user, data, payload.correction_reason),
        MOVEMENT_FIELDS,
    )
    return Status(201, MovementOut(**_movement_out(corrected, _movement_code(corrected))))


@router.post(
    "/movements/{movement_id}/withdrawal",
    response={201: MovementOut},
    summary="Withdraw a movement entered by mistake: a new, withdrawing version with the reason",
)
def create_movement_withdrawal(
    request: HttpRequest, movement_id: int, payload: WithdrawalIn, lang: Lang = "nl"
) -> Status[MovementOut]:
    member = _member(request, write=True)
    movement = _movement(member.operator, movement_id)
    withdrawn = _run(
        lang, lambda: withdraw_movement(movement, member.user, payload.correction_reason)
    )
    return Status(201, MovementOut(**_movement_out(withdrawn, _movement_code(withdrawn))))


# --- recalls ----------------------------------------------------------------------------------


def _recall_out(recall: Recall, lang: str) -> RecallOut:
    lots = list(recall.lots.all())
    dispositions = [
        d
        for lot in lots
        for d in current_dispositions(lot).select_related("recorded_by", "corrects")
    ]
    notified = recall.events.filter(kind=RecallEventKind.NOTIFIED).first()
    closure = getattr(recall, "closure", None)
    decision = NotificationDecision(
        notify=recall.notify,
        met=tuple(recall.conditions_met),
        unmet=tuple(recall.conditions_unmet),
        lots_out=tuple(recall.lots_out),
    )
    return RecallOut(
        id=recall.pk,
        number=recall.number,
        status="closed" if closure else "open",
        trigger=recall.trigger,
        hazard=recall.hazard,
        origin=recall.origin,
        measures=recall.measures,
        notify_favv=recall.notify,
        why=describe_notification(decision, lang),
        lots_out=list(recall.lots_out),
        lots=[
            RecallLotOut(
                id=lot.pk,
                lot=lot_key_of(lot.batch_id, lot.input_lot_id),
                lot_code=lot.lot_code,
                product=lot.product,
                starting=lot.starting,
                to_account_for=lot.quantity,
                disposed=disposed(lot),
                unit=lot.unit,
            )
            for lot in lots
        ],
        deliveries=list(recall.affected.get("deliveries", [])),
        dispositions=[
            DispositionOut(
                id=d.pk,
                recall_lot_id=d.recall_lot_id,
                kind=d.kind,
                quantity=d.quantity,
                date=d.done_on,
                note=d.note,
                recorded_by=d.recorded_by.get_username(),
                recorded_at=d.recorded_at,
                corrects_id=d.corrects.corrected_id if hasattr(d, "corrects") else None,
                correction_reason=d.corrects.reason if hasattr(d, "corrects") else "",
            )
            for d in dispositions
        ],
        notified_on=notified.done_on if notified else None,
        opened_at=recall.opened_at,
        opened_by=recall.opened_by.get_username(),
        closed_at=closure.closed_at if closure else None,
        closed_by=closure.closed_by.get_username() if closure else None,
    )


def _recall(operator: Operator, recall_id: int) -> Recall:
    return get_object_or_404(selectors.recalls(operator), pk=recall_id)


@router.get("/recalls", response=list[RecallOut], summary="Recalls, newest first")
def list_recalls(
    request: HttpRequest,
    status: str = "",
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    lang: Lang = "nl",
) -> list[RecallOut]:
    operator = _member(request).operator
    rows = selectors.recalls(operator)
    if status == "open":
        rows = rows.filter(closure__isnull=True)
    elif status == "closed":
        rows = rows.filter(closure__isnull=False)
    elif status:
        raise HttpError(422, "status: open or closed")
    return [_recall_out(r, lang) for r in rows[offset : offset + limit]]


@router.get("/recalls/{recall_id}", response=RecallOut, summary="A recall")
def get_recall(request: HttpRequest, recall_id: int, lang: Lang = "nl") -> RecallOut:
    return _recall_out(_recall(_member(request).operator, recall_id), lang)


@router.post(
    "/recalls",
    response={201: RecallOut},
    summary="Open a withdrawal or recall: the affected set from the forward trace, the duty to "
    "notify the FAVV decided by the module's rule; its lots are blocked until it closes",
)
def create_recall(request: HttpRequest, payload: RecallIn, lang: Lang = "nl") -> Status[RecallOut]:
    member = _member(request, write=True)
    operator = member.operator
    data = RecallInput(
        trigger=payload.trigger,
        lots=payload.lots,
        hazard=payload.hazard,
        origin=payload.origin,
        measures=payload.measures,
        deviation=_own(Deviation, operator, payload.deviation_id, "deviation_id"),
        product_result=_own(
            ProductResult, operator, payload.product_result_id, "product_result_id"
        ),
        raw_milk_result=_own(
            RawMilkResult, operator, payload.raw_milk_result_id, "raw_milk_result_id"
        ),
    )
    recall = _run(lang, lambda: open_recall(operator, member.user, data))
    return Status(201, _recall_out(recall, lang))


@router.post(
    "/recalls/{recall_id}/dispositions",
    response={201: RecallOut},
    summary="Record what became of a quantity of an affected lot",
)
def create_disposition(
    request: HttpRequest, recall_id: int, payload: DispositionIn, lang: Lang = "nl"
) -> Status[RecallOut]:
    member = _member(request, write=True)
    recall = _recall(member.operator, recall_id)
    recall_lot = recall.lots.filter(pk=payload.recall_lot_id).first()
    if recall_lot is None:
        raise HttpError(422, "recall_lot_id: not found")
    _run(
        lang,
        lambda: record_disposition(
            recall,
            member.user,
            recall_lot,
            payload.kind,
            payload.quantity,
            payload.date,
            payload.note,
        ),
        RECALL_FIELDS,
    )
    return Status(201, _recall_out(recall, lang))


@router.post(
    "/recalls/{recall_id}/dispositions/{disposition_id}/corrections",
    response={201: RecallOut},
    summary="Correct a disposition recorded wrongly: a new version with the reason",
)
def create_disposition_correction(
    request: HttpRequest,
    recall_id: int,
    disposition_id: int,
    payload: DispositionCorrectionIn,
    lang: Lang = "nl",
) -> Status[RecallOut]:
    member = _member(request, write=True)
    recall = _recall(member.operator, recall_id)
    disposition = get_object_or_404(
        Disposition.objects.filter(operator=member.operator, recall_lot__recall=recall),
        pk=disposition_id,
    )
    _run(
        lang,
        lambda: correct_disposition(
            disposition,
            member.user,
            payload.kind,
            payload.quantity,
            payload.date,
            payload.note,
            payload.correction_reason,
        ),
        RECALL_FIELDS,
    )
    return Status(201, _recall_out(recall, lang))


@router.post(
    "/recalls/{recall_id}/steps",
    response={201: RecallOut},
    summary="Record the day the FAVV was notified, or a customer informed",
)
def create_recall_step(
    request: HttpRequest, recall_id: int, payload: RecallStepIn, lang: Lang = "nl"
) -> Status[RecallOut]:
    member = _member(request, write=True)
    recall = _recall(member.operator, recall_id)
    customer = _own(Customer, member.operator, payload.customer_id, "customer_id")
    _run(
        lang,
        lambda: record_recall_event(
            recall, member.user, payload.kind, payload.date, customer, payload.note
        ),
        RECALL_FIELDS,
    )
    return Status(201, _recall_out(recall, lang))


@router.post(
    "/recalls/{recall_id}/closure",
    response={201: RecallOut},
    summary="Close a recall once every affected quantity has a disposition",
)
def create_recall_closure(
    request: HttpRequest, recall_id: int, payload: RecallCloseIn, lang: Lang = "nl"
) -> Status[RecallOut]:
    member = _member(request, write=True)
    recall = _recall(member.operator, recall_id)
    _run(lang, lambda: close_recall(recall, member.user, payload.remark))
    recall = _recall(member.operator, recall_id)
    return Status(201, _recall_out(recall, lang))
