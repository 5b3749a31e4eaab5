"""The operator's lots as the trace core's events, and the lot graph built from them.

Every lot of the graph has a key: `b<pk>` for a batch (a production or a milking) and `i<pk>`
for a received lot (the pk of its first version). Events are ordered by their day, then by when
their row was stored (a correction comes last of its day). Rows are read as plain columns: the
graph of two years of a dairy is read in one query per table. A write is checked by building the
graph of the lots it concerns with the change applied: the core refuses what does not fit (a
movement beyond what is left, a date before the lot exists, a lot made from itself) and the
refusal is worded here. Only the rows of those lots are read (their records, their movements and
the productions that use them, with only the inputs taken from them), so a write costs the same
however many other lots there are; a change that could close a cycle is checked on the whole
graph. A trace reads the same way: one recursive query finds the lots it reaches, then only the
rows of those lots are read, so its cost grows with what it reaches, not with the history.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.db import connection
from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.trace import (
    Balance,
    Delivery,
    Destruction,
    Event,
    InputUse,
    LotGraph,
    ProducedLot,
    ReceivedLot,
    Sale,
    StockCount,
    Trace,
    TraceInputError,
    backward,
    balance,
    build_graph,
    forward,
)
from dairyhaccp.trace.graph import Problem
from dairyhaccp.trace.queries import Direction
from dairyhaccp.web import compiled
from dairyhaccp.web.lots.choices import MovementKind, ProductionKind
from dairyhaccp.web.lots.keys import batch_key as batch_key
from dairyhaccp.web.lots.keys import input_key as input_key
from dairyhaccp.web.lots.keys import lot_key_of as lot_key_of
from dairyhaccp.web.lots.keys import parse_key as parse_key
from dairyhaccp.web.lots.models import InputLot, Movement, Production, ProductionInput
from dairyhaccp.web.lots.presentation import quantity as worded_quantity
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.constants import RAW_MILK

# Which record an event comes from: (model name, chain), or ("new", index) for a change.
Tag = tuple[str, str]
# Sort key of an event: its day, then its row's primary key (the order of entry).
Order = tuple[date, int]
NEW = "new"


@dataclass(frozen=True)
class LotInfo:
    """What a page shows of a lot of the graph, and where its rows are."""

    key: str
    code: str
    is_batch: bool
    pk: int  # the batch, or the first version of the received lot
    current_pk: int  # the current version of the production or received lot
    kind: str  # ProductionKind or InputKind value
    product: str  # the batch's product, or the input kind
    quantity: Decimal
    unit: str
    day: date
    best_before: date | None
    use_by: date | None
    supplier: str | None
    supplier_lot: str

    @property
    def is_milk(self) -> bool:
        return self.kind == ProductionKind.MILKING or self.product == RAW_MILK

    @property
    def date_mark(self) -> date | None:
        return self.use_by or self.best_before


@dataclass(frozen=True)
class Entry:
    """One event of the book, where it comes from and where it goes in the order."""

    order: Order
    tag: Tag
    event: Event


@dataclass
class Book:
    """The lot graph of one operator with what pages show of its lots."""

    graph: LotGraph
    lots: Mapping[str, LotInfo]
    entries: Sequence[Entry] = field(default_factory=list)

    def info(self, key: str) -> LotInfo:
        return self.lots[key]

    def code(self, key: str) -> str:
        return self.lots[key].code

    def balance(self, key: str) -> Balance:
        return balance(self.graph, key)

    def left(self, key: str) -> Decimal:
        return self.graph.tallies[key].in_stock

    def forward(self, key: str) -> Trace:
        return forward(self.graph, key)

    def backward(self, key: str) -> Trace:
        return backward(self.graph, key)


def production_tag(batch_id: int) -> Tag:
    return ("production", str(batch_id))


def movement_tag(movement_id: int) -> Tag:
    return ("movement", str(movement_id))


def input_tag(chain: object) -> Tag:
    return ("input", str(chain))


PRODUCTION_COLUMNS = (
    "pk",
    "batch_id",
    "kind",
    "quantity",
    "unit",
    "made_on",
    "best_before",
    "use_by",
    "batch__lot_code",
    "batch__product",
)
MOVEMENT_COLUMNS = (
    "pk",
    "kind",
    "batch_id",
    "input_lot_id",
    "quantity",
    "moved_on",
    "customer__name",
    "reason",
)


@dataclass(frozen=True, slots=True)
class _ProductionRow:
    """The columns of a production the graph needs (read without building a model)."""

    pk: int
    batch_id: int
    kind: str
    quantity: Decimal
    unit: str
    made_on: date
    best_before: date | None
    use_by: date | None
    lot_code: str
    product: str


@dataclass(frozen=True, slots=True)
class _MovementRow:
    """The columns of a movement the graph needs (read without building a model)."""

    pk: int
    kind: str
    batch_id: int | None
    input_lot_id: int | None
    quantity: Decimal
    moved_on: date
    customer: str | None
    reason: str


def production_row(production: Production) -> _ProductionRow:
    """A production not yet stored, as the graph reads it."""
    return _ProductionRow(
        pk=production.pk or 0,
        batch_id=production.batch_id,
        kind=production.kind,
        quantity=production.quantity,
        unit=production.unit,
        made_on=production.made_on,
        best_before=production.best_before,
        use_by=production.use_by,
        lot_code=production.batch.lot_code,
        product=production.batch.product,
    )


def movement_row(movement: Movement) -> _MovementRow:
    """A movement not yet stored, as the graph reads it."""
    return _MovementRow(
        pk=movement.pk or 0,
        kind=movement.kind,
        batch_id=movement.batch_id,
        input_lot_id=movement.input_lot_id,
        quantity=movement.quantity,
        moved_on=movement.moved_on,
        customer=movement.customer.name if movement.customer else None,
        reason=movement.reason,
    )


def _first_ids(model: type[Model], operator: Operator) -> dict[Any, int]:
    rows = model._default_manager.filter(operator=operator, version=1)
    return dict(rows.values_list("chain", "pk"))


def _text(value: str) -> str:
    """A text as the core's labels take it: one line, not empty."""
    return " ".join(value.split())[:200] or "-"


