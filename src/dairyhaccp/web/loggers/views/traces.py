"""Pasteuriser traces of a batch: upload, preview (read, lethality, verdict), store, show."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dairyhaccp.loggers import decode_logger_bytes
from dairyhaccp.web.loggers.forms import ReadForm, TraceUploadForm
from dairyhaccp.web.loggers.models import PasteurisationTrace, TraceFile
from dairyhaccp.web.loggers.plot import Band, Line, trace_svg
from dairyhaccp.web.loggers.presentation import degrees
from dairyhaccp.web.loggers.services import FileRefusedError, LoggerError, ReadSettings
from dairyhaccp.web.loggers.services.series import Readings
from dairyhaccp.web.loggers.services.traces import (
    TracePreview,
    file_content,
    preview_trace,
    store_trace,
    upload_trace,
)
from dairyhaccp.web.operators.access import (
    OperatorRequest,
    get_for_operator_or_404,
    operator_view,
    require_write,
)
from dairyhaccp.web.parameters import local_number
from dairyhaccp.web.records.models import Batch, Deviation

HEAD_LINES = 12
HEAD_CHARS = 160


def _seconds(value: float | None) -> str:
    return "" if value is None else local_number(round(value, 1))


def _plot(
    title: str, readings: Readings, reference_c: float, gaps: list[tuple[float, float]]
) -> str:
    first = int(readings.times[0]) if len(readings) else 0
    line = Line(
        reference_c,
        _("reference {temperature} °C").format(temperature=degrees(reference_c)),
        "critical_limit",
    )
    bands = [
        Band(first + int(start), first + int(end), "gap", _("no readings")) for start, end in gaps
    ]
    return trace_svg(title, readings, [line], bands)


def _figures(
    medium: str,
    reference_c: float,
    required_s: float,
    equivalent_s: float,
    peak_c: float,
    hold_s: float | None,
    hold_minimum_c: float | None,
    seconds_below: float | None,
) -> dict[str, Any]:
    return {
        "medium": _("cream") if medium == "cream" else _("milk"),
        "reference": degrees(reference_c),
        "required": _seconds(required_s),
        "equivalent": _seconds(equivalent_s),
        "peak": degrees(peak_c),
        "hold": _seconds(hold_s),
        "minimum": degrees(hold_minimum_c),
        "below": _seconds(seconds_below),
    }


@operator_view
def batch_traces(request: OperatorRequest, batch_id: int) -> HttpResponse:
    """The pasteuriser traces stored for a batch, newest first."""
    batch = get_for_operator_or_404(Batch.objects.all(), request.operator, pk=batch_id)
    traces = (
        PasteurisationTrace.objects.filter(operator=request.operator, batch=batch)
        .select_related("file", "registration")
        .order_by("-first_at", "-pk")
    )
    return render(
        request,
        "loggers/batch_traces.html",
        {"operator": request.operator, "batch": batch, "traces": traces},
    )


@require_write
def trace_upload(request: OperatorRequest, batch_id: int) -> HttpResponseBase:
    """Upload a pasteuriser recorder's export for a batch; it is kept, then previewed."""
    batch = get_for_operator_or_404(Batch.objects.all(), request.operator, pk=batch_id)
    form = TraceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            file = upload_trace(batch, request.user, upload.name, upload.read())
        except LoggerError as error:
            form.add_error("file", error.problem)
        else:
            return redirect(
                "loggers:trace-preview", operator_slug=request.operator.slug, file_id=file.pk
            )
    return render(
        request,
        "loggers/trace_upload.html",
        {"operator": request.operator, "batch": batch, "form": form},
    )


def _head(file: TraceFile) -> list[str]:
    lines = decode_logger_bytes(file_content(file)).splitlines()[:HEAD_LINES]
    return [line[:HEAD_CHARS].replace("\x00", "") for line in lines]


def _preview_context(result: TracePreview) -> dict[str, Any]:
    judgement, hold = result.judgement, result.hold
    readings = Readings(result.read.times, result.read.temperatures_c)
    if judgement is None:
        return {"svg": trace_svg(result.file.file_name, readings, [], []), "figures": None}
    figures = _figures(
        judgement.medium,
        judgement.reference_temperature_c,
        judgement.required_s,
        judgement.equivalent_s,
        judgement.peak_c,
        hold.duration_s if hold else None,
        hold.minimum_c if hold else None,
        hold.seconds_below if hold else None,
    )
    evaluation = result.evaluation
    return {
        "svg": _plot(
            result.file.file_name, readings, judgement.reference_temperature_c, list(judgement.gaps)
        ),
        "figures": figures,
        "verdict": evaluation.verdict.value if evaluation else "",
        "registered_hold": _seconds(result.values.get("hold_s")),
        "needed": _seconds(evaluation.required.get("hold_s")) if evaluation else "",
    }


@require_write
def trace_preview(request: OperatorRequest, file_id: int) -> HttpResponseBase:
    """What the trace holds and the verdict storing it would register; POST stores it."""
    file = get_for_operator_or_404(
        TraceFile.objects.select_related("batch"), request.operator, pk=file_id
    )
    source = request.POST if request.method == "POST" else request.GET
    form = ReadForm(source or None)
    problems: list[str] = []
    needs_mapping = False
    result: TracePreview | None = None
    settings = ReadSettings()
    valid = form.is_valid() if source else True
    if valid and source:
        try:
            settings = form.read_settings()
        except ValidationError:
            valid = False
    if valid:
        try:
            if request.method == "POST":
                trace = store_trace(file, settings, request.user)
                messages.success(
                    request,
                    _("The trace of {file} is stored.").format(file=file.file_name),
                )
                return redirect(
                    "loggers:trace", operator_slug=request.operator.slug, trace_id=trace.pk
                )
            result = preview_trace(file, settings)
        except FileRefusedError as refused:
            problems, needs_mapping = list(refused.problems), refused.needs_mapping
        except LoggerError as error:
            problems = list(error.problems)
    context: dict[str, Any] = {
        "operator": request.operator,
        "file": file,
        "batch": file.batch,
        "form": form if source else ReadForm(),
        "problems": problems,
        "needs_mapping": needs_mapping or bool(source),
        "head": _head(file),
        "preview": result,
        "settings_data": source,
    }
    if result is not None:
        context.update(_preview_context(result))
    return render(request, "loggers/trace_preview.html", context)


@operator_view
def trace_detail(request: OperatorRequest, trace_id: int) -> HttpResponse:
    """A stored trace: its plot against the reference temperature, its figures, its verdict."""
    trace = get_for_operator_or_404(
        PasteurisationTrace.objects.select_related("batch", "file", "registration", "stored_by"),
        request.operator,
        pk=trace_id,
    )
    times, temperatures, _humidity = trace.arrays()
    readings = Readings(times, temperatures)
    gaps = [(float(gap["start_s"]), float(gap["end_s"])) for gap in trace.gaps]
    deviation = None
    if trace.registration is not None:
        deviation = Deviation.objects.filter(
            operator=request.operator, registration__chain=trace.registration.chain
        ).first()
    return render(
        request,
        "loggers/trace.html",
        {
            "operator": request.operator,
            "trace": trace,
            "batch": trace.batch,
            "svg": _plot(trace.batch.lot_code, readings, trace.reference_c, gaps),
            "figures": _figures(
                trace.medium,
                trace.reference_c,
                trace.required_s,
                trace.equivalent_s,
                trace.peak_c,
                trace.hold_s if trace.hold_minimum_c is not None else None,
                trace.hold_minimum_c,
                trace.seconds_below,
            ),
            "deviation": deviation,
        },
    )
