"""The editor's POST data as a browser sends it, and the text of a rendered print."""

from __future__ import annotations

import re
from typing import Any

from django.test import RequestFactory

from dairyhaccp.web.labels.composing import LabelContent
from dairyhaccp.web.labels.models import LabelPrint
from dairyhaccp.web.labels.pdf import print_html, render_document

FLAGS = ("prepacked", "small_quantities_direct", "approved_establishment")
NUMBERS = ("fat_pct", "fat_dm_pct", "msnf_pct", "shelf_life_days", "storage_temperature_c")
TEXTS = ("net_quantity", "operator_address", "approval_number", "nutrition", "own_text")


def editor_data(content: LabelContent, layout: str = "a4-3x7", **extra: Any) -> dict[str, Any]:
    """The editor form filled in with `content` (unticked boxes are left out)."""
    composition = content.composition
    data: dict[str, Any] = {
        "language": content.language,
        "sales_name": content.sales_name,
        "species": list(composition.get("species", ["cow"])),
        "mentions": list(content.mentions),
        "layout": layout,
        "reason": "",
    }
    for name in NUMBERS:
        value = composition.get(name)
        data[name] = "" if value is None else str(value)
    for name in FLAGS:
        if composition.get(name, name == "prepacked"):
            data[name] = "on"
    for name in TEXTS:
        data[name] = getattr(content, name)
    ingredients = list(composition.get("ingredients") or [])
    rows = [*ingredients, {}]
    data.update(
        {
            "ing-TOTAL_FORMS": str(len(rows)),
            "ing-INITIAL_FORMS": str(len(rows)),
            "ing-MIN_NUM_FORMS": "0",
            "ing-MAX_NUM_FORMS": "30",
        }
    )
    for index, row in enumerate(rows):
        prefix = f"ing-{index}-"
        data[prefix + "name"] = row.get("name", "")
        data[prefix + "category"] = row.get("category", "other")
        quantity = row.get("quantity_pct")
        data[prefix + "quantity_pct"] = "" if quantity is None else str(quantity)
        if row.get("allergens"):
            data[prefix + "allergens"] = list(row["allergens"])
    data.update(extra)
    return data


def _texts(box: Any) -> list[str]:
    found = []
    text = getattr(box, "text", None)
    if text:
        found.append(text)
    for child in getattr(box, "children", None) or []:
        found.extend(_texts(child))
    return found


def printed_pages(label_print: LabelPrint) -> list[str]:
    """The text WeasyPrint lays out on each page of a print's PDF, one string per page."""
    document = render_document(print_html(RequestFactory().get("/"), label_print))
    return [re.sub(r"\s+", " ", " ".join(_texts(page._page_box))) for page in document.pages]
