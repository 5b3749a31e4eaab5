"""Every deviation opened in the period with its follow-up: what was found, the corrective
actions, the outcome, the notification to the FAVV, who closed it and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.plan.models import Plan
from dairyhaccp.web.dossier.sections.common import control_title, person, product_words, unique
from dairyhaccp.web.operators.language import guide_text
from dairyhaccp.web.records.choices import DeviationEventKind, DeviationStatus, Outcome
from dairyhaccp.web.records.findings import reasons
from dairyhaccp.web.records.models import Deviation, DeviationEvent
from dairyhaccp.web.records.presentation import action_choices
from dairyhaccp.web.records.wording import format_value, parameter_label


@dataclass(frozen=True)
class EventRow:
    """One step of a deviation's follow-up, with who and when."""

    deviation: int
    at: datetime
    by: str
    what: str
    details: str


@dataclass(frozen=True)
class DeviationRow:
    """A deviation and its follow-up in one row."""

    number: int
    measured_at: datetime
    opened_at: datetime
    opened_by: str
    control: str
    title: str
    where: str
    measured: str
    found: list[str]
    lots: list[str]
    actions: list[str]
    outcome: str
    justification: str
    notification_required: bool
    notifications: list[str]
    notified_on: date | None
    status: str
    is_open: bool
    closed_at: datetime | None
    closed_by: str
    events: list[EventRow]


def _actions(plan: Plan | None, deviation: Deviation) -> list[str]:
    known = dict(action_choices(plan, deviation.control_id))
    worded = [known.get(action, "") for action in deviation.actions]
    own = [line for line in deviation.own_action.splitlines() if line.strip()]
    return [text for text in worded if text] + own


def _event_details(
    event: DeviationEvent, control_id: str, plan: Plan | None, outcomes: dict[str, str]
) -> str:
    data = event.data or {}
    if event.kind == DeviationEventKind.OPENED and data.get("lots"):
        return _("lots: {lots}").format(lots=", ".join(str(lot) for lot in data["lots"]))
    if event.kind == DeviationEventKind.ACTIONS:
        known = dict(action_choices(plan, control_id))
        parts = [known.get(str(a), "") for a in data.get("actions") or []]
        parts.append(str(data.get("own_action") or ""))
        return "; ".join(part for part in parts if part)
    if event.kind == DeviationEventKind.NOTIFIED and data.get("notified_on"):
        try:
            return date_format(date.fromisoformat(str(data["notified_on"])), "DATE_FORMAT")
        except ValueError:
            return ""
    if event.kind == DeviationEventKind.CLOSED:
        outcome = outcomes.get(str(data.get("outcome") or ""), "")
        justification = str(data.get("justification") or "")
        return " — ".join(part for part in (outcome, justification) if part)
    return ""


def _where(deviation: Deviation) -> str:
    registration = deviation.registration
    parts = [
        registration.room.name if registration.room is not None else "",
        registration.batch.lot_code if registration.batch is not None else "",
        product_words(registration.product),
        registration.delivery,
    ]
    return " · ".join(part for part in parts if part)


def _measured(deviation: Deviation) -> str:
    values = deviation.registration.values or {}
    return "; ".join(
        f"{parameter_label(name)}: {format_value(name, value)}" for name, value in values.items()
    )


def deviation_rows(
    deviations: list[Deviation], plans: dict[int, Plan], fallback: Plan | None
) -> list[DeviationRow]:
    """The deviations with their follow-up, actions worded from the plan the registration was
    judged with (`plans` by version number; `fallback` when it is unknown)."""
    outcomes = {value: str(text) for value, text in Outcome.choices}
    kinds = {value: str(text) for value, text in DeviationEventKind.choices}
    statuses = {value: str(text) for value, text in DeviationStatus.choices}
    all_plans = list(plans.values()) + ([fallback] if fallback is not None else [])
    rows = []
    for deviation in deviations:
        number = deviation.registration.plan_version
        plan = plans.get(number, fallback) if number is not None else fallback
        events = [
            EventRow(
                deviation.pk,
                event.at,
                person(event.by),
                kinds.get(event.kind, ""),
                _event_details(event, deviation.control_id, plan, outcomes),
            )
            for event in deviation.events.all()
        ]
        rows.append(
            DeviationRow(
                number=deviation.pk,
                measured_at=deviation.registration.measured_at,
                opened_at=deviation.opened_at,
                opened_by=person(deviation.opened_by),
                control=deviation.control_id,
                title=control_title(all_plans, deviation.control_id),
                where=_where(deviation),
                measured=_measured(deviation),
                found=unique(reasons(deviation.registration.findings)),
                lots=sorted(batch.lot_code for batch in deviation.lots.all()),
                actions=_actions(plan, deviation),
                outcome=outcomes.get(deviation.outcome, ""),
                justification=deviation.justification,
                notification_required=deviation.notification_required,
                notifications=[guide_text(n.get("text")) for n in deviation.notifications or []],
                notified_on=deviation.notified_on,
                status=statuses.get(deviation.status, ""),
                is_open=deviation.is_open,
                closed_at=deviation.closed_at,
                closed_by=person(deviation.closed_by),
                events=events,
            )
        )
    return rows
