"""Properties of traces over generated dairies, checked against what the generator tracked."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.trace import (
    LotGraph,
    TraceInputError,
    backward,
    balance,
    build_graph,
    forward,
    parse_event,
    trace_to_data,
)
from dairyhaccp.trace.events import QUANTUM

START = date(2026, 1, 1)


@dataclass
class Dairy:
    """Generated events with what a correct graph must say about them."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    left: dict[str, Decimal] = field(default_factory=dict)
    received: dict[str, Decimal] = field(default_factory=dict)
    out: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)
    counted: set[str] = field(default_factory=set)
    # Per outflow line: the lot it takes from and what was left just before.
    taken: dict[int, tuple[str, Decimal]] = field(default_factory=dict)


def _share(draw: Callable[[Any], Any], left: Decimal) -> Decimal:
    """Part of what is left (all of it at 100 %), on the 6-decimal grid of quantities."""
    share = left * Decimal(draw(st.integers(1, 100))) / 100
    return max(share.quantize(QUANTUM), QUANTUM)


@st.composite
def dairies(draw: Callable[[Any], Any], counts: bool = False) -> Dairy:
    dairy = Dairy()
    day = START

    def add(line: dict[str, Any]) -> None:
        nonlocal day
        dairy.lines.append({**line, "date": day.isoformat()})
        day += timedelta(days=1)

    def take(lot: str, what: str, quantity: Decimal) -> None:
        dairy.taken[len(dairy.lines) + 1] = (lot, dairy.left[lot])
        dairy.left[lot] -= quantity
        dairy.out[lot][what] += quantity

    def new_lot(lot: str, quantity: Decimal) -> None:
        dairy.left[lot] = dairy.received[lot] = quantity
        dairy.out[lot] = dict.fromkeys(("used", "delivered", "sold", "destroyed"), Decimal(0))
        dairy.parents[lot] = set()

    for index in range(draw(st.integers(1, 4))):
        quantity = Decimal(draw(st.integers(1, 10**6))) / 1000
        supplier = draw(st.sampled_from([None, "Melkerij", "Chr. Hansen"]))
        new_lot(f"R{index}", quantity)
        add({"type": "lot", "lot": f"R{index}", "kind": "raw_milk", "quantity": quantity,
             "unit": "l", "supplier": supplier})  # fmt: skip
    kinds = ["produce", "deliver", "sell", "destroy"] + (["count"] if counts else [])
    for index in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(kinds))
        stocked = sorted(lot for lot, left in dairy.left.items() if left > 0)
        if not stocked:
            break
        if kind == "produce":
            inputs = draw(st.lists(st.sampled_from(stocked), min_size=1, max_size=3, unique=True))
            used = {lot: _share(draw, dairy.left[lot]) for lot in inputs}
            code = f"P{index}"
            for lot, quantity in used.items():
                dairy.left[lot] -= quantity
                dairy.out[lot]["used"] += quantity
            new_lot(code, Decimal(draw(st.integers(1, 10**5))) / 100)
            dairy.parents[code] = set(inputs)
            add({"type": "produce", "lot": code, "product": "cheese",
                 "quantity": dairy.received[code], "unit": "kg",
                 "inputs": [{"lot": lot, "quantity": q} for lot, q in used.items()]})  # fmt: skip
            continue
        lot = draw(st.sampled_from(stocked))
        if kind == "count":
            found = dairy.left[lot] + Decimal(draw(st.integers(-100, 100))) / 10
            found = max(found, Decimal(0))
            dairy.left[lot] = found
            dairy.counted.add(lot)
            add({"type": "count", "lot": lot, "quantity": found})
            continue
        quantity = _share(draw, dairy.left[lot])
        what = {"deliver": "delivered", "sell": "sold", "destroy": "destroyed"}[kind]
        extra = {"customer": f"C{index % 3}"} if kind == "deliver" else {}
        if kind == "destroy":
            extra = {"reason": "mould"}
        take(lot, what, quantity)
        add({"type": kind, "lot": lot, "quantity": quantity, **extra})
    return dairy


def graph_of(dairy: Dairy, order: list[int] | None = None) -> LotGraph:
    """The graph of the lines, in `order` (line numbers of the generated list) if given."""
    chosen = order or list(range(1, len(dairy.lines) + 1))
    return build_graph([parse_event(dairy.lines[n - 1]) for n in chosen])


