"""Fixtures of the labels tests: a goat farm with a plan, a lot, and a complete cheese label."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dairyhaccp.web.labels.composing import LabelContent
from dairyhaccp.web.labels.models import LabelVersion
from dairyhaccp.web.labels.services import save_label
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import create_batch

CHEESE = "Geitenkaas"


def goat_profile(name: str = "Geitenhoeve De Bok") -> dict[str, Any]:
    """A farm milking its goats: a raw-milk soft cheese, a yoghurt and cream."""
    return {
        "operator": {"name": name, "relaxations": True},
        "milk": {"own_animals": True, "species": ["goat"]},
        "products": [
            {"kind": "soft_cheese", "name": CHEESE, "raw_milk": True, "shelf_life_days": 30},
            {"kind": "stirred_yoghurt", "name": "Geitenyoghurt"},
            {"kind": "cream", "name": "Room"},
            {"kind": "whey_for_feed", "name": "Wei"},
        ],
    }


def cheese_content(**changes: Any) -> LabelContent:
    """A goat's-milk raw-milk cheese label with every mandatory mention."""
    composition = {
        "species": ["goat"],
        "fat_pct": 24.0,
        "fat_dm_pct": 48.0,
        "shelf_life_days": 30,
        "storage_temperature_c": 6.0,
        "prepacked": True,
        "small_quantities_direct": True,
        "ingredients": [
            {"name": "rauwe geitenmelk", "category": "milk_product"},
            {"name": "zout", "category": "salt"},
            {"name": "stremsel", "category": "enzyme"},
        ],
    }
    composition.update(changes.pop("composition", {}))
    values: dict[str, Any] = {
        "composition": composition,
        "sales_name": CHEESE,
        "language": "nl",
        "mentions": (
            "allergens",
            "storage_conditions",
            "made_with_raw_milk",
            "species",
            "fat_content",
        ),
        "net_quantity": "250 g",
        "operator_address": "Geitenhoeve De Bok, Dorpstraat 1, 9000 Gent",
    }
    values.update(changes)
    return LabelContent(**values)


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # type: ignore[misc]


@pytest.fixture
def farm(operator: Operator, owner: User) -> Operator:
    """The operator of the `operator` fixture with the goat farm's plan."""
    save_profile(operator, owner, goat_profile())
    return operator


@pytest.fixture
def cheese_label(farm: Operator, owner: User) -> LabelVersion:
    """A complete cheese label, in use."""
    return save_label(farm, owner, CHEESE, cheese_content(), in_use=True, reason="First label")


@pytest.fixture
def lot(farm: Operator, owner: User) -> Batch:
    """A lot of the cheese made on 10 January 2026 at 8:00, Brussels time."""
    return create_batch(farm, owner, "GK-0110", CHEESE, started_at=aware(2026, 1, 10, 8, 0))


@pytest.fixture
def staff(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.STAFF)


@pytest.fixture
def auditor(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.AUDITOR)