def input_event(lot: InputLot, key: str) -> ReceivedLot:
    return ReceivedLot(
        lot=key,
        kind=lot.kind,
        quantity=lot.quantity,
        unit=lot.unit,
        date=lot.received_on,
        supplier=_text(lot.supplier.name),
        supplier_lot=_text(lot.supplier_lot) if lot.supplier_lot else None,
        best_before=lot.best_before,
        use_by=lot.use_by,
    )


def production_event(
    production: Production | _ProductionRow, inputs: Iterable[tuple[str, Decimal]]
) -> ReceivedLot | ProducedLot:
    """The core's event of a production (or a milking) with its inputs given as (key, quantity)."""
    if isinstance(production, Production):
        production = production_row(production)
    key = batch_key(production.batch_id)
    if production.kind == ProductionKind.MILKING:
        return ReceivedLot(
            lot=key,
            kind=RAW_MILK,
            quantity=production.quantity,
            unit=production.unit,
            date=production.made_on,
            best_before=production.best_before,
            use_by=production.use_by,
        )
    return ProducedLot(
        lot=key,
        product=_text(production.product),
        quantity=production.quantity,
        unit=production.unit,
        date=production.made_on,
        best_before=production.best_before,
        use_by=production.use_by,
        inputs=tuple(InputUse(lot=lot, quantity=amount) for lot, amount in inputs),
    )


def movement_event(movement: Movement | _MovementRow, key: str) -> Event:
    """The core's event of a delivery, sale, destruction or stock count."""
    if isinstance(movement, Movement):
        movement = movement_row(movement)
    day = movement.moved_on
    if movement.kind == MovementKind.DELIVER:
        assert movement.customer is not None
        return Delivery(
            lot=key, customer=_text(movement.customer), quantity=movement.quantity, date=day
        )
    if movement.kind == MovementKind.SELL:
        return Sale(lot=key, quantity=movement.quantity, date=day)
    if movement.kind == MovementKind.DESTROY:
        return Destruction(
            lot=key, quantity=movement.quantity, date=day, reason=_text(movement.reason)
        )
    return StockCount(lot=key, quantity=movement.quantity, date=day)


def _as_defined(production: _ProductionRow) -> ReceivedLot:
    """A production none of whose inputs is concerned: only its quantity and day count."""
    return ReceivedLot(
        lot=batch_key(production.batch_id),
        kind=_text(production.product),
        quantity=production.quantity,
        unit=production.unit,
        date=production.made_on,
        best_before=production.best_before,
        use_by=production.use_by,
    )


