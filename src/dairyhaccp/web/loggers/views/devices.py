"""Loggers: the list, adding and changing one, its days, its push token."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dairyhaccp.web.loggers import selectors
from dairyhaccp.web.loggers.constants import DEVICE_DAYS_SHOWN
from dairyhaccp.web.loggers.forms import DeviceForm
from dairyhaccp.web.loggers.models import Device
from dairyhaccp.web.loggers.presentation import degrees, minutes, verdict_word
from dairyhaccp.web.loggers.services import (
    LoggerError,
    create_device,
    issue_device_token,
    revoke_device_token,
    update_device,
)
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.records import selectors as records_selectors


def _device(request: OperatorRequest, device_id: int) -> Device:
    return get_for_operator_or_404(
        Device.objects.select_related("room"), request.operator, pk=device_id
    )


def _add_error(form: DeviceForm, error: LoggerError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.problem)


@operator_view
def index(request: OperatorRequest) -> HttpResponse:
    """The operator's loggers, each with its latest day."""
    today = timezone.localdate()
    rows = []
    for device in selectors.devices(request.operator):
        days = selectors.device_days(device, today - timedelta(days=7), today)
        rows.append((device, days[0] if days else None))
    return render(
        request,
        "loggers/index.html",
        {"operator": request.operator, "rows": rows, "can_write": request.membership.can_write},
    )


@require_write
def device_new(request: OperatorRequest) -> HttpResponseBase:
    """Add a logger to a room."""
    rooms = records_selectors.rooms(request.operator)
    form = DeviceForm(rooms, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = create_device(request.operator, request.user, form.settings())
        except LoggerError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Logger {name} added.").format(name=device.name))
            return redirect(
                "loggers:device", operator_slug=request.operator.slug, device_id=device.pk
            )
    return render(
        request,
        "loggers/device_form.html",
        {"operator": request.operator, "form": form, "device": None, "has_rooms": rooms.exists()},
    )


@require_write
def device_edit(request: OperatorRequest, device_id: int) -> HttpResponseBase:
    """Change a logger's name, room, serial or interval."""
    device = _device(request, device_id)
    rooms = records_selectors.rooms(request.operator)
    initial = {
        "name": device.name,
        "room": device.room,
        "serial": device.serial,
        "max_interval_min": device.max_interval_min,
        "active": device.active,
    }
    form = DeviceForm(rooms, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_device(device, form.settings(), active=form.cleaned_data["active"])
        except LoggerError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Logger {name} saved.").format(name=device.name))
            return redirect(
                "loggers:device", operator_slug=request.operator.slug, device_id=device.pk
            )
    return render(
        request,
        "loggers/device_form.html",
        {"operator": request.operator, "form": form, "device": device, "has_rooms": True},
    )


@operator_view
def device_detail(request: OperatorRequest, device_id: int) -> HttpResponse:
    """A logger: its days, newest first, with their verdict and registration."""
    device = _device(request, device_id)
    today = timezone.localdate()
    days = []
    for row in selectors.device_days(device, today - timedelta(days=DEVICE_DAYS_SHOWN), today):
        judgement = row.judgement
        days.append(
            {
                "series": row.series,
                "judgement": judgement,
                "verdict_word": verdict_word(judgement.verdict) if judgement else "",
                "peak": degrees(judgement.peak_c) if judgement else "",
                "longest": minutes(judgement.longest_excursion_min * 60) if judgement else "",
            }
        )
    return render(
        request,
        "loggers/device.html",
        {
            "operator": request.operator,
            "device": device,
            "days": days,
            "files": selectors.files(device)[:10],
            "can_write": request.membership.can_write,
        },
    )


@require_write
@require_POST
def device_token(request: OperatorRequest, device_id: int) -> HttpResponseBase:
    """Give the logger a new push token (shown once), or stop its token."""
    device = _device(request, device_id)
    if request.POST.get("action") == "revoke":
        revoke_device_token(device)
        messages.success(request, _("The logger's token no longer works."))
        return redirect("loggers:device", operator_slug=request.operator.slug, device_id=device.pk)
    try:
        issued = issue_device_token(device, request.user)
    except LoggerError as error:
        messages.error(request, error.problem)
        return redirect("loggers:device", operator_slug=request.operator.slug, device_id=device.pk)
    return render(
        request,
        "loggers/token.html",
        {
            "operator": request.operator,
            "device": device,
            "token": issued.clear_token,
            "push_url": request.build_absolute_uri(f"/api/loggers/devices/{device.pk}/readings"),
        },
    )
