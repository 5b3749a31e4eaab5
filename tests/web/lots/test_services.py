"""The lots services: movements checked against the whole lot graph, corrections as versions,
traces, recalls with their duty to notify, blocking and closing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from dairyhaccp.web.lots.choices import ProductionKind
from dairyhaccp.web.lots.models import Customer, InputLot, Movement, Recall, Supplier
from dairyhaccp.web.lots.selectors import blocked_keys, book_of
from dairyhaccp.web.lots.services import (
    InputLine,
    LotError,
    MovementInput,
    ProductionData,
    RecallInput,
    ReceiveInput,
    close_recall,
    correct_movement,
    correct_production,
    open_recall,
    receive_lot,
    record_disposition,
    record_recall_event,
    run_mock_recall,
    save_customer,
    save_supplier,
    withdraw_movement,
    withdraw_production,
)
from dairyhaccp.web.operators.models import AppendOnlyError
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.selectors import blocked_lots

from .conftest import Chain, at, days_ago, milking, moved, produced, received

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English, numbers as English writes them."""
    with translation.override("en"):
        yield


def test_the_book_balances_the_chain(chain: Chain) -> None:
    book = book_of(chain.cheese.operator)

    milk = book.balance(chain.milk_key)
    cheese = book.balance(chain.cheese_key)

    assert (milk.received, milk.used, milk.in_stock) == (500, 300, 200)
    assert (cheese.delivered, cheese.sold, cheese.destroyed, cheese.in_stock) == (10, 2, 1, 17)
    assert cheese.accounted_pct == Decimal("100.0")


def error_of(excinfo: pytest.ExceptionInfo[LotError]) -> tuple[str, str]:
    return excinfo.value.field, excinfo.value.problem


def test_a_delivery_beyond_what_is_left_is_refused_naming_the_quantity(
    chain: Chain, owner: User, customer: Customer
) -> None:
    with pytest.raises(LotError) as excinfo:
        moved(
            chain.cheese.operator, owner, "deliver", chain.cheese_key, "17.5", days_ago(1), customer
        )

    field, problem = error_of(excinfo)
    assert field == "quantity"
    assert "17.5 kg" in problem and "K-1" in problem and "17 kg" in problem
    assert Movement.objects.filter(kind="deliver").count() == 1


def test_what_is_left_may_be_delivered_to_the_last_gram(
    chain: Chain, owner: User, customer: Customer
) -> None:
    moved(chain.cheese.operator, owner, "deliver", chain.cheese_key, "17", days_ago(1), customer)

    assert book_of(chain.cheese.operator).left(chain.cheese_key) == 0


def test_a_production_using_more_milk_than_is_left_names_its_input_line(
    chain: Chain, owner: User
) -> None:
    with pytest.raises(LotError) as excinfo:
        produced(
            chain.cheese.operator,
            owner,
            "Y-1",
            "Roeryoghurt",
            "100",
            "kg",
            days_ago(2),
            [(chain.rennet_key, "0.01"), (chain.milk_key, "250")],
        )

    field, problem = error_of(excinfo)
    assert field == "inputs[1].quantity"
    assert "250 l" in problem and "M-1" in problem and "200 l" in problem
    # nothing of the refused production stays behind, not even its batch
    assert not Batch.objects.filter(lot_code="Y-1").exists()


def test_a_movement_before_the_lot_was_made_is_refused_on_its_date(
    chain: Chain, owner: User
) -> None:
    with pytest.raises(LotError) as excinfo:
        moved(chain.cheese.operator, owner, "sell", chain.cheese_key, "1", days_ago(11))

    assert error_of(excinfo)[0] == "moved_on"


