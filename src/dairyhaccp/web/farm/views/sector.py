"""The sector's page (aggregates only) and a certification body's list of its farms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.choices import Region
from dairyhaccp.web.farm.constants import CERTIFICATE_REMINDER_DAYS, DISTRIBUTION_PERCENTILES
from dairyhaccp.web.farm.csv_export import sector_csv
from dairyhaccp.web.farm.models import SectorSnapshot
from dairyhaccp.web.farm.plot import bar_chart
from dairyhaccp.web.farm.services import refresh_sector_figures
from dairyhaccp.web.farm.views.common import certificate_state, text
from dairyhaccp.web.operators.access import OperatorRequest, require_role
from dairyhaccp.web.operators.choices import Role


def _snapshot(request: OperatorRequest) -> SectorSnapshot:
    snapshot = selectors.latest_snapshot(request.operator)
    return snapshot if snapshot is not None else refresh_sector_figures(request.operator)


def _named(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures with names in the page's language in place of ids."""
    book = selectors.lastenboek()
    modules = {m.id: text(m.name) for m in book.modules}
    modules["preconditions"] = _("Preconditions")
    initiatives = {i.id: text(i.text) for i in book.sustainability.initiatives}
    latest = next((row for row in reversed(figures["years"]) if row["shown"]), None)
    uptake = []
    if latest is not None:
        for initiative, count in sorted(
            latest["by_initiative"].items(), key=lambda item: (-item[1], item[0])
        ):
            uptake.append(
                {
                    "name": initiatives.get(initiative, initiative),
                    "farms": count,
                    "share": 100.0 * count / latest["farms"],
                }
            )
    findings = [
        {
            **row,
            "module_name": modules.get(row["module"], row["module"]),
            "criterion_name": text(book.criterion(row["criterion"]).text)
            if row["criterion"]
            else "",
        }
        for row in figures["open_findings"]
    ]
    regions = dict(_region_names())
    return {
        "years": figures["years"],
        "regions": [
            {**row, "region_name": regions.get(row["region"], row["region"])}
            for row in figures["regions"]
        ],
        "audits": figures["audits"],
        "findings": findings,
        "treatment_days": [_distribution(row) for row in figures["treatment_days"]],
        "uptake_year": latest["year"] if latest else None,
        "uptake": uptake,
    }


def _distribution(row: dict[str, Any]) -> dict[str, Any]:
    """A treatment-day row with its percentiles and zones in a fixed order (JSON keeps none)."""
    if not row["shown"]:
        return row
    return {
        **row,
        "percentiles": [row["percentiles"][str(p)] for p in DISTRIBUTION_PERCENTILES],
        "zones": [row["zones"][zone] for zone in ("green", "yellow", "red")],
    }


def _region_names() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Region.choices]


@require_role(Role.SECTOR)
def sector(request: OperatorRequest) -> HttpResponse:
    """The sector's figures over all farms, never one farm; a small group reads "fewer than N"."""
    snapshot = _snapshot(request)
    figures = snapshot.figures
    named = _named(figures)
    shown_years = [row for row in figures["years"] if row["shown"]]
    certified, initiatives = _("Farms certified (%)"), _("Initiatives per farm")
    charts = [
        (
            certified,
            bar_chart(
                certified,
                [(str(row["year"]), row.get("certified_pct")) for row in figures["years"]],
                100.0,
            ),
        ),
        (
            initiatives,
            bar_chart(
                initiatives,
                [(str(row["year"]), row.get("mean_initiatives")) for row in figures["years"]],
                max((row["mean_initiatives"] for row in shown_years), default=1.0) or 1.0,
            ),
        ),
    ]
    return render(
        request,
        "farm/sector.html",
        {
            "operator": request.operator,
            "snapshot": snapshot,
            "min_farms": figures["min_farms"],
            "named": named,
            "charts": charts,
            "published": selectors.lastenboek().sustainability.published_averages,
        },
    )


@require_role(Role.SECTOR)
def sector_export(request: OperatorRequest) -> HttpResponse:
    """The sector's figures as CSV (long form)."""
    snapshot = _snapshot(request)
    response = HttpResponse(sector_csv(snapshot.figures), content_type="text/csv; charset=utf-8")
    filename = f"sector-figures-{snapshot.computed_at:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_role(Role.SECTOR)
def sector_refresh(request: OperatorRequest) -> HttpResponseBase:
    """Compute the sector's figures again now."""
    if request.method != "POST":
        return redirect("farm:sector", operator_slug=request.operator.slug)
    refresh_sector_figures(request.operator)
    messages.success(request, _("Figures computed again."))
    return redirect("farm:sector", operator_slug=request.operator.slug)


@require_role(Role.AUDITOR)
def body_farms(request: OperatorRequest) -> HttpResponse:
    """A certification body's auditor: the farms that chose this body, with their certificate."""
    body = selectors.body_of(request.operator)
    if body is None:
        raise Http404("Not a certification body.")
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for farm, profile in selectors.farms_of_body(body):
        now = selectors.certificate_now(farm, today)
        rows.append(
            {
                "farm": farm,
                "profile": profile,
                "certificate": now,
                "state": certificate_state(now.status),
            }
        )
    rows.sort(
        key=lambda row: (
            row["certificate"].certificate is None,
            row["certificate"].certificate.expires_on if row["certificate"].certificate else today,
        )
    )
    return render(
        request,
        "farm/body_farms.html",
        {"operator": request.operator, "rows": rows, "remind_days": CERTIFICATE_REMINDER_DAYS},
    )