def _split_keys(keys: Iterable[str]) -> tuple[set[int], set[int]]:
    """(batch ids, first ids of received lots) of lot keys."""
    batches: set[int] = set()
    inputs: set[int] = set()
    for key in keys:
        parsed = parse_key(key)
        if parsed is not None:
            (batches if parsed[0] == "batch" else inputs).add(parsed[1])
    return batches, inputs


def _received_info(lot: InputLot, first: int) -> LotInfo:
    return LotInfo(
        key=input_key(first),
        code=lot.lot_code,
        is_batch=False,
        pk=first,
        current_pk=lot.pk,
        kind=lot.kind,
        product=lot.kind,
        quantity=lot.quantity,
        unit=lot.unit,
        day=lot.received_on,
        best_before=lot.best_before,
        use_by=lot.use_by,
        supplier=lot.supplier.name,
        supplier_lot=lot.supplier_lot,
    )


def _production_info(production: _ProductionRow) -> LotInfo:
    return LotInfo(
        key=batch_key(production.batch_id),
        code=production.lot_code,
        is_batch=True,
        pk=production.batch_id,
        current_pk=production.pk,
        kind=production.kind,
        product=production.product,
        quantity=production.quantity,
        unit=production.unit,
        day=production.made_on,
        best_before=production.best_before,
        use_by=production.use_by,
        supplier=None,
        supplier_lot="",
    )


_Record = TypeVar("_Record", InputLot, Production, Movement)


def current_records(model: type[_Record], operator: Operator) -> QuerySet[_Record]:
    """The operator's current versions of `model`'s records, withdrawn ones left out."""
    return model.objects.for_operator(operator).latest_versions().filter(withdrawn=False)


def _current_received(
    operator: Operator, keys: Collection[str] | None
) -> tuple[QuerySet[InputLot], dict[Any, int]]:
    """The current received lots (of `keys` only, if given) and the first version of each chain."""
    received = current_records(InputLot, operator)
    if keys is None:
        return received, _first_ids(InputLot, operator)
    input_firsts = _received_firsts(operator, keys)
    return received.filter(chain__in=sorted(input_firsts)), input_firsts


def _received_firsts(operator: Operator, keys: Collection[str]) -> dict[Any, int]:
    input_ids = sorted(_split_keys(keys)[1])
    return dict(
        compiled.rows(
            ("received lots' chains", operator.pk, tuple(input_ids)),
            lambda: InputLot.objects.filter(
                operator=operator, pk__in=input_ids, version=1
            ).values_list("chain", "pk"),
        )
    )


def lot_infos(operator: Operator, keys: Collection[str] | None = None) -> dict[str, LotInfo]:
    """What pages show of the operator's current lots (of `keys` only, if given): their own
    records, without their movements or uses."""
    batch_ids = None if keys is None else tuple(sorted(_split_keys(keys)[0]))
    infos: dict[str, LotInfo] = {}
    if keys is None:
        received, input_firsts = _current_received(operator, keys)
        lots = list(received.select_related("supplier"))
    else:
        input_firsts = _received_firsts(operator, keys)
        chains = sorted(input_firsts)
        lots = (
            compiled.instances(
                ("received lots", operator.pk, tuple(chains)),
                lambda: (
                    current_records(InputLot, operator)
                    .filter(chain__in=chains)
                    .select_related("supplier")
                ),
            )
            if chains
            else []
        )
    for lot in lots:
        info = _received_info(lot, input_firsts.get(lot.chain, lot.pk))
        infos[info.key] = info
    production_rows = compiled.rows(
        ("productions of lots", operator.pk, batch_ids),
        partial(_productions_of, operator, batch_ids),
    )
    for row in production_rows:
        info = _production_info(_ProductionRow(*row))
        infos[info.key] = info
    return infos


def _productions_of(operator: Operator, batch_ids: Sequence[int] | None) -> QuerySet[Any]:
    productions = current_records(Production, operator)
    if batch_ids is not None:
        productions = productions.filter(batch_id__in=batch_ids)
    return productions.values_list(*PRODUCTION_COLUMNS)


