"""A small bar chart as inline SVG (no script, no style attribute: the CSP allows neither)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, BAR_AREA, LABEL_WIDTH, ROW = 320, 200, 60, 22


def bar_chart(label: str, bars: Sequence[tuple[str, float | None]], maximum: float) -> SafeString:
    """Horizontal bars, one per (label, value); a missing value gets no bar and a dash."""
    height = ROW * len(bars) + 4
    rows = []
    for index, (name, value) in enumerate(bars):
        y = index * ROW + 2
        width = 0.0 if value is None or maximum <= 0 else BAR_AREA * min(value, maximum) / maximum
        shown = "—" if value is None else number_format(value, decimal_pos=1)
        rows.append(
            format_html(
                '<text x="0" y="{}">{}</text><rect x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text x="{}" y="{}">{}</text>',
                y + 15,
                name,
                LABEL_WIDTH,
                y + 3,
                f"{width:.1f}",
                ROW - 6,
                f"{LABEL_WIDTH + width + 4:.1f}",
                y + 15,
                shown,
            )
        )
    return mark_safe(  # every part above is escaped by format_html
        f'<svg class="bar-chart" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%">{"".join(rows)}</svg>'
    )
