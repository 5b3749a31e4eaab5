"""Reads of the lots context."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from dairyhaccp.trace.queries import Direction
from dairyhaccp.web import compiled
from dairyhaccp.web.lots.choices import ProductionKind
from dairyhaccp.web.lots.constants import (
    LOT_OFFER_DAYS,
    LOT_SEARCH_LIMIT,
    MILK_PROPOSAL_DAYS,
    PICK_LIST_LIMIT,
    UNTRACED_SHOWN,
)
from dairyhaccp.web.lots.models import (
    Customer,
    InputLot,
    MockRecall,
    Movement,
    Production,
    ProductionInput,
    Recall,
    RecallLot,
    Supplier,
)
from dairyhaccp.web.lots.services.book import (
    Book,
    LotInfo,
    batch_key,
    current_records,
    input_key,
    left_of,
    load_book,
    load_lots_book,
    load_trace_book,
    lot_days,
    lot_infos,
    newest_first,
    newest_keys,
    parse_key,
)
from dairyhaccp.web.lots.services.stock import Ledger, lots_ledger, stock_ledger
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.models import Batch


def suppliers(operator: Operator, *, active_only: bool = False) -> QuerySet[Supplier]:
    rows = Supplier.objects.for_operator(operator)
    return rows.filter(active=True) if active_only else rows


def customers(operator: Operator, *, active_only: bool = False) -> QuerySet[Customer]:
    rows = Customer.objects.for_operator(operator)
    return rows.filter(active=True) if active_only else rows


def blocked_keys(operator: Operator) -> set[str]:
    """Lots blocked by an open deviation or an open recall (the one list of blocked lots of
    records, and the received lots of open recalls)."""
    batches = records_selectors.blocked_lot_ids(operator)
    received = compiled.rows(
        ("blocked received lots", operator.pk),
        lambda: RecallLot.objects.filter(
            operator=operator, recall__closure__isnull=True, input_lot__isnull=False
        ).values_list("input_lot_id"),
    )
    return {batch_key(pk) for pk in batches} | {input_key(pk) for (pk,) in received}


@dataclass(frozen=True)
class StockRow:
    """A lot with what is left of it."""

    info: LotInfo
    left: Decimal
    blocked: bool


class Lots(Protocol):
    """Lots with what is left of each: a whole book, a book of some lots, or a ledger."""

    @property
    def lots(self) -> Mapping[str, LotInfo]: ...

    def left(self, key: str) -> Decimal: ...


def in_stock(operator: Operator, keep: Collection[str] = ()) -> Ledger:
    """The lots with something left (and those of `keep`): read without the lots' history."""
    return stock_ledger(operator, keep)


def offered(operator: Operator, keep: Collection[str] = ()) -> Ledger:
    """The lots in stock, those of the last `LOT_OFFER_DAYS` days and those of `keep`: what a
    form offers that may concern a lot with nothing left (a stock count, a recall)."""
    since = timezone.localdate() - timedelta(days=LOT_OFFER_DAYS)
    kept = [key for key in keep if parse_key(key) is not None]
    return stock_ledger(operator, [*lot_days(operator, since=since), *kept])


def keys_coded(operator: Operator, codes: Collection[str]) -> list[str]:
    """The keys of the current lots coded one of `codes`, in the order of `codes`."""
    days = lot_days(operator, codes=codes)
    by_code = {info.code: info.key for info in lot_infos(operator, days).values()}
    return [by_code[code] for code in codes if code in by_code]


def found(operator: Operator, text: str) -> Ledger:
    """The newest `LOT_SEARCH_LIMIT` current lots whose code contains `text` (any case)."""
    keys = newest_keys(operator, 0, LOT_SEARCH_LIMIT, code_contains=text) if text else []
    return lots_ledger(operator, keys)


def newest(operator: Operator, offset: int, limit: int) -> Ledger:
    """A page of every current lot, newest first: only that page's lots are read."""
    return lots_ledger(operator, newest_keys(operator, offset, limit))


