"""Inline SVG plots of measured values against their limits (no JavaScript, prints well)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from dairyhaccp.plan.models import PlanLimit

BRUSSELS = ZoneInfo("Europe/Brussels")
WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 30
COLOURS = {"conform": "#1e6b34", "warning": "#b7791f", "deviation": "#a4161a"}
LINE_COLOURS = {"critical_limit": "#a4161a", "guide_value": "#b7791f"}


@dataclass(frozen=True)
class PlotPoint:
    """One registered value, its verdict, and the value required at that moment (if any)."""

    at: datetime
    value: float
    verdict: str
    required: float | None = None


@dataclass(frozen=True)
class LimitLine:
    """A horizontal limit: its value, a short label, and whether it is critical or a guide value."""

    value: float
    label: str
    level: str


def limit_lines(limits: Sequence[PlanLimit], parameter: str) -> list[LimitLine]:
    """The constant limits of a parameter; limits that depend on the case (an equivalent hold
    time, a storage category) are shown per point as the required value instead."""
    lines: dict[tuple[float, str], LimitLine] = {}
    for limit in limits:
        if limit.parameter != parameter or limit.at_temperature_c is not None:
            continue
        if limit.comparison == "between" and limit.low is not None and limit.high is not None:
            for value, sign in ((limit.low, "≥"), (limit.high, "≤")):
                lines[(value, sign)] = LimitLine(value, f"{sign} {value:g}", limit.level)
        elif limit.value is not None and limit.comparison in ("<", "<=", ">", ">="):
            sign = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[limit.comparison]
            lines[(limit.value, sign)] = LimitLine(
                limit.value, f"{sign} {limit.value:g}", limit.level
            )
    return sorted(lines.values(), key=lambda line: line.value)


def _range(points: Sequence[PlotPoint], lines: Sequence[LimitLine]) -> tuple[float, float]:
    values = [p.value for p in points]
    values += [p.required for p in points if p.required is not None]
    values += [line.value for line in lines]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    return low - pad, high + pad


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def series_svg(
    title: str, unit: str, points: Sequence[PlotPoint], lines: Sequence[LimitLine]
) -> str:
    """An SVG line plot of `points` over time with horizontal limit lines; "" without points."""
    if not points:
        return ""
    low, high = _range(points, lines)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = points[0].at.timestamp(), points[-1].at.timestamp()
    span = last - first

    def x(moment: datetime) -> float:
        if span <= 0:
            return LEFT + plot_w / 2
        return LEFT + (moment.timestamp() - first) / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    label = escape(f"{title} ({unit})" if unit else title)
    parts = [
        f'<svg class="records-plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{label}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        'stroke="#c9d1d9"/>',
    ]
    for step in range(5):
        value = low + (high - low) * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_fmt(y(value))}" y2="{_fmt(y(value))}" '
            'stroke="#eef1f4"/>'
            f'<text x="{LEFT - 6}" y="{_fmt(y(value) + 4)}" text-anchor="end" fill="#4a5561">'
            f"{value:.3g}</text>"
        )
    for line in lines:
        colour = LINE_COLOURS.get(line.level, "#a4161a")
        parts.append(
            f'<line class="limit" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_fmt(y(line.value))}" '
            f'y2="{_fmt(y(line.value))}" stroke="{colour}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + plot_w - 4}" y="{_fmt(y(line.value) - 4)}" text-anchor="end" '
            f'fill="{colour}">{escape(line.label)}</text>'
        )
    path = " ".join(f"{_fmt(x(p.at))},{_fmt(y(p.value))}" for p in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#0b5f7a" stroke-width="2"/>')
    for point in points:
        if point.required is not None:
            parts.append(
                f'<line class="required" x1="{_fmt(x(point.at) - 7)}" '
                f'x2="{_fmt(x(point.at) + 7)}" y1="{_fmt(y(point.required))}" '
                f'y2="{_fmt(y(point.required))}" stroke="#1b1f23" stroke-width="3"/>'
            )
        colour = COLOURS.get(point.verdict, "#1b1f23")
        local = point.at.astimezone(BRUSSELS)
        parts.append(
            f'<circle class="point point-{escape(point.verdict)}" cx="{_fmt(x(point.at))}" '
            f'cy="{_fmt(y(point.value))}" r="5" fill="{colour}">'
            f"<title>{local:%d-%m-%Y %H:%M}: {point.value:g} {escape(unit)}</title></circle>"
        )
    for moment, anchor in ((points[0].at, "start"), (points[-1].at, "end")):
        local = moment.astimezone(BRUSSELS)
        xpos = LEFT if anchor == "start" else LEFT + plot_w
        parts.append(
            f'<text x="{xpos}" y="{HEIGHT - 10}" text-anchor="{anchor}" fill="#4a5561">'
            f"{local:%d-%m-%Y}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
