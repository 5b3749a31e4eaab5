"""Registering checks, correcting them, and their history per control."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring import FindingCode, MeasurementError, check, measurement_from_dict
from dairyhaccp.monitoring.duties import form_fields, products_for_control, registrable_controls
from dairyhaccp.plan.models import Plan, PlanControl
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.parameters import local_number
from dairyhaccp.web.records import lists, selectors
from dairyhaccp.web.records.choices import RoomKind
from dairyhaccp.web.records.constants import HISTORY_LENGTH
from dairyhaccp.web.records.forms import CorrectionForm, RegistrationForm, TaskForm
from dairyhaccp.web.records.models import Batch, Deviation, Registration, Room
from dairyhaccp.web.records.presentation import (
    control_plots,
    control_title,
    registration_reasons,
    text,
    value_rows,
)
from dairyhaccp.web.records.services import (
    RegistrationError,
    RegistrationInput,
    correct_registration,
    plan_tasks,
    product_choices,
)
from dairyhaccp.web.records.services.keyed import (
    RepeatedKeyError,
    record_keyed_registration,
    record_keyed_task,
)
from dairyhaccp.web.records.views.offline import (
    conform_message,
    fact_hints,
    from_queue,
    refused_response,
    repeated_key_response,
    stored_response,
)
from dairyhaccp.web.records.views.paging import page_number
from dairyhaccp.web.records.wording import control_from_slug, control_slug
from dairyhaccp.web.tables import export_format, export_response, filter_form

# Batches offered in a registration form: those of the last weeks.
FORM_BATCHES = timedelta(days=30)


def _plan_or_none(request: OperatorRequest) -> selectors.OperatorPlan | None:
    return selectors.operator_plan(request.operator)


def _control(current: selectors.OperatorPlan, slug: str) -> PlanControl:
    try:
        control = current.plan.control(control_from_slug(slug))
    except KeyError:
        raise Http404("No such control in the plan.") from None
    if not form_fields(control):
        raise Http404("This control has nothing to register here.")
    return control


def _target(request: OperatorRequest, model: type[Batch] | type[Room], key: str) -> Any:
    raw = request.GET.get(key) or request.POST.get(key)
    if not raw or not raw.isdigit():
        return None
    return get_for_operator_or_404(model.objects.all(), request.operator, pk=int(raw))


def _form_batches(operator: Operator) -> QuerySet[Batch]:
    since = timezone.now() - FORM_BATCHES
    return selectors.batches(operator).filter(started_at__gte=since, destroyed_at__isnull=True)


def _is_frozen(room: Room | None) -> bool:
    return room is not None and (room.kind == RoomKind.FREEZER or room.storage_category == "frozen")


def _form_kwargs(
    request: OperatorRequest, plan: Plan, control: PlanControl, room: Room | None
) -> dict[str, Any]:
    rules = load_guide().control(control.id)
    return {
        "measured": form_fields(control),
        "products": products_for_control(plan, control, product_choices(request.operator)),
        "batches": _form_batches(request.operator),
        "rooms": selectors.rooms(request.operator),
        "negative_temperatures": _is_frozen(room) or (room is None and rules.has_storage_limits),
        "ask_starter": rules.counts_starter_uses,
        "ask_delivery": rules.at_delivery,
    }


def _as_input(form: RegistrationForm, control_id: str) -> RegistrationInput:
    data = form.cleaned_data
    return RegistrationInput(
        control_id=control_id,
        values=form.values(),
        measured_at=data["measured_at"],
        batch=data.get("batch"),
        room=data.get("room"),
        delivery=data.get("delivery", "") or "",
        product=data.get("product", "") or "",
        industrial_starter=form.industrial_starter_used(),
        remark=data.get("remark", ""),
    )


def _add_error(form: RegistrationForm | TaskForm, error: RegistrationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.problem)


def _local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


@operator_view
def checks(request: OperatorRequest) -> HttpResponse:
    """Every control of the plan that is registered here, with its tasks: register or history."""
    current = _plan_or_none(request)
    if current is None:
        return render(request, "records/no_plan.html", {"operator": request.operator})
    controls = [
        (control, text(control.title), control_slug(control.id))
        for control in registrable_controls(current.plan)
    ]
    tasks = [(task_id, _task_title(current, task_id)) for task_id in plan_tasks(current)]
    return render(
        request,
        "records/checks.html",
        {"operator": request.operator, "controls": controls, "tasks": tasks},
    )


@require_write
def register(request: OperatorRequest, control: str) -> HttpResponseBase:
    """The quick form of one control: its measured values, judged at once when sent."""
    current = _plan_or_none(request)
    if current is None:
        return render(request, "records/no_plan.html", {"operator": request.operator})
    plan_control = _control(current, control)
    batch = _target(request, Batch, "batch")
    room = _target(request, Room, "room")
    initial: dict[str, Any] = {"measured_at": _local_now(), "batch": batch, "room": room}
    remembered = selectors.last_values(request.operator, plan_control.id, room=room)
    for name, value in remembered.items():
        initial[name] = ("yes" if value else "no") if isinstance(value, bool) else value
    if batch is not None:
        initial["product"] = batch.product
    elif room is not None and room.product:
        initial["product"] = room.product
    form = RegistrationForm(
        request.POST or None,
        initial=initial,
        **_form_kwargs(request, current.plan, plan_control, room),
    )
    asks_hold_time = (
        load_guide().control(plan_control.id).has_pasteurisation and "temperature_c" in form.fields
    )
    hold_hint = ""
    if asks_hold_time:
        _ask_hold_time(form, request.operator.slug, control_slug(plan_control.id))
        hold_hint = _hold_hint_text(
            current,
            plan_control.id,
            str(form.data.get("product") or initial.get("product") or ""),
            str(form.data.get("temperature_c") or ""),
        )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = record_keyed_registration(
                request.operator,
                request.user,
                _as_input(form, plan_control.id),
                request.POST.get("idempotency_key", ""),
            )
        except RepeatedKeyError as repeated:
            return repeated_key_response(request, repeated)
        except RegistrationError as error:
            _add_error(form, error)
        else:
            if from_queue(request):
                return stored_response(request, recorded.registration)
            if request.POST.get("from") == "today" and recorded.registration.verdict == "conform":
                messages.success(request, conform_message(current.plan, recorded.registration))
                return redirect("records:today", operator_slug=request.operator.slug)
            return redirect(
                "records:registration",
                operator_slug=request.operator.slug,
                registration_id=recorded.registration.pk,
            )
    if request.method == "POST" and from_queue(request):
        return refused_response(form)
    return render(
        request,
        "records/register.html",
        {
            "operator": request.operator,
            "control": plan_control,
            "control_title": control_title(current.plan, plan_control.id),
            "control_slug": control_slug(plan_control.id),
            "monitoring": [text(item.text) for item in plan_control.monitoring],
            "registration_text": text(current.plan.registration_text),
            "relaxed": current.plan.registration_mode == "non_conformities_only",
            "form": form,
            "remembered": bool(remembered),
            "room": room,
            "asks_hold_time": asks_hold_time,
            "hold_hint": hold_hint,
            "facts": fact_hints(request.operator, plan_control.id, batch, room),
            "idempotency_key": uuid.uuid4().hex,
            "from_today": (request.GET.get("from") or request.POST.get("from")) == "today",
        },
    )


def _hold_hint(
    current: selectors.OperatorPlan | None, control_id: str, product: str, raw_temperature: str
) -> tuple[float | None, str]:
    """The hold a pasteurisation requires at a typed temperature, or why it cannot say.

    Asked of the one judge: a hold of 0 s at that temperature, whose finding names the hold
    required."""
    raw = raw_temperature.strip().replace(",", ".")
    if current is None or not raw:
        return None, ""
    data: dict[str, Any] = {"control": control_id, "hold_s": 0}
    if product:
        data["product"] = product
    try:
        data["temperature_c"] = float(raw)
        measurement = measurement_from_dict(data, current.guide)
        evaluation = check(measurement, current.guide, current.plan)
    except (ValueError, MeasurementError):
        return None, _("Choose the product and type the temperature.")
    if any(f.code is FindingCode.TEMPERATURE_NOT_VALIDATED for f in evaluation.findings):
        return None, _("Below the table of the guide: this pasteurisation is not validated.")
    return evaluation.required.get("hold_s"), ""


def _hold_hint_text(
    current: selectors.OperatorPlan | None, control_id: str, product: str, raw: str
) -> str:
    required, message = _hold_hint(current, control_id, product, raw)
    if message or required is None:
        return message
    return _("At {temperature} °C: hold at least {hold} s.").format(
        temperature=raw.strip(), hold=local_number(required)
    )


def _ask_hold_time(form: RegistrationForm, operator_slug: str, control: str) -> None:
    """Let the form fetch the required hold as the temperature is typed (htmx)."""
    url = reverse("records:hold-time", kwargs={"operator_slug": operator_slug})
    common = {
        "hx-get": f"{url}?control={control}",
        "hx-target": "#hold-hint",
        "hx-include": "[name='product'],[name='temperature_c']",
    }
    form.fields["temperature_c"].widget.attrs.update(
        {**common, "hx-trigger": "input changed delay:250ms, change"}
    )
    form.fields["product"].widget.attrs.update({**common, "hx-trigger": "change"})


@operator_view
def hold_time(request: OperatorRequest) -> HttpResponse:
    """The hold a pasteurisation requires at the typed temperature (htmx fragment)."""
    hint = _hold_hint_text(
        _plan_or_none(request),
        control_from_slug(request.GET.get("control") or ""),
        request.GET.get("product") or "",
        request.GET.get("temperature_c") or "",
    )
    return render(request, "records/_hold_time.html", {"hint": hint})


@operator_view
def registration_detail(request: OperatorRequest, registration_id: int) -> HttpResponse:
    """A registration with its verdict, and every version of it with who, when and why."""
    registration = get_for_operator_or_404(
        Registration.objects.select_related("batch", "room", "recorded_by"),
        request.operator,
        pk=registration_id,
    )
    current = _plan_or_none(request)
    stored = list(selectors.registration_versions(registration))
    versions = [
        {
            "registration": version,
            "values": value_rows(version),
            "reasons": registration_reasons(version),
        }
        for version in stored
    ]
    deviation = (
        Deviation.objects.filter(operator=request.operator, registration__chain=registration.chain)
        .order_by("opened_at")
        .first()
    )
    latest = stored[-1]
    return render(
        request,
        "records/registration.html",
        {
            "operator": request.operator,
            "registration": registration,
            "latest": latest,
            "is_latest": latest.pk == registration.pk,
            "versions": list(reversed(versions)),
            "title": control_title(current.plan if current else None, registration.control_id),
            "task_title": _task_title(current, registration.task_id)
            if registration.task_id
            else "",
            "reasons": registration_reasons(registration),
            "deviation": deviation,
            "control_slug": control_slug(registration.control_id)
            if registration.control_id
            else "",
        },
    )


@require_write
def correct(request: OperatorRequest, registration_id: int) -> HttpResponseBase:
    """Correct the latest version of a registration: a new version, with the reason."""
    registration = get_for_operator_or_404(
        Registration.objects.all(), request.operator, pk=registration_id
    )
    current = _plan_or_none(request)
    if current is None or registration.task_id or not selectors.is_current(registration):
        messages.error(request, _("Only the latest version of a check can be corrected."))
        return redirect(
            "records:registration",
            operator_slug=request.operator.slug,
            registration_id=registration.pk,
        )
    plan_control = _control(current, control_slug(registration.control_id))
    initial: dict[str, Any] = {
        "measured_at": timezone.localtime(registration.measured_at).strftime("%Y-%m-%dT%H:%M"),
        "product": registration.product,
        "batch": registration.batch,
        "room": registration.room,
        "remark": registration.remark,
        "delivery": registration.delivery,
    }
    for name, value in registration.values.items():
        if name not in registration.derived:
            initial[name] = ("yes" if value else "no") if isinstance(value, bool) else value
    if registration.industrial_starter is not None:
        initial["industrial_starter"] = "yes" if registration.industrial_starter else "no"
    form = CorrectionForm(
        request.POST or None,
        initial=initial,
        **_form_kwargs(request, current.plan, plan_control, registration.room),
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = correct_registration(
                registration,
                request.user,
                _as_input(form, plan_control.id),
                form.cleaned_data["reason"],
            )
        except RegistrationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The correction is stored as a new version."))
            return redirect(
                "records:registration",
                operator_slug=request.operator.slug,
                registration_id=recorded.registration.pk,
            )
    return render(
        request,
        "records/correct.html",
        {
            "operator": request.operator,
            "registration": registration,
            "control_title": control_title(current.plan, plan_control.id),
            "form": form,
        },
    )


def _task_title(current: selectors.OperatorPlan | None, task_id: str) -> str:
    if current is None:
        return task_id
    for item in current.plan.hygiene:
        if item.id == task_id:
            return text(item.text)
    for control in current.plan.controls:
        for monitoring in control.monitoring:
            if monitoring.id == task_id:
                return f"{control.id} · {text(monitoring.text)}"
    return task_id


@require_write
def task(request: OperatorRequest, task_id: str) -> HttpResponseBase:
    """Register that a task without measurements was done."""
    current = _plan_or_none(request)
    if current is None or task_id not in plan_tasks(current):
        raise Http404("No such task in the plan.")
    room = _target(request, Room, "room")
    form = TaskForm(request.POST or None, initial={"done_at": _local_now()})
    if request.method == "POST" and form.is_valid():
        try:
            registration = record_keyed_task(
                request.operator,
                request.user,
                task_id,
                request.POST.get("idempotency_key", ""),
                room=room,
                done_at=form.cleaned_data["done_at"],
                remark=form.cleaned_data["remark"],
            )
        except RepeatedKeyError as repeated:
            return repeated_key_response(request, repeated)
        except RegistrationError as error:
            _add_error(form, error)
        else:
            if from_queue(request):
                return stored_response(request, registration)
            messages.success(request, _("Registered."))
            return redirect(
                "records:registration",
                operator_slug=request.operator.slug,
                registration_id=registration.pk,
            )
    if request.method == "POST" and from_queue(request):
        return refused_response(form)
    return render(
        request,
        "records/task.html",
        {
            "operator": request.operator,
            "title": _task_title(current, task_id),
            "room": room,
            "form": form,
            "idempotency_key": uuid.uuid4().hex,
        },
    )


@operator_view
def history(request: OperatorRequest, control: str) -> HttpResponseBase:
    """The registrations of one control a page at a time, newest first, with a plot of the
    page's values against the limits; filtered by period, product, lot and verdict, exported
    as CSV or XLSX (?export=)."""
    current = _plan_or_none(request)
    control_id = control_from_slug(control)
    try:
        plan_control = current.plan.control(control_id) if current else None
    except KeyError:
        plan_control = None
    if plan_control is None and not selectors.has_registrations(request.operator, control_id):
        raise Http404("No such control.")
    form = filter_form(lists.RegistrationFilter, request)
    kind = export_format(request)
    if kind:
        return export_response(
            kind,
            f"{request.operator.slug}-{control}",
            lists.registration_columns(),
            lists.registrations(request.operator, control_id, form),
        )
    page = selectors.kept_page(
        ("history", request.operator.pk, control_id, form.key()),
        partial(lists.registrations, request.operator, control_id, form),
        page_number(request),
        HISTORY_LENGTH,
    )
    deviations = selectors.deviations_of_chains(request.operator, (r.chain for r in page.rows))
    table = [
        {
            "registration": r,
            "values": value_rows(r),
            "reasons": registration_reasons(r),
            "deviation": deviations.get(r.chain),
        }
        for r in page.rows
    ]
    shown = list(reversed(page.rows))
    return render(
        request,
        "records/history.html",
        {
            "operator": request.operator,
            "control_id": control_id,
            "control_slug": control,
            "title": control_title(current.plan if current else None, control_id),
            "plots": control_plots(plan_control, shown),
            "rows": table,
            "page": page,
            "form": form,
            "page_query": form.query(),
            "registrable": plan_control is not None and bool(form_fields(plan_control)),
        },
    )
