"""The lot graph: traces over diamonds and splits, balances, counts, and every refusal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dairyhaccp.trace import (
    Event,
    FieldError,
    TraceInputError,
    UnknownLotError,
    backward,
    balance,
    build_graph,
    forward,
    parse_event,
)


def milk(lot: str, quantity: float, day: str, supplier: str | None = None) -> dict[str, Any]:
    return {
        "type": "lot",
        "lot": lot,
        "kind": "raw_milk",
        "quantity": quantity,
        "unit": "l",
        "date": day,
        "supplier": supplier,
    }


def make(
    lot: str, day: str, quantity: float, inputs: dict[str, float], unit: str = "kg"
) -> dict[str, Any]:
    return {
        "type": "produce",
        "lot": lot,
        "product": "semi_hard_cheese",
        "quantity": quantity,
        "unit": unit,
        "date": day,
        "inputs": [{"lot": code, "quantity": q} for code, q in inputs.items()],
    }


def deliver(lot: str, quantity: float, day: str, customer: str = "Kaashandel") -> dict[str, Any]:
    return {"type": "deliver", "lot": lot, "customer": customer, "quantity": quantity, "date": day}


def sell(lot: str, quantity: float, day: str) -> dict[str, Any]:
    return {"type": "sell", "lot": lot, "quantity": quantity, "date": day}


def destroy(lot: str, quantity: float, day: str) -> dict[str, Any]:
    return {"type": "destroy", "lot": lot, "quantity": quantity, "date": day, "reason": "mould"}


def count(lot: str, quantity: float, day: str) -> dict[str, Any]:
    return {"type": "count", "lot": lot, "quantity": quantity, "date": day}


def events(*lines: dict[str, Any]) -> list[Event]:
    return [parse_event(line) for line in lines]


def refusal(*lines: dict[str, Any]) -> tuple[int, str, str]:
    with pytest.raises(TraceInputError) as caught:
        build_graph(events(*lines))
    first = caught.value.problems[0]
    return first.position, first.field, first.message


def codes(trace_lots: Any) -> list[str]:
    return [lot.code for lot in trace_lots]


# --- traces ---------------------------------------------------------------------------------

DIAMOND = (
    milk("M-1", 500, "2026-03-01"),
    milk("M-2", 400, "2026-03-02"),
    {**milk("S-9", 1, "2026-02-01", "Chr. Hansen"), "kind": "starter", "supplier_lot": "H-55"},
    make("B-1", "2026-03-02", 80, {"M-1": 300, "M-2": 400, "S-9": 0.1}),
    make("Y-1", "2026-03-03", 50, {"B-1": 50}),
    make("Y-2", "2026-03-03", 30, {"B-1": 30}),
    deliver("Y-1", 20, "2026-03-10", "Shop A"),
    sell("Y-2", 5, "2026-03-11"),
)


def test_two_milk_days_into_one_batch_into_two_products_trace_forward_from_either_day() -> None:
    graph = build_graph(events(*DIAMOND))

    for day in ("M-1", "M-2"):
        trace = forward(graph, day)
        assert codes(trace.lots) == ["B-1", "Y-1", "Y-2"]
        assert [(d.lot, d.customer) for d in trace.deliveries] == [("Y-1", "Shop A")]
        assert [(s.lot, s.quantity) for s in trace.sold_to_consumers] == [("Y-2", Decimal(5))]
        assert trace.left_control
        assert trace.lots_out == ("Y-1", "Y-2")


def test_backward_from_a_product_reaches_both_milk_days_and_the_supplier_lot() -> None:
    graph = build_graph(events(*DIAMOND))

    trace = backward(graph, "Y-2")

    assert codes(trace.lots) == ["S-9", "M-1", "B-1", "M-2"]
    suppliers = {lot.code: (lot.supplier, lot.supplier_lot) for lot in trace.lots}
    assert suppliers["S-9"] == ("Chr. Hansen", "H-55")
    assert suppliers["M-1"] == (None, None)


def test_a_lot_reached_along_two_paths_is_listed_once() -> None:
    graph = build_graph(
        events(
            milk("M-1", 100, "2026-03-01"),
            make("B-1", "2026-03-01", 10, {"M-1": 50}),
            make("B-2", "2026-03-01", 10, {"M-1": 50}),
            make("MIX", "2026-03-02", 20, {"B-1": 10, "B-2": 10}),
        )
    )

    assert codes(forward(graph, "M-1").lots) == ["B-1", "B-2", "MIX"]
    # Same day: by lot code.
    assert codes(backward(graph, "MIX").lots) == ["B-1", "B-2", "M-1"]


def test_a_lot_made_with_a_trace_of_an_input_is_affected_whole() -> None:
    graph = build_graph(events(*DIAMOND))

    trace = forward(graph, "S-9")

    assert [(lot.code, lot.event.quantity) for lot in trace.lots] == [
        ("B-1", Decimal(80)),
        ("Y-1", Decimal(50)),
        ("Y-2", Decimal(30)),
    ]


def test_a_batch_split_into_sub_lots_keeps_the_link_and_is_used_up() -> None:
    graph = build_graph(
        events(
            milk("M-1", 300, "2026-03-01"),
            make("K-1", "2026-03-01", 20, {"M-1": 300}, unit="pieces"),
            make("K-1a", "2026-05-01", 8, {"K-1": 8}, unit="pieces"),
            make("K-1b", "2026-06-01", 12, {"K-1": 12}, unit="pieces"),
            deliver("K-1b", 12, "2026-06-15"),
        )
    )

    assert codes(forward(graph, "M-1").lots) == ["K-1", "K-1a", "K-1b"]
    row = balance(graph, "K-1")
    assert (row.used, row.in_stock, row.accounted_pct) == (Decimal(20), Decimal(0), Decimal(100))
    assert [s.lot for s in forward(graph, "K-1").in_stock] == ["K-1a"]


def test_partial_deliveries_add_up_and_leave_the_rest_in_stock_in_a_fixed_order() -> None:
    graph = build_graph(
        events(
            milk("M-1", 100, "2026-03-01"),
            make("K-1", "2026-03-01", 30, {"M-1": 100}),
            deliver("K-1", 4, "2026-03-20", "Shop B"),
            deliver("K-1", 3.5, "2026-03-10", "Shop C"),
            deliver("K-1", 2, "2026-03-20", "Shop A"),
        )
    )

    trace = forward(graph, "K-1")

    assert [(d.date.isoformat(), d.customer) for d in trace.deliveries] == [
        ("2026-03-10", "Shop C"),
        ("2026-03-20", "Shop A"),
        ("2026-03-20", "Shop B"),
    ]
    row = balance(graph, "K-1")
    assert (row.delivered, row.in_stock) == (Decimal("9.5"), Decimal("20.5"))
    assert row.accounted == row.received


def test_a_lot_without_movements_is_all_in_stock_and_reaches_nothing() -> None:
    graph = build_graph(events(milk("M-1", 100, "2026-03-01")))

    trace = forward(graph, "M-1")

    assert (trace.lots, trace.deliveries, trace.left_control) == ((), (), False)
    assert [(s.lot, s.quantity, s.unit) for s in trace.in_stock] == [("M-1", Decimal(100), "l")]


def test_a_query_for_an_unknown_lot_is_refused() -> None:
    graph = build_graph(events(milk("M-1", 100, "2026-03-01")))

    with pytest.raises(UnknownLotError, match="unknown lot K-9"):
        forward(graph, "K-9")


# --- counts -------------------------------------------------------------------------------

CHEESE = (milk("M-1", 300, "2026-03-01"), make("K-1", "2026-03-01", 30, {"M-1": 300}))


@pytest.mark.parametrize(
    ("counted", "in_stock", "pct"),
    [(17, "17", "100.0"), (15, "15", "93.3"), (20, "20", "110.0"), (0, "0", "43.3")],
)
def test_a_later_count_replaces_the_book_stock_and_shows_the_gap(
    counted: float, in_stock: str, pct: str
) -> None:
    graph = build_graph(
        events(*CHEESE, deliver("K-1", 10, "2026-03-20"), sell("K-1", 3, "2026-03-21"))
        + events(count("K-1", counted, "2026-03-25"))
    )

    row = balance(graph, "K-1")

    assert (row.in_stock, row.accounted_pct, row.counted) == (Decimal(in_stock), Decimal(pct), True)


def test_movements_after_a_count_start_from_what_was_counted() -> None:
    graph = build_graph(
        events(
            *CHEESE,
            deliver("K-1", 10, "2026-03-20"),
            count("K-1", 15, "2026-03-25"),
            deliver("K-1", 5, "2026-03-26"),
        )
    )

    row = balance(graph, "K-1")

    assert (row.delivered, row.in_stock, row.accounted_pct) == (
        Decimal(15),
        Decimal(10),
        Decimal("83.3"),
    )


def test_a_movement_beyond_the_counted_stock_is_refused_even_if_the_books_allow_it() -> None:
    assert refusal(
        *CHEESE,
        count("K-1", 15, "2026-03-25"),
        deliver("K-1", 16, "2026-03-26"),
    ) == (4, "quantity", "16 kg is more than what is left of lot K-1 on 2026-03-26 (15 kg)")


def test_the_latest_count_is_the_one_that_holds() -> None:
    graph = build_graph(
        events(*CHEESE, count("K-1", 28, "2026-03-10"), count("K-1", 25, "2026-04-10"))
    )

    assert balance(graph, "K-1").in_stock == Decimal(25)


def test_a_zero_count_leaves_nothing_in_stock() -> None:
    graph = build_graph(events(*CHEESE, count("K-1", 0, "2026-03-30")))

    assert forward(graph, "K-1").in_stock == ()


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("movement", "field"),
    [
        (deliver("K-1", 31, "2026-03-20"), "quantity"),
        (sell("K-1", 30.000001, "2026-03-20"), "quantity"),
        (destroy("K-1", 40, "2026-03-20"), "quantity"),
        (make("Y-1", "2026-03-20", 5, {"K-1": 31}), "inputs[0].quantity"),
    ],
)
def test_a_movement_beyond_the_lot_is_refused_naming_the_event_and_field(
    movement: dict[str, Any], field: str
) -> None:
    position, problem_field, message = refusal(*CHEESE, movement)

    assert (position, problem_field) == (3, field)
    assert "more than what is left of lot K-1" in message


def test_what_is_left_is_taken_at_the_date_of_each_movement_whatever_the_order_given() -> None:
    # The delivery stands first but happens last: it is the one that takes too much.
    position, field, message = refusal(
        *CHEESE,
        deliver("K-1", 20, "2026-03-20"),
        deliver("K-1", 15, "2026-03-05"),
    )

    assert (position, field) == (3, "quantity")
    assert message == "20 kg is more than what is left of lot K-1 on 2026-03-20 (15 kg)"


def test_a_movement_before_the_lot_exists_is_refused() -> None:
    assert refusal(*CHEESE, deliver("K-1", 1, "2026-02-28")) == (
        3,
        "date",
        "2026-02-28 is before lot K-1 exists (2026-03-01)",
    )


def test_a_production_from_milk_of_a_later_day_is_refused() -> None:
    position, field, _ = refusal(
        milk("M-1", 100, "2026-03-02"), make("K-1", "2026-03-01", 10, {"M-1": 100})
    )

    assert (position, field) == (2, "date")


@pytest.mark.parametrize(
    "movement",
    [
        deliver("K-9", 1, "2026-03-20"),
        sell("K-9", 1, "2026-03-20"),
        destroy("K-9", 1, "2026-03-20"),
        count("K-9", 1, "2026-03-20"),
    ],
)
def test_a_movement_of_an_unknown_lot_is_refused(movement: dict[str, Any]) -> None:
    assert refusal(*CHEESE, movement) == (3, "lot", "unknown lot K-9")


def test_an_input_of_an_unknown_lot_is_refused_naming_the_input() -> None:
    assert refusal(*CHEESE, make("Y-1", "2026-03-20", 5, {"K-1": 1, "X-2": 1})) == (
        3,
        "inputs[1].lot",
        "unknown lot X-2",
    )


def test_a_lot_defined_twice_is_refused_at_its_second_definition() -> None:
    with pytest.raises(TraceInputError) as caught:
        build_graph(events(*CHEESE, milk("K-1", 5, "2026-03-02")), positions=[10, 11, 12])

    [problem] = caught.value.problems
    assert (problem.position, problem.field, problem.first_position) == (12, "lot", 11)
    assert problem.words("line") == "line 12: lot: duplicate lot K-1, first at line 11"


def test_a_lot_made_from_itself_is_a_cycle() -> None:
    assert refusal(milk("M-1", 1, "2026-03-01"), make("K-1", "2026-03-01", 1, {"K-1": 1})) == (
        2,
        "inputs[0].lot",
        "cycle: K-1 → K-1 (made from itself)",
    )


def test_a_cycle_over_three_lots_is_refused_at_its_first_lot_naming_the_loop() -> None:
    position, field, message = refusal(
        milk("M-1", 100, "2026-03-01"),
        make("A", "2026-03-01", 10, {"M-1": 10, "C": 1}),
        make("B", "2026-03-01", 10, {"A": 1}),
        make("C", "2026-03-01", 10, {"B": 1}),
        make("D", "2026-03-01", 10, {"C": 1}),
    )

    assert (position, field) == (2, "inputs[1].lot")
    assert message == "cycle: A → B → C → A (made from itself)"


def test_a_unit_other_than_the_lots_is_refused() -> None:
    assert refusal(*CHEESE, {**deliver("K-1", 1, "2026-03-20"), "unit": "l"}) == (
        3,
        "unit",
        "l is not the unit of lot K-1 (kg)",
    )
    position, field, _ = refusal(
        *CHEESE,
        {
            **make("Y-1", "2026-03-20", 1, {}),
            "inputs": [{"lot": "K-1", "quantity": 1, "unit": "l"}],
        },
    )
    assert (position, field) == (3, "inputs[0].unit")


def test_every_problem_is_reported_in_order_of_position() -> None:
    with pytest.raises(TraceInputError) as caught:
        build_graph(
            events(*CHEESE, deliver("X", 1, "2026-03-20"), make("Y", "2026-03-20", 1, {"Z": 1}))
        )

    assert [(p.position, p.field) for p in caught.value.problems] == [
        (3, "lot"),
        (4, "inputs[0].lot"),
    ]
    assert str(caught.value) == "event 3: lot: unknown lot X"


GOOD = deliver("K-1", 1, "2026-03-20")


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ([], "event", "must be a JSON object"),
        ({"lot": "K-1"}, "type", "is required"),
        (
            {**GOOD, "type": "ship"},
            "type",
            "must be one of lot, produce, deliver, sell, destroy, count",
        ),
        ({**GOOD, "type": 3}, "type", "must be one of lot, produce, deliver, sell, destroy, count"),
        ({**GOOD, "quantity": "10"}, "quantity", "must be a number"),
        ({**GOOD, "quantity": True}, "quantity", "must be a number"),
        ({**GOOD, "quantity": None}, "quantity", "must be a number"),
        ({**GOOD, "quantity": 0}, "quantity", "must be more than 0"),
        ({**GOOD, "quantity": -1}, "quantity", "must be more than 0"),
        ({**GOOD, "quantity": 1e-9}, "quantity", "must be more than 0"),
        ({**GOOD, "quantity": 1e300}, "quantity", "must be at most 1000000000"),
        ({**GOOD, "quantity": 10**400}, "quantity", "must be at most 1000000000"),
        ({**GOOD, "quantity": float("nan")}, "quantity", "must be a finite number"),
        ({**GOOD, "quantity": float("inf")}, "quantity", "must be a finite number"),
        ({**GOOD, "date": "2026-3-20"}, "date", "must be a date written YYYY-MM-DD"),
        ({**GOOD, "date": "2026-03-20T10:00"}, "date", "must be a date written YYYY-MM-DD"),
        ({**GOOD, "date": 20260320}, "date", "must be a date written YYYY-MM-DD"),
        ({**GOOD, "date": "2026-02-30"}, "date", "2026-02-30 is not a day of the calendar"),
        ({**GOOD, "date": "1999-12-31"}, "date", "1999-12-31 is before 2000-01-01"),
        ({**GOOD, "date": "0001-01-01"}, "date", "0001-01-01 is before 2000-01-01"),
        ({**GOOD, "date": "٢٠٢٦-٠٣-٢٠"}, "date", "must be a date written YYYY-MM-DD"),
        ({**GOOD, "lot": ""}, "lot", "must not be empty"),
        ({**GOOD, "lot": "K" * 100_000}, "lot", "is longer than 200 characters"),
        ({**GOOD, "lot": "K\x001"}, "lot", "contains a control character"),
        ({**GOOD, "lot": 17}, "lot", "must be text"),
        ({**GOOD, "unit": "g"}, "unit", "Input should be 'kg', 'l' or 'pieces'"),
        ({k: v for k, v in GOOD.items() if k != "customer"}, "customer", "is required"),
        ({**destroy("K-1", 1, "2026-03-20"), "reason": " "}, "reason", "must not be empty"),
        ({**count("K-1", 1, "2026-03-20"), "quantity": -0.5}, "quantity", "must not be negative"),
        ({**make("Y", "2026-03-20", 1, {}), "inputs": []}, "inputs", "must not be empty"),
        ({**make("Y", "2026-03-20", 1, {}), "inputs": {"K-1": 1}}, "inputs", "must be a list"),
        ({**make("Y", "2026-03-20", 1, {}), "inputs": [5]}, "inputs[0]", "must be an object"),
        (
            {**make("Y", "2026-03-20", 1, {"K-1": 1}), "inputs": [{"lot": "K-1"}]},
            "inputs[0].quantity",
            "is required",
        ),
        (
            {**milk("M", 1, "2026-03-01"), "best_before": "soon"},
            "best_before",
            "must be a date written YYYY-MM-DD",
        ),
        ({**milk("M", 1, "2026-03-01"), "supplier": ""}, "supplier", "must not be empty"),
    ],
)
def test_a_malformed_event_is_refused_naming_the_field(line: Any, field: str, problem: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_event(line)

    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_fields_beyond_the_known_ones_are_accepted_and_quantities_keep_six_decimals() -> None:
    event = parse_event({**milk("M-1", 0.1234567, "2026-03-01"), "tank": 2, "species": "goat"})

    assert event.quantity == Decimal("0.123457")
