"""The "today" dashboard: open deviations, blocked lots, and what is overdue or due."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dairyhaccp.monitoring.schedule import DueStatus
from dairyhaccp.web.lab.selectors import due_analyses
from dairyhaccp.web.operators.access import OperatorRequest, operator_view
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.constants import TODAY_LIST
from dairyhaccp.web.records.presentation import control_title, duty_rows, text

SECTIONS = ("overdue", "today", "week", "later", "done")


def _count(shown: list[Any], queryset: QuerySet[Any]) -> int:
    """How many there are: the rows shown when the list is not cut short, else a count."""
    return len(shown) if len(shown) < TODAY_LIST else queryset.count()


@operator_view
def today(request: OperatorRequest) -> HttpResponse:
    """Everything the cheesemaker must see today; open deviations stay until closed."""
    operator = request.operator
    current = selectors.operator_plan(operator)
    if current is None:
        return render(request, "records/no_plan.html", {"operator": operator})
    agenda = selectors.agenda(operator, current.plan)
    sections = {name: duty_rows(agenda.section(name), operator.slug) for name in SECTIONS}
    analyses = due_analyses(operator, current.plan, timezone.now())
    open_deviations = selectors.open_deviation_heads(operator)
    deviations = [
        (deviation, control_title(current.plan, deviation.control_id))
        for deviation in open_deviations[:TODAY_LIST]
    ]
    blocked = selectors.blocked_lots(operator)
    blocked_shown = list(blocked[: TODAY_LIST + 1])
    return render(
        request,
        "records/today.html",
        {
            "operator": operator,
            "plan": current.plan,
            "relaxed": agenda.relaxed,
            "registration_text": text(current.plan.registration_text),
            "sections": sections,
            "open_deviations": deviations,
            "open_deviation_count": _count(deviations, open_deviations),
            "blocked_lots": blocked_shown[:TODAY_LIST],
            "more_blocked_lots": len(blocked_shown) > TODAY_LIST,
            "day": agenda.day,
            "analyses_overdue": analyses.count(DueStatus.OVERDUE),
            "analyses_due": analyses.count(DueStatus.DUE),
        },
    )
