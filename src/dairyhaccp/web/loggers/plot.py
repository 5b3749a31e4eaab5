"""An inline SVG plot of one day of a logger against its limits (no JavaScript, prints well).

The style follows records/plot.py; a day holds hundreds or thousands of readings, so the series
is one polyline (thinned to the highest and lowest reading per pixel column when longer), the
excursions and gaps are bands behind it, and the limits dashed lines across.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

import numpy as np
import numpy.typing as npt

from dairyhaccp.web.loggers.services.series import ZONE, Readings

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30
VERDICT_COLOURS = {"warning": "#f6e3b4", "deviation": "#f3c4c5"}
GAP_COLOUR = "#e4e7eb"
LINE_COLOURS = {"critical_limit": "#a4161a", "guide_value": "#b7791f"}


@dataclass(frozen=True)
class Band:
    """A stretch of the day to shade: an excursion (by its verdict) or a gap."""

    start_s: int
    end_s: int
    kind: str  # "warning", "deviation" or "gap"
    label: str


@dataclass(frozen=True)
class Line:
    """A horizontal limit."""

    value: float
    label: str
    level: str


def _thinned(
    times: npt.NDArray[np.int64], values: npt.NDArray[np.float64], columns: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """At most two readings per pixel column (its lowest and highest), in time order."""
    if times.size <= 2 * columns:
        return times, values
    bins = np.linspace(times[0], times[-1] + 1, columns + 1)
    index = np.searchsorted(times, bins)
    keep: list[int] = []
    for start, stop in itertools.pairwise(index):
        if stop <= start:
            continue
        part = values[start:stop]
        low, high = start + int(np.argmin(part)), start + int(np.argmax(part))
        keep.extend(sorted({low, high}))
    chosen = np.array(keep, dtype=np.intp)
    return times[chosen], values[chosen]


def _hour_ticks(start_s: int, end_s: int, every_h: int) -> list[int]:
    """Local whole hours in the window, every `every_h` hours of the clock."""
    ticks = []
    moment = start_s - start_s % 3600
    while moment <= end_s:
        local = datetime.fromtimestamp(moment, UTC).astimezone(ZONE)
        if moment >= start_s and local.minute == 0 and local.hour % every_h == 0:
            ticks.append(moment)
        moment += 3600
    return ticks


def day_svg(
    title: str,
    readings: Readings,
    window: tuple[int, int],
    lines: Sequence[Line],
    bands: Sequence[Band],
    *,
    ticks: Sequence[int] | None = None,
    tick_format: str = "%H:%M",
) -> str:
    """The day's readings over its window (23, 24 or 25 hours); "" without readings.
    `ticks`: the times marked on the axis (default: every third local hour)."""
    start_s, end_s = window
    inside = readings.between(start_s, end_s)
    if len(inside) == 0:
        return ""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [float(inside.temperatures_c.min()), float(inside.temperatures_c.max())]
    values += [line.value for line in lines]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or 1.0
    low, high = low - pad, high + pad
    span = end_s - start_s

    def x(seconds: int | float) -> float:
        return LEFT + (min(max(seconds, start_s), end_s) - start_s) / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    label = escape(f"{title} (°C)")
    parts = [
        f'<svg class="loggers-plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{label}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        'stroke="#c9d1d9"/>',
    ]
    for band in bands:
        left, right = x(band.start_s), x(band.end_s)
        colour = GAP_COLOUR if band.kind == "gap" else VERDICT_COLOURS.get(band.kind, GAP_COLOUR)
        parts.append(
            f'<rect class="band band-{escape(band.kind)}" x="{left:.1f}" y="{TOP}" '
            f'width="{max(right - left, 1.5):.1f}" height="{plot_h}" fill="{colour}">'
            f"<title>{escape(band.label)}</title></rect>"
        )
    for step in range(5):
        value = low + (high - low) * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#eef1f4"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#4a5561">'
            f"{value:.3g}</text>"
        )
    for tick in _hour_ticks(start_s, end_s, 3) if ticks is None else ticks:
        local = datetime.fromtimestamp(tick, UTC).astimezone(ZONE)
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            'stroke="#eef1f4"/>'
            f'<text x="{x(tick):.1f}" y="{HEIGHT - 10}" text-anchor="middle" fill="#4a5561">'
            f"{local.strftime(tick_format)}</text>"
        )
    for line in lines:
        colour = LINE_COLOURS.get(line.level, "#a4161a")
        parts.append(
            f'<line class="limit" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(line.value):.1f}" '
            f'y2="{y(line.value):.1f}" stroke="{colour}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + plot_w - 4}" y="{y(line.value) - 4:.1f}" text-anchor="end" '
            f'fill="{colour}">{escape(line.label)}</text>'
        )
    times, temperatures = _thinned(inside.times, inside.temperatures_c, plot_w)
    path = " ".join(
        f"{x(int(t)):.1f},{y(float(v)):.1f}" for t, v in zip(times, temperatures, strict=True)
    )
    parts.append(
        f'<polyline class="series" points="{path}" fill="none" stroke="#0b5f7a" '
        'stroke-width="1.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


# Steps between the time marks of a trace, in seconds; the first giving at most 8 marks.
TRACE_TICK_STEPS = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800)


def trace_svg(title: str, readings: Readings, lines: Sequence[Line], bands: Sequence[Band]) -> str:
    """A pasteuriser trace over its own length, with marks every few seconds or minutes."""
    if len(readings) == 0:
        return ""
    start_s, end_s = int(readings.times[0]), int(readings.times[-1])
    end_s = max(end_s, start_s + 1)
    span = end_s - start_s
    step = next((s for s in TRACE_TICK_STEPS if span / s <= 8), TRACE_TICK_STEPS[-1])
    first = start_s - start_s % step + (step if start_s % step else 0)
    ticks = list(range(first, end_s + 1, step))
    return day_svg(
        title,
        readings,
        (start_s, end_s + 1),
        lines,
        bands,
        ticks=ticks,
        tick_format="%H:%M:%S" if step < 60 else "%H:%M",
    )
