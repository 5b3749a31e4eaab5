"""Lots: the overview, receiving, milking, producing, the lot page with its balance, corrections."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web import compiled
from dairyhaccp.web.farm.services import milk as farm_milk
from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.choices import ProductionKind
from dairyhaccp.web.lots.constants import INPUT_ROWS, LOT_OFFER_DAYS
from dairyhaccp.web.lots.forms import (
    CorrectProductionForm,
    CorrectReceiveForm,
    LotSearchForm,
    MilkingForm,
    ProductionForm,
    ReceiveForm,
    SplitForm,
    WithdrawForm,
    species_choices,
)
from dairyhaccp.web.lots.models import InputLot, Production, ProductionInput
from dairyhaccp.web.lots.presentation import product_label, quantity
from dairyhaccp.web.lots.reports import balance_row
from dairyhaccp.web.lots.services import (
    InputLine,
    LotError,
    ProductionData,
    ReceiveInput,
    SubLot,
    correct_input_lot,
    correct_production,
    receive_lot,
    record_production,
    split_lot,
    withdraw_input_lot,
    withdraw_production,
)
from dairyhaccp.web.lots.services.book import Book, batch_key, input_key, lot_key_of
from dairyhaccp.web.lots.services.common import current_version
from dairyhaccp.web.lots.views.common import add_error, lot_choices, lot_from_url, lot_label
from dairyhaccp.web.operators.access import OperatorRequest, operator_view, require_write
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import product_choices

WITHDRAW = "withdraw"


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _rooms(request: OperatorRequest) -> list[tuple[str, str]]:
    return [(str(room.pk), room.name) for room in records_selectors.active_rooms(request.operator)]


def _room(request: OperatorRequest, value: str | None) -> Any:
    if not value:
        return None
    return records_selectors.rooms(request.operator).filter(pk=value).first()


@operator_view
def index(request: OperatorRequest) -> HttpResponse:
    """What is in stock, what is blocked, open recalls, and the recent batches still without
    quantity."""
    operator = request.operator
    blocked = selectors.blocked_keys(operator)
    untraced = selectors.untraced(operator, older=request.GET.get("untraced") == "older")
    search = LotSearchForm(request.GET or None)
    found = None
    if search.is_valid() and search.cleaned_data["q"]:
        found = selectors.stock(
            selectors.found(operator, search.cleaned_data["q"]), blocked, in_stock_only=False
        )
    return render(
        request,
        "lots/index.html",
        {
            "operator": operator,
            "search": search,
            "found": found,
            "stock": selectors.stock(selectors.in_stock(operator), blocked),
            "open_recalls": compiled.instances(
                ("open recalls", operator.pk), partial(selectors.open_recalls, operator)
            ),
            "untraced": untraced,
            "offer_days": LOT_OFFER_DAYS,
            "movements": compiled.instances(
                ("recent movements", operator.pk), partial(selectors.recent_movements, operator)
            ),
            "has_plan": records_selectors.operator_plan(operator) is not None,
        },
    )


# --- receiving ------------------------------------------------------------------------------


def _supplier_choices(request: OperatorRequest) -> list[tuple[str, str]]:
    return [(str(s.pk), s.name) for s in selectors.suppliers(request.operator, active_only=True)]


def _receive_input(data: dict[str, Any]) -> ReceiveInput:
    return ReceiveInput(
        kind=data["kind"],
        supplier_id=int(data["supplier"]) if data["supplier"] else None,
        quantity=data["quantity"],
        unit=data["unit"],
        received_on=data["received_on"],
        lot_code=data["lot_code"],
        supplier_lot=data["supplier_lot"],
        delivery_note=data["delivery_note"],
        species=data["species"],
        date_kind=data["date_kind"],
        date_mark=data["date_mark"],
        remark=data["remark"],
    )


@require_write
def receive(request: OperatorRequest) -> HttpResponseBase:
    """Record a lot received: bought raw milk, an ingredient or packaging."""
    suppliers = _supplier_choices(request)
    form = ReceiveForm(
        request.POST or None,
        suppliers=suppliers,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lot = receive_lot(request.operator, request.user, _receive_input(form.cleaned_data))
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Lot {lot} is recorded.").format(lot=lot.lot_code))
            return redirect("lots:lot", operator_slug=request.operator.slug, key=input_key(lot.pk))
    return render(
        request,
        "lots/receive.html",
        {"operator": request.operator, "form": form, "has_suppliers": len(suppliers) > 0},
    )


# --- milkings and productions ---------------------------------------------------------------


@require_write
def milk(request: OperatorRequest) -> HttpResponseBase:
    """Record a milking (or a tank day) of the own herd: a batch of raw milk with its volume."""
    operator = request.operator
    current = records_selectors.operator_plan(operator)
    if current is None or RAW_MILK not in product_choices(operator):
        return render(request, "lots/no_plan.html", {"operator": operator, "milk": True})
    species = species_choices(current.plan.profile.milk.species)
    withheld = farm_milk.withheld_at_milking(operator, timezone.now())

    def milking_form(ask: bool) -> MilkingForm:
        return MilkingForm(
            request.POST or None,
            species=species,
            rooms=_rooms(request),
            initial={"made_at": _now_local(), "lot_code": _milk_code()},
            ask_kept_apart=ask,
        )

    form = milking_form(bool(withheld) or farm_milk.KEPT_APART_FIELD in request.POST)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            production = record_production(
                operator,
                request.user,
                ProductionData(
                    kind=ProductionKind.MILKING,
                    lot_code=data["lot_code"],
                    product=RAW_MILK,
                    made_at=data["made_at"],
                    quantity=data["quantity"],
                    unit="l",
                    species=data["species"],
                    room=_room(request, data["room"]),
                    remark=data["remark"],
                    withheld_milk_kept_apart=bool(data.get(farm_milk.KEPT_APART_FIELD)),
                ),
            )
        except LotError as error:
            if error.field == farm_milk.KEPT_APART_FIELD and error.field not in form.fields:
                form = milking_form(True)
                form.is_valid()
            add_error(form, error)
        else:
            messages.success(request, _("The milking is recorded."))
            return redirect(
                "lots:lot", operator_slug=operator.slug, key=batch_key(production.batch_id)
            )
    return render(
        request, "lots/milk.html", {"operator": operator, "form": form, "withheld": withheld}
    )


def _milk_code() -> str:
    return timezone.localtime().strftime("M-%Y%m%d-%H%M")


def _production_products(request: OperatorRequest) -> list[tuple[str, str]]:
    return [(p, p) for p in product_choices(request.operator) if p != RAW_MILK]


def _proposed_rows(book: selectors.Lots, request: OperatorRequest, product: str) -> dict[str, str]:
    """Today's milk and the lots the last production used, as the first input rows."""
    proposals = selectors.todays_milk(book) + selectors.last_used_inputs(
        book, request.operator, product
    )
    initial = {}
    for row, info in enumerate(proposals[:INPUT_ROWS], start=1):
        initial[f"lot_{row}"] = info.key
    return initial


