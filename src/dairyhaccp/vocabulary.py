"""Closed vocabularies shared by the guide data, the profile and the evaluations."""

from __future__ import annotations

PRODUCT_KINDS: tuple[str, ...] = (
    "hard_cheese",
    "semi_hard_cheese",
    "soft_cheese",
    "fresh_cheese",
    "stirred_yoghurt",
    "set_yoghurt",
    "fermented_milk",
    "butter",
    "buttermilk",
    "skimmed_milk",
    "cream",
    "pasteurised_milk",
    "milk_drink",
    "whey_for_feed",
)

# What a CCP limit may name besides a product kind: the medium heated or stored.
MEDIA: tuple[str, ...] = ("milk", "cream", "raw_milk", "frozen")

SPECIES: tuple[str, ...] = ("cow", "goat", "sheep", "buffalo", "horse", "donkey")

PACKAGING: tuple[str, ...] = ("none", "vacuum", "low_oxygen_atmosphere", "modified_atmosphere")

# What a room or piece of equipment is; rooms carry the periodic checks.
ROOM_KINDS: tuple[str, ...] = (
    "ripening_room",
    "cold_room",
    "freezer",
    "shop_cabinet",
    "brine_bath",
    "milk_tank",
    "production_room",
    "other",
)

UNITS: frozenset[str] = frozenset(
    {
        "°C",
        "s",
        "min",
        "h",
        "pH",
        "%RH",
        "°Bé",
        "%",
        "bool",
        "cm",
        "count",
        "cfu/g",
        "cfu/ml",
        "/ml",
        "",
    }
)

COMPARISONS: frozenset[str] = frozenset({"<", "<=", ">", ">=", "==", "between", "is_true"})

EVENTS: frozenset[str] = frozenset(
    {
        "production",
        "delivery",
        "collection",
        "use",
        "preparation",
        "packing",
        "service_start",
        "withdrawal_period_end",
        "doubt",
        "deviation",
        "new_method",
        "gas_change",
        "churning",
        "milking",
        "ensiling",
        "receipt",
    }
)

PERIODS: frozenset[str] = frozenset({"day", "week", "month", "year"})

PRODUCT_CONDITION_KEYS: frozenset[str] = frozenset({"kind", "raw_milk", "packaging", "brined"})
OPERATOR_CONDITION_KEYS: frozenset[str] = frozenset(
    {"home_made_starter", "own_animals", "buys_raw_milk", "delivers_to_buyers", "relaxations"}
)
CONDITION_KEYS: frozenset[str] = PRODUCT_CONDITION_KEYS | OPERATOR_CONDITION_KEYS
