"""Every registration of the period as it stands, one line each, for the CSV file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.monitoring.duties import form_order
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections.common import (
    control_title,
    hygiene_title,
    product_words,
    unique,
)
from dairyhaccp.web.dossier.selectors import period_registrations
from dairyhaccp.web.operators.language import guide_text
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.choices import Verdict
from dairyhaccp.web.records.findings import reasons


@dataclass(frozen=True)
class RegistrationLine:
    """One registration (its current version) with its values by parameter."""

    chain: str
    version: int
    measured_at: datetime
    control: str
    title: str
    room: str
    lot: str
    product: str
    category: str
    delivery: str
    values: dict[str, Any]
    verdict: str
    findings: str
    remark: str
    correction_reason: str
    plan_version: int | None
    guide_version: str
    registered_by: str
    registered_at: datetime


def parameters() -> tuple[str, ...]:
    """The measured quantities a registration may hold, in the order forms ask them."""
    return form_order()


def _task_title(plans: list[Plan], task_id: str) -> str:
    for plan in reversed(plans):
        for control in plan.controls:
            for item in control.monitoring:
                if item.id == task_id:
                    return guide_text(item.text)
    return hygiene_title(plans, task_id)


_COLUMNS = (
    "chain",
    "version",
    "measured_at",
    "control_id",
    "task_id",
    "room__name",
    "batch__lot_code",
    "product",
    "category",
    "delivery",
    "values",
    "verdict",
    "findings",
    "remark",
    "correction_reason",
    "plan_version",
    "guide_version",
    "recorded_by__first_name",
    "recorded_by__last_name",
    "recorded_by__username",
    "recorded_at",
)


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def registration_lines(
    operator: Operator, period: Period, plans: list[Plan]
) -> Iterator[RegistrationLine]:
    """The period's registrations, oldest first, read in chunks as plain values."""
    verdicts = {value: str(text) for value, text in Verdict.choices}
    categories = {c.id: guide_text(c.title) for c in load_guide().storage_categories}
    titles: dict[tuple[str, str], str] = {}
    rows = period_registrations(operator, period).values_list(*_COLUMNS)
    for row in rows.iterator(chunk_size=2000):
        item = dict(zip(_COLUMNS, row, strict=True))
        control_id, task_id = item["control_id"], item["task_id"]
        key = (control_id, task_id)
        if key not in titles:
            titles[key] = (
                _task_title(plans, task_id) if task_id else control_title(plans, control_id)
            )
        yield RegistrationLine(
            chain=str(item["chain"]),
            version=item["version"],
            measured_at=item["measured_at"],
            control=control_id,
            title=titles[key],
            room=item["room__name"] or "",
            lot=item["batch__lot_code"] or "",
            product=product_words(item["product"]),
            category=categories.get(item["category"], item["category"]),
            delivery=item["delivery"],
            values=dict(item["values"] or {}),
            verdict=verdicts.get(item["verdict"], ""),
            findings="; ".join(unique(reasons(item["findings"]))) if item["findings"] else "",
            remark=item["remark"],
            correction_reason=item["correction_reason"],
            plan_version=item["plan_version"],
            guide_version=item["guide_version"],
            registered_by=_name(
                item["recorded_by__first_name"],
                item["recorded_by__last_name"],
                item["recorded_by__username"],
            ),
            registered_at=item["recorded_at"],
        )
