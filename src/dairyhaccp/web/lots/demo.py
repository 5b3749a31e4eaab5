"""Demo lots of the demo operator: suppliers, customers, received ingredients, milkings, batches
made from them (a cheese split into wheels), deliveries, sales and a loss; all through the
services, so the lots pages, traces and balances show a small real month. Idempotent: an
operator that has suppliers is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from dairyhaccp.web.lots.choices import CustomerKind, InputKind, MovementKind, ProductionKind
from dairyhaccp.web.lots.models import Customer, InputLot, Supplier
from dairyhaccp.web.lots.services import (
    InputLine,
    MovementInput,
    ProductionData,
    ReceiveInput,
    SubLot,
    receive_lot,
    record_movement,
    record_production,
    save_customer,
    save_supplier,
    split_lot,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import product_choices

SUPPLIERS = (
    ("Kaasmakersbenodigdheden Vlaanderen", "2.071.455.112"),
    ("Zouthandel De Wit", ""),
    ("Verpakkingen Janssens", ""),
)
CUSTOMERS = (
    ("Kaashandel Peeters", CustomerKind.SHOP),
    ("Restaurant De Linde", CustomerKind.RESTAURANT),
    ("Groothandel Versvers", CustomerKind.WHOLESALER),
)
# (supplier index, kind, code, quantity, unit, days ago)
RECEIVED = (
    (0, InputKind.RENNET, "STB-2291", "1", "l", 40),
    (0, InputKind.STARTER, "CHN-22-0815", "0.5", "kg", 40),
    (1, InputKind.SALT, "ZT-1104", "25", "kg", 40),
    (2, InputKind.PACKAGING, "VF-3380", "500", "pieces", 40),
)
# (code, litres, days ago)
MILKINGS = (
    ("M-DEMO-30", "420", 30),
    ("M-DEMO-29", "400", 29),
    ("M-DEMO-16", "410", 16),
    ("M-DEMO-15", "390", 15),
    ("M-DEMO-3", "430", 3),
)


def _at(day: date, hour: int) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return min(moment, timezone.localtime() - timedelta(minutes=5))


def load_lots_demo(operator: Operator, owner: User) -> None:
    """Give the demo operator its lots once; a second run changes nothing."""
    if Supplier.objects.for_operator(operator).exists():
        return
    if records_selectors.operator_plan(operator) is None:
        return
    products = set(product_choices(operator))
    if not {RAW_MILK, "Hoevekaas", "Roeryoghurt", "Hoeveboter"} <= products:
        return
    today = timezone.localdate()
    suppliers = [save_supplier(operator, name, favv_number=number) for name, number in SUPPLIERS]
    customers = [save_customer(operator, name, kind) for name, kind in CUSTOMERS]
    received: dict[str, InputLot] = {}
    for supplier, kind, code, amount, unit, days in RECEIVED:
        received[kind] = receive_lot(
            operator,
            owner,
            ReceiveInput(
                kind=kind,
                supplier_id=suppliers[supplier].pk,
                quantity=Decimal(amount),
                unit=unit,
                received_on=today - timedelta(days=days),
                supplier_lot=code,
                delivery_note=f"LB-{code}",
                date_mark=today + timedelta(days=300),
            ),
        )
    milk: dict[int, str] = {}
    for code, litres, days in MILKINGS:
        production = record_production(
            operator,
            owner,
            ProductionData(
                kind=ProductionKind.MILKING,
                lot_code=code,
                product=RAW_MILK,
                made_at=_at(today - timedelta(days=days), 7),
                quantity=Decimal(litres),
                unit="l",
                species="cow",
            ),
        )
        milk[days] = f"b{production.batch_id}"

    def used(kind: str, amount: str) -> InputLine:
        return InputLine(f"i{received[kind].pk}", Decimal(amount))

    def make(
        code: str, product: str, days: int, amount: str, unit: str, inputs: list[InputLine]
    ) -> str:
        production = record_production(
            operator,
            owner,
            ProductionData(
                kind=ProductionKind.PRODUCTION,
                lot_code=code,
                product=product,
                made_at=_at(today - timedelta(days=days), 10),
                quantity=Decimal(amount),
                unit=unit,
                inputs=inputs,
            ),
        )
        return f"b{production.batch_id}"

    # A cheese from two milkings, with rennet, starter and salt; split into wheels a week on.
    cheese = make(
        "K-DEMO-29",
        "Hoevekaas",
        29,
        "64",
        "kg",
        [
            InputLine(milk[30], Decimal(300)),
            InputLine(milk[29], Decimal(340)),
            used(InputKind.RENNET, "0.15"),
            used(InputKind.STARTER, "0.05"),
            used(InputKind.SALT, "1.5"),
        ],
    )
    yoghurt = make(
        "Y-DEMO-16",
        "Roeryoghurt",
        16,
        "160",
        "pieces",
        [
            InputLine(milk[16], Decimal(80)),
            used(InputKind.STARTER, "0.02"),
            used(InputKind.PACKAGING, "160"),
        ],
    )
    butter = make("B-DEMO-15", "Hoeveboter", 15, "14", "kg", [InputLine(milk[15], Decimal(300))])
    fresh = make(
        "K-DEMO-3",
        "Hoevekaas",
        3,
        "40",
        "kg",
        [
            InputLine(milk[3], Decimal(400)),
            used(InputKind.RENNET, "0.1"),
            used(InputKind.STARTER, "0.04"),
        ],
    )
    wheels = split_lot(
        operator,
        owner,
        Batch.objects.get(operator=operator, pk=int(cheese[1:])),
        _at(today - timedelta(days=22), 9),
        [SubLot("K-DEMO-29-A", Decimal(32)), SubLot("K-DEMO-29-B", Decimal(30))],
    )
    wheel_a, wheel_b = (f"b{wheel.batch_id}" for wheel in wheels)

    def move(
        kind: str,
        key: str,
        amount: str,
        days: int,
        customer: Customer | None = None,
        reason: str = "",
    ) -> None:
        record_movement(
            operator,
            owner,
            MovementInput(
                kind=kind,
                lot=key,
                quantity=Decimal(amount),
                moved_on=today - timedelta(days=days),
                customer_id=customer.pk if customer else None,
                reason=reason,
            ),
        )

    peeters, linde, versvers = customers
    move(MovementKind.DELIVER, wheel_a, "12", 20, peeters)
    move(MovementKind.DELIVER, wheel_a, "8", 12, linde)
    move(MovementKind.SELL, wheel_a, "4.5", 10)
    move(MovementKind.DELIVER, wheel_b, "10", 5, peeters)
    move(MovementKind.DESTROY, cheese, "2", 22, reason="Korst beschadigd bij het keren")
    move(MovementKind.DELIVER, yoghurt, "96", 14, versvers)
    move(MovementKind.SELL, yoghurt, "40", 13)
    move(MovementKind.SELL, butter, "9.5", 12)
    move(MovementKind.DELIVER, butter, "3", 11, linde)
    move(MovementKind.SELL, fresh, "2", 1)