def lot_days(
    operator: Operator,
    *,
    since: date | None = None,
    codes: Collection[str] | None = None,
) -> dict[str, date]:
    """The day of each current lot (made or received), of the lots dated `since` or later, or
    coded one of `codes`, when given."""
    coded = None if codes is None else tuple(codes)
    asked = (operator.pk, since, coded)
    days = {
        batch_key(batch_id): made_on
        for batch_id, made_on in compiled.rows(
            ("days of productions", *asked), partial(_days_of, Production, operator, since, coded)
        )
    }
    received_on = dict(
        compiled.rows(
            ("days of received lots", *asked), partial(_days_of, InputLot, operator, since, coded)
        )
    )
    if not received_on:
        return days
    chains = tuple(received_on)
    firsts = dict(
        compiled.rows(
            ("received lots' first versions", operator.pk, chains),
            lambda: InputLot.objects.filter(
                operator=operator, version=1, chain__in=chains
            ).values_list("chain", "pk"),
        )
    )
    days.update(
        {input_key(firsts[chain]): day for chain, day in received_on.items() if chain in firsts}
    )
    return days


def _days_of(
    model: type[InputLot] | type[Production],
    operator: Operator,
    since: date | None,
    codes: tuple[str, ...] | None,
) -> QuerySet[Any]:
    """(batch id, day made) of the current productions, or (chain, day received) of the
    current received lots, dated `since` or later or coded one of `codes`, when given."""
    rows: QuerySet[Any]
    if model is Production:
        rows = current_records(Production, operator)
        day, code, lot = "made_on", "batch__lot_code", "batch_id"
    else:
        rows = current_records(InputLot, operator)
        day, code, lot = "received_on", "lot_code", "chain"
    if since is not None:
        rows = rows.filter(**{f"{day}__gte": since})
    if codes is not None:
        rows = rows.filter(**{f"{code}__in": list(codes)})
    return rows.values_list(lot, day)


def newest_first(info: LotInfo) -> tuple[date, bool, int]:
    """The order of lots newest first (sorted in reverse): by day, then received before made,
    then the newest record; as `newest_keys` reads them."""
    return (info.day, not info.is_batch, info.pk)


def newest_keys(operator: Operator, offset: int, limit: int, code_contains: str = "") -> list[str]:
    """A page of the keys of the current lots (whose code contains `code_contains`, any case,
    when given), newest first as `newest_first` orders them: read a page, not every lot."""
    page = compiled.rows(
        ("newest lots", operator.pk, offset, limit, code_contains),
        partial(_newest_page, operator, offset, limit, code_contains),
    )
    return [
        input_key(number) if was_received else batch_key(number)
        for _day, was_received, number in page
    ]


def _newest_page(operator: Operator, offset: int, limit: int, code_contains: str) -> QuerySet[Any]:
    productions = current_records(Production, operator)
    received = current_records(InputLot, operator)
    if code_contains:
        productions = productions.filter(batch__lot_code__icontains=code_contains)
        received = received.filter(lot_code__icontains=code_contains)
    first = InputLot.objects.filter(chain=OuterRef("chain"), version=1).order_by().values("pk")[:1]
    made = productions.annotate(
        day=F("made_on"), received=Value(False), number=F("batch_id")
    ).values_list("day", "received", "number")
    bought = received.annotate(
        day=F("received_on"), received=Value(True), number=Subquery(first)
    ).values_list("day", "received", "number")
    return (
        made.order_by()
        .union(bought.order_by(), all=True)
        .order_by("-day", "-received", "-number")[offset : offset + limit]
    )


