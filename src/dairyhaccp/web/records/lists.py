"""The records lists an inspector reads (registrations, deviations, batches): their filters,
the queries behind them and the columns of their exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dairyhaccp.plan.models import Plan
from dairyhaccp.web.operators.models import Operator, latest_versions
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.choices import DeviationStatus, Outcome, Verdict
from dairyhaccp.web.records.models import Batch, Deviation, Registration
from dairyhaccp.web.records.presentation import (
    action_choices,
    control_title,
    registration_reasons,
    value_rows,
)
from dairyhaccp.web.tables import Column, ListFilterForm, chunked


def person(user: Any) -> str:
    """A member as a list names them: their full name, else their username."""
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def _choice(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", _("All")), *choices])


def _text(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=200, strip=True)


def control_choices(plan: Plan | None) -> list[tuple[str, str]]:
    if plan is None:
        return []
    return [(control.id, control_title(plan, control.id)) for control in plan.controls]


class RegistrationFilter(ListFilterForm):
    """Registrations of one control: period, product, lot, verdict."""

    product = _text(_("Product"))
    lot = _text(_("Lot code"))
    verdict = _choice(_("Verdict"), list(Verdict.choices))


class DeviationFilter(ListFilterForm):
    """Deviations: period (when the check was done, as in the dossier), control, product,
    lot, status."""

    product = _text(_("Product"))
    lot = _text(_("Lot code"))
    status = _choice(_("Status"), list(DeviationStatus.choices))

    def __init__(self, data: Any = None, *, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        fields = dict(self.fields)
        self.fields = {
            "from": fields.pop("from"),
            "to": fields.pop("to"),
            "control": _choice(_("Control"), control_choices(plan)),
            **fields,
        }


class BatchFilter(ListFilterForm):
    """Batches: period (made or milked), product, lot."""

    product = _text(_("Product"))
    lot = _text(_("Lot code"))


# --- registrations of a control ----------------------------------------------------------


# A registration's fields its history and export show (not every limit checked, nor why it
# was corrected).
_REGISTRATION_SHOWN = tuple(
    field.name
    for field in Registration._meta.concrete_fields
    if field.name not in ("checked_limits", "correction_reason")
)


def registrations(operator: Operator, control_id: str, form: RegistrationFilter) -> QuerySet:
    """The current registrations of one control that pass the filters, newest first."""
    rows = (
        latest_versions(Registration.objects.for_operator(operator))
        .filter(control_id=control_id, task_id="")
        .select_related("batch", "room")
        .only(*_REGISTRATION_SHOWN, "batch__lot_code", "batch__product", "room__name")
    )
    if form.starts_at:
        rows = rows.filter(measured_at__gte=form.starts_at)
    if form.ends_at:
        rows = rows.filter(measured_at__lt=form.ends_at)
    if product := form.value("product"):
        rows = rows.filter(Q(product__iexact=product) | Q(batch__product__iexact=product))
    if lot := form.value("lot"):
        rows = rows.filter(batch__lot_code__icontains=lot)
    if verdict := form.value("verdict"):
        rows = rows.filter(verdict=verdict)
    return rows.order_by("-measured_at", "-pk")


def _values(registration: Registration) -> str:
    return "; ".join(f"{row.label}: {row.value}" for row in value_rows(registration))


def registration_columns() -> list[Column]:
    verdicts = dict(Verdict.choices)
    return [
        Column(_("Measured at"), lambda r: r.measured_at),
        Column(_("Product"), lambda r: r.product or (r.batch.product if r.batch else "")),
        Column(_("Lot code"), lambda r: r.batch.lot_code if r.batch else ""),
        Column(_("Room or equipment"), lambda r: r.room.name if r.room else ""),
        Column(_("Measured values"), _values),
        Column(_("Verdict"), lambda r: str(verdicts.get(r.verdict, ""))),
        Column(_("Reasons"), registration_reasons),
        Column(_("Version"), lambda r: r.version),
        Column(_("Remark"), lambda r: r.remark),
    ]


# --- deviations ---------------------------------------------------------------------------


def deviations(operator: Operator, form: DeviationFilter) -> QuerySet[Deviation]:
    """Deviations that pass the filters with what a row shows (the registration's findings,
    who closed it, the lots), open ones first, then newest first; a fixed number of queries
    whatever the number of rows."""
    rows = (
        Deviation.objects.for_operator(operator)
        .select_related("registration", "closed_by")
        .only(
            *_DEVIATION_SHOWN,
            "registration__measured_at",
            "registration__findings",
            "closed_by__username",
            "closed_by__first_name",
            "closed_by__last_name",
        )
        .prefetch_related(Prefetch("lots", queryset=Batch.objects.only("pk", "lot_code")))
    )
    if form.starts_at:
        rows = rows.filter(registration__measured_at__gte=form.starts_at)
    if form.ends_at:
        rows = rows.filter(registration__measured_at__lt=form.ends_at)
    if control := form.value("control"):
        rows = rows.filter(control_id=control)
    if status := form.value("status"):
        rows = rows.filter(status=status)
    if product := form.value("product"):
        rows = rows.filter(
            Q(registration__product__iexact=product)
            | Q(registration__batch__product__iexact=product)
        )
    if lot := form.value("lot"):
        concerned = Batch.objects.filter(deviations=OuterRef("pk"), lot_code__icontains=lot)
        rows = rows.filter(Q(Exists(concerned)) | Q(registration__batch__lot_code__icontains=lot))
    return rows.order_by("-status", "-opened_at", "-pk")


# A deviation's own fields a row shows (not its notification duties).
_DEVIATION_SHOWN = tuple(
    field.name for field in Deviation._meta.concrete_fields if field.name != "notifications"
)


@dataclass(frozen=True)
class DeviationRow:
    """A deviation and its follow-up in one line."""

    deviation: Deviation
    title: str
    findings: list[str]
    lots: list[str]
    actions: list[str]
    outcome: str
    justification: str
    closed_by: str
    closed_at: datetime | None
    notification_required: bool
    notified_on: date | None


class DeviationRows:
    """Makes the rows of one list: what depends only on the control (its title, the wording of
    its corrective actions) and the outcomes' labels are worded once per list, not per row."""

    def __init__(self, plan: Plan | None) -> None:
        self.plan = plan
        self.outcomes = {value: str(label) for value, label in Outcome.choices}
        self._titles: dict[str, str] = {}
        self._actions: dict[str, dict[str, str]] = {}

    def _title(self, control_id: str) -> str:
        if control_id not in self._titles:
            self._titles[control_id] = control_title(self.plan, control_id)
        return self._titles[control_id]

    def _action_labels(self, deviation: Deviation) -> list[str]:
        control_id = deviation.control_id
        if control_id not in self._actions:
            self._actions[control_id] = dict(action_choices(self.plan, control_id))
        known = self._actions[control_id]
        return [known.get(action, action) for action in deviation.actions]

    def row(self, deviation: Deviation) -> DeviationRow:
        own = [line for line in deviation.own_action.splitlines() if line.strip()]
        return DeviationRow(
            deviation=deviation,
            title=self._title(deviation.control_id),
            findings=list(dict.fromkeys(registration_reasons(deviation.registration))),
            lots=sorted(batch.lot_code for batch in deviation.lots.all()),
            actions=[*self._action_labels(deviation), *own],
            outcome=self.outcomes.get(deviation.outcome, ""),
            justification=deviation.justification,
            closed_by=person(deviation.closed_by),
            closed_at=deviation.closed_at,
            notification_required=deviation.notification_required,
            notified_on=deviation.notified_on,
        )


