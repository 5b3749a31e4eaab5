"""How the editor puts each mandatory mention on a label, and its short title on the pages.

Which mentions a label needs, and what they say, is the core's (`dairyhaccp.labels`). Here is
only how the editor supplies them: some are a field the owner fills in, the lot is on every
print, and every other mention is printed from the core's wording when its box is ticked.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dairyhaccp.labels import load_label_rules
from dairyhaccp.web.operators.language import guide_language

# A mention that is on the label when this field of the editor is filled in.
CONTENT_MENTIONS: dict[str, str] = {
    "name": "sales_name",
    "net_quantity": "net_quantity",
    "operator": "operator_address",
    "identification_mark": "approval_number",
    "nutrition_declaration": "nutrition",
    "date": "shelf_life_days",
}
# Every print carries the lot code (and the date): the owner cannot leave them out.
ALWAYS_PRINTED: frozenset[str] = frozenset({"lot"})
# Printed from the composition rather than from a wording of the core.
INGREDIENTS = "ingredients"

MENTION_TITLES: dict[str, Promise] = {
    "name": _("Sales name"),
    "ingredients": _("List of ingredients"),
    "allergens": _("Allergens"),
    "net_quantity": _("Net quantity"),
    "date": _("Date (use by or best before)"),
    "storage_conditions": _("Storage conditions"),
    "operator": _("Name and address of the business"),
    "lot": _("Lot"),
    "identification_mark": _("Identification mark"),
    "nutrition_declaration": _("Nutrition declaration"),
    "made_with_raw_milk": _("Made with raw milk"),
    "raw_milk_boil_before_use": _("Raw milk, boil before use"),
    "species": _("Species of the milk"),
    "fat_content": _("Fat content"),
    "fat_content_near_name": _("Fat content near the name"),
    "fat_content_after_name": _("Fat content right after the name"),
}


def printed_mentions() -> tuple[str, ...]:
    """The mentions the owner puts on the label by ticking a box, in the order of the rules."""
    return tuple(
        m
        for m in load_label_rules().mention_ids
        if m not in CONTENT_MENTIONS and m not in ALWAYS_PRINTED
    )


def mention_title(mention: str) -> str:
    """The short title of a mention in the page's language (a new rule shows its own text)."""
    title = MENTION_TITLES.get(mention)
    if title is not None:
        return str(title)
    rule = load_label_rules().mention(mention)
    return rule.text.get(guide_language()) if rule.text is not None else str(_("Other mention"))
