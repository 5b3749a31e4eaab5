"""Withdrawals and recalls: opening one (from a deviation, a lab result, a supplier's alert, or
by hand), the duty to notify and why, customers to inform, dispositions, closing, the counter
notice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dairyhaccp.trace import NotificationDecision, describe_notification
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.choices import RecallEventKind, RecallTrigger
from dairyhaccp.web.lots.forms import (
    CloseRecallForm,
    CorrectDispositionForm,
    DispositionForm,
    RecallForm,
    RecallStepForm,
)
from dairyhaccp.web.lots.models import Disposition, Recall
from dairyhaccp.web.lots.notice import LANGUAGES, notice_texts
from dairyhaccp.web.lots.presentation import product_label, quantity
from dairyhaccp.web.lots.services import (
    LotError,
    RecallInput,
    close_recall,
    correct_disposition,
    current_dispositions,
    disposed,
    disposition_versions,
    open_recall,
    record_disposition,
    record_recall_event,
)
from dairyhaccp.web.lots.services.book import batch_key
from dairyhaccp.web.lots.views.common import add_error, all_lot_choices, older_lots_help
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.models import Deviation


@operator_view
def recall_list(request: OperatorRequest) -> HttpResponse:
    """Recalls, open ones first; and what may call for one: open deviations with lots and
    unsatisfactory finished-product results."""
    operator = request.operator
    rows = sorted(
        selectors.recalls(operator).prefetch_related("lots"),
        key=lambda recall: (not recall.is_open, -recall.opened_at.timestamp()),
    )
    return render(
        request,
        "lots/recalls.html",
        {
            "operator": operator,
            "recalls": rows,
            "deviations": records_selectors.open_deviations_with_lots(operator),
            "lab_results": _unsatisfactory_results(request),
        },
    )


def _unsatisfactory_results(request: OperatorRequest) -> list[ProductResult]:
    rows = (
        ProductResult.objects.for_operator(request.operator)
        .current()
        .filter(stored_verdict__verdict="unsatisfactory")
        .exclude(lot="")
        .order_by("-sampled_on")[:20]
    )
    return list(rows)


def _source(request: OperatorRequest, name: str, model: Any) -> Any:
    value = request.GET.get(name) or request.POST.get(name) or ""
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404("Not found.")
    found = model.objects.filter(operator=request.operator, pk=int(value)).first()
    if found is None:
        raise Http404("Not found.")
    return found


def _prefill(
    operator: Operator,
    deviation: Deviation | None,
    result: ProductResult | None,
    milk_result: RawMilkResult | None,
) -> dict[str, Any]:
    """What a recall opened from a deviation or a lab result starts with."""
    if deviation is not None:
        keys = [batch_key(pk) for pk in deviation.lots.values_list("pk", flat=True)]
        return {
            "trigger": RecallTrigger.DEVIATION,
            "lots": keys,
            "origin": "in_house",
            "hazard": _("Deviation at {control} on {day}").format(
                control=deviation.control_id,
                day=timezone.localtime(deviation.opened_at).date().isoformat(),
            ),
        }
    if result is not None:
        return {
            "trigger": RecallTrigger.LAB_RESULT,
            "lots": selectors.keys_coded(operator, [result.lot]),
            "origin": "in_house",
            "hazard": _("{parameter}: unsatisfactory result of {product}, sampled on {day}").format(
                parameter=result.get_parameter_display(),
                product=result.product_name,
                day=result.sampled_on.isoformat(),
            ),
        }
    if milk_result is not None:
        return {
            "trigger": RecallTrigger.ANTIBIOTICS,
            "lots": selectors.keys_coded(operator, milk_result.lot_list),
            "origin": "in_house",
            "hazard": _("Antibiotic residues in the milk sampled on {day}").format(
                day=milk_result.sampled_on.isoformat()
            ),
        }
    return {"trigger": RecallTrigger.MANUAL, "origin": "in_house"}


@require_write
def recall_new(request: OperatorRequest) -> HttpResponseBase:
    """Open a withdrawal or recall: by hand, or from a deviation (?deviation=), a finished
    product's lab result (?product_result=), a raw-milk result (?raw_milk_result=) or a lot
    (?lot=, e.g. a supplier's alert on an input lot)."""
    operator = request.operator
    deviation = _source(request, "deviation", Deviation)
    result = _source(request, "product_result", ProductResult)
    milk_result = _source(request, "raw_milk_result", RawMilkResult)
    initial = _prefill(operator, deviation, result, milk_result)
    lot = request.GET.get("lot", "")
    posted = request.POST.getlist("lots") if request.method == "POST" else []
    book = selectors.offered(operator, [*initial.get("lots", []), lot, *posted])
    if "lots" in initial:
        initial["lots"] = [key for key in initial["lots"] if key in book.lots]
    if lot in book.lots:
        initial["lots"] = [lot]
        if book.info(lot).supplier:
            initial.update(trigger=RecallTrigger.SUPPLIER_ALERT, origin="supplier")
    form = RecallForm(request.POST or None, lots=all_lot_choices(book), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recall = open_recall(
                operator,
                request.user,
                RecallInput(
                    trigger=data["trigger"],
                    lots=data["lots"],
                    hazard=data["hazard"],
                    origin=data["origin"],
                    measures=data["measures"],
                    deviation=deviation,
                    product_result=result,
                    raw_milk_result=milk_result,
                ),
            )
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("Recall {number} is open; its lots are blocked.").format(number=recall.number),
            )
            return redirect("lots:recall", operator_slug=operator.slug, recall_id=recall.pk)
    return render(
        request,
        "lots/recall_new.html",
        {
            "operator": operator,
            **older_lots_help(request),
            "form": form,
            "deviation": deviation,
            "result": result,
            "milk_result": milk_result,
        },
    )


def _recall(request: OperatorRequest, recall_id: int) -> Recall:
    return get_for_operator_or_404(
        selectors.recalls(request.operator), request.operator, pk=recall_id
    )


def _decision(recall: Recall) -> NotificationDecision:
    return NotificationDecision(
        notify=recall.notify,
        met=tuple(recall.conditions_met),
        unmet=tuple(recall.conditions_unmet),
        lots_out=tuple(recall.lots_out),
    )


def _lang() -> str:
    lang = (get_language() or "nl")[:2]
    return lang if lang in LANGUAGES else "nl"


def _snapshot_lots(recall: Recall) -> list[dict[str, Any]]:
    rows = []
    for lot in recall.affected.get("lots", []):
        unit = lot["unit"]
        rows.append(
            {
                **lot,
                "product_words": product_label(lot["product"]),
                "received_words": quantity(Decimal(lot["received"]), unit),
                "delivered_words": quantity(Decimal(lot["delivered"]), unit),
                "sold_words": quantity(Decimal(lot["sold"]), unit),
                "in_stock_words": quantity(Decimal(lot["in_stock"]), unit),
                "sold_any": Decimal(lot["sold"]) > 0,
                "day": date.fromisoformat(lot["date"]),
                "mark": date.fromisoformat(lot["date_mark"]) if lot.get("date_mark") else None,
            }
        )
    return rows


def _customers(recall: Recall) -> list[dict[str, Any]]:
    """The customers to inform, each with what they received and whether they were informed."""
    known = {c.name: c for c in selectors.customers(recall.operator)}
    informed: dict[int, list[Any]] = defaultdict(list)
    for event in recall.events.filter(kind=RecallEventKind.CUSTOMER_INFORMED):
        if event.customer_id is not None:
            informed[event.customer_id].append(event)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for delivery in recall.affected.get("deliveries", []):
        grouped[delivery["customer"]].append(
            {
                "lot": delivery["lot"],
                "amount": quantity(Decimal(delivery["quantity"]), delivery["unit"]),
                "day": date.fromisoformat(delivery["date"]),
            }
        )
    rows = []
    for name, deliveries in sorted(grouped.items()):
        customer = known.get(name)
        rows.append(
            {
                "name": name,
                "customer": customer,
                "deliveries": deliveries,
                "informed": informed.get(customer.pk, []) if customer else [],
            }
        )
    return rows


def _lot_rows(recall: Recall) -> list[dict[str, Any]]:
    rows = []
    for recall_lot in recall.lots.all():
        done = disposed(recall_lot)
        rows.append(
            {
                "lot": recall_lot,
                "key": batch_key(recall_lot.batch_id)
                if recall_lot.batch_id
                else f"i{recall_lot.input_lot_id}",
                "product": product_label(recall_lot.product),
                "to_account": quantity(recall_lot.quantity, recall_lot.unit),
                "disposed": quantity(done, recall_lot.unit),
                "left": recall_lot.quantity - done,
                "left_words": quantity(recall_lot.quantity - done, recall_lot.unit),
                "dispositions": [
                    {
                        "row": d,
                        "amount": quantity(d.quantity, recall_lot.unit),
                        "corrected": hasattr(d, "corrects"),
                    }
                    for d in current_dispositions(recall_lot).select_related(
                        "recorded_by", "corrects"
                    )
                ],
            }
        )
    return rows


def _render_recall(
    request: OperatorRequest,
    recall: Recall,
    disposition_form: DispositionForm | None = None,
    step_form: RecallStepForm | None = None,
    close_form: CloseRecallForm | None = None,
) -> HttpResponse:
    lots = _lot_rows(recall)
    customers = _customers(recall)
    lot_choices = [
        (str(row["lot"].pk), f"{row['lot'].lot_code} · {row['left_words']}")
        for row in lots
        if row["left"] > 0
    ]
    customer_choices = [
        (str(row["customer"].pk), row["name"]) for row in customers if row["customer"]
    ]
    today = timezone.localdate()
    snapshot_lots = _snapshot_lots(recall)
    context = {
        "operator": request.operator,
        "recall": recall,
        "is_open": recall.is_open,
        "why": describe_notification(_decision(recall), _lang()),
        "snapshot_lots": snapshot_lots,
        "lots": lots,
        "customers": customers,
        "sold_to_consumers": [lot for lot in snapshot_lots if lot["sold_any"]],
        "events": recall.events.select_related("customer", "recorded_by"),
        "notified": recall.events.filter(kind=RecallEventKind.NOTIFIED).first(),
        "disposition_form": disposition_form
        or DispositionForm(lots=lot_choices, initial={"done_on": today}),
        "step_form": step_form
        or RecallStepForm(customers=customer_choices, initial={"done_on": today}),
        "close_form": close_form or CloseRecallForm(),
        "languages": LANGUAGES,
    }
    return render(request, "lots/recall.html", context)


@operator_view
def recall_detail(request: OperatorRequest, recall_id: int) -> HttpResponse:
    """A recall: the hazard, the duty to notify and why, the notification prepared, the
    affected lots with their dispositions, the customers to inform, and its closing."""
    return _render_recall(request, _recall(request, recall_id))


@require_write
def recall_disposition(request: OperatorRequest, recall_id: int) -> HttpResponseBase:
    """Record what became of a quantity of an affected lot (POST)."""
    recall = _recall(request, recall_id)
    if request.method != "POST":
        return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    lots = list(recall.lots.all())
    form = DispositionForm(request.POST, lots=[(str(lot.pk), lot.lot_code) for lot in lots])
    if form.is_valid():
        data = form.cleaned_data
        recall_lot = next(lot for lot in lots if str(lot.pk) == data["lot"])
        try:
            record_disposition(
                recall,
                request.user,
                recall_lot,
                data["kind"],
                data["quantity"],
                data["done_on"],
                data["note"],
            )
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The disposition is recorded."))
            return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    return _render_recall(request, recall, disposition_form=form)


@require_write
def disposition_correct(
    request: OperatorRequest, recall_id: int, disposition_id: int
) -> HttpResponseBase:
    """Correct a disposition recorded wrongly: a new version with the reason; the versions."""
    recall = _recall(request, recall_id)
    disposition = get_for_operator_or_404(
        Disposition.objects.select_related("recall_lot"),
        request.operator,
        pk=disposition_id,
        recall_lot__recall=recall,
    )
    recall_lot = disposition.recall_lot
    form = CorrectDispositionForm(
        request.POST or None,
        initial={
            "kind": disposition.kind,
            "quantity": disposition.quantity,
            "done_on": disposition.done_on,
            "note": disposition.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correct_disposition(
                disposition,
                request.user,
                data["kind"],
                data["quantity"],
                data["done_on"],
                data["note"],
                data["correction_reason"],
            )
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The correction is saved."))
            return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    versions = [
        {
            "row": version,
            "amount": quantity(version.quantity, recall_lot.unit),
            "correction": getattr(version, "corrects", None),
        }
        for version in disposition_versions(disposition)
    ]
    return render(
        request,
        "lots/disposition_correct.html",
        {
            "operator": request.operator,
            "recall": recall,
            "recall_lot": recall_lot,
            "disposition": disposition,
            "is_current": not hasattr(disposition, "correction"),
            "is_open": recall.is_open,
            "versions": versions,
            "form": form,
        },
    )


@require_write
def recall_step(request: OperatorRequest, recall_id: int) -> HttpResponseBase:
    """Record that the FAVV was notified (button `notified`) or a customer informed (POST)."""
    recall = _recall(request, recall_id)
    if request.method != "POST":
        return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    customers = list(selectors.customers(request.operator))
    form = RecallStepForm(request.POST, customers=[(str(c.pk), c.name) for c in customers])
    if form.is_valid():
        data = form.cleaned_data
        kind = (
            RecallEventKind.NOTIFIED
            if "notified" in request.POST
            else RecallEventKind.CUSTOMER_INFORMED
        )
        customer = next((c for c in customers if str(c.pk) == data["customer"]), None)
        try:
            record_recall_event(recall, request.user, kind, data["done_on"], customer, data["note"])
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    return _render_recall(request, recall, step_form=form)


@require_write
def recall_close(request: OperatorRequest, recall_id: int) -> HttpResponseBase:
    """Close a recall once every affected quantity has a disposition (POST)."""
    recall = _recall(request, recall_id)
    if request.method != "POST":
        return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    form = CloseRecallForm(request.POST)
    if form.is_valid():
        try:
            close_recall(recall, request.user, form.cleaned_data["remark"])
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The recall is closed; its lots are no longer blocked."))
            return redirect("lots:recall", operator_slug=request.operator.slug, recall_id=recall.pk)
    return _render_recall(request, recall, close_form=form)


@operator_view
def recall_notice(request: OperatorRequest, recall_id: int) -> HttpResponse:
    """The recall notice for the shop counter, printable, in nl, fr or en (?lang=)."""
    recall = _recall(request, recall_id)
    lang = request.GET.get("lang", _lang())
    if lang not in LANGUAGES:
        lang = "nl"
    snapshot = _snapshot_lots(recall)
    out = [lot for lot in snapshot if lot["sold_any"] or Decimal(lot["delivered"]) > 0]
    with translation.override(lang):
        return render(
            request,
            "lots/recall_notice.html",
            {
                "operator": request.operator,
                "recall": recall,
                "texts": notice_texts(lang, request.operator.name),
                "notice_lang": lang,
                "lots": out or snapshot,
                "today": timezone.localdate(),
                "languages": LANGUAGES,
            },
        )
