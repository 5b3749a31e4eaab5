"""What the records pages show, in the reader's language: rows built from stored objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.agenda import Duty, TargetKind
from dairyhaccp.monitoring.duties import RAW_MILK, form_fields
from dairyhaccp.plan.models import Plan, PlanControl
from dairyhaccp.web.operators.language import guide_text
from dairyhaccp.web.records.findings import findings_data, reasons
from dairyhaccp.web.records.models import Batch, Deviation, Registration
from dairyhaccp.web.records.plot import LimitLine, PlotPoint, limit_lines, series_svg
from dairyhaccp.web.records.registration_csv import FIELD_ALIASES
from dairyhaccp.web.records.wording import (
    STATUS_LABELS,
    control_slug,
    format_value,
    parameter_label,
    parameter_unit,
)

if TYPE_CHECKING:
    from dairyhaccp.web.records.services.imports import ImportPreview

text = guide_text


def product_label(product: str) -> str:
    """A batch's product as people say it: raw milk in words, a plan product by its name."""
    return _("Raw milk") if product == RAW_MILK else product


def milk_label(milk: Batch) -> str:
    """'M-3, milked 30/11/2026 05:40': the milk a batch is made from, with its milking time."""
    when = date_format(timezone.localtime(milk.started_at), "SHORT_DATETIME_FORMAT")
    return _("{lot}, milked {when}").format(lot=milk.lot_code, when=when)


def control_title(plan: Plan | None, control_id: str) -> str:
    if not control_id:
        return _("Hygiene task")
    if plan is None:
        return control_id
    try:
        return f"{control_id} · {text(plan.control(control_id).title)}"
    except KeyError:
        return control_id


@dataclass(frozen=True)
class DutyRow:
    """One line of the agenda."""

    title: str
    control: str
    target: str
    status: str
    status_label: str
    deadline: datetime | None
    frequency: str
    url: str


def duty_rows(duties: tuple[Duty, ...], operator_slug: str) -> list[DutyRow]:
    rows = []
    urls: dict[tuple[bool, str | None], str] = {}  # a check on several targets: one reverse()
    for duty in duties:
        query: dict[str, str] = {}
        if duty.target_kind is TargetKind.BATCH and duty.target_key:
            query["batch"] = duty.target_key
        elif duty.target_kind is TargetKind.ROOM and duty.target_key:
            query["room"] = duty.target_key
        which = (duty.is_task, duty.key if duty.is_task else duty.control_id)
        url = urls.get(which, "")
        if not url and duty.is_task:
            url = urls[which] = reverse(
                "records:task", kwargs={"operator_slug": operator_slug, "task_id": duty.key}
            )
        elif not url:
            assert duty.control_id is not None
            url = urls[which] = reverse(
                "records:register",
                kwargs={"operator_slug": operator_slug, "control": control_slug(duty.control_id)},
            )
        if query:
            url = f"{url}?{urlencode(query)}"
        rows.append(
            DutyRow(
                title=text(duty.title),
                control=duty.control_id or _("Hygiene"),
                target=duty.target_name or _("whole business"),
                status=duty.status.value,
                status_label=str(STATUS_LABELS[duty.status]),
                deadline=duty.item.deadline,
                frequency=duty.frequency.text,
                url=url,
            )
        )
    return rows


@dataclass(frozen=True)
class ValueRow:
    label: str
    value: str
    derived: bool


def value_rows(registration: Registration) -> list[ValueRow]:
    return [
        ValueRow(parameter_label(name), format_value(name, value), name in registration.derived)
        for name, value in registration.values.items()
    ]


def registration_reasons(registration: Registration) -> list[str]:
    return reasons(registration.findings)


def action_choices(plan: Plan | None, control_id: str) -> list[tuple[str, str]]:
    """The corrective actions of the control in the plan, in the reader's language."""
    if plan is None:
        return []
    try:
        control = plan.control(control_id)
    except KeyError:
        return []
    return [(action.id, text(action.text)) for action in control.corrective_actions]


def action_labels(plan: Plan | None, deviation: Deviation) -> list[str]:
    known = dict(action_choices(plan, deviation.control_id))
    return [known.get(action, action) for action in deviation.actions]


@dataclass(frozen=True)
class Plot:
    parameter: str
    title: str
    svg: str


def control_plots(control: PlanControl | None, history: list[Registration]) -> list[Plot]:
    """One plot per numeric parameter of the control, measured values against the limits."""
    if control is None:
        return []
    plots = []
    for name in form_fields(control):
        points = [
            PlotPoint(
                at=r.measured_at,
                value=float(r.values[name]),
                verdict=r.verdict,
                required=r.required.get(name),
            )
            for r in history
            if isinstance(r.values.get(name), (int, float))
            and not isinstance(r.values.get(name), bool)
        ]
        if not points:
            continue
        lines: list[LimitLine] = limit_lines(control.limits, name)
        title = parameter_label(name)
        plots.append(Plot(name, title, series_svg(title, parameter_unit(name), points, lines)))
    return plots


# Fields of a registration that are not measured values, as a page names them.
FIELD_LABELS = {
    "control": gettext_lazy("Control"),
    "measured_at": gettext_lazy("Measured at"),
    "product": gettext_lazy("Product"),
    "room": gettext_lazy("Room or equipment"),
    "lot": gettext_lazy("Lot code"),
    "batch": gettext_lazy("Batch (lot)"),
    "category": gettext_lazy("Storage category"),
    "industrial_starter": gettext_lazy("Industrial starter"),
    "delivery": gettext_lazy("Delivery"),
    "remark": gettext_lazy("Remark"),
    "key": gettext_lazy("Key"),
}


def field_label(name: str) -> str:
    """A field of a registration or a measured value, in the reader's language ("" for the
    measurement as a whole)."""
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    if name in ("", "measurement", "registration", "items"):
        return ""
    return parameter_label(name)


@dataclass(frozen=True)
class PreviewRow:
    """One line of an import as the preview shows it."""

    line: int
    control: str
    measured_at: datetime
    target: str
    values: list[ValueRow]
    verdict: str
    reasons: list[str]
    problem: str


def preview_rows(preview: ImportPreview) -> list[PreviewRow]:
    """The lines of an import preview: their values, verdict and reasons, or their problem."""
    rows = []
    for line in preview.lines:
        row = line.row
        target = " · ".join(t for t in (row.room, row.lot, row.product) if t)
        evaluation = line.evaluation
        values = evaluation.values if evaluation is not None else row.values
        derived = evaluation.derived if evaluation is not None else {}
        problem = ""
        if line.problem:
            field = field_label(line.field)
            problem = f"{field}: {line.problem}" if field else line.problem
        rows.append(
            PreviewRow(
                line=row.line,
                control=row.control_id,
                measured_at=row.measured_at,
                target=target,
                values=[
                    ValueRow(parameter_label(n), format_value(n, v), n in derived)
                    for n, v in values.items()
                ],
                verdict=evaluation.verdict.value if evaluation is not None else "",
                reasons=reasons(findings_data(evaluation)) if evaluation is not None else [],
                problem=problem,
            )
        )
    return rows


def import_columns() -> list[tuple[str, str]]:
    """The columns an import file may have, and the headers accepted for each."""
    columns = [(name, ", ".join(aliases)) for name, aliases in FIELD_ALIASES.items()]
    for parameter in load_guide().parameters:
        if parameter.measured != "on_site":
            continue
        labels = dict.fromkeys(
            (parameter.id, parameter.label.nl, parameter.label.get("fr"), parameter.label.en)
        )
        columns.append((parameter.id, ", ".join(labels)))
    return columns
