"""The audit dossier of one operator over one period, section by section, in the active
language: what the PDF lays out and the ZIP of CSV files holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.plan.models import Plan
from dairyhaccp.trace.retention import keep_until, retention_rule
from dairyhaccp.web.dossier.choices import JobStep
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections.checks import ControlRow, control_rows
from dairyhaccp.web.dossier.sections.deviations import DeviationRow, EventRow, deviation_rows
from dairyhaccp.web.dossier.sections.lab import (
    ProductResultRow,
    RawMilkResultRow,
    RawMilkVerdictRow,
    product_result_rows,
    raw_milk_result_rows,
    raw_milk_verdict_rows,
)
from dairyhaccp.web.dossier.sections.plan import AdaptationRow, VersionRow, version_rows
from dairyhaccp.web.dossier.selectors import (
    VersionInForce,
    period_deviations,
    plans_by_number,
    versions_in_force,
)
from dairyhaccp.web.evidence.chain import Verification, verify
from dairyhaccp.web.operators.language import guide_text
from dairyhaccp.web.operators.models import Operator

if TYPE_CHECKING:  # the lots context is read only when it is installed
    from dairyhaccp.web.dossier.sections.recalls import MockRecallRow, RecallRow

__all__ = [
    "AdaptationRow",
    "ControlRow",
    "Cover",
    "DeviationRow",
    "Dossier",
    "EventRow",
    "EvidenceView",
    "NotificationRow",
    "ProductResultRow",
    "RawMilkResultRow",
    "RawMilkVerdictRow",
    "RetentionView",
    "VersionRow",
    "build_dossier",
]

LOTS_APP = "dairyhaccp.web.lots"


@dataclass(frozen=True)
class Cover:
    """Who the dossier is about, which period, when and by whom it was made.

    `address` and `favv_number` are empty when the business has none on record: the cover
    then leaves a line to fill in by hand."""

    business: str
    address: str
    favv_number: str
    period: Period
    made_at: datetime
    made_by: str


@dataclass(frozen=True)
class NotificationRow:
    """A duty to notify the FAVV that arose in the period, and when it was notified."""

    day: date
    subject: str
    required: bool
    notified_on: date | None


@dataclass(frozen=True)
class RetentionView:
    """The module's retention rule for the operator's regime, and what it means here."""

    relaxations: bool
    regime: str
    text: str
    source: str
    months_after_date: int
    default_months: int
    first_keep_until: date
    last_keep_until: date


@dataclass(frozen=True)
class EvidenceView:
    """The verification of the operator's chain of records when the dossier was made."""

    links: int
    head_hash: str
    intact: bool
    problem: str
    checked_at: datetime


@dataclass(frozen=True)
class Dossier:
    """Every section of the dossier, worded in the language it was made in."""

    cover: Cover
    versions: list[VersionRow]
    relaxed: bool
    controls: list[ControlRow]
    deviations: list[DeviationRow]
    raw_milk_results: list[RawMilkResultRow]
    raw_milk_verdicts: list[RawMilkVerdictRow]
    product_results: list[ProductResultRow]
    recalls: list[RecallRow] | None
    mock_recalls: list[MockRecallRow] | None
    notifications: list[NotificationRow]
    retention: RetentionView | None
    evidence: EvidenceView
    plans: list[Plan]

    @property
    def adaptations(self) -> list[AdaptationRow]:
        return [row for version in self.versions for row in version.adaptations]

    @property
    def events(self) -> list[EventRow]:
        return [event for deviation in self.deviations for event in deviation.events]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "due": sum(row.due or 0 for row in self.controls),
            "done": sum(row.done or 0 for row in self.controls),
            "registrations": sum(row.registrations for row in self.controls),
            "deviations": len(self.deviations),
            "open_deviations": sum(1 for row in self.deviations if row.is_open),
        }


def cover(operator: Operator, period: Period, made_by: str, made_at: datetime) -> Cover:
    # An operator stored without an address or FAVV unit number gets a line to fill in instead.
    return Cover(operator.name, operator.address, operator.favv_number, period, made_at, made_by)


def retention(versions: list[VersionInForce], period: Period) -> RetentionView | None:
    """The rule of the last plan version in force (its guide and regime)."""
    if not versions:
        return None
    last = versions[-1]
    relaxations = last.plan.profile.operator.relaxations
    rule = retention_rule(load_guide(last.version.guide_version), relaxations)
    return RetentionView(
        relaxations=relaxations,
        regime=_("With the relaxations for small businesses")
        if relaxations
        else _("Without the relaxations"),
        text=guide_text(rule.text),
        source=str(rule.source),
        months_after_date=rule.months_after_date,
        default_months=rule.default_months,
        first_keep_until=keep_until(period.first, [], rule),
        last_keep_until=keep_until(period.last, [], rule),
    )