def _production_data(
    data: dict[str, Any], lines: list[tuple[int, str, Any]], kind: str
) -> ProductionData:
    return ProductionData(
        kind=kind,
        lot_code=data.get("lot_code", ""),
        product=data.get("product", ""),
        made_at=data["made_at"],
        quantity=data["quantity"],
        unit=data["unit"],
        inputs=[InputLine(lot, amount) for _row, lot, amount in lines],
        date_kind=data["date_kind"],
        date_mark=data["date_mark"],
        remark=data["remark"],
    )


def _input_aliases(lines: list[tuple[int, str, Any]]) -> dict[str, str]:
    """The service's 'inputs[0].quantity' as the form's 'quantity_3'."""
    aliases = {"inputs[0].lot": "lot_1"}
    for index, (row, _lot, _amount) in enumerate(lines):
        aliases[f"inputs[{index}].lot"] = f"lot_{row}"
        aliases[f"inputs[{index}].quantity"] = f"quantity_{row}"
    return aliases


@require_write
def produce(request: OperatorRequest) -> HttpResponseBase:
    """Record a production: the lots used with their quantities and the quantity made. Proposes
    today's milk and the ingredient lots the last production used. With ?batch= it gives an
    existing batch (entered on the batches page) its quantity and inputs."""
    operator = request.operator
    if records_selectors.operator_plan(operator) is None:
        return render(request, "lots/no_plan.html", {"operator": operator})
    batch = _untraced_batch(request)
    book = selectors.in_stock(operator)
    blocked = selectors.blocked_keys(operator)
    product = batch.product if batch else request.GET.get("product", "")
    initial: dict[str, Any] = {"made_at": _now_local(), "product": product}
    if batch is not None:
        initial["made_at"] = timezone.localtime(batch.started_at).strftime("%Y-%m-%dT%H:%M")
    initial.update(_proposed_rows(book, request, product))
    form = ProductionForm(
        request.POST or None,
        products=_production_products(request),
        rooms=_rooms(request),
        lots=lot_choices(selectors.pick_list(book, blocked)),
        fixed_batch=batch is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        lines = form.lines()
        data = form.cleaned_data
        production_data = _production_data(data, lines, ProductionKind.PRODUCTION)
        if batch is None:
            production_data = replace(production_data, room=_room(request, data["room"]))
        try:
            production = record_production(operator, request.user, production_data, batch=batch)
        except LotError as error:
            add_error(form, error, _input_aliases(lines))
        else:
            messages.success(request, _("The production is recorded."))
            return redirect(
                "lots:lot", operator_slug=operator.slug, key=batch_key(production.batch_id)
            )
    return render(
        request, "lots/produce.html", {"operator": operator, "form": form, "batch": batch}
    )


def _untraced_batch(request: OperatorRequest) -> Batch | None:
    value = request.GET.get("batch", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404("No such batch.")
    batch = records_selectors.batches(request.operator).filter(pk=int(value)).first()
    if batch is None:
        raise Http404("No such batch.")
    return batch


# --- the lot page -----------------------------------------------------------------------------


def _uses(operator: Operator, book: Book, key: str) -> list[dict[str, Any]]:
    """The productions that used this lot, with the quantity each took."""
    parsed_batch = key[0] == "b"
    rows = ProductionInput.objects.filter(
        operator=operator, production__correction__isnull=True, production__withdrawn=False
    ).select_related("production__batch")
    rows = (
        rows.filter(batch_id=int(key[1:]))
        if parsed_batch
        else rows.filter(input_lot_id=int(key[1:]))
    )
    info = book.lots.get(key)
    return [
        {
            "key": batch_key(row.production.batch_id),
            "code": row.production.batch.lot_code,
            "product": product_label(row.production.batch.product),
            "amount": quantity(row.quantity, info.unit if info else ""),
            "day": row.production.made_on,
        }
        for row in rows
    ]


def _made_from(book: Book, inputs: list[ProductionInput]) -> list[dict[str, Any]]:
    found = []
    for row in inputs:
        key = lot_key_of(row.batch_id, row.input_lot_id)
        info = book.lots.get(key)
        if info is None:
            continue
        found.append(
            {
                "key": key,
                "code": info.code,
                "product": product_label(info.product),
                "supplier": info.supplier,
                "amount": quantity(row.quantity, info.unit),
            }
        )
    return found


@operator_view
def lot_detail(request: OperatorRequest, key: str) -> HttpResponse:
    """A lot: what it is, its mass balance, what it was made from and went into, its movements,
    recalls and mock recalls."""
    ref = lot_from_url(request, key)
    operator = request.operator
    key = ref.key
    production = selectors.production_of(ref.batch) if ref.batch is not None else None
    inputs = (
        list(production.inputs.all()) if production is not None and not production.withdrawn else []
    )
    input_keys = {lot_key_of(row.batch_id, row.input_lot_id) for row in inputs}
    book = selectors.lots_book_of(operator, {key, *input_keys})
    info = book.lots.get(key)
    input_lot = current_version(ref.input_lot) if ref.input_lot is not None else None
    context: dict[str, Any] = {
        "operator": operator,
        "key": key,
        "ref": ref,
        "info": info,
        "label": lot_label(info) if info else (ref.batch.lot_code if ref.batch else ""),
        "product": product_label(info.product)
        if info
        else (product_label(ref.batch.product) if ref.batch else ""),
        "blocked": key in selectors.blocked_keys(operator),
        "production": production,
        "input_lot": input_lot,
        "balance": balance_row(book, key) if info else None,
        "made_from": _made_from(book, inputs),
        "used_in": _uses(operator, book, key),
        "movements": selectors.movements_of(operator, key),
        "recalls": selectors.recalls_of(operator, key),
        "mock_recalls": selectors.mock_recalls(operator).filter(
            batch=ref.batch, input_lot=ref.input_lot
        )[:10],
    }
    return render(request, "lots/lot.html", context)


# --- corrections of a lot's record ------------------------------------------------------------


def _production_initial(production: Production) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "made_at": timezone.localtime(production.batch.started_at).strftime("%Y-%m-%dT%H:%M"),
        "quantity": production.quantity,
        "unit": production.unit,
        "date_kind": "use_by" if production.use_by else "best_before",
        "date_mark": production.use_by or production.best_before,
        "remark": production.remark,
    }
    for row, line in enumerate(production.inputs.all(), start=1):
        key = batch_key(line.batch_id) if line.batch_id else input_key(line.input_lot_id)
        initial[f"lot_{row}"] = key
        initial[f"quantity_{row}"] = line.quantity
    return initial


def _input_initial(lot: InputLot) -> dict[str, Any]:
    return {
        "kind": lot.kind,
        "supplier": str(lot.supplier_id),
        "supplier_lot": lot.supplier_lot,
        "lot_code": lot.lot_code,
        "quantity": lot.quantity,
        "unit": lot.unit,
        "received_on": lot.received_on,
        "delivery_note": lot.delivery_note,
        "species": lot.species,
        "date_kind": "use_by" if lot.use_by else "best_before",
        "date_mark": lot.use_by or lot.best_before,
        "remark": lot.remark,
    }


@require_write
def correct_lot(request: OperatorRequest, key: str) -> HttpResponseBase:
    """Correct a lot's record (a new version with the reason), or withdraw it."""
    ref = lot_from_url(request, key)
    operator = request.operator
    if ref.batch is not None:
        production = selectors.production_of(ref.batch)
        if production is None or production.withdrawn:
            raise Http404("This batch has no quantity to correct.")
        return _correct_production(request, ref.key, production)
    assert ref.input_lot is not None
    lot = current_version(ref.input_lot)
    if lot.withdrawn:
        raise Http404("This lot is withdrawn.")
    withdraw_form = WithdrawForm(request.POST if WITHDRAW in request.POST else None)
    form = CorrectReceiveForm(
        request.POST if request.method == "POST" and WITHDRAW not in request.POST else None,
        suppliers=[(str(s.pk), s.name) for s in selectors.suppliers(operator)],
        initial=_input_initial(lot),
    )
    if request.method == "POST":
        try:
            if WITHDRAW in request.POST:
                if withdraw_form.is_valid():
                    withdraw_input_lot(
                        lot, request.user, withdraw_form.cleaned_data["correction_reason"]
                    )
                    messages.success(request, _("The lot is withdrawn."))
                    return redirect("lots:index", operator_slug=operator.slug)
            elif form.is_valid():
                correct_input_lot(
                    lot,
                    request.user,
                    _receive_input(form.cleaned_data),
                    form.cleaned_data["correction_reason"],
                )
                messages.success(request, _("The correction is saved."))
                return redirect("lots:lot", operator_slug=operator.slug, key=ref.key)
        except LotError as error:
            add_error(withdraw_form if WITHDRAW in request.POST else form, error)
    return render(
        request,
        "lots/correct_lot.html",
        {
            "operator": operator,
            "key": ref.key,
            "code": lot.lot_code,
            "form": form,
            "withdraw_form": withdraw_form,
            "versions": selectors.input_versions(lot),
        },
    )


def _correct_production(
    request: OperatorRequest, key: str, production: Production
) -> HttpResponseBase:
    operator = request.operator
    # What it used, even if nothing is left of it, and what can still be used.
    used = [lot_key_of(*lot) for lot in production.inputs.values_list("batch_id", "input_lot_id")]
    book = selectors.in_stock(operator, used)
    blocked = selectors.blocked_keys(operator)
    choices = lot_choices(selectors.stock(book, blocked, in_stock_only=False))
    choices = [(k, label) for k, label in choices if k != key]
    posting = request.method == "POST"
    withdraw_form = WithdrawForm(request.POST if WITHDRAW in request.POST else None)
    form = CorrectProductionForm(
        request.POST if posting and WITHDRAW not in request.POST else None,
        products=[],
        rooms=[],
        lots=choices,
        fixed_batch=True,
        initial=_production_initial(production),
    )
    if production.kind == ProductionKind.MILKING:
        for row in range(1, form.rows + 1):
            del form.fields[f"lot_{row}"], form.fields[f"quantity_{row}"]
        form.rows = 0
    if posting:
        try:
            if WITHDRAW in request.POST:
                if withdraw_form.is_valid():
                    withdraw_production(
                        production, request.user, withdraw_form.cleaned_data["correction_reason"]
                    )
                    messages.success(request, _("The quantity of the lot is withdrawn."))
                    return redirect("lots:index", operator_slug=operator.slug)
            elif form.is_valid():
                lines = form.lines()
                data = _production_data(form.cleaned_data, lines, production.kind)
                data = replace(data, species=production.species, propose_date_mark=False)
                try:
                    correct_production(
                        production, request.user, data, form.cleaned_data["correction_reason"]
                    )
                except LotError as error:
                    add_error(form, error, _input_aliases(lines))
                else:
                    messages.success(request, _("The correction is saved."))
                    return redirect("lots:lot", operator_slug=operator.slug, key=key)
        except LotError as error:
            add_error(withdraw_form, error)
    versions = Production.objects.filter(operator=operator, chain=production.chain).order_by(
        "version"
    )
    return render(
        request,
        "lots/correct_lot.html",
        {
            "operator": operator,
            "key": key,
            "code": production.batch.lot_code,
            "form": form,
            "withdraw_form": withdraw_form,
            "versions": versions,
            "production": production,
        },
    )


# --- sub-lots ---------------------------------------------------------------------------------


def _split_aliases(lines: list[tuple[int, str, Any]]) -> dict[str, str]:
    """The service's 'sub_lots[0].quantity' as the form's 'quantity_3'."""
    aliases = {"sub_lots[0].quantity": "quantity_1"}
    for index, (row, _code, _amount) in enumerate(lines):
        aliases[f"sub_lots[{index}].lot_code"] = f"code_{row}"
        aliases[f"sub_lots[{index}].quantity"] = f"quantity_{row}"
    return aliases


@require_write
def split(request: OperatorRequest, key: str) -> HttpResponseBase:
    """Split a batch into sub-lots (wheels ripened and sold over months): one row per sub-lot,
    each recorded as a production using the batch; all or none."""
    ref = lot_from_url(request, key)
    operator = request.operator
    if ref.batch is None:
        raise Http404("Only a batch is split into sub-lots.")
    production = selectors.production_of(ref.batch)
    if production is None or production.withdrawn or production.kind != ProductionKind.PRODUCTION:
        raise Http404("This batch has no production to split.")
    code = ref.batch.lot_code
    form = SplitForm(
        request.POST or None,
        codes=[f"{code}-{row}" for row in range(1, INPUT_ROWS + 1)],
        initial={
            "made_at": _now_local(),
            "date_kind": "use_by" if production.use_by else "best_before",
            "date_mark": production.use_by or production.best_before,
        },
    )
    if request.method == "POST" and form.is_valid():
        lines = form.lines()
        data = form.cleaned_data
        try:
            made = split_lot(
                operator,
                request.user,
                ref.batch,
                data["made_at"],
                [SubLot(code, amount) for _row, code, amount in lines],
                date_kind=data["date_kind"],
                date_mark=data["date_mark"],
            )
        except LotError as error:
            add_error(form, error, _split_aliases(lines))
        else:
            messages.success(
                request,
                _("{count} sub-lots of lot {lot} are recorded.").format(count=len(made), lot=code),
            )
            return redirect("lots:lot", operator_slug=operator.slug, key=ref.key)
    book_left = selectors.left_of_lot(operator, ref.key)
    return render(
        request,
        "lots/split.html",
        {
            "operator": operator,
            "key": ref.key,
            "code": code,
            "product": product_label(ref.batch.product),
            "left": quantity(book_left, production.unit),
            "form": form,
        },
    )
