"""Translated names of the guide's vocabulary (product kinds, species, parameters, ...).

The vocabulary itself lives in the core (`dairyhaccp.vocabulary`); only its wording for the
user interface is here, next to the other translated strings of the web app.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PRODUCT_KIND_LABELS: dict[str, Promise] = {
    "hard_cheese": _("Hard cheese"),
    "semi_hard_cheese": _("Semi-hard cheese"),
    "soft_cheese": _("Soft cheese"),
    "fresh_cheese": _("Fresh cheese"),
    "stirred_yoghurt": _("Stirred yoghurt"),
    "set_yoghurt": _("Set yoghurt"),
    "fermented_milk": _("Fermented milk"),
    "butter": _("Butter"),
    "buttermilk": _("Buttermilk"),
    "skimmed_milk": _("Skimmed milk"),
    "cream": _("Cream"),
    "pasteurised_milk": _("Pasteurised milk"),
    "milk_drink": _("Milk drink"),
    "whey_for_feed": _("Whey for animal feed"),
}

# What a limit may name besides the operator's products: the medium heated or stored.
MEDIUM_LABELS: dict[str, Promise] = {
    "milk": _("milk"),
    "cream": _("cream for butter"),
    "raw_milk": _("raw milk"),
    "frozen": _("frozen goods"),
}

SPECIES_LABELS: dict[str, Promise] = {
    "cow": _("Cows"),
    "goat": _("Goats"),
    "sheep": _("Sheep"),
    "buffalo": _("Buffaloes"),
    "horse": _("Horses"),
    "donkey": _("Donkeys"),
}

# Table 5.1 has one column for cows and one for all other animals.
OTHER_SPECIES_LABEL = _("Other animals than cows")

PACKAGING_LABELS: dict[str, Promise] = {
    "none": _("Not under vacuum or protective gas"),
    "vacuum": _("Under vacuum"),
    "low_oxygen_atmosphere": _("Under a low-oxygen atmosphere (protective gas)"),
    "modified_atmosphere": _("Under another modified atmosphere (own norm)"),
}

MILK_SOURCE_LABELS: dict[str, Promise] = {
    "own_not_delivered": _("own milk, not delivered to a buyer"),
    "own_delivered": _("own milk, also delivered to a buyer"),
    "bought": _("bought raw milk"),
}

MILK_USE_LABELS: dict[str, Promise] = {
    "any": _("any use"),
    "raw_milk_products": _("for raw-milk products"),
    "heat_treated": _("for heat-treated products"),
}

SITUATION_LABELS: dict[str, Promise] = {
    "general": _("General"),
    "own_milking": _("Milking your own animals"),
    "raw_milk_processing": _("Processing raw milk"),
    "ripening": _("Ripening"),
    "labelling": _("Labelling"),
}

LIMIT_LEVEL_LABELS: dict[str, Promise] = {
    "critical_limit": _("critical limit"),
    "guide_value": _("guide value"),
}

CHANGE_LABELS: dict[str, Promise] = {
    "added": _("added"),
    "removed": _("removed"),
    "changed": _("changed"),
}

DIFF_ITEM_LABELS: dict[str, Promise] = {
    "setting": _("Settings"),
    "flow": _("Process flows"),
    "step": _("Steps"),
    "control": _("CCPs and PVAs"),
    "limit": _("Limits"),
    "action": _("Corrective actions"),
    "analysis": _("Analyses"),
    "label": _("Labelling"),
}

REGISTRATION_MODE_LABELS: dict[str, Promise] = {
    "non_conformities_only": _("Register only what does not conform"),
    "all_checks": _("Register every check"),
}


def label(labels: dict[str, Promise], key: str) -> str:
    """The translated label of `key`, or the key itself when it has none."""
    return str(labels.get(key, key))