def load_entries(
    operator: Operator, keys: Collection[str] | None = None
) -> tuple[list[Entry], dict[str, LotInfo]]:
    """Every current record of the operator's lots as events, and what pages show of each lot.

    With `keys`, only what concerns those lots: their own records, their movements, and the
    productions that use them with only the inputs taken from them (enough to walk what is
    left of each of those lots, in the same order as the whole graph would)."""
    entries: list[Entry] = []
    infos: dict[str, LotInfo] = {}
    received, input_firsts = _current_received(operator, keys)
    uses_rows = ProductionInput.objects.filter(
        operator=operator, production__correction__isnull=True, production__withdrawn=False
    )
    productions = current_records(Production, operator)
    movements = current_records(Movement, operator)
    if keys is not None:
        batch_ids, input_ids = _split_keys(keys)
        concerned = Q(batch_id__in=batch_ids) | Q(input_lot_id__in=input_ids)
        uses_rows = uses_rows.filter(concerned)
        productions = productions.filter(
            Q(batch_id__in=batch_ids) | Q(pk__in=uses_rows.values("production_id"))
        )
        movements = movements.filter(concerned)
    for lot in received.select_related("supplier"):
        first = input_firsts.get(lot.chain, lot.pk)
        key = input_key(first)
        infos[key] = _received_info(lot, first)
        entries.append(
            Entry((lot.received_on, lot.pk), input_tag(lot.chain), input_event(lot, key))
        )

    uses: dict[int, list[tuple[str, Decimal]]] = {}
    rows = uses_rows.order_by("pk").values_list(
        "production_id", "batch_id", "input_lot_id", "quantity"
    )
    for production_id, batch_id, input_lot_id, amount in rows:
        uses.setdefault(production_id, []).append((lot_key_of(batch_id, input_lot_id), amount))
    for row in productions.values_list(*PRODUCTION_COLUMNS):
        production = _ProductionRow(*row)
        key = batch_key(production.batch_id)
        infos[key] = _production_info(production)
        used = uses.get(production.pk, ())
        event = (
            production_event(production, used) if used or keys is None else _as_defined(production)
        )
        entries.append(
            Entry((production.made_on, production.pk), production_tag(production.batch_id), event)
        )

    for row in movements.values_list(*MOVEMENT_COLUMNS):
        movement = _MovementRow(*row)
        key = lot_key_of(movement.batch_id, movement.input_lot_id)
        entries.append(
            Entry(
                (movement.moved_on, movement.pk),
                movement_tag(movement.pk),
                movement_event(movement, key),
            )
        )
    return entries, infos


def _build(entries: Sequence[Entry]) -> LotGraph:
    return build_graph([entry.event for entry in entries])


def load_book(operator: Operator) -> Book:
    """The operator's lot graph as stored now."""
    entries, infos = load_entries(operator)
    entries.sort(key=lambda entry: entry.order)
    return Book(graph=_build(entries), lots=infos, entries=entries)


def left_of(operator: Operator, key: str) -> Decimal:
    """What is left of one lot, read from its own rows only; zero for a lot without quantity."""
    entries, _infos = load_entries(operator, {key})
    entries.sort(key=lambda entry: entry.order)
    graph = _build(entries)
    tally = graph.tallies.get(key)
    return tally.in_stock if tally is not None else Decimal(0)


def _reach_sql(direction: Direction, start_is_batch: bool) -> str:
    """A recursive query: the batches reached from the start lot along current productions, as
    ('b', batch id) rows, and, backward, the received lots they were made from as ('i', id)."""
    quote = connection.ops.quote_name
    production = quote(Production._meta.db_table)
    used = quote(ProductionInput._meta.db_table)
    current = (
        "p.operator_id = %(operator)s AND p.withdrawn = %(no)s AND NOT EXISTS "
        f"(SELECT 1 FROM {production} c WHERE c.corrects_id = p.id)"
    )
    if direction == "forward":
        column = "i.batch_id" if start_is_batch else "i.input_lot_id"
        return f"""
            WITH RECURSIVE reached(batch_id) AS (
                SELECT p.batch_id FROM {used} i
                JOIN {production} p ON p.id = i.production_id
                WHERE i.operator_id = %(operator)s AND {column} = %(start)s AND {current}
                UNION
                SELECT p.batch_id FROM reached
                JOIN {used} i ON i.batch_id = reached.batch_id
                JOIN {production} p ON p.id = i.production_id
                WHERE i.operator_id = %(operator)s AND {current}
            )
            SELECT 'b', batch_id FROM reached
        """
    return f"""
        WITH RECURSIVE reached(batch_id) AS (
            SELECT CAST(%(start)s AS BIGINT)
            UNION
            SELECT i.batch_id FROM reached
            JOIN {production} p ON p.batch_id = reached.batch_id
            JOIN {used} i ON i.production_id = p.id
            WHERE i.batch_id IS NOT NULL AND {current}
        )
        SELECT 'b', batch_id FROM reached
        UNION
        SELECT 'i', i.input_lot_id FROM reached
        JOIN {production} p ON p.batch_id = reached.batch_id
        JOIN {used} i ON i.production_id = p.id
        WHERE i.input_lot_id IS NOT NULL AND {current}
    """


def reached_keys(operator: Operator, key: str, direction: Direction) -> set[str]:
    """The keys of the lots a trace of `key` reaches, `key` included, in one query: forward the
    batches made from it, transitively; backward the batches and received lots it was made
    from. A received lot has nothing behind it."""
    parsed = parse_key(key)
    if parsed is None:
        return set()
    kind, number = parsed
    if direction == "backward" and kind == "input":
        return {key}
    params = {"operator": operator.pk, "start": number, "no": False}
    with connection.cursor() as cursor:
        cursor.execute(_reach_sql(direction, kind == "batch"), params)
        rows = cursor.fetchall()
    keys = {batch_key(pk) if tag == "b" else input_key(pk) for tag, pk in rows}
    keys.add(key)
    return keys


