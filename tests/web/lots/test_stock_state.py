"""What is left of each lot is kept as lots are written: stock lists read the lots in stock and
the lots changed since, not the history, and say what the whole lot book says."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.web.evidence.purge import PurgePlan, records_purged
from dairyhaccp.web.lots.choices import InputKind, MovementKind, ProductionKind
from dairyhaccp.web.lots.models import Customer, LotStock, Movement, StockChange, Supplier
from dairyhaccp.web.lots.presentation import product_label, quantity
from dairyhaccp.web.lots.selectors import book_of, in_stock, recent_movements, stock
from dairyhaccp.web.lots.services import (
    InputLine,
    MovementInput,
    ProductionData,
    ReceiveInput,
    SubLot,
    correct_input_lot,
    correct_movement,
    correct_production,
    split_lot,
    withdraw_input_lot,
    withdraw_movement,
    withdraw_production,
)
from dairyhaccp.web.lots.services import stock as stock_module
from dairyhaccp.web.lots.services.stock import refresh_stock, whole_ledger
from dairyhaccp.web.lots.views.common import all_lot_choices, lot_choices
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch

from .conftest import Chain, at, days_ago, milking, moved, produced, received

pytestmark = pytest.mark.django_db


def _whole_book_stock(operator: Operator) -> dict[str, Decimal]:
    book = book_of(operator)
    return {key: book.left(key) for key in book.lots if book.left(key) > 0}


def _assert_kept_as_the_book_says(operator: Operator) -> None:
    book = book_of(operator)
    ledger = in_stock(operator)
    assert {key: ledger.left(key) for key in ledger.lots} == _whole_book_stock(operator)
    for key, info in ledger.lots.items():
        assert info == book.info(key)
    every = whole_ledger(operator)
    assert set(every.lots) == set(book.lots)
    assert {key: every.left(key) for key in every.lots} == {k: book.left(k) for k in book.lots}
    assert not StockChange.objects.filter(operator=operator).exists()


def test_the_stock_kept_follows_every_kind_of_write(
    chain: Chain, owner: User, supplier: Supplier, customer: Customer
) -> None:
    operator = chain.cheese.operator
    cheese, milk, rennet = chain.cheese_key, chain.milk_key, chain.rennet_key
    steps: list[Callable[[], Any]] = []
    made: dict[str, Any] = {}

    def step(write: Callable[[], Any]) -> None:
        steps.append(write)

    step(
        lambda: made.setdefault(
            "salt", received(operator, owner, supplier, "Z-1", "5", "kg", days_ago(9))
        )
    )
    step(lambda: made.setdefault("milk2", milking(operator, owner, "M-2", "200", days_ago(7))))
    step(
        lambda: made.setdefault(
            "yoghurt",
            produced(
                operator,
                owner,
                "Y-1",
                "Roeryoghurt",
                "40",
                "kg",
                days_ago(7),
                [(f"b{made['milk2'].batch_id}", "200"), (f"i{made['salt'].pk}", "1")],
            ),
        )
    )
    step(
        lambda: made.setdefault(
            "sale",
            moved(
                operator,
                owner,
                MovementKind.SELL,
                f"b{made['yoghurt'].batch_id}",
                "40",
                days_ago(6),
            ),
        )
    )
    # The sale was of the cheese, and smaller: the yoghurt is back in stock, the cheese less.
    step(
        lambda: made.__setitem__(
            "sale",
            correct_movement(
                made["sale"],
                owner,
                MovementInput(
                    kind=MovementKind.SELL, lot=cheese, quantity=Decimal(3), moved_on=days_ago(6)
                ),
                "wrong lot",
            ),
        )
    )
    step(lambda: withdraw_movement(made["sale"], owner, "never happened"))
    step(lambda: moved(operator, owner, MovementKind.COUNT, cheese, "4", days_ago(2)))
    # The cheese used less milk: milk comes back; then it is taken out altogether.
    step(
        lambda: made.__setitem__(
            "cheese",
            correct_production(
                chain.cheese,
                owner,
                ProductionData(
                    kind=ProductionKind.PRODUCTION,
                    lot_code="K-1",
                    product="Hoevekaas",
                    made_at=at(days_ago(10), 10),
                    quantity=Decimal(30),
                    unit="kg",
                    inputs=[InputLine(milk, Decimal(250)), InputLine(rennet, Decimal("0.05"))],
                ),
                "less milk",
            ),
        )
    )
    step(
        lambda: correct_input_lot(
            made["salt"],
            owner,
            ReceiveInput(
                kind=InputKind.RENNET,
                supplier_id=supplier.pk,
                quantity=Decimal(8),
                unit="kg",
                received_on=days_ago(9),
                lot_code="Z-1",
                supplier_lot="S-Z-1",
            ),
            "8 kg delivered",
        )
    )
    step(
        lambda: made.setdefault(
            "unused", received(operator, owner, supplier, "Z-2", "1", "kg", days_ago(3))
        )
    )
    step(lambda: withdraw_input_lot(made["unused"], owner, "entered twice"))
    step(
        lambda: split_lot(
            operator,
            owner,
            Batch.objects.get(pk=made["yoghurt"].batch_id),
            at(days_ago(5), 9),
            [SubLot("Y-1-A", Decimal(20)), SubLot("Y-1-B", Decimal(15))],
        )
    )
    step(
        lambda: made.setdefault(
            "butter",
            produced(
                operator,
                owner,
                "Y-3",
                "Roeryoghurt",
                "2",
                "kg",
                days_ago(4),
                [(f"i{made['salt'].pk}", "2")],
            ),
        )
    )
    # Taken out: the salt it used is free again.
    step(lambda: withdraw_production(made["butter"], owner, "entered twice"))

    _assert_kept_as_the_book_says(operator)
    for write in steps:
        write()
        _assert_kept_as_the_book_says(operator)


def test_a_stock_list_reads_the_lots_in_stock_not_those_sold_long_ago(
    chain: Chain, owner: User, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = chain.cheese.operator
    for number in range(12):
        milk = milking(operator, owner, f"M-S{number}", "100", days_ago(9))
        moved(
            operator,
            owner,
            MovementKind.DESTROY,
            f"b{milk.batch_id}",
            "100",
            days_ago(9),
            reason="sour",
        )
    assert refresh_stock(operator) > 12
    assert refresh_stock(operator) == 0  # nothing written since: nothing worked out again

    keys_read: list[set[str]] = []
    lot_infos = stock_module.lot_infos

    def recording(operator: Operator, keys: Any = None) -> Any:
        keys_read.append(set(keys) if keys is not None else {"every lot"})
        return lot_infos(operator, keys)

    monkeypatch.setattr(stock_module, "lot_infos", recording)
    ledger = in_stock(operator)
    assert keys_read == [set(_whole_book_stock(operator))]
    assert set(ledger.lots) == {chain.milk_key, chain.rennet_key, chain.cheese_key}

    # One delivery later, the next read works out that lot alone.
    moved(operator, owner, MovementKind.DELIVER, chain.cheese_key, "1", days_ago(1), customer)
    assert StockChange.objects.filter(operator=operator).count() == 1
    assert refresh_stock(operator) == 1


def test_lot_pages_and_the_api_list_what_the_whole_book_has_in_stock(
    client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    gone = milking(operator, owner, "M-GONE", "50", days_ago(9))
    moved(
        operator, owner, MovementKind.DESTROY, f"b{gone.batch_id}", "50", days_ago(9), reason="sour"
    )
    client.force_login(owner)
    page = client.get(reverse("lots:index", kwargs={"operator_slug": operator.slug}))
    text = page.content.decode()
    stock = text[text.index('id="stock"') : text.index('aria-labelledby="movements"')]
    assert "K-1" in stock and "M-1" in stock and "M-GONE" not in stock
    deliver = client.get(reverse("lots:deliver", kwargs={"operator_slug": operator.slug}))
    assert chain.cheese_key in deliver.content.decode()
    assert f'value="b{gone.batch_id}"' not in deliver.content.decode()
    count = client.get(reverse("lots:count", kwargs={"operator_slug": operator.slug}))
    assert f'value="b{gone.batch_id}"' in count.content.decode()  # any lot can be counted


def test_a_production_correction_offers_what_it_used_though_nothing_is_left(
    client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    yoghurt = produced(
        operator, owner, "Y-2", "Roeryoghurt", "20", "kg", days_ago(8), [(chain.milk_key, "200")]
    )
    used_up = milking(operator, owner, "M-USED", "40", days_ago(8))
    moved(
        operator,
        owner,
        MovementKind.DESTROY,
        f"b{used_up.batch_id}",
        "40",
        days_ago(8),
        reason="sour",
    )
    assert book_of(operator).left(chain.milk_key) == 0
    client.force_login(owner)
    page = client.get(
        reverse(
            "lots:correct-lot",
            kwargs={"operator_slug": operator.slug, "key": f"b{yoghurt.batch_id}"},
        )
    )
    text = page.content.decode()
    assert f'value="{chain.milk_key}"' in text  # used by it, nothing left
    assert f'value="{chain.rennet_key}"' in text  # in stock
    assert f'value="b{used_up.batch_id}"' not in text  # neither


def test_rows_added_in_bulk_note_their_lots(chain: Chain, owner: User) -> None:
    operator = chain.cheese.operator
    refresh_stock(operator)
    template = chain.delivery
    Movement.objects.bulk_create(
        [
            replace_movement(template, kind=MovementKind.DESTROY, customer=None, reason="x")
            for _ in range(2)
        ]
    )
    assert set(StockChange.objects.filter(operator=operator).values_list("key", flat=True)) == {
        chain.cheese_key
    }
    _assert_kept_as_the_book_says(operator)


def replace_movement(movement: Movement, **changes: Any) -> Movement:
    fields = {
        f.name: getattr(movement, f.name)
        for f in Movement._meta.concrete_fields
        if not f.primary_key and f.name not in ("chain", "corrects")
    }
    fields.update(quantity=Decimal(1), **changes)
    return Movement(**fields)


def test_a_purge_of_lot_records_has_every_lot_worked_out_again(chain: Chain) -> None:
    operator = chain.cheese.operator
    refresh_stock(operator)
    records_purged.send(PurgePlan, operator=operator, tables=frozenset({"lots_movement"}))
    noted = set(StockChange.objects.filter(operator=operator).values_list("key", flat=True))
    assert noted == set(book_of(operator).lots)
    records_purged.send(PurgePlan, operator=operator, tables=frozenset({"records_registration"}))
    assert StockChange.objects.filter(operator=operator).count() == len(noted)
    _assert_kept_as_the_book_says(operator)


def test_lots_stored_before_the_stock_was_kept_are_worked_out_at_the_first_read(
    chain: Chain,
) -> None:
    operator = chain.cheese.operator
    StockChange.objects.filter(operator=operator).delete()
    LotStock.objects.filter(operator=operator).delete()
    migration = __import__(
        "dairyhaccp.web.lots.migrations.0003_lot_stock", fromlist=["note_every_lot"]
    )
    migration.note_every_lot(django_apps, None)
    _assert_kept_as_the_book_says(operator)
    assert LotStock.objects.filter(operator=operator).count() == len(book_of(operator).lots)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_pick_list_labels_say_what_each_lot_alone_would(
    chain: Chain, owner: User, language: str
) -> None:
    operator = chain.cheese.operator
    for number in range(3):
        milking(operator, owner, f"M-L{number}", "100.500", days_ago(number))
    every = whole_ledger(operator)
    with translation.override(language):
        rows = stock(every, set(), in_stock_only=False)
        expected = [
            (
                row.info.key,
                " · ".join(
                    [
                        row.info.code,
                        product_label(row.info.product),
                        _("{quantity} left").format(quantity=quantity(row.left, row.info.unit)),
                        date_format(row.info.day, "SHORT_DATE_FORMAT"),
                    ]
                ),
            )
            for row in rows
        ]
        assert lot_choices(rows) == expected
        assert all_lot_choices(every) == expected


def test_the_latest_movements_are_read_in_order_from_their_index(chain: Chain) -> None:
    latest = recent_movements(chain.cheese.operator)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # with the few rows of a test, what a table of years would decide
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    plan = str(latest.explain())

    assert "lots_movement_op_recorded" in plan
    assert "TEMP B-TREE" not in plan.upper()
    assert [m.pk for m in latest] == [
        chain.delivery.pk + 2,
        chain.delivery.pk + 1,
        chain.delivery.pk,
    ]
