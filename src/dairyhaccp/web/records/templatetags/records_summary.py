"""The daily self-check in one glance, for the operator's start page."""

from __future__ import annotations

from typing import Any

from django import template

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors

register = template.Library()


@register.inclusion_tag("records/_summary.html")
def today_summary(operator: Operator) -> dict[str, Any]:
    """Open deviations and overdue checks: what must not be missed."""
    current = selectors.operator_plan(operator)
    overdue = 0
    if current is not None:
        overdue = len(selectors.agenda(operator, current.plan).section("overdue"))
    return {
        "operator": operator,
        "has_plan": current is not None,
        "open_deviations": selectors.open_deviation_count(operator),
        "overdue": overdue,
    }
