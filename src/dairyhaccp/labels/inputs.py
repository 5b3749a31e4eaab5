"""A label check as JSON-like data (the `label check` lines): checked, with the field at fault.

    {"kind": "stirred_yoghurt", "species": ["cow"], "raw_milk": false, "fat_pct": 3.5,
     "msnf_pct": 9.0, "sales_name": "Volle yoghurt", "prepacked": true,
     "mentions": ["fat_content_near_name", "date", "lot"]}

Besides the contract's fields, every field of Composition may be given (ingredients,
shelf_life_days, storage_temperature_c, approved_establishment, small_quantities_direct).
"""

from __future__ import annotations

from typing import Any

from dairyhaccp.guide.models import Guide
from dairyhaccp.labels.check import check_label
from dairyhaccp.labels.composition import LabelInputError, composition_fields, composition_from_dict
from dairyhaccp.labels.rules import LabelRules

LABEL_FIELDS = ("sales_name", "mentions")


def check_label_data(
    data: Any, lang: str = "nl", *, rules: LabelRules | None = None, guide: Guide | None = None
) -> dict[str, Any]:
    """Check one label given as JSON-like data; the answer as JSON-like data.

    Raises LabelInputError naming the field at fault.
    """
    if not isinstance(data, dict):
        raise LabelInputError("input", "expected a JSON object")
    known = (*composition_fields(), *LABEL_FIELDS)
    for key in data:
        if key not in known:
            shown = key[:60] if key.isidentifier() else repr(key[:60])
            raise LabelInputError(shown, f"unknown field; known: {', '.join(known)}")
    composition = composition_from_dict({k: v for k, v in data.items() if k not in LABEL_FIELDS})
    mentions = data.get("mentions", [])
    if mentions is None:
        mentions = []
    if not isinstance(mentions, list):
        raise LabelInputError("mentions", "expected a list of mention ids")
    check = check_label(
        composition, data.get("sales_name"), mentions, lang, rules=rules, guide=guide
    )
    return check.to_dict()