def descendants(dairy: Dairy, lot: str) -> set[str]:
    """Independent of the graph: grow the set until no lot made from it is missing."""
    found: set[str] = set()
    while True:
        more = {child for child, parents in dairy.parents.items() if parents & (found | {lot})}
        if more <= found:
            return found - {lot}
        found |= more


@settings(max_examples=150, deadline=None)
@given(dairy=dairies())
def test_every_lot_accounts_for_exactly_its_quantity(dairy: Dairy) -> None:
    graph = graph_of(dairy)

    for lot, received in dairy.received.items():
        row = balance(graph, lot)
        assert row.received == received
        assert (row.used, row.delivered, row.sold, row.destroyed) == tuple(dairy.out[lot].values())
        assert row.in_stock == dairy.left[lot]
        assert row.accounted == received
        assert row.accounted_pct == 100


@settings(max_examples=150, deadline=None)
@given(dairy=dairies())
def test_the_forward_trace_balances_and_its_floats_sum_to_the_quantity(dairy: Dairy) -> None:
    graph = graph_of(dairy)

    for lot in dairy.received:
        data = trace_to_data(forward(graph, lot))
        for row in data["balance"]:
            parts = ("used", "delivered", "sold", "destroyed", "in_stock")
            assert sum(row[part] for part in parts) == pytest.approx(row["received"], rel=1e-9)
            assert row["accounted_pct"] == 100.0


@settings(max_examples=150, deadline=None)
@given(dairy=dairies())
def test_forward_and_backward_are_each_others_inverse_and_reach_every_descendant(
    dairy: Dairy,
) -> None:
    graph = graph_of(dairy)
    lots = list(dairy.received)
    downstream = {a: {lot.code for lot in forward(graph, a).lots} for a in lots}
    upstream = {b: {lot.code for lot in backward(graph, b).lots} for b in lots}

    for a in lots:
        assert downstream[a] == descendants(dairy, a)
        for b in lots:
            assert (b in downstream[a]) == (a in upstream[b])


@settings(max_examples=100, deadline=None)
@given(dairy=dairies())
def test_left_control_is_whether_any_traced_lot_was_delivered_or_sold(dairy: Dairy) -> None:
    graph = graph_of(dairy)

    for lot in dairy.received:
        covered = descendants(dairy, lot) | {lot}
        gone = any(dairy.out[c]["delivered"] + dairy.out[c]["sold"] > 0 for c in covered)
        assert forward(graph, lot).left_control is gone


@settings(max_examples=100, deadline=None)
@given(dairy=dairies(counts=True), seed=st.integers(0, 2**32))
def test_the_order_of_the_lines_does_not_matter_when_each_has_its_own_day(
    dairy: Dairy, seed: int
) -> None:
    order = list(range(1, len(dairy.lines) + 1))
    random.Random(seed).shuffle(order)

    shuffled, given_order = graph_of(dairy, order), graph_of(dairy)

    for lot in dairy.received:
        assert balance(shuffled, lot) == balance(given_order, lot)


@settings(max_examples=150, deadline=None)
@given(dairy=dairies(counts=True))
def test_counts_set_the_stock_and_the_gap_is_what_was_not_found(dairy: Dairy) -> None:
    graph = graph_of(dairy)

    for lot in dairy.received:
        row = balance(graph, lot)
        assert row.in_stock == dairy.left[lot]
        assert row.counted is (lot in dairy.counted)
        if lot not in dairy.counted:
            assert row.accounted_pct == 100


@settings(max_examples=150, deadline=None)
@given(dairy=dairies(), pick=st.integers(0, 10**6))
def test_taking_a_little_more_than_what_is_left_is_refused_at_that_line(
    dairy: Dairy, pick: int
) -> None:
    if not dairy.taken:
        return
    line = sorted(dairy.taken)[pick % len(dairy.taken)]
    lot, left = dairy.taken[line]
    dairy.lines[line - 1] = {**dairy.lines[line - 1], "quantity": left + QUANTUM}

    with pytest.raises(TraceInputError) as caught:
        graph_of(dairy)

    # Later movements of that lot are not judged once one is refused; other lots are fine.
    [problem] = caught.value.problems
    assert (problem.position, problem.field) == (line, "quantity")
    assert f"more than what is left of lot {lot}" in problem.message
