"""The forward trace of a milk lot over a dairy with two years of lots, through the web service,
beside the same graph walked by a recursive SQL query written by hand.

The dairy (one seed, the same every run): about 700 milk days (one milking a day), 1 500
batches (cheese, yoghurt and butter made from the milk of their day, a few from two days, and
cheese batches split into sub-lots of wheels), received lots of rennet, starter and salt used by
them, and 10 000 deliveries to 30 customers, plus sales to consumers. The operator, its plan and
its rooms are made by the services (as `manage.py make_heavy_tenant` makes them); the batches by
records' batch service; the lots' rows by the bulk path: each row saved through its model, so
that it is chained in the evidence like every record, in an order and with quantities that keep
every lot within what is left of it. The last deliveries go through `record_movement`, which
checks them against the stored lots. At the end the whole lot graph is built by the trace core
(which refuses any movement beyond what is left, any unknown lot or cycle) and the evidence chain
is verified: both must hold.

Timed, in rounds (p95 and median in ms): the forward trace of a milk lot from the middle of the
two years as the API answers it (`GET /api/lots/{key}/trace?direction=forward`, the same book
and trace the lot's page uses, through Django's whole stack), and a `WITH RECURSIVE` query over
the same tables (current productions and their inputs, then the current deliveries of the lots
reached). Both must find the same lots and the same deliveries (asserted). The ratio is printed:
the service finds the lots reached with one recursive query and reads the rows of only those
lots to answer with balances and stock, the query only walks the lots reached.

`BENCH_DAYS=60 python bench/bench_trace.py` makes a smaller dairy for a quick look.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import benchkit

DAYS = int(os.environ.get("BENCH_DAYS", "700"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
WARM_UP = 2
BATCHES = round(1500 * DAYS / 700)
DELIVERIES = round(10_000 * DAYS / 700)
CUSTOMERS = 30
# Deliveries recorded through the service at the end (the rest by the bulk path).
BY_SERVICE = 20
# Share of the batches that are sub-lots (wheels) of a cheese batch.
SUB_LOT_SHARE = 0.2
SEED = 1778
PRODUCTS = ("Hoevekaas", "Roeryoghurt", "Hoeveboter")
INGREDIENTS = (("rennet", "l", Decimal(20)), ("starter", "kg", Decimal(5)), ("salt", "kg", 50))


# --- the worker (inside one database) -------------------------------------------------------


class _Builder:
    """The dairy's lots, row by row, keeping track of what is left of each lot."""

    def __init__(self, operator: Any, owner: Any, start: date, today: date) -> None:
        self.operator = operator
        self.owner = owner
        self.start = start
        self.today = today
        self.rng = random.Random(SEED)
        self.left: dict[int, Decimal] = {}  # batch id -> what is left
        self.units: dict[int, str] = {}
        self.made_on: dict[int, date] = {}
        self.input_left: dict[int, Decimal] = {}
        self.deliverable: list[int] = []

    def _batch(self, code: str, product: str, day: date) -> Any:
        from django.utils import timezone

        from dairyhaccp.web.records.services import create_batch

        at = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=7))
        return create_batch(self.operator, self.owner, code, product, started_at=at)

    def _production(
        self, batch: Any, kind: str, quantity: Decimal, unit: str, day: date, inputs: list[Any]
    ) -> None:
        from dairyhaccp.web.lots.models import Production, ProductionInput

        production = Production(
            operator=self.operator,
            batch=batch,
            kind=kind,
            quantity=quantity,
            unit=unit,
            made_on=day,
            best_before=day + timedelta(days=90),
            recorded_by=self.owner,
        )
        production.save()
        for source_batch, input_lot, amount in inputs:
            ProductionInput(
                operator=self.operator,
                production=production,
                batch=source_batch,
                input_lot=input_lot,
                quantity=amount,
            ).save()
            if source_batch is not None:
                self.left[source_batch.pk] -= amount
                assert self.left[source_batch.pk] >= 0
            else:
                self.input_left[input_lot.pk] -= amount
                assert self.input_left[input_lot.pk] >= 0
        if inputs:
            batch.made_from.add(
                *[b for b, _i, _a in inputs if b is not None],
                through_defaults={"operator": self.operator},
            )
        self.left[batch.pk] = quantity
        self.units[batch.pk] = unit
        self.made_on[batch.pk] = day

    def suppliers_and_ingredients(self) -> dict[str, list[Any]]:
        """A supplier per ingredient and a lot of it every month."""
        from dairyhaccp.web.lots.models import InputLot, Supplier

        lots: dict[str, list[Any]] = {}
        for kind, unit, quantity in INGREDIENTS:
            supplier = Supplier.objects.create(operator=self.operator, name=f"Leverancier {kind}")
            lots[kind] = []
            for month in range(0, (self.today - self.start).days + 30, 30):
                day = self.start + timedelta(days=month)
                if day > self.today:
                    break
                lot = InputLot(
                    operator=self.operator,
                    lot_code=f"{kind[:2].upper()}-{day:%y%m%d}",
                    kind=kind,
                    supplier=supplier,
                    supplier_lot=f"{kind[:2].upper()}{month}",
                    quantity=Decimal(quantity),
                    unit=unit,
                    received_on=day,
                    best_before=day + timedelta(days=365),
                    recorded_by=self.owner,
                )
                lot.save()
                self.input_left[lot.pk] = Decimal(quantity)
                lots[kind].append(lot)
        return lots

    def days(self, ingredients: dict[str, list[Any]]) -> list[Any]:
        """A milking a day; the day's batches from its milk (some from yesterday's too), with
        the month's ingredients; a share of the cheeses split into wheels."""
        from dairyhaccp.web.lots.choices import ProductionKind
        from dairyhaccp.web.records.constants import RAW_MILK

        milk_days: list[Any] = []
        main_count = round(BATCHES * (1 - SUB_LOT_SHARE))
        sub_count = BATCHES - main_count
        per_day = [0] * DAYS
        for number in range(main_count):
            per_day[number * DAYS // main_count] += 1
        cheeses: list[Any] = []
        yesterday = None
        for index in range(DAYS):
            day = self.start + timedelta(days=index)
            milk = self._batch(f"M-{day:%y%m%d}", RAW_MILK, day)
            volume = Decimal(self.rng.randrange(600, 900))
            self._production(milk, ProductionKind.MILKING, volume, "l", day, [])
            milk_days.append(milk)
            month = index // 30
            for number in range(per_day[index]):
                product = PRODUCTS[(index + number) % len(PRODUCTS)]
                take = (self.left[milk.pk] / (per_day[index] - number + 1)).quantize(Decimal(1))
                inputs: list[Any] = [(milk, None, take)]
                if yesterday is not None and self.rng.random() < 0.1 and self.left[yesterday.pk]:
                    inputs.append((yesterday, None, min(self.left[yesterday.pk], Decimal(40))))
                for kind, _unit, _quantity in INGREDIENTS:
                    lot = ingredients[kind][min(month, len(ingredients[kind]) - 1)]
                    amount = Decimal("0.05")
                    if self.input_left[lot.pk] >= amount:
                        inputs.append((None, lot, amount))
                code = f"{product[:1]}-{day:%y%m%d}-{number}"
                batch = self._batch(code, product, day)
                made = (take / 10).quantize(Decimal("0.1"))
                self._production(batch, ProductionKind.PRODUCTION, made, "kg", day, inputs)
                (cheeses if product == PRODUCTS[0] else self.deliverable).append(batch)
            yesterday = milk
        for number in range(sub_count):
            parent = cheeses[number * len(cheeses) // sub_count]
            day = min(self.made_on[parent.pk] + timedelta(days=30), self.today)
            amount = (self.left[parent.pk] / 2).quantize(Decimal("0.1"))
            batch = self._batch(f"W-{day:%y%m%d}-{number}", PRODUCTS[0], day)
            self._production(
                batch, ProductionKind.PRODUCTION, amount, "kg", day, [(parent, None, amount)]
            )
            self.deliverable.append(batch)
        self.deliverable.extend(cheeses)
        return milk_days

    def deliveries(self, count: int) -> list[tuple[int, Any, Decimal, date]]:
        """Deliveries spread over the lots, each a small share of what is left; a sale to
        consumers now and then. The last `BY_SERVICE` are returned, not stored."""
        from dairyhaccp.web.lots.choices import CustomerKind, MovementKind
        from dairyhaccp.web.lots.models import Customer, Movement

        customers = [
            Customer.objects.create(
                operator=self.operator, name=f"Klant {number:02d}", kind=CustomerKind.SHOP
            )
            for number in range(CUSTOMERS)
        ]
        later: list[tuple[int, Any, Decimal, date]] = []
        lots = self.deliverable
        for number in range(count):
            batch = lots[number * len(lots) // count]
            amount = (self.left[batch.pk] / 4).quantize(Decimal("0.1"))
            if amount <= 0:
                continue
            offset = 1 + number % 20
            day = min(self.made_on[batch.pk] + timedelta(days=offset), self.today)
            customer = customers[self.rng.randrange(CUSTOMERS)]
            self.left[batch.pk] -= amount
            if number >= count - BY_SERVICE:
                later.append((batch.pk, customer, amount, day))
                continue
            Movement(
                operator=self.operator,
                kind=MovementKind.DELIVER,
                batch=batch,
                quantity=amount,
                unit=self.units[batch.pk],
                moved_on=day,
                customer=customer,
                recorded_by=self.owner,
            ).save()
            if number % 7 == 0:
                sold = (self.left[batch.pk] / 10).quantize(Decimal("0.1"))
                if sold > 0:
                    self.left[batch.pk] -= sold
                    Movement(
                        operator=self.operator,
                        kind=MovementKind.SELL,
                        batch=batch,
                        quantity=sold,
                        unit=self.units[batch.pk],
                        moved_on=day,
                        recorded_by=self.owner,
                    ).save()
        return later


def _build() -> dict[str, Any]:
    """The dairy; its operator, owner, milk lots and counts."""
    from django.db import transaction
    from django.utils import timezone

    from dairyhaccp.web.evidence.chain import verify
    from dairyhaccp.web.lots.choices import MovementKind
    from dairyhaccp.web.lots.models import Movement, Production
    from dairyhaccp.web.lots.services import MovementInput, record_movement
    from dairyhaccp.web.lots.services.book import load_book
    from dairyhaccp.web.records.heavy import HeavyDairy

    heavy = HeavyDairy("sporen-hoeve", days=DAYS + 2, batch_count=0, lab_count=0)
    operator, owner, _rooms, _batches = heavy.set_up()
    today = timezone.localdate() - timedelta(days=1)  # every batch starts before now
    builder = _Builder(operator, owner, today - timedelta(days=DAYS), today)
    with transaction.atomic():
        ingredients = builder.suppliers_and_ingredients()
        milk_days = builder.days(ingredients)
        later = builder.deliveries(DELIVERIES)
    for batch_id, customer, amount, day in later:
        record_movement(
            operator,
            owner,
            MovementInput(
                kind=MovementKind.DELIVER,
                lot=f"b{batch_id}",
                quantity=amount,
                moved_on=day,
                customer_id=customer.pk,
            ),
        )
    book = load_book(operator)  # the trace core refuses an inconsistent graph
    checked = verify(operator)
    assert checked.intact, f"the evidence chain does not hold: {checked.broken}"
    productions = Production.objects.filter(operator=operator)
    return {
        "operator": operator,
        "owner": owner,
        "milk": milk_days,
        "milk_days": productions.filter(kind="milking").count(),
        "batches": productions.filter(kind="production").count(),
        "deliveries": Movement.objects.filter(operator=operator, kind="deliver").count(),
        "sales": Movement.objects.filter(operator=operator, kind="sell").count(),
        "received": sum(1 for key in book.lots if key.startswith("i")),
        "links": checked.links,
    }


def _cte_sql() -> str:
    from django.db import connection

    from dairyhaccp.web.lots.models import Customer, Movement, Production, ProductionInput
    from dairyhaccp.web.records.models import Batch

    quote = connection.ops.quote_name
    production = quote(Production._meta.db_table)
    used = quote(ProductionInput._meta.db_table)
    movement = quote(Movement._meta.db_table)
    batch = quote(Batch._meta.db_table)
    customer = quote(Customer._meta.db_table)
    return f"""
        WITH RECURSIVE down(batch_id) AS (
            SELECT CAST(%(start)s AS BIGINT)
            UNION
            SELECT p.batch_id
            FROM down
            JOIN {used} i ON i.batch_id = down.batch_id
            JOIN {production} p ON p.id = i.production_id
            WHERE p.operator_id = %(operator)s AND p.withdrawn = %(no)s
              AND NOT EXISTS (SELECT 1 FROM {production} c WHERE c.corrects_id = p.id)
        )
        SELECT 'lot', b.lot_code, NULL, NULL, NULL
        FROM down JOIN {batch} b ON b.id = down.batch_id
        WHERE down.batch_id <> %(start)s
        UNION ALL
        SELECT 'delivery', b.lot_code, k.name, m.quantity, m.moved_on
        FROM down
        JOIN {movement} m ON m.batch_id = down.batch_id
        JOIN {customer} k ON k.id = m.customer_id
        JOIN {batch} b ON b.id = m.batch_id
        WHERE m.operator_id = %(operator)s AND m.kind = %(deliver)s AND m.withdrawn = %(no)s
          AND NOT EXISTS (SELECT 1 FROM {movement} c WHERE c.corrects_id = m.id)
    """


def _walk(sql: str, operator_id: int, start: int) -> tuple[set[str], list[tuple[Any, ...]]]:
    from django.db import connection

    params = {"start": start, "operator": operator_id, "no": False, "deliver": "deliver"}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    lots = {row[1] for row in rows if row[0] == "lot"}
    deliveries = [row[1:] for row in rows if row[0] == "delivery"]
    return lots, deliveries


def _as_day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def worker() -> None:
    database = benchkit.setup_django()
    from django.db import connection
    from django.test import Client

    from dairyhaccp.web.operators.services import issue_api_token

    started = time.perf_counter()
    made = _build()
    built_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    operator, owner = made["operator"], made["owner"]
    milk = made["milk"][len(made["milk"]) // 2]
    bearer = {"Authorization": f"Bearer {issue_api_token(owner, operator).clear_token}"}
    client = Client()
    url = f"/api/lots/b{milk.pk}/trace?direction=forward"
    sql = _cte_sql()
    web_ms: list[float] = []
    cte_ms: list[float] = []
    answer: dict[str, Any] = {}
    walked: tuple[set[str], list[tuple[Any, ...]]] = (set(), [])
    for round_number in range(WARM_UP + ROUNDS):
        begun = time.perf_counter()
        response = client.get(url, headers=bearer)
        web = time.perf_counter() - begun
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        answer = response.json()
        begun = time.perf_counter()
        walked = _walk(sql, operator.pk, milk.pk)
        cte = time.perf_counter() - begun
        if round_number >= WARM_UP:
            web_ms.append(web * 1000)
            cte_ms.append(cte * 1000)
    web_lots = {lot["lot"] for lot in answer["lots"]}
    cte_lots, cte_deliveries = walked
    assert web_lots == cte_lots, f"the lots differ: {sorted(web_lots ^ cte_lots)}"
    web_set = sorted(
        (d["lot"], d["customer"], Decimal(str(d["quantity"])), d["date"])
        for d in answer["deliveries"]
    )
    cte_set = sorted(
        (lot, customer, Decimal(str(quantity)), _as_day(day))
        for lot, customer, quantity, day in cte_deliveries
    )
    assert web_set == cte_set, "the deliveries differ"
    benchkit.report(
        {
            "database": database,
            "built_s": built_s,
            "milk_days": made["milk_days"],
            "batches": made["batches"],
            "deliveries": made["deliveries"],
            "sales": made["sales"],
            "received": made["received"],
            "links": made["links"],
            "lot": milk.lot_code,
            "lots_reached": len(web_lots),
            "deliveries_reached": len(web_set),
            "web": {"p95": benchkit.p95(web_ms), "median": benchkit.median(web_ms)},
            "cte": {"p95": benchkit.p95(cte_ms), "median": benchkit.median(cte_ms)},
        }
    )


# --- the report -----------------------------------------------------------------------------


def main() -> None:
    results = benchkit.run_workers(__file__)
    print(
        f"Forward trace of a milk lot, a dairy with {DAYS} days of lots; p95 and median of "
        f"{ROUNDS} rounds in ms"
    )
    ran = False
    for backend, figures in results.items():
        if isinstance(figures, str):
            print(f"  {backend}: {figures}")
            continue
        ran = True
        web, cte = figures["web"], figures["cte"]
        print(
            f"  {figures['database']}: {figures['milk_days']} milk days, {figures['batches']} "
            f"batches, {figures['received']} received lots, {figures['deliveries']} deliveries, "
            f"{figures['sales']} sales; made in {figures['built_s']:.0f} s, the lot graph "
            f"consistent and the evidence chain intact ({figures['links']} links)"
        )
        print(
            f"    lot {figures['lot']}: {figures['lots_reached']} lots and "
            f"{figures['deliveries_reached']} deliveries reached, the same by both"
        )
        print(
            f"    {'web service (GET /api/lots/<key>/trace)':44} p95 {web['p95']:8.1f}  "
            f"median {web['median']:8.1f}"
        )
        print(
            f"    {'recursive SQL CTE (reference)':44} p95 {cte['p95']:8.1f}  "
            f"median {cte['median']:8.1f}"
        )
        print(
            f"    ratio web / CTE: p95 {web['p95'] / cte['p95']:.1f}×, "
            f"median {web['median'] / cte['median']:.1f}×"
        )
    if not ran:
        sys.exit("no database could be benchmarked")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
