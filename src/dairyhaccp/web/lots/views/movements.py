"""Deliveries, sales, destructions and stock counts, and their corrections."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.choices import MovementKind
from dairyhaccp.web.lots.forms import CorrectMovementForm, MovementForm, WithdrawForm
from dairyhaccp.web.lots.models import Movement
from dairyhaccp.web.lots.services import (
    LotError,
    MovementInput,
    correct_movement,
    record_movement,
    withdraw_movement,
)
from dairyhaccp.web.lots.services.book import lot_key_of
from dairyhaccp.web.lots.services.common import current_version
from dairyhaccp.web.lots.views.common import add_error, lot_choices, older_lots_help
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    require_write,
)

WITHDRAW = "withdraw"
TITLES = {
    MovementKind.DELIVER: gettext_lazy("Delivery to a customer"),
    MovementKind.SELL: gettext_lazy("Sold to consumers"),
    MovementKind.DESTROY: gettext_lazy("Destroyed or lost"),
    MovementKind.COUNT: gettext_lazy("Stock count"),
}


def _customer_choices(request: OperatorRequest) -> list[tuple[str, str]]:
    return [(str(c.pk), c.name) for c in selectors.customers(request.operator, active_only=True)]


def _input(kind: str, data: dict[str, Any]) -> MovementInput:
    customer = data.get("customer")
    return MovementInput(
        kind=kind,
        lot=data["lot"],
        quantity=data["quantity"],
        moved_on=data["moved_on"],
        customer_id=int(customer) if customer else None,
        reason=data.get("reason", ""),
    )


def _lot_choices(request: OperatorRequest, kind: str, keep: str = "") -> list[tuple[str, str]]:
    """Lots in stock (for a delivery or sale not the blocked ones; for a count also the lots of
    the last days), newest first, and the lot of `keep`."""
    operator = request.operator
    blocked = selectors.blocked_keys(operator)
    if kind == MovementKind.COUNT:
        book = selectors.offered(operator, [keep] if keep else [])
        rows = selectors.stock(book, blocked, in_stock_only=False)
    else:
        book = selectors.in_stock(operator, [keep] if keep else [])
        dispatch = kind in (MovementKind.DELIVER, MovementKind.SELL)
        rows = selectors.pick_list(book, blocked, for_dispatch=dispatch)
    choices = lot_choices(rows)
    if keep and keep not in {key for key, _label in choices} and keep in book.lots:
        choices.insert(0, (keep, book.code(keep)))
    return choices


@require_write
def movement_new(request: OperatorRequest, kind: str) -> HttpResponseBase:
    """Record a delivery, a sale to consumers, a destruction or a stock count of a lot; the
    form proposes the lots in stock (?lot= picks one)."""
    if kind not in MovementKind.values:
        raise Http404("No such movement.")
    operator = request.operator
    chosen = request.GET.get("lot", "")
    # A count offers the lot it was opened for even when it is older than the lots offered.
    keep = request.POST.get("lot", "") if request.method == "POST" else chosen
    form = MovementForm(
        request.POST or None,
        kind=kind,
        lots=_lot_choices(request, kind, keep if kind == MovementKind.COUNT else ""),
        customers=_customer_choices(request),
        initial={"moved_on": timezone.localdate(), "lot": chosen},
    )
    if request.method == "POST" and form.is_valid():
        try:
            movement = record_movement(operator, request.user, _input(kind, form.cleaned_data))
        except LotError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                "lots:lot",
                operator_slug=operator.slug,
                key=lot_key_of(movement.batch_id, movement.input_lot_id),
            )
    return render(
        request,
        "lots/movement.html",
        {
            "operator": operator,
            "form": form,
            "kind": kind,
            "title": TITLES[MovementKind(kind)],
            "no_customers": kind == MovementKind.DELIVER and not _customer_choices(request),
            **older_lots_help(request),
        },
    )


@require_write
def movement_correct(request: OperatorRequest, movement_id: int) -> HttpResponseBase:
    """Correct a movement (a new version with the reason), or withdraw it."""
    operator = request.operator
    movement = current_version(
        get_for_operator_or_404(Movement.objects.all(), operator, pk=movement_id)
    )
    if movement.withdrawn:
        raise Http404("This record is withdrawn.")
    key = lot_key_of(movement.batch_id, movement.input_lot_id)
    withdrawing = WITHDRAW in request.POST
    withdraw_form = WithdrawForm(request.POST if withdrawing else None)
    form = CorrectMovementForm(
        request.POST if request.method == "POST" and not withdrawing else None,
        kind=movement.kind,
        lots=_lot_choices(request, movement.kind, keep=key),
        customers=_customer_choices(request),
        initial={
            "lot": key,
            "customer": str(movement.customer_id or ""),
            "quantity": movement.quantity,
            "moved_on": movement.moved_on,
            "reason": movement.reason,
        },
    )
    if request.method == "POST":
        target = withdraw_form if withdrawing else form
        try:
            if withdrawing and withdraw_form.is_valid():
                withdraw_movement(
                    movement, request.user, withdraw_form.cleaned_data["correction_reason"]
                )
                messages.success(request, _("The record is withdrawn."))
                return redirect("lots:lot", operator_slug=operator.slug, key=key)
            if not withdrawing and form.is_valid():
                corrected = correct_movement(
                    movement,
                    request.user,
                    _input(movement.kind, form.cleaned_data),
                    form.cleaned_data["correction_reason"],
                )
                messages.success(request, _("The correction is saved."))
                return redirect(
                    "lots:lot",
                    operator_slug=operator.slug,
                    key=lot_key_of(corrected.batch_id, corrected.input_lot_id),
                )
        except LotError as error:
            add_error(target, error)
    versions = (
        Movement.objects.filter(operator=operator, chain=movement.chain)
        .select_related("recorded_by", "customer")
        .order_by("version")
    )
    return render(
        request,
        "lots/movement_correct.html",
        {
            "operator": operator,
            "form": form,
            "withdraw_form": withdraw_form,
            "movement": movement,
            "key": key,
            "title": TITLES[MovementKind(movement.kind)],
            "versions": versions,
        },
    )
