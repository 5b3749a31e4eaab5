"""The lab's start page (what is due, the latest verdicts), the sampling calendar, the OC curve."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.monitoring.schedule import BRUSSELS
from dairyhaccp.web import compiled
from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.choices import DUE_STATUS_LABELS
from dairyhaccp.web.lab.forms import OcCurveForm
from dairyhaccp.web.lab.presentation import (
    oc_view,
    product_verdict_view,
    raw_milk_view,
    source_label,
    species_label,
    text,
)
from dairyhaccp.web.operators.access import OperatorRequest, operator_view
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.parameters import parameter_label

MONTHS = range(1, 13)


def _last_day(deadline: datetime | None) -> date | None:
    """The last local day of a window that ends (exclusive) at `deadline`."""
    if deadline is None:
        return None
    return (deadline - timedelta(seconds=1)).astimezone(BRUSSELS).date()


def no_plan(request: OperatorRequest) -> HttpResponse:
    return render(request, "lab/no_plan.html", {"operator": request.operator})


@operator_view
def index(request: OperatorRequest) -> HttpResponse:
    """Analyses due and overdue, and the verdict on each raw-milk analysis and recent product."""
    operator = request.operator
    plan = selectors.plan_or_none(operator)
    if plan is None:
        return no_plan(request)
    due = selectors.due_analyses(operator, plan, timezone.now())
    lang = guide_language()
    guide = load_guide()
    families = {family.id: text(family.title) for family in guide.product_families}
    raw_due = [
        {
            "stream": f"{species_label(stream.species)} – {source_label(stream.source)}",
            "parameter": parameter_label(item.parameter),
            "frequency": describe_frequency(item.frequency, lang),
            "status": item.item.status.value if item.item else "",
            "status_label": DUE_STATUS_LABELS[item.item.status.value] if item.item else "",
            "deadline": _last_day(item.item.deadline) if item.item else None,
        }
        for stream, item in due.raw_milk
    ]
    product_due = [
        {
            "family": families.get(family.family, family.family),
            "parameter": parameter_label(item.parameter),
            "product": item.planned_product,
            "frequency": describe_frequency(item.frequency, lang),
            "status": item.item.status.value if item.item else "",
            "status_label": DUE_STATUS_LABELS[item.item.status.value] if item.item else "",
            "deadline": _last_day(item.item.deadline) if item.item else None,
        }
        for family, item in due.products
    ]
    withdrawals = [
        {
            "period": period,
            "status": item.status.value,
            "status_label": DUE_STATUS_LABELS[item.status.value],
        }
        for period, item in due.withdrawals
        if item.status.value != "done"
    ]
    verdicts: list[dict[str, Any]] = [
        {
            "stream": verdict.stream,
            "stream_label": f"{species_label(verdict.stream.species)} – "
            f"{source_label(verdict.stream.source)}",
            "view": raw_milk_view(verdict),
        }
        for verdict in selectors.all_raw_milk_verdicts(operator, plan)
    ]
    recent = [
        (result, product_verdict_view(selectors.product_verdict(result)))
        for result in compiled.instances(
            ("newest product results", operator.pk),
            lambda: selectors.product_results(operator)[:10],
        )
    ]
    return render(
        request,
        "lab/index.html",
        {
            "operator": operator,
            "raw_due": raw_due,
            "product_due": product_due,
            "withdrawals": withdrawals,
            "verdicts": verdicts,
            "stop": [v for v in verdicts if v["view"].stop_use],
            "recent": recent,
            "streams": selectors.milk_streams(plan),
        },
    )


@operator_view
def calendar(request: OperatorRequest) -> HttpResponse:
    """The year's sampling calendar: per family the product to sample in which month."""
    operator = request.operator
    plan = selectors.plan_or_none(operator)
    if plan is None:
        return no_plan(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    guide = load_guide()
    titles = {family.id: text(family.title) for family in guide.product_families}
    rows = [
        {
            "title": titles.get(row.family.family, row.family.family),
            "frequency": describe_frequency(row.family.frequency, guide_language()),
            "cells": [
                {"sample": sample, "sampled": sampled, "month": month}
                for month, sample, sampled in zip(MONTHS, row.months, row.sampled, strict=True)
            ],
            "parameters": [parameter_label(p) for p in row.family.parameters],
        }
        for row in selectors.calendar_rows(operator, plan, year)
    ]
    return render(
        request,
        "lab/calendar.html",
        {
            "operator": operator,
            "year": year,
            "rows": rows,
            "months": [date(year, month, 1) for month in MONTHS],
            "current_month": today.month if today.year == year else None,
        },
    )


@operator_view
def oc_curve(request: OperatorRequest) -> HttpResponse:
    """What a larger number of sub-samples buys: acceptance probability against contamination."""
    operator = request.operator
    plan = selectors.plan_or_none(operator)
    form = OcCurveForm(plan, request.GET or None)
    view = None
    chosen = None
    if form.is_valid():
        data = form.cleaned_data
        criteria = {c.id: c for f in load_guide().product_families for c in f.criteria}
        chosen = criteria.get(data.get("criterion") or "")
        n = data["n"] if data.get("n") is not None else (chosen.n if chosen else 1)
        c = data["c"] if data.get("c") is not None else (chosen.c if chosen else 0)
        m = data["m"] if data.get("m") is not None else (chosen.m if chosen else None)
        upper = data["upper"] if data.get("upper") is not None else (chosen.M if chosen else None)
        if m is not None and c <= n and (upper is None or upper >= m):
            sigma = data.get("sigma") or 0.8
            view = oc_view(n, c, m, upper, sigma, data.get("compare_n"))
    return render(
        request,
        "lab/oc_curve.html",
        {"operator": operator, "form": form, "view": view, "chosen": chosen},
    )
