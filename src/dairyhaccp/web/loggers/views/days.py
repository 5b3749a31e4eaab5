"""A logger's day: the readings plotted against the limits, excursions, gaps, versions."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render

from dairyhaccp.loggers import day_window
from dairyhaccp.web.loggers import selectors
from dairyhaccp.web.loggers.constants import DAY_ZONE
from dairyhaccp.web.loggers.models import Device
from dairyhaccp.web.loggers.plot import day_svg
from dairyhaccp.web.loggers.presentation import (
    degrees,
    excursion_rows,
    gap_rows,
    minutes,
    plot_parts,
    verdict_word,
)
from dairyhaccp.web.loggers.services.series import join
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404, operator_view
from dairyhaccp.web.records.models import Deviation

EARLIEST_DAY = date(2000, 1, 1)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Http404("No such day.") from None
    if not EARLIEST_DAY <= day <= date(2199, 12, 31):
        raise Http404("No such day.")
    return day


@operator_view
def day_detail(request: OperatorRequest, device_id: int, day: str) -> HttpResponse:
    """One day of a logger, as judged; the plot shows the current readings."""
    device = get_for_operator_or_404(
        Device.objects.select_related("room"), request.operator, pk=device_id
    )
    when = _day(day)
    versions = selectors.day_versions(device, when)
    around = selectors.day_with_neighbours(device, when)
    if not versions and when not in around:
        raise Http404("No readings on this day.")
    judgements = selectors.day_judgements(device, when)
    judgement = judgements[0] if judgements else None
    window = day_window(when, DAY_ZONE)
    readings = join(around[d] for d in sorted(around))
    inside = readings.between(*window)
    svg, excursions, gaps = "", [], []
    if judgement is not None:
        excursions = excursion_rows(judgement.excursions, when)
        gaps = gap_rows(judgement.gaps, when)
        lines, bands = plot_parts(
            judgement.maximum_c, judgement.ceiling_c, judgement.excursions, judgement.gaps, when
        )
        svg = day_svg(device.name, readings, window, lines, bands)
    else:
        svg = day_svg(device.name, readings, window, [], [])
    deviation = None
    if judgement is not None and judgement.registration is not None:
        deviation = Deviation.objects.filter(
            operator=request.operator, registration__chain=judgement.registration.chain
        ).first()
    return render(
        request,
        "loggers/day.html",
        {
            "operator": request.operator,
            "device": device,
            "day": when,
            "hours": (window[1] - window[0]) // 3600,
            "svg": svg,
            "readings": len(inside),
            "judgement": judgement,
            "verdict_word": verdict_word(judgement.verdict) if judgement else "",
            "maximum": degrees(judgement.maximum_c) if judgement else "",
            "ceiling": degrees(judgement.ceiling_c) if judgement else "",
            "allowed": minutes(judgement.allowed_min * 60) if judgement else "",
            "peak": degrees(judgement.peak_c) if judgement else "",
            "longest": minutes(judgement.longest_excursion_min * 60) if judgement else "",
            "excursions": excursions,
            "gaps": gaps,
            "versions": versions,
            "judgements": judgements,
            "deviation": deviation,
            "waiting": len(inside) - (versions[0].readings if versions else 0),
        },
    )
