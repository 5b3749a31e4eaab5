"""Matching the guide's `when` conditions against an operator's profile and products."""

from __future__ import annotations

from collections.abc import Iterable

from dairyhaccp.guide.models import Condition
from dairyhaccp.profile import ProductSpec, Profile
from dairyhaccp.vocabulary import OPERATOR_CONDITION_KEYS, PRODUCT_CONDITION_KEYS


def _operator_value(profile: Profile, key: str) -> bool:
    values = {
        "home_made_starter": profile.operator.home_made_starter,
        "relaxations": profile.operator.relaxations,
        "own_animals": profile.milk.own_animals,
        "buys_raw_milk": profile.milk.buys_raw_milk,
        "delivers_to_buyers": profile.milk.delivers_to_buyers,
    }
    return values[key]


def _product_value(product: ProductSpec, key: str) -> str | bool:
    values: dict[str, str | bool] = {
        "kind": product.kind,
        "raw_milk": product.raw_milk,
        "packaging": product.packaging,
        "brined": product.brined,
    }
    return values[key]


def _satisfies(actual: str | bool, wanted: bool | list[str]) -> bool:
    if isinstance(wanted, list):
        return actual in wanted
    return actual == wanted


def operator_matches(condition: Condition, profile: Profile) -> bool:
    """Whether the operator-level keys of `condition` hold for the profile."""
    return all(
        _satisfies(_operator_value(profile, key), wanted)
        for key, wanted in condition.items()
        if key in OPERATOR_CONDITION_KEYS
    )


def product_matches(condition: Condition, product: ProductSpec, profile: Profile) -> bool:
    """Whether every key of `condition` holds for this product of this operator."""
    if not operator_matches(condition, profile):
        return False
    return all(
        _satisfies(_product_value(product, key), wanted)
        for key, wanted in condition.items()
        if key in PRODUCT_CONDITION_KEYS
    )


def has_product_keys(condition: Condition) -> bool:
    return any(key in PRODUCT_CONDITION_KEYS for key in condition)


def matching_products(
    condition: Condition, products: Iterable[ProductSpec], profile: Profile
) -> list[ProductSpec]:
    """The products for which `condition` holds."""
    return [p for p in products if product_matches(condition, p, profile)]
