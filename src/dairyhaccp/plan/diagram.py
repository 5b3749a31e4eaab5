"""Flow diagrams as SVG: the steps top to bottom, the CCPs and PVAs marked at their steps."""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape, quoteattr

from dairyhaccp.plan.models import Plan, PlanFlow

BOX_WIDTH = 260
LINE_HEIGHT = 16
STEP_GAP = 26
BADGE_WIDTH = 62
MARGIN = 12
COLUMN_WIDTH = BOX_WIDTH + 2 * BADGE_WIDTH + 3 * MARGIN
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"
CCP_COLOUR = "#b3261e"
PVA_COLOUR = "#9a6700"


def _lines(text: str, width: int = 34) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _step_height(lines: int, controls: int) -> int:
    rows = max(lines, (controls + 1) // 2)
    return rows * LINE_HEIGHT + 14


def _flow_parts(flow: PlanFlow, lang: str, x0: int, marker: str) -> tuple[list[str], int]:
    parts: list[str] = []
    y = MARGIN
    for line in _lines(flow.title.get(lang), 44):
        y += 18
        parts.append(
            f"<text x='{x0 + MARGIN}' y='{y}' font-size='15' font-weight='bold' {FONT}>"
            f"{escape(line)}</text>"
        )
    if flow.reconstructed:
        y += 16
        note = {"nl": "gereconstrueerd", "fr": "reconstitué", "en": "reconstructed"}.get(
            lang, "reconstructed"
        )
        parts.append(
            f"<text x='{x0 + MARGIN}' y='{y}' font-size='11' fill='#555' {FONT}>({note})</text>"
        )
    y += 12
    box_x = x0 + MARGIN
    for index, step in enumerate(flow.steps):
        lines = _lines(step.title.get(lang))
        if step.products:
            lines += _lines("→ " + ", ".join(step.products))
        height = _step_height(len(lines), len(step.controls))
        step_id = quoteattr(f"step-{flow.id}-{step.id}")
        parts.append(f"<g id={step_id} class='step'>")
        dash = " stroke-dasharray='5 3'" if step.justification else ""
        parts.append(
            f"<rect x='{box_x}' y='{y}' width='{BOX_WIDTH}' height='{height}' rx='6' "
            f"fill='#f4f7fb' stroke='#1f3b57'{dash}/>"
        )
        for row, line in enumerate(lines):
            parts.append(
                f"<text x='{box_x + 8}' y='{y + 18 + row * LINE_HEIGHT}' font-size='12' {FONT}>"
                f"{escape(line)}</text>"
            )
        for position, control_id in enumerate(step.controls):
            colour = CCP_COLOUR if control_id.startswith("CCP") else PVA_COLOUR
            bx = box_x + BOX_WIDTH + MARGIN + (position % 2) * (BADGE_WIDTH + 4)
            by = y + 4 + (position // 2) * LINE_HEIGHT
            parts.append(
                f"<g class='control' data-control={quoteattr(control_id)}>"
                f"<rect x='{bx}' y='{by}' width='{BADGE_WIDTH}' height='{LINE_HEIGHT - 2}' "
                f"rx='7' fill='{colour}'/>"
                f"<text x='{bx + BADGE_WIDTH / 2}' y='{by + 11}' font-size='10' fill='#fff' "
                f"text-anchor='middle' font-weight='bold' {FONT}>{escape(control_id)}</text></g>"
            )
        parts.append("</g>")
        if index < len(flow.steps) - 1:
            ax = box_x + BOX_WIDTH / 2
            parts.append(
                f"<line x1='{ax}' y1='{y + height}' x2='{ax}' y2='{y + height + STEP_GAP - 4}' "
                f"stroke='#1f3b57' stroke-width='1.5' marker-end='url(#{marker})'/>"
            )
        y += height + STEP_GAP
    return parts, y


def _defs(marker: str) -> str:
    return (
        f"<defs><marker id={quoteattr(marker)} viewBox='0 0 10 10' refX='9' refY='5' "
        "markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
        "<path d='M 0 0 L 10 5 L 0 10 z' fill='#1f3b57'/></marker></defs>"
    )


def _document(body: list[str], width: int, height: int, title: str, marker: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img'><title>{escape(title)}</title>"
        + _defs(marker)
        + "".join(body)
        + "</svg>"
    )


def flow_svg(flow: PlanFlow, lang: str = "nl", id_prefix: str = "") -> str:
    """One flow as a standalone SVG document; `id_prefix` keeps ids unique on a shared page."""
    marker = f"{id_prefix}arrow"
    parts, height = _flow_parts(flow, lang, 0, marker)
    return _document(parts, COLUMN_WIDTH, height, flow.title.get(lang), marker)


def plan_svg(plan: Plan, lang: str = "nl") -> str:
    """All of the plan's flows side by side in one SVG document."""
    body: list[str] = []
    height = 0
    for column, flow in enumerate(plan.flows):
        parts, flow_height = _flow_parts(flow, lang, column * COLUMN_WIDTH, "arrow")
        body.append(f"<g id={quoteattr('flow-' + flow.id)} class='flow'>{''.join(parts)}</g>")
        height = max(height, flow_height)
    width = max(1, len(plan.flows)) * COLUMN_WIDTH
    return _document(body, width, max(height, 40), plan.operator, "arrow")
