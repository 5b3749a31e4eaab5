"""Fixtures of the plans tests: the wizard's form data and operators with a plan."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.services import save_profile

CHEESE = {
    "kind": "semi_hard_cheese",
    "name": "Hoevekaas",
    "raw_milk": True,
    "packaging": "vacuum",
    "brined": True,
}
YOGHURT = {"kind": "stirred_yoghurt", "name": "Roeryoghurt"}
BUTTER = {"kind": "butter", "name": "Hoeveboter"}


def wizard_data(
    products: list[dict[str, Any]] | None = None,
    *,
    name: str = "Kaasmakerij De Wei",
    relaxations: bool = True,
    own_animals: bool = True,
    buys_raw_milk: bool = False,
    delivers_to_buyers: bool = False,
    species: tuple[str, ...] = ("cow",),
    reason: str = "",
) -> dict[str, Any]:
    """The POST data of the wizard as a browser sends it (unticked boxes are left out)."""
    products = [CHEESE, YOGHURT, BUTTER] if products is None else products
    data: dict[str, Any] = {
        "operator-name": name,
        "milk-species": list(species),
        "products-TOTAL_FORMS": str(len(products)),
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "1000",
        "change-reason": reason,
        "operator-relaxations": "yes" if relaxations else "no",
    }
    flags = {
        "milk-own_animals": own_animals,
        "milk-buys_raw_milk": buys_raw_milk,
        "milk-delivers_to_buyers": delivers_to_buyers,
    }
    data.update({key: "on" for key, ticked in flags.items() if ticked})
    for index, product in enumerate(products):
        prefix = f"products-{index}-"
        data[prefix + "kind"] = product.get("kind", "")
        data[prefix + "name"] = product.get("name", "")
        data[prefix + "packaging"] = product.get("packaging", "none")
        for flag in ("raw_milk", "brined", "frozen", "challenge_test"):
            if product.get(flag):
                data[prefix + flag] = "on"
        for number in ("ph", "aw", "shelf_life_days", "gas_norm_o2_pct", "gas_norm_co2_pct"):
            if number in product:
                data[prefix + number] = str(product[number])
    return data


def demo_profile() -> dict[str, Any]:
    return tomllib.loads(example_profile("demo"))


@pytest.fixture
def planned(operator: Operator, owner: User) -> PlanVersion:
    """The operator with a first plan version made from the demo profile."""
    return save_profile(operator, owner, demo_profile())


@pytest.fixture
def member_client(
    client: Client, operator: Operator, make_member: Callable[..., User]
) -> Callable[[Role], Client]:
    """A client logged in as a new member with the given role."""

    def login(role: Role) -> Client:
        client.force_login(make_member(operator, role, username=f"{role.value}-member"))
        return client

    return login


@pytest.fixture
def auditor_client(member_client: Callable[[Role], Client]) -> Iterator[Client]:
    yield member_client(Role.AUDITOR)
