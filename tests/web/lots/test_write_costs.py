"""A write to the lots reads only the lots it concerns: its cost does not grow with the other
lots of the operator, and it refuses exactly as a check against the whole graph would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dairyhaccp.web.lots.choices import MovementKind
from dairyhaccp.web.lots.models import Customer
from dairyhaccp.web.lots.selectors import book_of
from dairyhaccp.web.lots.services import (
    InputLine,
    LotError,
    ProductionData,
    correct_production,
    withdraw_input_lot,
)

from .conftest import Chain, at, days_ago, milking, moved, produced

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _other_lots(chain: Chain, owner: User, customer: Customer, count: int, first: int) -> None:
    """`count` more milkings, each made into a yoghurt that is partly delivered."""
    operator = chain.cheese.operator
    for number in range(first, first + count):
        milk = milking(operator, owner, f"M-X{number}", "100", days_ago(8))
        yoghurt = produced(
            operator,
            owner,
            f"Y-X{number}",
            "Roeryoghurt",
            "50",
            "kg",
            days_ago(8),
            [(f"b{milk.batch_id}", "60")],
        )
        moved(
            operator,
            owner,
            MovementKind.DELIVER,
            f"b{yoghurt.batch_id}",
            "5",
            days_ago(6),
            customer,
        )


def _queries(write: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        write()
    return len(captured.captured_queries)


def test_a_movement_costs_the_same_however_many_other_lots_there_are(
    chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator

    def deliver() -> object:
        return moved(
            operator, owner, MovementKind.DELIVER, chain.cheese_key, "1", days_ago(1), customer
        )

    _other_lots(chain, owner, customer, 2, 0)
    few = _queries(deliver)
    _other_lots(chain, owner, customer, 15, 2)
    many = _queries(deliver)

    assert many == few
    assert book_of(operator).left(chain.cheese_key) == Decimal(15)


def test_a_production_costs_the_same_however_many_other_lots_there_are(
    chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator

    def produce(code: str) -> Callable[[], object]:
        return lambda: produced(
            operator, owner, code, "Wei", "10", "l", days_ago(1), [(chain.milk_key, "10")]
        )

    _other_lots(chain, owner, customer, 2, 0)
    few = _queries(produce("W-1"))
    _other_lots(chain, owner, customer, 15, 2)
    many = _queries(produce("W-2"))

    assert many == few


def test_refusals_read_from_the_lots_concerned_name_the_same_quantities(
    chain: Chain, owner: User, customer: Customer
) -> None:
    _other_lots(chain, owner, customer, 3, 0)

    with pytest.raises(LotError) as excinfo:
        moved(
            chain.cheese.operator,
            owner,
            MovementKind.DELIVER,
            chain.cheese_key,
            "17.5",
            days_ago(1),
            customer,
        )

    assert excinfo.value.field == "quantity"
    assert excinfo.value.problem == "17.5 kg is more than what is left of lot K-1: 17 kg."


def test_withdrawing_rennet_a_cheese_used_is_refused_naming_the_rennet(
    chain: Chain, owner: User
) -> None:
    with pytest.raises(LotError) as excinfo:
        withdraw_input_lot(chain.rennet, owner, "entered twice")

    assert excinfo.value.problem == (
        "Lot R-1 is still used by other records: correct or withdraw those first."
    )


def test_a_correction_making_the_milk_from_its_own_cheese_is_refused(
    chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    whey = produced(operator, owner, "W-1", "Wei", "5", "l", days_ago(9), [(chain.cheese_key, "1")])
    milk_day = days_ago(10)

    with pytest.raises(LotError) as excinfo:
        correct_production(
            chain.cheese,
            owner,
            ProductionData(
                kind=chain.cheese.kind,
                lot_code="K-1",
                product="Hoevekaas",
                made_at=at(milk_day, 10),
                quantity=Decimal(30),
                unit="kg",
                inputs=[
                    InputLine(chain.milk_key, Decimal(300)),
                    InputLine(f"b{whey.batch_id}", Decimal(1)),
                ],
            ),
            "whey added",
        )

    assert excinfo.value.problem == "A lot cannot be made from itself."
