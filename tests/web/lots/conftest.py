"""Fixtures of the lots tests: a cheese farm with a plan, suppliers, customers, and a small
chain of lots (a milking, rennet, a cheese batch) to trace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.lots.choices import InputKind, MovementKind, ProductionKind
from dairyhaccp.web.lots.models import Customer, InputLot, Movement, Production, Supplier
from dairyhaccp.web.lots.services import (
    InputLine,
    MovementInput,
    ProductionData,
    ReceiveInput,
    receive_lot,
    record_movement,
    record_production,
    save_customer,
    save_supplier,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.plans.services import save_profile

# Own cows, raw-milk cheese with a shelf life, yoghurt; and bought milk for the yoghurt.
FARM_PROFILE: dict[str, Any] = {
    "operator": {"name": "Kaasmakerij De Wei", "relaxations": True},
    "milk": {"own_animals": True, "species": ["cow"], "buys_raw_milk": True},
    "products": [
        {"kind": "semi_hard_cheese", "name": "Hoevekaas", "raw_milk": True, "shelf_life_days": 90},
        {"kind": "stirred_yoghurt", "name": "Roeryoghurt"},
        {"kind": "whey_for_feed", "name": "Wei"},
    ],
}


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def at(day: date, hour: int = 8) -> datetime:
    """`hour` o'clock on `day`, or a minute ago if that is still to come today."""
    moment = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return min(moment, timezone.localtime() - timedelta(minutes=1))


def give_plan(operator: Operator, user: User) -> None:
    save_profile(operator, user, FARM_PROFILE)


@pytest.fixture
def planned(operator: Operator, owner: User) -> Operator:
    give_plan(operator, owner)
    return operator


@pytest.fixture
def staff(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.STAFF)


@pytest.fixture
def auditor(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.AUDITOR)


@pytest.fixture
def auditor_client(client: Client, auditor: User) -> Client:
    client.force_login(auditor)
    return client


@pytest.fixture
def supplier(planned: Operator) -> Supplier:
    return save_supplier(planned, "Chr. Hansen", favv_number="2.100.123")


@pytest.fixture
def customer(planned: Operator) -> Customer:
    return save_customer(planned, "Kaashandel Peeters", "shop", contact="03 123 45 67")


def milking(operator: Operator, user: User, code: str, litres: str, day: date) -> Production:
    return record_production(
        operator,
        user,
        ProductionData(
            kind=ProductionKind.MILKING,
            lot_code=code,
            product="",
            made_at=at(day, 7),
            quantity=Decimal(litres),
            unit="l",
            species="cow",
        ),
    )


def received(
    operator: Operator, user: User, supplier: Supplier, code: str, amount: str, unit: str, day: date
) -> InputLot:
    return receive_lot(
        operator,
        user,
        ReceiveInput(
            kind=InputKind.RENNET,
            supplier_id=supplier.pk,
            quantity=Decimal(amount),
            unit=unit,
            received_on=day,
            lot_code=code,
            supplier_lot=f"S-{code}",
        ),
    )


def produced(
    operator: Operator,
    user: User,
    code: str,
    product: str,
    amount: str,
    unit: str,
    day: date,
    inputs: list[tuple[str, str]],
) -> Production:
    return record_production(
        operator,
        user,
        ProductionData(
            kind=ProductionKind.PRODUCTION,
            lot_code=code,
            product=product,
            made_at=at(day, 10),
            quantity=Decimal(amount),
            unit=unit,
            inputs=[InputLine(lot, Decimal(q)) for lot, q in inputs],
        ),
    )


def moved(
    operator: Operator,
    user: User,
    kind: str,
    key: str,
    amount: str,
    day: date,
    customer: Customer | None = None,
    reason: str = "",
) -> Movement:
    return record_movement(
        operator,
        user,
        MovementInput(
            kind=kind,
            lot=key,
            quantity=Decimal(amount),
            moved_on=day,
            customer_id=customer.pk if customer else None,
            reason=reason,
        ),
    )


@dataclass(frozen=True)
class Chain:
    """Milk M-1 (500 l) and rennet R-1 (1 l) into cheese K-1 (30 kg), 10 kg delivered to the
    shop, 2 kg sold, 1 kg destroyed."""

    milk: Production
    rennet: InputLot
    cheese: Production
    delivery: Movement

    @property
    def milk_key(self) -> str:
        return f"b{self.milk.batch_id}"

    @property
    def cheese_key(self) -> str:
        return f"b{self.cheese.batch_id}"

    @property
    def rennet_key(self) -> str:
        return f"i{self.rennet.pk}"


@pytest.fixture
def chain(planned: Operator, owner: User, supplier: Supplier, customer: Customer) -> Chain:
    milk = milking(planned, owner, "M-1", "500", days_ago(10))
    rennet = received(planned, owner, supplier, "R-1", "1", "l", days_ago(20))
    cheese = produced(
        planned,
        owner,
        "K-1",
        "Hoevekaas",
        "30",
        "kg",
        days_ago(10),
        [(f"b{milk.batch_id}", "300"), (f"i{rennet.pk}", "0.05")],
    )
    key = f"b{cheese.batch_id}"
    delivery = moved(planned, owner, MovementKind.DELIVER, key, "10", days_ago(5), customer)
    moved(planned, owner, MovementKind.SELL, key, "2", days_ago(4))
    moved(planned, owner, MovementKind.DESTROY, key, "1", days_ago(3), reason="mould")
    return Chain(milk, rennet, cheese, delivery)


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}