def deviation_page(plan: Plan | None, deviations: Iterable[Deviation]) -> list[DeviationRow]:
    """The rows of a page of the list."""
    make = DeviationRows(plan)
    return [make.row(deviation) for deviation in deviations]


def deviation_rows(plan: Plan | None, rows: QuerySet[Deviation]) -> Iterator[DeviationRow]:
    """The rows of an export, read a chunk at a time."""
    make = DeviationRows(plan)
    for deviation in chunked(rows):
        yield make.row(deviation)


def deviation_columns() -> list[Column]:
    statuses = dict(DeviationStatus.choices)
    return [
        Column(_("Opened at"), lambda r: r.deviation.opened_at),
        Column(_("Control"), lambda r: r.title),
        Column(_("Measured at"), lambda r: r.deviation.registration.measured_at),
        Column(_("Finding"), lambda r: r.findings),
        Column(_("Lots concerned"), lambda r: r.lots),
        Column(_("Corrective actions"), lambda r: r.actions),
        Column(_("Outcome"), lambda r: r.outcome),
        Column(_("Justification"), lambda r: r.justification),
        Column(_("Status"), lambda r: str(statuses.get(r.deviation.status, ""))),
        Column(_("Closed by"), lambda r: r.closed_by),
        Column(_("Closed at"), lambda r: r.closed_at),
        Column(_("To notify to the FAVV"), lambda r: r.notification_required),
        Column(_("Notified to the FAVV on"), lambda r: r.notified_on),
    ]


# --- batches ------------------------------------------------------------------------------


def batches(operator: Operator, form: BatchFilter) -> QuerySet[Batch]:
    """Batches that pass the filters, newest first, with only what a list shows."""
    rows = (
        Batch.objects.for_operator(operator)
        .select_related("room")
        .only("pk", "lot_code", "product", "started_at", "destroyed_at", "room__name")
    )
    if form.starts_at:
        rows = rows.filter(started_at__gte=form.starts_at)
    if form.ends_at:
        rows = rows.filter(started_at__lt=form.ends_at)
    if product := form.value("product"):
        rows = rows.filter(product__iexact=product)
    if lot := form.value("lot"):
        rows = rows.filter(lot_code__icontains=lot)
    return rows.order_by("-started_at", "-pk")


def blocked_among(operator: Operator, batch_ids: list[int]) -> set[int]:
    """Which of these batches are blocked (an open deviation or recall): one query."""
    return set(
        selectors.blocked_lots(operator).filter(pk__in=batch_ids).values_list("pk", flat=True)
    )


def batch_columns(blocked: set[int]) -> list[Column]:
    return [
        Column(_("Lot code"), lambda b: b.lot_code),
        Column(_("Product"), lambda b: b.product),
        Column(_("Made or milked at"), lambda b: b.started_at),
        Column(_("Kept in"), lambda b: b.room.name if b.room else ""),
        Column(_("Destroyed at"), lambda b: b.destroyed_at),
        Column(_("Blocked"), lambda b: b.pk in blocked and b.destroyed_at is None),
    ]