def load_trace_book(
    operator: Operator, starts: Iterable[str], direction: Direction = "forward"
) -> Book:
    """The book of the lots the traces of `starts` reach, the starts included: enough for those
    traces, with the same lots, deliveries, stock and balances as the whole book gives (a lot's
    balance depends only on its own rows, which are all read). Its cost grows with the lots
    reached, not with the operator's other lots."""
    keys: set[str] = set()
    for start in starts:
        keys |= reached_keys(operator, start, direction)
    return load_lots_book(operator, keys)


def load_lots_book(operator: Operator, keys: Collection[str]) -> Book:
    """A book of these lots, read from their own rows only: each lot's information and
    balance are those of the whole book. Productions that use them are in it as lots too,
    without their other inputs."""
    entries, infos = load_entries(operator, keys)
    entries.sort(key=lambda entry: entry.order)
    return Book(graph=_build(entries), lots=infos, entries=entries)


@dataclass(frozen=True)
class Change:
    """A write to check: events replacing stored ones (None takes one out) and new events."""

    replace: Mapping[Tag, Event | None] = field(default_factory=dict)
    add: Sequence[Event] = ()
    infos: Mapping[str, LotInfo] = field(default_factory=dict)


# Turns a field of the core's refusal of a changed or new event into a form field.
FieldMap = Callable[[str], str]


def _descendants(operator: Operator, batch_ids: set[int]) -> set[int]:
    """The batches made, transitively, from any of `batch_ids` (one query per generation)."""
    found: set[int] = set()
    frontier = set(batch_ids)
    while frontier:
        children = set(
            ProductionInput.objects.filter(
                operator=operator,
                batch_id__in=frontier,
                production__correction__isnull=True,
                production__withdrawn=False,
            ).values_list("production__batch_id", flat=True)
        )
        frontier = children - found
        found |= children
    return found


def _concerned(operator: Operator, change: Change, lots: Iterable[str]) -> set[str] | None:
    """The lots whose rows check `change`: those named and those its events touch; None (the
    whole graph) when a production could be made from its own descendants."""
    keys = set(lots)
    produced: dict[str, set[str]] = {}
    for event in [*change.add, *change.replace.values()]:
        if event is None:
            continue
        keys.add(event.lot)
        if isinstance(event, ProducedLot):
            used = {line.lot for line in event.inputs}
            keys |= used
            produced.setdefault(event.lot, set()).update(used)
    for lot, used in produced.items():
        own, _inputs = _split_keys([lot])
        made_from, _received = _split_keys(used)
        if own and made_from & (own | _descendants(operator, own)):
            return None
    return keys


def check_change(
    operator: Operator, change: Change, field_for: FieldMap, lots: Iterable[str] = ()
) -> Book:
    """The book of the lots concerned with `change` applied, or LotError on the form field at
    fault, worded. `lots` names the lots of the records replaced (their events name the rest)."""
    entries, infos = load_entries(operator, _concerned(operator, change, lots))
    infos.update(change.infos)
    base = sorted(entries, key=lambda entry: entry.order)
    # A new record, and a new version, is stored after every record there is: it comes last
    # of its day, as it will when read back.
    last = 2**63
    changed: list[Entry] = []
    for entry in base:
        if entry.tag in change.replace:
            replacement = change.replace[entry.tag]
            if replacement is not None:
                changed.append(Entry((_event_day(replacement), last), entry.tag, replacement))
        else:
            changed.append(entry)
    for index, event in enumerate(change.add):
        changed.append(Entry((_event_day(event), last + 1 + index), (NEW, str(index)), event))
    changed.sort(key=lambda entry: entry.order)
    try:
        graph = _build(changed)
    except TraceInputError as exc:
        raise _refusal(exc, changed, base, infos, change, field_for) from None
    return Book(graph=graph, lots=infos, entries=changed)


def _event_day(event: Event) -> date:
    return event.date


