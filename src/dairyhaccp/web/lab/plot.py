"""Inline SVG plots of the lab pages: raw-milk trends and operating-characteristic curves.

No JavaScript; they print as they show. Texts come in already translated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
INK_SOFT = "#4a5561"
OK, BAD, BRAND, GRID = "#1e6b34", "#a4161a", "#0b5f7a", "#eef1f4"
CURVE_COLOURS = ("#0b5f7a", "#b7791f", "#6b2c91", "#1e6b34")


@dataclass(frozen=True)
class TrendPoint:
    """A single result, and whether it is within the norm."""

    day: date
    value: float
    conform: bool


@dataclass(frozen=True)
class MeanPoint:
    """The rolling geometric mean at a month's end, and whether it was judged."""

    day: date
    value: float
    judged: bool


def _f(number: float) -> str:
    return f"{number:.1f}"


def _count_label(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:g}"


def _frame(label: str) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    return [
        f'<svg class="lab-plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        'stroke="#c9d1d9"/>',
    ]


def trend_svg(
    label: str,
    points: Sequence[TrendPoint],
    means: Sequence[MeanPoint],
    norm: float,
    norm_label: str,
    mean_label: str,
) -> str:
    """Single results (dots) and rolling geometric means (line) on a log scale, with the norm."""
    if not points:
        return ""
    values = [p.value for p in points] + [m.value for m in means] + [norm]
    low = math.floor(math.log10(min(values))) if min(values) > 0 else 0
    high = math.ceil(math.log10(max(values)))
    if high <= low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    days = [p.day for p in points] + [m.day for m in means]
    first, last = min(days).toordinal(), max(days).toordinal()
    span = last - first

    def x(day: date) -> float:
        if span <= 0:
            return LEFT + plot_w / 2
        return LEFT + (day.toordinal() - first) / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - math.log10(value)) / (high - low) * plot_h

    parts = _frame(label)
    for decade in range(low, high + 1):
        value = 10.0**decade
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_f(y(value))}" y2="{_f(y(value))}" '
            f'stroke="{GRID}"/><text x="{LEFT - 6}" y="{_f(y(value) + 4)}" text-anchor="end" '
            f'fill="{INK_SOFT}">{_count_label(value)}</text>'
        )
    parts.append(
        f'<line class="norm" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_f(y(norm))}" '
        f'y2="{_f(y(norm))}" stroke="{BAD}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + plot_w - 4}" y="{_f(y(norm) - 5)}" text-anchor="end" '
        f'fill="{BAD}">{escape(norm_label)}</text>'
    )
    if means:
        path = " ".join(f"{_f(x(m.day))},{_f(y(m.value))}" for m in means)
        parts.append(
            f'<polyline class="mean" points="{path}" fill="none" stroke="{BRAND}" '
            'stroke-width="2"/>'
        )
        for mean in means:
            fill = BRAND if mean.judged else "#fff"
            parts.append(
                f'<rect class="mean-point" x="{_f(x(mean.day) - 4)}" y="{_f(y(mean.value) - 4)}" '
                f'width="8" height="8" fill="{fill}" stroke="{BRAND}" stroke-width="2">'
                f"<title>{escape(mean_label)} {mean.day:%m-%Y}: {_count_label(mean.value)}"
                "</title></rect>"
            )
    for point in points:
        colour = OK if point.conform else BAD
        parts.append(
            f'<circle class="result result-{"ok" if point.conform else "bad"}" '
            f'cx="{_f(x(point.day))}" cy="{_f(y(point.value))}" r="5" fill="{colour}">'
            f"<title>{point.day:%d-%m-%Y}: {_count_label(point.value)}</title></circle>"
        )
    for day, anchor in ((min(days), "start"), (max(days), "end")):
        xpos = LEFT if anchor == "start" else LEFT + plot_w
        parts.append(
            f'<text x="{xpos}" y="{HEIGHT - 14}" text-anchor="{anchor}" fill="{INK_SOFT}">'
            f"{day:%d-%m-%Y}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Curve:
    """An operating characteristic: its legend and (mean log10 count, P(accept)) points."""

    label: str
    points: Sequence[tuple[float, float]]


def oc_svg(
    label: str, curves: Sequence[Curve], marks: Sequence[tuple[float, str]], x_label: str
) -> str:
    """Acceptance probability against the lot's mean log10 count, one line per plan."""
    all_points = [point for curve in curves for point in curve.points]
    if not all_points:
        return ""
    low = min(mu for mu, _ in all_points)
    high = max(mu for mu, _ in all_points)
    if high <= low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(mu: float) -> float:
        return LEFT + (mu - low) / (high - low) * plot_w

    def y(probability: float) -> float:
        return TOP + (1 - probability) * plot_h

    parts = _frame(label)
    for step in range(5):
        probability = step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{_f(y(probability))}" '
            f'y2="{_f(y(probability))}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{_f(y(probability) + 4)}" text-anchor="end" '
            f'fill="{INK_SOFT}">{probability:.0%}</text>'
        )
    for mu, text in marks:
        if low <= mu <= high:
            parts.append(
                f'<line class="limit" x1="{_f(x(mu))}" x2="{_f(x(mu))}" y1="{TOP}" '
                f'y2="{TOP + plot_h}" stroke="{BAD}" stroke-dasharray="6 4"/>'
                f'<text x="{_f(x(mu) + 4)}" y="{TOP + 14}" fill="{BAD}">{escape(text)}</text>'
            )
    for index, curve in enumerate(curves):
        colour = CURVE_COLOURS[index % len(CURVE_COLOURS)]
        path = " ".join(f"{_f(x(mu))},{_f(y(p))}" for mu, p in curve.points)
        parts.append(
            f'<polyline class="curve" points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"><title>{escape(curve.label)}</title></polyline>'
            f'<text x="{LEFT + plot_w - 8}" y="{TOP + plot_h - 10 - 16 * index}" '
            f'text-anchor="end" fill="{colour}">{escape(curve.label)}</text>'
        )
    for mu in range(math.ceil(low), math.floor(high) + 1):
        parts.append(
            f'<text x="{_f(x(mu))}" y="{HEIGHT - 22}" text-anchor="middle" fill="{INK_SOFT}">'
            f"{_count_label(10.0**mu)}</text>"
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 4}" text-anchor="middle" '
        f'fill="{INK_SOFT}">{escape(x_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
