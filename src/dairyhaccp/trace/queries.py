"""Forward and backward traces and the mass balance of lots, on a built LotGraph.

A lot made with any quantity of an affected lot is affected whole: traces list whole lots.
Orders are fixed: lots by date then code; deliveries by date, lot, customer, then as given;
per-lot lists (sales, stock, balance) the queried lot first, then the lots in trace order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from dairyhaccp.trace.events import Delivery
from dairyhaccp.trace.graph import ZERO, Lot, LotGraph

Direction = Literal["forward", "backward"]
_HUNDRED = Decimal(100)
_ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Balance:
    """Mass balance of one lot: received (or produced) against where it went and what is left."""

    lot: str
    unit: str
    received: Decimal
    used: Decimal
    delivered: Decimal
    sold: Decimal
    destroyed: Decimal
    in_stock: Decimal
    counted: bool

    @property
    def accounted(self) -> Decimal:
        return self.used + self.delivered + self.sold + self.destroyed + self.in_stock

    @property
    def accounted_pct(self) -> Decimal:
        """Share of the quantity accounted for, in percent, one decimal; 100.0 without a gap."""
        share = self.accounted / self.received * _HUNDRED
        return share.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Stock:
    """A quantity of a lot still on the premises, or sold to consumers, in the lot's unit."""

    lot: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class Trace:
    """The lots reached from one lot, their customers, stock and balances."""

    lot: str
    direction: Direction
    lots: tuple[Lot, ...]
    deliveries: tuple[Delivery, ...]
    sold_to_consumers: tuple[Stock, ...]
    in_stock: tuple[Stock, ...]
    balance: tuple[Balance, ...]

    @property
    def left_control(self) -> bool:
        """Whether any quantity of these lots was delivered or sold."""
        return bool(self.deliveries or self.sold_to_consumers)

    @property
    def lots_out(self) -> tuple[str, ...]:
        """The lots of which some quantity was delivered or sold, in balance order."""
        return tuple(b.lot for b in self.balance if b.delivered > 0 or b.sold > 0)


def balance(graph: LotGraph, code: str) -> Balance:
    """The mass balance of one lot; a later stock count replaces the book stock."""
    lot = graph.lot(code)
    tally = graph.tallies[code]
    return Balance(
        lot=code,
        unit=lot.event.unit,
        received=tally.quantity,
        used=tally.used,
        delivered=tally.delivered,
        sold=tally.sold,
        destroyed=tally.destroyed,
        in_stock=tally.in_stock,
        counted=tally.counted_on is not None,
    )


def _reach(start: str, edges: Mapping[str, tuple[str, ...]]) -> Iterator[str]:
    """Every lot reachable from start along edges, start excluded; iterative, each once."""
    seen = {start}
    pending = [start]
    while pending:
        for nxt in edges.get(pending.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                pending.append(nxt)
                yield nxt


def _trace(graph: LotGraph, code: str, direction: Direction) -> Trace:
    start = graph.lot(code)
    edges = graph.made_into if direction == "forward" else graph.made_from
    reached = sorted(
        (graph.lots[c] for c in _reach(code, edges)), key=lambda lot: (lot.event.date, lot.code)
    )
    covered = [start, *reached]
    deliveries = sorted(
        (d for lot in covered for d in graph.deliveries.get(lot.code, ())),
        key=lambda d: (d.date, d.lot, d.customer),
    )
    balances = tuple(balance(graph, lot.code) for lot in covered)
    return Trace(
        lot=code,
        direction=direction,
        lots=tuple(reached),
        deliveries=tuple(deliveries),
        sold_to_consumers=tuple(Stock(b.lot, b.sold, b.unit) for b in balances if b.sold > ZERO),
        in_stock=tuple(Stock(b.lot, b.in_stock, b.unit) for b in balances if b.in_stock > ZERO),
        balance=balances,
    )


def forward(graph: LotGraph, code: str) -> Trace:
    """Every lot made from `code`, transitively, with deliveries, sales, stock and balances."""
    return _trace(graph, code, "forward")


def backward(graph: LotGraph, code: str) -> Trace:
    """Every lot `code` was made from, down to milk days and supplier lots."""
    return _trace(graph, code, "backward")
