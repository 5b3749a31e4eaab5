"""`{% lot_labels batch %}`: the labels printed for a lot, for the lot's page in records; and
`{{ name|product_title }}`: a product of the plan as the pages name it."""

from __future__ import annotations

from typing import Any

from django import template

from dairyhaccp.web.labels.selectors import prints_of_batch
from dairyhaccp.web.plans.labels import PRODUCT_KIND_LABELS, label
from dairyhaccp.web.records.models import Batch

register = template.Library()


@register.filter
def product_title(name: str) -> str:
    """An unnamed product is stored as its kind: show the kind in words."""
    return label(PRODUCT_KIND_LABELS, name)


@register.inclusion_tag("labels/_lot_labels.html", takes_context=True)
def lot_labels(context: dict[str, Any], batch: Batch) -> dict[str, Any]:
    """The prints of a lot with the label version of each, and a link to print more."""
    return {
        "operator": batch.operator,
        "batch": batch,
        "prints": list(prints_of_batch(batch)[:20]),
        "can_write": context.get("can_write", False),
    }