# The problems `evidence.chain.verify` names, in words.
_BREAK_TEXTS: dict[str, Promise] = {
    "a link is missing": gettext_lazy("a link is missing"),
    "the chain was re-linked": gettext_lazy("the chain was re-linked"),
    "the record is gone": gettext_lazy("the record is gone"),
    "the record was changed": gettext_lazy("the record was changed"),
    "the link was changed": gettext_lazy("the link was changed"),
    "the chain ends before its head: links were removed": gettext_lazy(
        "the chain ends before its head: links were removed"
    ),
    "a record that is not in the chain": gettext_lazy("a record is not in the chain"),
}


def _table_name(table: str) -> str:
    for model in apps.get_models():
        if model._meta.db_table == table:
            return str(model._meta.verbose_name)
    return ""


def evidence(result: Verification, checked_at: datetime) -> EvidenceView:
    problem = ""
    if result.broken is not None:
        broken = result.broken
        what = str(_BREAK_TEXTS.get(broken.problem, _("the chain does not hold")))
        record = _table_name(broken.table)
        if broken.seq is not None:
            where = _("at link {number}").format(number=broken.seq)
        else:
            where = _("outside the chain")
        problem = ", ".join(part for part in (where, record, what) if part)
    return EvidenceView(result.links, result.head_hash, result.intact, problem, checked_at)


def _notifications(
    deviations: list[DeviationRow],
    recalls: list[RecallRow] | None,
    raw_milk: list[RawMilkVerdictRow],
    products: list[ProductResultRow],
) -> list[NotificationRow]:
    rows = [
        NotificationRow(
            timezone.localtime(d.measured_at).date(),
            _("Deviation: {control}").format(control=d.title),
            d.notification_required,
            d.notified_on,
        )
        for d in deviations
        if d.notification_required or d.notified_on is not None
    ]
    rows += [
        NotificationRow(
            timezone.localtime(r.opened_at).date(),
            _("Recall {number}: {hazard}").format(number=r.number, hazard=r.hazard),
            r.notify_favv,
            r.notified_on,
        )
        for r in recalls or []
        if r.notify_favv or r.notified_on is not None
    ]
    rows += [
        NotificationRow(
            timezone.localtime(v.judged_at).date(),
            _("Raw milk: {parameter} ({milk})").format(parameter=v.parameter, milk=v.milk),
            True,
            None,
        )
        for v in raw_milk
        if v.notify_favv
    ]
    rows += [
        NotificationRow(
            p.sampled_on,
            _("Finished product: {product}, {parameter}").format(
                product=p.product, parameter=p.parameter
            ),
            True,
            None,
        )
        for p in products
        if p.notify_favv
    ]
    return sorted(rows, key=lambda row: row.day)


def build_dossier(
    operator: Operator,
    period: Period,
    made_by: str,
    progress: Callable[[JobStep], None] = lambda step: None,
    now: datetime | None = None,
) -> Dossier:
    """The dossier of `operator` over `period`, worded in the active language."""
    now = now or timezone.now()
    progress(JobStep.RECORDS)
    versions = versions_in_force(operator, period)
    deviations = list(period_deviations(operator, period))
    numbers = {d.registration.plan_version for d in deviations}
    plans = plans_by_number(operator, {n for n in numbers if n is not None})
    fallback = versions[-1].plan if versions else None
    deviation_list = deviation_rows(deviations, plans, fallback)
    raw_milk = raw_milk_verdict_rows(operator, period)
    products = product_result_rows(operator, period)
    recalls: list[RecallRow] | None = None
    mock_recalls: list[MockRecallRow] | None = None
    if apps.is_installed(LOTS_APP):
        from dairyhaccp.web.dossier.sections.recalls import mock_recall_rows, recall_rows

        recalls = recall_rows(operator, period)
        mock_recalls = mock_recall_rows(operator, period)
    controls = control_rows(operator, period, versions, now)
    progress(JobStep.EVIDENCE)
    verification = verify(operator)
    return Dossier(
        cover=cover(operator, period, made_by, now),
        versions=version_rows(versions),
        relaxed=any(v.plan.registration_mode == "non_conformities_only" for v in versions),
        controls=controls,
        deviations=deviation_list,
        raw_milk_results=raw_milk_result_rows(operator, period),
        raw_milk_verdicts=raw_milk,
        product_results=products,
        recalls=recalls,
        mock_recalls=mock_recalls,
        notifications=_notifications(deviation_list, recalls, raw_milk, products),
        retention=retention(versions, period),
        evidence=evidence(verification, timezone.now()),
        plans=[v.plan for v in versions],
    )