@dataclass(frozen=True)
class Untraced:
    """Batches without a current production (no quantity or inputs yet), newest first: those of
    the last `LOT_OFFER_DAYS` days, or the older ones; at most `UNTRACED_SHOWN`."""

    batches: list[Batch]
    older: bool
    more_older: bool


def untraced(operator: Operator, *, older: bool = False) -> Untraced:
    """The batches still without a quantity that the lots page lists; `more_older`: whether
    older ones exist too (False when the older ones are asked for)."""
    since = timezone.now() - timedelta(days=LOT_OFFER_DAYS)
    productions = current_records(Production, operator)
    traced = productions.filter(batch=OuterRef("pk"))
    batches = records_selectors.batches(operator)
    if older:
        older_without = batches.filter(started_at__lt=since).filter(~Exists(traced))
        return Untraced(list(older_without[:UNTRACED_SHOWN]), True, False)
    # The window's batches from the start of its first day, so that the queries are kept by a
    # bound that moves once a day (`compiled`); then their productions by batch: as one
    # anti-join, PostgreSQL compared every batch of the window with every production of the
    # operator. Only the batches shown are read whole.
    first_day = timezone.localtime(since).replace(hour=0, minute=0, second=0, microsecond=0)
    window = compiled.rows(
        ("batches from", operator.pk, first_day),
        lambda: batches.filter(started_at__gte=first_day).values_list("pk", "started_at"),
    )
    ids = tuple(pk for pk, _started_at in window)
    done = {
        batch_id
        for (batch_id,) in compiled.rows(
            ("batches traced", operator.pk, ids),
            lambda: productions.filter(batch_id__in=ids).order_by().values_list("batch_id"),
        )
    }
    recent = [pk for pk, started_at in window if started_at >= since and pk not in done]
    shown_ids = recent[:UNTRACED_SHOWN]
    shown = (
        compiled.instances(
            ("batches to trace", operator.pk, tuple(shown_ids)),
            lambda: batches.filter(pk__in=shown_ids),
        )
        if shown_ids
        else []
    )
    more_older = any(started_at < since and pk not in done for pk, started_at in window) or bool(
        compiled.rows(
            ("older batches to trace", operator.pk, first_day),
            lambda: (
                batches.filter(started_at__lt=first_day)
                .filter(~Exists(traced))
                .values_list("pk")[:1]
            ),
        )
    )
    return Untraced(shown, False, more_older)


def lots_newest_first(book: Lots) -> list[LotInfo]:
    return sorted(book.lots.values(), key=newest_first, reverse=True)


def stock(book: Lots, blocked: set[str], *, in_stock_only: bool = True) -> list[StockRow]:
    """The lots of the book with what is left, newest first."""
    rows = [
        StockRow(info, book.left(info.key), info.key in blocked) for info in lots_newest_first(book)
    ]
    return [row for row in rows if row.left > 0] if in_stock_only else rows


def pick_list(book: Lots, blocked: set[str], *, for_dispatch: bool = False) -> list[StockRow]:
    """Lots to offer in a form: in stock, newest first; for a dispatch not the blocked ones."""
    rows = stock(book, blocked)
    if for_dispatch:
        rows = [row for row in rows if not row.blocked]
    return rows[:PICK_LIST_LIMIT]


def todays_milk(book: Lots) -> list[LotInfo]:
    """The milkings of today (else of the last days) with milk left: proposed to a production."""
    today = timezone.localdate()
    milk = [
        info
        for info in book.lots.values()
        if info.kind == ProductionKind.MILKING and book.left(info.key) > 0
    ]
    for days in range(MILK_PROPOSAL_DAYS + 1):
        found = [info for info in milk if info.day == today - timedelta(days=days)]
        if found:
            return sorted(found, key=lambda info: info.key)
    return []


