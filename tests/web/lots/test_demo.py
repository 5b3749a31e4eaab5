"""The demo dairy's lots: suppliers, customers, received lots, milkings, productions with inputs,
a cheese split into wheels, deliveries and sales; loaded once, the evidence chain intact."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.lots.models import (
    Customer,
    InputLot,
    Movement,
    Production,
    ProductionInput,
    Supplier,
)
from dairyhaccp.web.lots.selectors import book_of
from dairyhaccp.web.operators.models import Operator

pytestmark = pytest.mark.django_db


def _counts(operator: Operator) -> tuple[int, ...]:
    return tuple(
        model.objects.filter(operator=operator).count()
        for model in (Supplier, Customer, InputLot, Production, ProductionInput, Movement)
    )


def test_the_demo_has_lots_from_milk_to_customer_and_loading_twice_adds_nothing() -> None:
    call_command("load_demo", stdout=StringIO())
    operator = Operator.objects.get(slug="hoeve-voorbeeld")
    first = _counts(operator)

    call_command("load_demo", stdout=StringIO())

    assert _counts(operator) == first
    suppliers, customers, received, productions, inputs, movements = first
    assert (suppliers, customers, received) == (3, 3, 4)
    assert productions == 11  # 5 milkings, 4 batches, 2 wheels
    assert inputs > productions
    assert movements == 10
    kinds = set(Movement.objects.filter(operator=operator).values_list("kind", flat=True))
    assert kinds == {"deliver", "sell", "destroy"}
    book = book_of(operator)
    milk = next(key for key, info in book.lots.items() if info.code == "M-DEMO-30")
    trace = book.forward(milk)
    reached = {book.code(lot.code) for lot in trace.lots}
    assert {"K-DEMO-29", "K-DEMO-29-A", "K-DEMO-29-B"} <= reached
    assert {d.customer for d in trace.deliveries} == {"Kaashandel Peeters", "Restaurant De Linde"}
    assert all(row.accounted_pct == 100 for row in trace.balance)
    assert verify(operator).intact
