"""Rooms, equipment and batches: what the checks are done on."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.monitoring.duties import batch_checks
from dairyhaccp.web.farm.services.milk import unconfirmed_at_milking
from dairyhaccp.web.lots.services.book import batch_key
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.records import lists, selectors
from dairyhaccp.web.records.constants import LIST_PAGE, RAW_MILK
from dairyhaccp.web.records.forms import BatchForm, RoomForm
from dairyhaccp.web.records.models import Room
from dairyhaccp.web.records.presentation import (
    control_title,
    milk_label,
    registration_reasons,
    text,
)
from dairyhaccp.web.records.services import (
    RegistrationError,
    create_batch,
    create_room,
    product_choices,
    update_room,
)
from dairyhaccp.web.records.services.setup import made_from_raw_milk
from dairyhaccp.web.records.views.paging import page_number
from dairyhaccp.web.records.wording import control_slug
from dairyhaccp.web.tables import export_format, export_response, filter_form

# Milk batches offered as the source of a new batch.
SOURCE_BATCHES = timedelta(days=5)


def _categories() -> list[tuple[str, str]]:
    return [(c.id, text(c.title)) for c in load_guide().storage_categories]


def _room_form(request: OperatorRequest, **kwargs: Any) -> RoomForm:
    return RoomForm(
        request.POST or None,
        products=product_choices(request.operator),
        categories=_categories(),
        **kwargs,
    )


def _add_error(form: RoomForm | BatchForm, error: RegistrationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.problem)


@operator_view
def room_list(request: OperatorRequest) -> HttpResponse:
    """The operator's rooms and equipment."""
    return render(
        request,
        "records/rooms.html",
        {
            "operator": request.operator,
            "rooms": selectors.rooms(request.operator, active_only=False),
        },
    )


@require_write
def room_new(request: OperatorRequest) -> HttpResponseBase:
    """Add a room or piece of equipment."""
    form = _room_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_room(
                request.operator,
                data["name"],
                data["kind"],
                data["product"],
                data["storage_category"],
            )
        except RegistrationError as error:
            _add_error(form, error)
        else:
            return redirect("records:rooms", operator_slug=request.operator.slug)
    return render(request, "records/room_form.html", {"operator": request.operator, "form": form})


@require_write
def room_edit(request: OperatorRequest, room_id: int) -> HttpResponseBase:
    """Change a room's description (its registrations stay with it)."""
    room = get_for_operator_or_404(Room.objects.all(), request.operator, pk=room_id)
    form = _room_form(
        request,
        initial={
            "name": room.name,
            "kind": room.kind,
            "product": room.product,
            "storage_category": room.storage_category,
            "active": room.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_room(
                room,
                data["name"],
                data["kind"],
                data["product"],
                data["storage_category"],
                data["active"],
            )
        except RegistrationError as error:
            _add_error(form, error)
        else:
            return redirect("records:rooms", operator_slug=request.operator.slug)
    return render(
        request,
        "records/room_form.html",
        {"operator": request.operator, "form": form, "room": room},
    )


@operator_view
def batch_list(request: OperatorRequest) -> HttpResponseBase:
    """The operator's batches, newest first, a page at a time, blocked lots marked; filtered by
    period, product and lot, exported as CSV or XLSX (?export=)."""
    form = filter_form(lists.BatchFilter, request)
    kind = export_format(request)
    if kind:
        blocked_ids = set(selectors.blocked_lots(request.operator).values_list("pk", flat=True))
        return export_response(
            kind,
            f"{request.operator.slug}-batches",
            lists.batch_columns(blocked_ids),
            lists.batches(request.operator, form),
        )
    page = selectors.kept_page(
        ("batches", request.operator.pk, form.key()),
        partial(lists.batches, request.operator, form),
        page_number(request),
        LIST_PAGE,
    )
    blocked = selectors.blocked_lot_ids(request.operator)
    return render(
        request,
        "records/batches.html",
        {
            "operator": request.operator,
            "rows": [(batch, batch.pk in blocked) for batch in page.rows],
            "page": page,
            "form": form,
            "page_query": form.query(),
        },
    )


@require_write
def batch_new(request: OperatorRequest) -> HttpResponseBase:
    """Enter a batch (lot) or a milking; its production checks appear on the agenda."""
    operator = request.operator
    sources = selectors.batches(operator).filter(
        product=RAW_MILK, started_at__gte=timezone.now() - SOURCE_BATCHES
    )
    form = BatchForm(
        request.POST or None,
        initial={"started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        products=product_choices(operator),
        rooms=selectors.rooms(operator),
        sources=sources,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = create_batch(
                operator,
                request.user,
                data["lot_code"],
                data["product"],
                started_at=data["started_at"],
                room=data["room"],
                made_from=list(data["made_from"]),
                note=data["note"],
            )
        except RegistrationError as error:
            _add_error(form, error)
        else:
            return redirect("records:batch", operator_slug=operator.slug, batch_id=batch.pk)
    return render(request, "records/batch_form.html", {"operator": operator, "form": form})


@operator_view
def batch_detail(request: OperatorRequest, batch_id: int) -> HttpResponse:
    """A batch: its checks, what it was made from and what was made from it, its deviations."""
    batch = get_for_operator_or_404(
        selectors.batches(request.operator), request.operator, pk=batch_id
    )
    current = selectors.operator_plan(request.operator)
    plan = current.plan if current else None
    registrations = [
        {
            "registration": r,
            "title": control_title(plan, r.control_id),
            "reasons": registration_reasons(r),
        }
        for r in selectors.current_registrations(request.operator).filter(batch=batch)
    ]
    sources = list(batch.made_from.order_by("started_at", "pk"))
    milk_page = ""  # where a batch made from the business's raw milk is linked to its milk
    if plan is not None and made_from_raw_milk(plan, batch.product) and not batch.destroyed_at:
        milk_page = reverse(
            "lots:link-milk",
            kwargs={"operator_slug": request.operator.slug, "key": batch_key(batch.pk)},
        )
    withheld = unconfirmed_at_milking(request.operator, batch) if not batch.destroyed_at else []
    checks = []
    if plan is not None:
        checks = [
            (check.control.id, text(check.monitoring.text), control_slug(check.control.id))
            for check in batch_checks(plan, batch.product)
        ]
    return render(
        request,
        "records/batch.html",
        {
            "operator": request.operator,
            "batch": batch,
            "blocked": lists.blocked_among(request.operator, [batch.pk]) == {batch.pk},
            "registrations": registrations,
            "deviations": batch.deviations.all(),
            "checks": checks,
            "sources": [
                (source, milk_label(source) if source.product == RAW_MILK else source.lot_code)
                for source in sources
            ],
            "has_milk": any(source.product == RAW_MILK for source in sources),
            "milk_page": milk_page,
            "withheld": withheld,
            "products_made": batch.used_in.all(),
        },
    )
