"""The sustainability monitor and the farm's notifications (duty to notify)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.constants import EARLIEST_DAY, FARM_ROLES, FARMER_ROLES
from dairyhaccp.web.farm.forms import NotificationForm, SustainabilityForm, add_error
from dairyhaccp.web.farm.models import Notification
from dairyhaccp.web.farm.services import (
    FarmInputError,
    NotificationInput,
    follow_up_notification,
    record_initiatives,
    record_notification,
)
from dairyhaccp.web.farm.views.common import may, text
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404

YEARS_OFFERED = 6


@farm_view(FARM_ROLES)
def sustainability(request: OperatorRequest) -> HttpResponse:
    """The initiatives per year, their count against the sector's average."""
    monitor = selectors.lastenboek().sustainability
    entries = selectors.sustainability_entries(request.operator)
    this_year = timezone.localdate().year
    years = []
    for year in range(this_year, this_year - YEARS_OFFERED, -1):
        entry = entries.get(year)
        sector = selectors.sector_year(year)
        years.append(
            {
                "year": year,
                "entry": entry,
                "count": len(entry.initiatives) if entry else None,
                "sector_mean": sector["mean_initiatives"] if sector else None,
                "sector_farms": sector["farms"] if sector else None,
            }
        )
    return render(
        request,
        "farm/sustainability.html",
        {
            "operator": request.operator,
            "years": years,
            "published": monitor.published_averages,
            "note": text(monitor.note),
            "may_edit": may(request, FARMER_ROLES),
        },
    )


def _initiatives() -> list[tuple[Any, str]]:
    monitor = selectors.lastenboek().sustainability
    themes = {theme.id: text(theme.name) for theme in monitor.themes}
    return [
        (initiative, f"{themes[initiative.theme]}: {text(initiative.text)}")
        for initiative in monitor.initiatives
    ]


@farm_view(FARMER_ROLES)
def sustainability_year(request: OperatorRequest, year: int) -> HttpResponseBase:
    """Tick the initiatives of one year, with a line of evidence each: a new version."""
    if not EARLIEST_DAY.year <= year <= timezone.localdate().year:
        raise Http404("No such year.")
    entry = selectors.sustainability_entries(request.operator).get(year)
    initial: dict[str, Any] = {}
    if entry is not None:
        for initiative in entry.initiatives:
            initial[f"take_{initiative}"] = True
        for initiative, note in entry.evidence.items():
            initial[f"evidence_{initiative}"] = note
    form = SustainabilityForm(request.POST or None, initial=initial, initiatives=_initiatives())
    if request.method == "POST" and form.is_valid():
        try:
            record_initiatives(request.operator, request.user, year, form.chosen(), form.evidence())
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Initiatives saved."))
            return redirect("farm:sustainability", operator_slug=request.operator.slug)
    return render(
        request,
        "farm/sustainability_form.html",
        {"operator": request.operator, "form": form, "year": year},
    )


@farm_view(FARM_ROLES)
def notification_list(request: OperatorRequest) -> HttpResponse:
    """The farm's notifications, the latest first."""
    return render(
        request,
        "farm/notifications.html",
        {
            "operator": request.operator,
            "notifications": selectors.current_notifications(request.operator),
            "may_edit": may(request, FARMER_ROLES),
        },
    )


def _notification_input(form: NotificationForm) -> NotificationInput:
    data = form.cleaned_data
    return NotificationInput(
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        notified_on=data["notified_on"],
        notified_to=data["notified_to"],
        description=data["description"],
        follow_up=data["follow_up"],
        closed=data["closed"],
    )


@farm_view(FARMER_ROLES)
def notification_new(request: OperatorRequest) -> HttpResponseBase:
    """Record a notification the farm made."""
    form = NotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notification = record_notification(
                request.operator, request.user, _notification_input(form)
            )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Notification recorded."))
            return redirect(
                "farm:notification",
                operator_slug=request.operator.slug,
                notification_id=notification.pk,
            )
    return render(
        request,
        "farm/notification_form.html",
        {"operator": request.operator, "form": form, "title": _("Record a notification")},
    )


@farm_view(FARM_ROLES)
def notification_detail(request: OperatorRequest, notification_id: int) -> HttpResponse:
    """A notification with every version of its follow-up."""
    notification = get_for_operator_or_404(
        Notification.objects.all(), request.operator, pk=notification_id
    )
    versions = list(selectors.notification_versions(notification))
    return render(
        request,
        "farm/notification.html",
        {
            "operator": request.operator,
            "notification": notification,
            "latest": versions[-1],
            "versions": list(reversed(versions)),
            "may_edit": may(request, FARMER_ROLES),
        },
    )


@farm_view(FARMER_ROLES)
def notification_follow_up(request: OperatorRequest, notification_id: int) -> HttpResponseBase:
    """Add the follow-up of a notification: a new version."""
    notification = get_for_operator_or_404(
        Notification.objects.all(), request.operator, pk=notification_id
    )
    initial = {
        name: getattr(notification, name)
        for name in (
            "kind",
            "occurred_on",
            "notified_on",
            "notified_to",
            "description",
            "follow_up",
            "closed",
        )
    }
    form = NotificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = follow_up_notification(notification, request.user, _notification_input(form))
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Notification updated."))
            return redirect(
                "farm:notification",
                operator_slug=request.operator.slug,
                notification_id=version.pk,
            )
    return render(
        request,
        "farm/notification_form.html",
        {"operator": request.operator, "form": form, "title": _("Follow-up of a notification")},
    )
