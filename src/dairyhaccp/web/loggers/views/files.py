"""Importing a logger's file: upload, preview (read, merged, judged), then store."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from dairyhaccp.loggers import day_window
from dairyhaccp.web.loggers import selectors
from dairyhaccp.web.loggers.constants import DAY_ZONE
from dairyhaccp.web.loggers.forms import ReadForm, UploadForm
from dairyhaccp.web.loggers.models import LoggerFile
from dairyhaccp.web.loggers.plot import day_svg
from dairyhaccp.web.loggers.presentation import (
    degrees,
    excursion_rows,
    gap_rows,
    minutes,
    plot_parts,
    verdict_word,
)
from dairyhaccp.web.loggers.services import (
    FilePreview,
    FileRefusedError,
    LoggerError,
    ReadSettings,
    preview_file,
    store_file,
    upload_file,
)
from dairyhaccp.web.loggers.services.days import excursions_data, gaps_data
from dairyhaccp.web.loggers.services.files import file_text
from dairyhaccp.web.loggers.wording import file_notice
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404, require_write

# Lines of the file shown to help choose the columns.
HEAD_LINES = 12
HEAD_CHARS = 160


@require_write
def upload(request: OperatorRequest) -> HttpResponseBase:
    """Upload a logger's export; it is kept as it came, then previewed."""
    devices = selectors.devices(request.operator).filter(active=True)
    initial = {}
    if request.GET.get("device", "").isdigit():
        initial["device"] = devices.filter(pk=int(request.GET["device"])).first()
    elif len(devices[:2]) == 1:
        initial["device"] = devices.first()
    form = UploadForm(devices, request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            file = upload_file(data["device"], request.user, data["file"].name, data["file"].read())
        except LoggerError as error:
            form.add_error("file", error.problem)
        else:
            return redirect("loggers:preview", operator_slug=request.operator.slug, file_id=file.pk)
    return render(
        request,
        "loggers/upload.html",
        {"operator": request.operator, "form": form, "has_devices": devices.exists()},
    )


def _head(file: LoggerFile) -> list[str]:
    lines = file_text(file).splitlines()[:HEAD_LINES]
    return [line[:HEAD_CHARS].replace("\x00", "") for line in lines]


def _day_rows(preview: FilePreview) -> list[dict[str, object]]:
    rows = []
    for day in preview.days:
        summary = day.summary
        excursions = gaps = []
        svg = ""
        if summary is not None and preview.limits is not None:
            excursions, gaps = excursions_data(summary.judgement), gaps_data(summary.judgement)
            lines, bands = plot_parts(
                preview.limits.limits.maximum_c,
                preview.limits.limits.ceiling_c,
                excursions,
                gaps,
                day.day,
            )
            svg = day_svg(
                str(day.day), preview.merged[day.day], day_window(day.day, DAY_ZONE), lines, bands
            )
        rows.append(
            {
                "day": day,
                "verdict": summary.verdict if summary else "",
                "verdict_word": verdict_word(summary.verdict) if summary else "",
                "peak": degrees(summary.peak_c) if summary else "",
                "longest": minutes(summary.longest_min * 60) if summary else "",
                "excursions": excursion_rows(excursions, day.day),
                "gaps": gap_rows(gaps, day.day),
                "svg": svg,
            }
        )
    return rows


@require_write
def preview(request: OperatorRequest, file_id: int) -> HttpResponseBase:
    """What the file holds and what storing it would do; POST stores it."""
    file = get_for_operator_or_404(
        LoggerFile.objects.select_related("device", "device__room"), request.operator, pk=file_id
    )
    source = request.POST if request.method == "POST" else request.GET
    form = ReadForm(source or None)
    problems: list[str] = []
    needs_mapping = False
    result: FilePreview | None = None
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
                stored = store_file(file, settings, request.user)
                messages.success(
                    request,
                    ngettext(
                        "{count} day stored from {file}.",
                        "{count} days stored from {file}.",
                        len(stored.versions),
                    ).format(count=len(stored.versions), file=file.file_name),
                )
                return redirect(
                    "loggers:device", operator_slug=request.operator.slug, device_id=file.device_id
                )
            result = preview_file(file, settings)
        except FileRefusedError as refused:
            problems, needs_mapping = list(refused.problems), refused.needs_mapping
        except LoggerError as error:
            problems = list(error.problems)
    notices = []
    if result is not None:
        notices = [file_notice(n, result.read.layout, settings.zone) for n in result.read.notices]
    return render(
        request,
        "loggers/preview.html",
        {
            "operator": request.operator,
            "file": file,
            "form": form if source else ReadForm(),
            "problems": problems,
            "needs_mapping": needs_mapping or bool(source),
            "head": _head(file),
            "preview": result,
            "notices": notices,
            "days": _day_rows(result) if result else [],
            "query": request.GET.urlencode(),
            "settings_data": source,
        },
    )