def _refusal(
    exc: TraceInputError,
    changed: Sequence[Entry],
    base: Sequence[Entry],
    infos: Mapping[str, LotInfo],
    change: Change,
    field_for: FieldMap,
) -> LotError:
    touched = {tag for tag in change.replace} | {(NEW, str(i)) for i in range(len(change.add))}
    problems = list(exc.problems)
    own = [p for p in problems if changed[p.position - 1].tag in touched]
    problem = own[0] if own else problems[0]
    entry = changed[problem.position - 1]
    try:
        base_graph: LotGraph | None = _build(base)
    except TraceInputError:
        base_graph = None
    if own:
        return _own_refusal(problem, entry.event, infos, base_graph, field_for)
    return _later_refusal(problem, entry.event, infos, base_graph, field_for)


def _code(infos: Mapping[str, LotInfo], key: str) -> str:
    info = infos.get(key)
    return info.code if info else key


def _lot_of(event: Event, path: str) -> str:
    if path.startswith("inputs[") and isinstance(event, ProducedLot):
        index = int(path[len("inputs[") : path.index("]")])
        return event.inputs[index].lot
    return event.lot


def _own_refusal(
    problem: Problem,
    event: Event,
    infos: Mapping[str, LotInfo],
    base: LotGraph | None,
    field_for: FieldMap,
) -> LotError:
    """The changed or new record itself does not fit."""
    target = field_for(problem.field)
    if problem.field.endswith("quantity"):
        key = _lot_of(event, problem.field)
        info = infos.get(key)
        taken = _taken(event, problem.field)
        unit = info.unit if info else ""
        left = base.tallies[key].in_stock if base is not None and key in base.tallies else None
        if left is not None and taken > left:
            return LotError(
                target,
                _("{quantity} is more than what is left of lot {lot}: {left}.").format(
                    quantity=worded_quantity(taken, unit),
                    lot=_code(infos, key),
                    left=worded_quantity(left, unit),
                ),
            )
        return LotError(
            target,
            _(
                "Taking {quantity} of lot {lot} on this day leaves too little of it for what "
                "was taken from it later."
            ).format(quantity=worded_quantity(taken, unit), lot=_code(infos, key)),
        )
    if problem.field == "date":
        key = _date_lot(event, problem, infos)
        info = infos.get(key)
        return LotError(
            target,
            _("This date lies before lot {lot} was made or received ({day}).").format(
                lot=_code(infos, key), day=_day(info.day) if info else ""
            ),
        )
    if problem.field.endswith(".lot") and "cycle" in problem.message:
        return LotError(target, _("A lot cannot be made from itself."))
    return LotError(target, _("This lot is not known (any more)."))


def _later_refusal(
    problem: Problem,
    event: Event,
    infos: Mapping[str, LotInfo],
    base: LotGraph | None,
    field_for: FieldMap,
) -> LotError:
    """The change makes a stored record of another lot or later day no longer fit."""
    if problem.field.endswith("quantity"):
        key = _lot_of(event, problem.field)
        info = infos.get(key)
        tally = base.tallies.get(key) if base is not None else None
        taken = tally.accounted - tally.in_stock if tally is not None else Decimal(0)
        return LotError(
            field_for("quantity"),
            _(
                "Lot {lot} would be left with less than what was already taken from it ({taken})."
            ).format(
                lot=_code(infos, key), taken=worded_quantity(taken, info.unit if info else "")
            ),
        )
    if problem.field == "date":
        key = _date_lot(event, problem, infos)
        return LotError(
            field_for("date"),
            _("Lot {lot} has records from before this date.").format(lot=_code(infos, key)),
        )
    key = _lot_of(event, problem.field) if problem.field.endswith("lot") else event.lot
    return LotError(
        field_for("lot"),
        _("Lot {lot} is still used by other records: correct or withdraw those first.").format(
            lot=_code(infos, key) if key in infos else _referenced(problem)
        ),
    )


def _referenced(problem: Problem) -> str:
    return problem.message.removeprefix("unknown lot ")


def _taken(event: Event, path: str) -> Decimal:
    if path.startswith("inputs[") and isinstance(event, ProducedLot):
        return event.inputs[int(path[len("inputs[") : path.index("]")])].quantity
    return event.quantity


def _date_lot(event: Event, problem: Problem, infos: Mapping[str, LotInfo]) -> str:
    """The lot whose date the event's date lies before: an input of a production, else its lot."""
    if isinstance(event, ProducedLot):
        for used in event.inputs:
            info = infos.get(used.lot)
            if info is not None and event.date < info.day:
                return used.lot
    return event.lot


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
