"""The lot graph: lots, what each was made from, what left it, and its stock, checked whole.

A graph is built only from consistent events: every lot defined once, every referenced lot
known, no lot made (transitively) from itself, and no movement taking more than what is left
of a lot on the day of the movement. Movements of one lot are taken in date order, events of the
same day in the order given. A stock count sets what is left from its day on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dairyhaccp.trace.events import (
    Delivery,
    Destruction,
    Event,
    LotEvent,
    ProducedLot,
    ReceivedLot,
    Sale,
    StockCount,
)

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an event is refused: its position (line number or 1-based index), field and problem."""

    position: int
    field: str
    message: str
    first_position: int | None = None

    def words(self, place: str = "event") -> str:
        """'event 5: lot: duplicate lot K-17, first at event 2' (place: 'event' or 'line')."""
        text = f"{place} {self.position}: {self.field}: {self.message}"
        if self.first_position is not None:
            text += f", first at {place} {self.first_position}"
        return text

    def __str__(self) -> str:
        return self.words()


class TraceInputError(ValueError):
    """Events that do not make a consistent lot graph; `problems` are in order of position."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda problem: problem.position))
        super().__init__(str(self.problems[0]) if self.problems else "inconsistent events")


class UnknownLotError(KeyError):
    """A query for a lot that the graph does not hold."""

    def __init__(self, lot: str) -> None:
        super().__init__(lot)
        self.lot = lot

    def __str__(self) -> str:
        return f"unknown lot {self.lot}"


def amount(quantity: Decimal) -> str:
    """A quantity in words: '0.05', '300', never an exponent."""
    text = format(quantity, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True, slots=True)
class Lot:
    """A lot as received or produced, with the position of its event."""

    event: LotEvent
    position: int

    @property
    def code(self) -> str:
        return self.event.lot

    @property
    def product(self) -> str:
        """The product of a produced lot, the kind of a received lot."""
        return self.event.product if isinstance(self.event, ProducedLot) else self.event.kind

    @property
    def supplier(self) -> str | None:
        return self.event.supplier if isinstance(self.event, ReceivedLot) else None

    @property
    def supplier_lot(self) -> str | None:
        return self.event.supplier_lot if isinstance(self.event, ReceivedLot) else None


@dataclass(slots=True)
class Tally:
    """What became of one lot: totals of its movements and what is left (counted or booked)."""

    quantity: Decimal
    used: Decimal = ZERO
    delivered: Decimal = ZERO
    sold: Decimal = ZERO
    destroyed: Decimal = ZERO
    in_stock: Decimal = ZERO
    counted_on: date | None = None

    @property
    def accounted(self) -> Decimal:
        return self.used + self.delivered + self.sold + self.destroyed + self.in_stock


@dataclass(frozen=True, slots=True)
class LotGraph:
    """Consistent lots and movements with adjacency both ways; build it with build_graph."""

    lots: Mapping[str, Lot]
    made_from: Mapping[str, tuple[str, ...]]
    made_into: Mapping[str, tuple[str, ...]]
    deliveries: Mapping[str, tuple[Delivery, ...]]
    sales: Mapping[str, tuple[Sale, ...]]
    destructions: Mapping[str, tuple[Destruction, ...]]
    tallies: Mapping[str, Tally]

    def lot(self, code: str) -> Lot:
        try:
            return self.lots[code]
        except KeyError:
            raise UnknownLotError(code) from None


@dataclass(frozen=True, slots=True)
class _Step:
    """One change to what is left of a lot: used, delivered, sold, destroyed or count."""

    day: date
    position: int
    order: int
    path: str
    quantity: Decimal
    what: str

    @property
    def sort_key(self) -> tuple[date, int, int]:
        return (self.day, self.position, self.order)


def build_graph(events: Iterable[Event], positions: Sequence[int] | None = None) -> LotGraph:
    """The lot graph of `events`, or TraceInputError naming each refused event and field.

    `positions` numbers the events in messages (line numbers); by default 1, 2, 3...
    """
    items = list(events)
    numbers = list(positions) if positions is not None else list(range(1, len(items) + 1))
    if len(numbers) != len(items):
        raise ValueError("positions: one position per event is required")
    lots = _define_lots(items, numbers)
    _check_references(items, numbers, lots)
    made_from, made_into = _adjacency(lots)
    _check_acyclic(lots, made_from, made_into)
    tallies = _walk_stock(items, numbers, lots)
    deliveries: dict[str, list[Delivery]] = {}
    sales: dict[str, list[Sale]] = {}
    destructions: dict[str, list[Destruction]] = {}
    for event in items:
        if isinstance(event, Delivery):
            deliveries.setdefault(event.lot, []).append(event)
        elif isinstance(event, Sale):
            sales.setdefault(event.lot, []).append(event)
        elif isinstance(event, Destruction):
            destructions.setdefault(event.lot, []).append(event)
    return LotGraph(
        lots=lots,
        made_from=made_from,
        made_into=made_into,
        deliveries={code: tuple(found) for code, found in deliveries.items()},
        sales={code: tuple(found) for code, found in sales.items()},
        destructions={code: tuple(found) for code, found in destructions.items()},
        tallies=tallies,
    )


def _define_lots(items: list[Event], numbers: list[int]) -> dict[str, Lot]:
    lots: dict[str, Lot] = {}
    problems = []
    for position, event in zip(numbers, items, strict=True):
        if not isinstance(event, (ReceivedLot, ProducedLot)):
            continue
        first = lots.get(event.lot)
        if first is not None:
            problems.append(Problem(position, "lot", f"duplicate lot {event.lot}", first.position))
        else:
            lots[event.lot] = Lot(event, position)
    if problems:
        raise TraceInputError(problems)
    return lots


def _unit_problem(position: int, field: str, unit: str | None, lot: Lot) -> Problem | None:
    if unit is None or unit == lot.event.unit:
        return None
    return Problem(position, field, f"{unit} is not the unit of lot {lot.code} ({lot.event.unit})")


def _check_references(items: list[Event], numbers: list[int], lots: dict[str, Lot]) -> None:
    problems: list[Problem | None] = []
    for position, event in zip(numbers, items, strict=True):
        if isinstance(event, ProducedLot):
            for index, used in enumerate(event.inputs):
                known = lots.get(used.lot)
                if known is None:
                    problems.append(
                        Problem(position, f"inputs[{index}].lot", f"unknown lot {used.lot}")
                    )
                else:
                    problems.append(
                        _unit_problem(position, f"inputs[{index}].unit", used.unit, known)
                    )
        elif not isinstance(event, ReceivedLot):
            known = lots.get(event.lot)
            if known is None:
                problems.append(Problem(position, "lot", f"unknown lot {event.lot}"))
            else:
                problems.append(_unit_problem(position, "unit", event.unit, known))
    found = [problem for problem in problems if problem is not None]
    if found:
        raise TraceInputError(found)


def _adjacency(
    lots: dict[str, Lot],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    made_from: dict[str, tuple[str, ...]] = {}
    made_into: dict[str, list[str]] = {}
    for code, lot in lots.items():
        if isinstance(lot.event, ProducedLot):
            parents = tuple(dict.fromkeys(used.lot for used in lot.event.inputs))
            made_from[code] = parents
            for parent in parents:
                made_into.setdefault(parent, []).append(code)
    return made_from, {code: tuple(children) for code, children in made_into.items()}


def _check_acyclic(
    lots: dict[str, Lot],
    made_from: Mapping[str, tuple[str, ...]],
    made_into: Mapping[str, tuple[str, ...]],
) -> None:
    """Kahn's algorithm; what it cannot order lies on or behind a cycle."""
    waiting = {code: len(made_from.get(code, ())) for code in lots}
    ready = [code for code, count in waiting.items() if count == 0]
    while ready:
        code = ready.pop()
        for child in made_into.get(code, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    left = {code for code, count in waiting.items() if count > 0}
    if not left:
        return
    # Every lot left has a parent left: walking parents must come back on itself.
    start = min(left, key=lambda code: lots[code].position)
    path = [start]
    seen = {start: 0}
    while True:
        parent = next(p for p in made_from[path[-1]] if p in left)
        if parent in seen:
            cycle = path[seen[parent] :]
            break
        seen[parent] = len(path)
        path.append(parent)
    # Report at the lot of the cycle that comes first, on the input that closes it.
    first = min(range(len(cycle)), key=lambda i: lots[cycle[i]].position)
    lot = lots[cycle[first]]
    parent = cycle[(first + 1) % len(cycle)]
    assert isinstance(lot.event, ProducedLot)
    index = next(i for i, used in enumerate(lot.event.inputs) if used.lot == parent)
    # cycle holds each lot then its parent; read it the way the material flows.
    ring = [*cycle[first:], *cycle[:first], cycle[first]]
    flow = " → ".join(reversed(ring))
    raise TraceInputError(
        [Problem(lot.position, f"inputs[{index}].lot", f"cycle: {flow} (made from itself)")]
    )


def _walk_stock(items: list[Event], numbers: list[int], lots: dict[str, Lot]) -> dict[str, Tally]:
    """Take each lot's movements in order; refuse any that takes more than what is left."""
    steps: dict[str, list[_Step]] = {code: [] for code in lots}
    for order, (position, event) in enumerate(zip(numbers, items, strict=True)):
        if isinstance(event, ProducedLot):
            for index, used in enumerate(event.inputs):
                steps[used.lot].append(
                    _Step(event.date, position, order, f"inputs[{index}]", used.quantity, "used")
                )
        elif isinstance(event, Delivery):
            steps[event.lot].append(
                _Step(event.date, position, order, "", event.quantity, "delivered")
            )
        elif isinstance(event, Sale):
            steps[event.lot].append(_Step(event.date, position, order, "", event.quantity, "sold"))
        elif isinstance(event, Destruction):
            steps[event.lot].append(
                _Step(event.date, position, order, "", event.quantity, "destroyed")
            )
        elif isinstance(event, StockCount):
            steps[event.lot].append(_Step(event.date, position, order, "", event.quantity, "count"))
    problems: list[Problem] = []
    tallies: dict[str, Tally] = {}
    for code, lot_steps in steps.items():
        lot = lots[code]
        tally = Tally(quantity=lot.event.quantity, in_stock=lot.event.quantity)
        lot_steps.sort(key=lambda step: step.sort_key)
        for step in lot_steps:
            problem = _take(lot, tally, step)
            if problem is not None:
                problems.append(problem)
                break
        tallies[code] = tally
    if problems:
        raise TraceInputError(problems)
    return tallies


def _take(lot: Lot, tally: Tally, step: _Step) -> Problem | None:
    prefix = f"{step.path}." if step.path else ""
    unit = lot.event.unit
    if step.day < lot.event.date:
        return Problem(
            step.position,
            "date",
            f"{step.day.isoformat()} is before lot {lot.code} exists "
            f"({lot.event.date.isoformat()})",
        )
    if step.what == "count":
        tally.in_stock = step.quantity
        tally.counted_on = step.day
        return None
    if step.quantity > tally.in_stock:
        return Problem(
            step.position,
            f"{prefix}quantity",
            f"{amount(step.quantity)} {unit} is more than what is left of lot {lot.code} "
            f"on {step.day.isoformat()} ({amount(tally.in_stock)} {unit})",
        )
    tally.in_stock -= step.quantity
    if step.what == "used":
        tally.used += step.quantity
    elif step.what == "delivered":
        tally.delivered += step.quantity
    elif step.what == "sold":
        tally.sold += step.quantity
    else:
        tally.destroyed += step.quantity
    return None
