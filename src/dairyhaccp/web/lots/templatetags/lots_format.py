"""Quantities and products in words on the lots pages; loaded with `{% load lots_format %}`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from dairyhaccp.web.date_filter import local_date_writer
from dairyhaccp.web.lots import presentation
from dairyhaccp.web.url_tag import remembered_reverse

register = template.Library()


@register.filter
def qty(value: Decimal | None, unit: str) -> str:
    """`{{ movement.quantity|qty:movement.unit }}` → '12,5 kg'."""
    if value is None:
        return ""
    return presentation.quantity(value, unit)


@register.filter
def product(value: str) -> str:
    """A batch's product or a received lot's kind in words."""
    return presentation.product_label(value)


@register.filter
def kind(value: str) -> str:
    """A movement, input or disposition kind in words."""
    return presentation.kind_label(value)


@register.filter
def lot_key(row: Any) -> str:
    """The URL key of the lot a movement, affected lot or mock recall points at."""
    if getattr(row, "batch_id", None):
        return f"b{row.batch_id}"
    return f"i{row.input_lot_id}"


@register.simple_tag(takes_context=True)
def stock_rows(context: template.Context, rows: Iterable[Any]) -> SafeString:
    """The rows of a stock table (a lot, its product, day, what is left, blocked), as
    `<tr>`s. Written here rather than in a template: a stock list shows dozens, and the
    template took a third of the lots page. A translated literal is not escaped, as the
    template left it."""
    slug = context["operator"].slug
    day = local_date_writer("SHORT_DATE_FORMAT")
    blocked = f'<span class="badge badge-blocked">{gettext("blocked")}</span>'
    found = []
    for row in rows:
        info = row.info
        url = remembered_reverse(context, "lots:lot", {"operator_slug": slug, "key": info.key})
        found.append(
            "\n    <tr>\n"
            f'      <td><a href="{esc(url)}">{esc(info.code)}</a></td>\n'
            f"      <td>{esc(product(info.product))}</td>\n"
            f"      <td>{esc(day(info.day))}</td>\n"
            f'      <td class="number">{esc(qty(row.left, info.unit))}</td>\n'
            f"      <td>{blocked if row.blocked else ''}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(found))


@register.simple_tag(takes_context=True)
def movement_items(context: template.Context, movements: Iterable[Any]) -> SafeString:
    """The latest movements of the lots page, as `<li>`s; written here for the reason of
    `stock_rows`."""
    slug = context["operator"].slug
    day = local_date_writer("SHORT_DATE_FORMAT")
    withdrawn = f" · {gettext('withdrawn')}"
    found = []
    for movement in movements:
        url = remembered_reverse(
            context, "lots:lot", {"operator_slug": slug, "key": lot_key(movement)}
        )
        code = movement.batch.lot_code if movement.batch else movement.input_lot.lot_code
        customer = f" · {esc(movement.customer.name)}" if movement.customer else ""
        found.append(
            f"\n          <li>{esc(day(movement.moved_on))} · {esc(kind(movement.kind))} · "
            f'<a href="{esc(url)}">{esc(code)}</a> · {esc(qty(movement.quantity, movement.unit))}'
            f"{customer}{withdrawn if movement.withdrawn else ''}</li>\n        "
        )
    return mark_safe("".join(found))