def last_used_inputs(book: Lots, operator: Operator, product: str = "") -> list[LotInfo]:
    """The received lots used by the latest production (of `product` if given) that still have
    something left: proposed to the next production."""

    def latest_production() -> QuerySet[Production, tuple[int]]:
        productions = current_records(Production, operator).filter(kind=ProductionKind.PRODUCTION)
        if product:
            productions = productions.filter(batch__product=product)
        return productions.order_by("-made_on", "-pk").values_list("pk")[:1]

    latest = compiled.rows(("latest production", operator.pk, product), latest_production)
    if not latest:
        return []
    production_id = latest[0][0]
    used = compiled.rows(
        ("lots used by a production", operator.pk, production_id),
        lambda: (
            ProductionInput.objects.filter(
                operator=operator, production_id=production_id, input_lot__isnull=False
            )
            .order_by("pk")
            .values_list("input_lot_id")
        ),
    )
    found = []
    for (input_lot_id,) in used:
        key = input_key(input_lot_id)
        if key in book.lots and book.left(key) > 0:
            found.append(book.lots[key])
    return found


def production_of(batch: Batch) -> Production | None:
    """The current version of a batch's quantity record, if it has one."""
    return (
        Production.objects.for_operator(batch.operator)
        .latest_versions()
        .filter(batch=batch)
        .order_by("-pk")
        .first()
    )


def input_versions(lot: InputLot) -> QuerySet[InputLot]:
    return InputLot.objects.filter(operator=lot.operator, chain=lot.chain).order_by("version")


def movements(operator: Operator) -> QuerySet[Movement]:
    """The current movements, newest day first."""
    return (
        Movement.objects.for_operator(operator)
        .latest_versions()
        .select_related("batch", "input_lot", "customer", "recorded_by")
        .order_by("-moved_on", "-pk")
    )


def received_lot_codes(operator: Operator, chains: Collection[Any]) -> dict[Any, str]:
    """The lot code of the latest version of each received lot (by chain), in one query."""
    asked = tuple(sorted(chains))
    if not asked:
        return {}
    rows = compiled.rows(
        ("received lots' codes", operator.pk, asked),
        lambda: (
            InputLot.objects.filter(operator=operator, chain__in=asked)
            .order_by("chain", "version")
            .values_list("chain", "lot_code")
        ),
    )
    # Oldest version first: the latest one's code is the one kept.
    return dict(rows)


def movements_of(operator: Operator, key: str) -> QuerySet[Movement]:
    """The current movements of a lot, newest first."""
    rows = movements(operator)
    if key[0] == "b":
        return rows.filter(batch_id=int(key[1:]))
    return rows.filter(input_lot_id=int(key[1:]))


def recent_movements(operator: Operator, limit: int = 30) -> QuerySet[Movement]:
    return (
        Movement.objects.for_operator(operator)
        .latest_versions()
        .select_related("batch", "input_lot", "customer")
        .order_by("-recorded_at", "-pk")[:limit]
    )


def recalls(operator: Operator) -> QuerySet[Recall]:
    return Recall.objects.for_operator(operator).select_related("opened_by", "closure")


def open_recalls(operator: Operator) -> QuerySet[Recall]:
    return recalls(operator).filter(closure__isnull=True)


def recalls_of(operator: Operator, key: str) -> QuerySet[Recall]:
    """The recalls a lot is affected by."""
    lots = RecallLot.objects.filter(operator=operator)
    lots = (
        lots.filter(batch_id=int(key[1:]))
        if key[0] == "b"
        else lots.filter(input_lot_id=int(key[1:]))
    )
    return recalls(operator).filter(pk__in=lots.values("recall_id"))


def mock_recalls(operator: Operator) -> QuerySet[MockRecall]:
    return MockRecall.objects.for_operator(operator).select_related("ran_by")


def book_of(operator: Operator) -> Book:
    """The operator's lot graph as stored now."""
    return load_book(operator)


def lots_book_of(operator: Operator, keys: Collection[str]) -> Book:
    """These lots, each with its balance, read from their own rows only."""
    return load_lots_book(operator, keys)


def trace_book_of(operator: Operator, key: str, direction: Direction) -> Book:
    """The lots a trace of `key` reaches (`key` included), read from those lots' rows only."""
    return load_trace_book(operator, [key], direction)


def left_of_lot(operator: Operator, key: str) -> Decimal:
    """What is left of one lot, read from that lot's rows only."""
    return left_of(operator, key)
