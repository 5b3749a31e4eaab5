"""Withdrawals, recalls and mock recalls of the period (the lots context).

The one place the dossier reads the lots context: should that context change shape, only
this module follows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch

from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections.common import person
from dairyhaccp.web.lots.choices import Origin, RecallEventKind, RecallTrigger
from dairyhaccp.web.lots.models import MockRecall, Recall, RecallClosure, RecallEvent
from dairyhaccp.web.operators.models import Operator


@dataclass(frozen=True)
class RecallRow:
    """A withdrawal or recall opened in the period, with its notification and closing."""

    number: int
    opened_at: datetime
    opened_by: str
    trigger: str
    hazard: str
    origin: str
    measures: str
    lots: list[str]
    notify_favv: bool
    notified_on: date | None
    customers_informed: list[str]
    closed_at: datetime | None
    closed_by: str


@dataclass(frozen=True)
class MockRecallRow:
    """A mock recall run in the period: how long the trace took and what it accounted for."""

    ran_at: datetime
    ran_by: str
    lot: str
    seconds: float
    accounted_pct: float
    lots_reached: int
    deliveries: int
    customers: int


def _closure(recall: Recall) -> RecallClosure | None:
    try:
        return recall.closure
    except RecallClosure.DoesNotExist:
        return None


def recall_rows(operator: Operator, period: Period) -> list[RecallRow]:
    triggers = {key: str(text) for key, text in RecallTrigger.choices}
    origins = {key: str(text) for key, text in Origin.choices}
    events = RecallEvent.objects.select_related("customer").order_by("done_on", "pk")
    recalls = (
        Recall.objects.for_operator(operator)
        .filter(opened_at__gte=period.starts_at, opened_at__lt=period.ends_at)
        .select_related("opened_by", "closure", "closure__closed_by")
        .prefetch_related("lots", Prefetch("events", queryset=events))
        .order_by("opened_at", "pk")
    )
    rows = []
    for recall in recalls:
        steps = list(recall.events.all())
        notified = [e.done_on for e in steps if e.kind == RecallEventKind.NOTIFIED]
        informed = [
            e.customer.name
            for e in steps
            if e.kind == RecallEventKind.CUSTOMER_INFORMED and e.customer is not None
        ]
        closure = _closure(recall)
        rows.append(
            RecallRow(
                number=recall.number,
                opened_at=recall.opened_at,
                opened_by=person(recall.opened_by),
                trigger=triggers.get(recall.trigger, ""),
                hazard=recall.hazard,
                origin=origins.get(recall.origin, ""),
                measures=recall.measures,
                lots=[lot.lot_code for lot in recall.lots.all()],
                notify_favv=recall.notify,
                notified_on=min(notified) if notified else None,
                customers_informed=list(dict.fromkeys(informed)),
                closed_at=closure.closed_at if closure is not None else None,
                closed_by=person(closure.closed_by) if closure is not None else "",
            )
        )
    return rows


def mock_recall_rows(operator: Operator, period: Period) -> list[MockRecallRow]:
    mocks = (
        MockRecall.objects.for_operator(operator)
        .filter(ran_at__gte=period.starts_at, ran_at__lt=period.ends_at)
        .select_related("ran_by")
        .order_by("ran_at", "pk")
    )
    return [
        MockRecallRow(
            ran_at=mock.ran_at,
            ran_by=person(mock.ran_by),
            lot=mock.lot_code,
            seconds=round(mock.duration_ms / 1000, 1),
            accounted_pct=float(Decimal(mock.accounted_pct)),
            lots_reached=mock.lots_reached,
            deliveries=mock.deliveries,
            customers=mock.customers,
        )
        for mock in mocks
    ]
