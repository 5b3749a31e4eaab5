"""Quantities and products in words on the lots pages; loaded with `{% load lots_format %}`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from dairyhaccp.web.lots import presentation

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