def test_a_movement_before_the_business_started_is_refused_on_its_date(
    chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    operator.active_since = days_ago(2)
    operator.save(update_fields=["active_since"])

    with pytest.raises(LotError) as excinfo:
        moved(operator, owner, "sell", chain.cheese_key, "1", days_ago(3))

    assert error_of(excinfo)[0] == "moved_on"
    assert "before the business started" in error_of(excinfo)[1]
    moved(operator, owner, "sell", chain.cheese_key, "1", days_ago(2))


def test_a_production_before_its_milk_was_milked_is_refused_on_its_date(
    chain: Chain, owner: User
) -> None:
    with pytest.raises(LotError) as excinfo:
        produced(
            chain.cheese.operator,
            owner,
            "Y-2",
            "Roeryoghurt",
            "10",
            "kg",
            days_ago(12),
            [(chain.milk_key, "10")],
        )

    field, problem = error_of(excinfo)
    assert field == "made_at" and "M-1" in problem


def test_a_cheese_from_a_tank_split_over_two_batches_and_its_whey_for_feed(
    chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    second = produced(
        operator, owner, "K-2", "Hoevekaas", "20", "kg", days_ago(9), [(chain.milk_key, "200")]
    )
    whey = produced(
        operator, owner, "W-1", "Wei", "150", "l", days_ago(9), [(f"b{second.batch_id}", "15")]
    )

    book = book_of(operator)
    forward = book.forward(chain.milk_key)
    assert {book.code(lot.code) for lot in forward.lots} == {"K-1", "K-2", "W-1"}
    assert book.left(chain.milk_key) == 0
    backward = book.backward(f"b{whey.batch_id}")
    assert {book.code(lot.code) for lot in backward.lots} == {"K-2", "M-1"}
    # records' batch keeps knowing what it was made from
    assert list(whey.batch.made_from.all()) == [second.batch]


def test_backward_from_the_cheese_reaches_the_milk_and_the_suppliers_rennet(
    chain: Chain,
) -> None:
    book = book_of(chain.cheese.operator)

    backward = book.backward(chain.cheese_key)

    suppliers = {book.code(lot.code): lot.supplier for lot in backward.lots}
    assert suppliers == {"M-1": None, "R-1": "Chr. Hansen"}


def test_a_delivery_is_corrected_by_a_new_version_with_the_reason(
    chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    corrected = correct_movement(
        chain.delivery,
        owner,
        MovementInput(
            kind="deliver",
            lot=chain.cheese_key,
            quantity=Decimal("12"),
            moved_on=days_ago(5),
            customer_id=customer.pk,
        ),
        "weighed again: 12 kg",
    )

    assert (corrected.version, corrected.corrects_id) == (2, chain.delivery.pk)
    assert corrected.correction_reason == "weighed again: 12 kg"
    assert Movement.objects.filter(chain=chain.delivery.chain).count() == 2
    assert book_of(operator).balance(chain.cheese_key).delivered == 12
    with pytest.raises(AppendOnlyError):
        chain.delivery.delete()


def test_a_corrected_version_must_start_from_the_latest(
    chain: Chain, owner: User, customer: Customer
) -> None:
    data = MovementInput(
        kind="deliver",
        lot=chain.cheese_key,
        quantity=Decimal("9"),
        moved_on=days_ago(5),
        customer_id=customer.pk,
    )
    correct_movement(chain.delivery, owner, data, "typo")

    with pytest.raises(LotError) as excinfo:
        correct_movement(chain.delivery, owner, data, "typo again")

    assert error_of(excinfo)[0] == "correction_reason"


def test_a_correction_is_refused_without_a_reason(chain: Chain, owner: User) -> None:
    with pytest.raises(LotError) as excinfo:
        withdraw_movement(chain.delivery, owner, "  ")

    assert error_of(excinfo)[0] == "correction_reason"


def test_lowering_a_yield_below_what_left_the_lot_is_refused(chain: Chain, owner: User) -> None:
    data = ProductionData(
        kind=ProductionKind.PRODUCTION,
        lot_code="K-1",
        product="Hoevekaas",
        made_at=at(days_ago(10), 10),
        quantity=Decimal("12"),
        unit="kg",
        inputs=[
            InputLine(chain.milk_key, Decimal("300")),
            InputLine(chain.rennet_key, Decimal("0.05")),
        ],
    )

    with pytest.raises(LotError) as excinfo:
        correct_production(chain.cheese, owner, data, "weighed again")

    field, problem = error_of(excinfo)
    assert field == "quantity" and "K-1" in problem and "13 kg" in problem


def test_a_yield_is_corrected_with_its_inputs(chain: Chain, owner: User) -> None:
    data = ProductionData(
        kind=ProductionKind.PRODUCTION,
        lot_code="K-1",
        product="Hoevekaas",
        made_at=at(days_ago(10), 10),
        quantity=Decimal("31"),
        unit="kg",
        inputs=[
            InputLine(chain.milk_key, Decimal("310")),
            InputLine(chain.rennet_key, Decimal("0.05")),
        ],
    )

    corrected = correct_production(chain.cheese, owner, data, "31 kg after brining")

    book = book_of(chain.cheese.operator)
    assert book.balance(chain.cheese_key).received == 31
    assert book.left(chain.milk_key) == 190
    assert corrected.inputs.count() == 2 and chain.cheese.inputs.count() == 2


def test_milk_used_by_a_cheese_cannot_be_withdrawn(chain: Chain, owner: User) -> None:
    with pytest.raises(LotError) as excinfo:
        withdraw_production(chain.milk, owner, "entered twice")

    field, problem = error_of(excinfo)
    assert field == "correction_reason" and "M-1" in problem


def test_a_withdrawn_sale_is_out_of_the_balance(chain: Chain, owner: User) -> None:
    sale = Movement.objects.get(kind="sell")

    withdraw_movement(sale, owner, "sold from another lot")

    assert book_of(chain.cheese.operator).balance(chain.cheese_key).sold == 0


def test_a_cheese_gets_its_best_before_from_the_plans_shelf_life(chain: Chain) -> None:
    assert chain.cheese.best_before == chain.cheese.made_on + timedelta(days=90)
    assert chain.milk.best_before is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": Decimal("0")}, "quantity"),
        ({"quantity": Decimal("-1")}, "quantity"),
        ({"quantity": Decimal("1.0005")}, "quantity"),
        ({"quantity": Decimal("NaN")}, "quantity"),
        ({"quantity": Decimal("Infinity")}, "quantity"),
        ({"quantity": Decimal("1e300")}, "quantity"),
        ({"received_on": date(1999, 12, 31)}, "received_on"),
        ({"received_on": date(1, 1, 1)}, "received_on"),
        ({"received_on": date(9999, 1, 1)}, "received_on"),
        ({"lot_code": "R\x00-2"}, "lot_code"),
        ({"lot_code": "x" * 100_000}, "lot_code"),
        ({"lot_code": "", "supplier_lot": ""}, "lot_code"),
        ({"lot_code": "K-1"}, "lot_code"),
        ({"lot_code": "R-1"}, "lot_code"),
        ({"unit": "ton"}, "unit"),
        ({"kind": "uranium"}, "kind"),
        ({"supplier_id": None}, "supplier"),
        ({"date_mark": date(2001, 1, 1)}, "date_mark"),
        ({"remark": "line\nbreak"}, "remark"),
    ],
)
def test_bad_input_for_a_received_lot_names_the_field(
    chain: Chain, owner: User, supplier: Supplier, change: dict[str, Any], field: str
) -> None:
    data = {
        "kind": "salt",
        "supplier_id": supplier.pk,
        "quantity": Decimal("25"),
        "unit": "kg",
        "received_on": days_ago(1),
        "lot_code": "Z-1",
        **change,
    }

    with pytest.raises(LotError) as excinfo:
        receive_lot(chain.cheese.operator, owner, ReceiveInput(**data))

    assert error_of(excinfo)[0] == field
    assert not InputLot.objects.filter(kind="salt").exists()


def test_another_operators_lots_suppliers_and_customers_are_not_found(
    chain: Chain, owner: User
) -> None:
    other = create_operator("Zuivel Ander", slug="ander")
    other_supplier = save_supplier(other, "Ander")
    other_customer = save_customer(other, "Ander", "shop")

    with pytest.raises(LotError, match="lot"):
        moved(other, owner, "sell", chain.cheese_key, "1", days_ago(1))
    with pytest.raises(LotError, match="supplier"):
        received(chain.cheese.operator, owner, other_supplier, "X-1", "1", "kg", days_ago(1))
    with pytest.raises(LotError, match="customer"):
        moved(
            chain.cheese.operator,
            owner,
            "deliver",
            chain.cheese_key,
            "1",
            days_ago(1),
            other_customer,
        )


# --- recalls --------------------------------------------------------------------------------


def recall_from(chain: Chain, owner: User, key: str, origin: str, measures: str = "") -> Recall:
    return open_recall(
        chain.cheese.operator,
        owner,
        RecallInput(
            trigger="supplier_alert" if origin == "supplier" else "manual",
            lots=[key],
            hazard="Listeria monocytogenes in the rennet",
            origin=origin,
            measures=measures,
        ),
    )


def test_a_suppliers_alert_on_the_rennet_recalls_the_cheese_and_notifies(
    chain: Chain, owner: User
) -> None:
    recall = recall_from(chain, owner, chain.rennet_key, "supplier", measures="rennet kept apart")

    assert recall.number == 1
    assert recall.notify is True
    assert set(recall.conditions_unmet) == {"hazard_arose_in_house", "still_on_premises"}
    assert recall.lots_out == ["K-1"]
    lots = {row.lot_code: (row.quantity, row.starting) for row in recall.lots.all()}
    # the rennet's 0.95 l left, the cheese's 10 + 2 delivered/sold and 17 in stock
    assert lots == {"R-1": (Decimal("0.95"), True), "K-1": (Decimal("29"), False)}
    assert [d["customer"] for d in recall.affected["deliveries"]] == ["Kaashandel Peeters"]


def test_a_recall_blocks_its_lots_where_blocked_lots_show(chain: Chain, owner: User) -> None:
    operator = chain.cheese.operator
    recall_from(chain, owner, chain.rennet_key, "supplier")

    assert list(blocked_lots(operator)) == [chain.cheese.batch]
    assert blocked_keys(operator) == {chain.cheese_key, chain.rennet_key}
    with pytest.raises(LotError) as excinfo:
        moved(operator, owner, "sell", chain.cheese_key, "1", days_ago(0))
    assert error_of(excinfo)[0] == "lot"
    # destroying a blocked lot stays possible
    moved(operator, owner, "destroy", chain.cheese_key, "1", days_ago(0), reason="recall")


def test_a_hazard_in_house_with_everything_on_the_premises_needs_no_notification(
    chain: Chain, owner: User
) -> None:
    recall = recall_from(chain, owner, chain.milk_key, "in_house", measures="milk kept apart")

    # the milk reaches the cheese that left the business: notify
    assert recall.notify is True
    operator = chain.cheese.operator
    fresh = milking(operator, owner, "M-2", "400", days_ago(1))
    second = recall_from(chain, owner, f"b{fresh.batch_id}", "in_house", measures="tank emptied")
    assert second.notify is False
    assert set(second.conditions_met) == {
        "hazard_arose_in_house",
        "still_on_premises",
        "corrective_measures_taken",
    }
    without_measures = recall_from(chain, owner, f"b{fresh.batch_id}", "in_house")
    assert without_measures.notify is True
    assert without_measures.conditions_unmet == ["corrective_measures_taken"]


def test_a_recall_closes_only_with_every_quantity_disposed_and_the_favv_notified(
    chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    recall = recall_from(chain, owner, chain.rennet_key, "supplier")
    rennet_lot = recall.lots.get(lot_code="R-1")
    cheese_lot = recall.lots.get(lot_code="K-1")
    today = days_ago(0)

    with pytest.raises(LotError) as excinfo:
        close_recall(recall, owner)
    assert "R-1" in excinfo.value.problem

    record_disposition(recall, owner, rennet_lot, "returned", Decimal("0.95"), today)
    record_disposition(recall, owner, cheese_lot, "returned", Decimal("10"), today, "shop")
    with pytest.raises(LotError) as excinfo:
        record_disposition(recall, owner, cheese_lot, "destroyed", Decimal("20"), today)
    assert error_of(excinfo)[0] == "quantity" and "19 kg" in excinfo.value.problem
    with pytest.raises(LotError) as excinfo:
        record_disposition(recall, owner, cheese_lot, "released", Decimal("2"), today)
    assert error_of(excinfo)[0] == "note"
    record_disposition(recall, owner, cheese_lot, "destroyed", Decimal("19"), today)
    # the destroyed quantity came off the stock first
    assert book_of(operator).left(chain.cheese_key) == 0

    with pytest.raises(LotError, match="FAVV"):
        close_recall(recall, owner)
    record_recall_event(recall, owner, "notified", today)
    record_recall_event(recall, owner, "customer_informed", today, customer=customer)
    closure = close_recall(recall, owner, "all back")

    assert (closure.closed_by, recall.is_open) == (owner, False)
    assert not blocked_lots(operator).exists()
    assert blocked_keys(operator) == set()
    with pytest.raises(LotError, match="closed"):
        record_disposition(recall, owner, cheese_lot, "destroyed", Decimal("1"), today)


def test_a_recall_from_another_operators_deviation_is_refused(chain: Chain, owner: User) -> None:
    with pytest.raises(LotError) as excinfo:
        open_recall(
            chain.cheese.operator,
            owner,
            RecallInput(trigger="manual", lots=[], hazard="x", origin="in_house"),
        )
    assert error_of(excinfo)[0] == "lots"


def test_a_mock_recall_keeps_how_long_it_took_and_the_share_accounted_for(
    chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    moved(operator, owner, "count", chain.cheese_key, "16", days_ago(1))

    mock = run_mock_recall(operator, owner, chain.milk_key)

    assert mock.lot_code == "M-1"
    assert mock.duration_ms >= 1
    assert mock.accounted_pct == Decimal("100.0")
    # the cheese counted 16 kg where the books said 17: 29 + 16 of 30 kg
    assert mock.lowest_pct == Decimal("96.7")
    assert (mock.lots_reached, mock.deliveries, mock.customers) == (1, 1, 1)
    assert mock.left_control is True
