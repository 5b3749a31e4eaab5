"""What is left of each lot, kept so that stock lists cost what they show.

Storing a lot's record notes the lot (`StockChange`, in the record's own transaction). A read
of the stock first works out again what is left of the lots noted, from their own rows as the
lot graph gives it, into `LotStock`, under the operator's write lock; then it reads the lots in
stock alone. A page of what is in stock thus reads the lots in stock and the lots changed since
the last read, not the history of lots sold, used up or destroyed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from dairyhaccp.web import compiled
from dairyhaccp.web.lots.models import LotStock, StockChange
from dairyhaccp.web.lots.services.book import LotInfo, load_lots_book, lot_infos
from dairyhaccp.web.lots.services.common import lock
from dairyhaccp.web.operators.models import Operator

# Lots worked out per read of their rows (below SQLite's limit of bound parameters).
_AT_ONCE = 500
ZERO = Decimal(0)


@dataclass(frozen=True)
class Ledger:
    """Lots with what is left of each: what stock lists and pick lists show."""

    lots: Mapping[str, LotInfo]
    lefts: Mapping[str, Decimal]

    def info(self, key: str) -> LotInfo:
        return self.lots[key]

    def code(self, key: str) -> str:
        return self.lots[key].code

    def left(self, key: str) -> Decimal:
        return self.lefts.get(key, ZERO)


def note_every_lot(operator: Operator) -> None:
    """Have the stock of every lot of the operator, stored or once stored, worked out again."""
    keys = set(LotStock.objects.filter(operator=operator).values_list("key", flat=True))
    keys |= set(lot_infos(operator))
    StockChange.objects.bulk_create(
        (StockChange(operator=operator, key=key) for key in sorted(keys)), batch_size=1000
    )


def refresh_stock(operator: Operator) -> int:
    """Work out again what is left of the lots noted since the last read; the number of lots."""
    noted = compiled.rows(
        ("a lot noted", operator.pk),
        lambda: StockChange.objects.filter(operator=operator).values_list("pk")[:1],
    )
    if not noted:
        return 0
    with transaction.atomic():
        lock(operator)
        changes = list(StockChange.objects.filter(operator=operator).values_list("pk", "key"))
        keys = sorted({key for _pk, key in changes})
        for start in range(0, len(keys), _AT_ONCE):
            part = keys[start : start + _AT_ONCE]
            book = load_lots_book(operator, part)
            rows = []
            for key in part:
                tally = book.graph.tallies.get(key)
                left = tally.in_stock if tally is not None and key in book.lots else ZERO
                rows.append(LotStock(operator=operator, key=key, left=left))
            LotStock.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["operator", "key"],
                update_fields=["left"],
            )
        ids = [pk for pk, _key in changes]
        for start in range(0, len(ids), _AT_ONCE):
            StockChange.objects.filter(pk__in=ids[start : start + _AT_ONCE]).delete()
    return len(keys)


def stock_ledger(operator: Operator, keep: Collection[str] = ()) -> Ledger:
    """The lots with something left (and the lots of `keep`), each with what is left."""
    refresh_stock(operator)
    lefts: dict[str, Decimal] = dict(
        compiled.rows(
            ("lots in stock", operator.pk),
            lambda: LotStock.objects.filter(operator=operator, left__gt=0).values_list(
                "key", "left"
            ),
        )
    )
    extra = [key for key in keep if key not in lefts]
    if extra:
        lefts.update(_left_of(operator, extra))
    return Ledger(lot_infos(operator, {*lefts, *keep}), lefts)


def _left_of(operator: Operator, keys: Collection[str]) -> list[tuple[Any, ...]]:
    """(key, left) of the lots of `keys` whose stock is stored."""
    asked = sorted(keys)
    return compiled.rows(
        ("stock of lots", operator.pk, tuple(asked)),
        lambda: LotStock.objects.filter(operator=operator, key__in=asked).values_list(
            "key", "left"
        ),
    )


def lots_ledger(operator: Operator, keys: Collection[str]) -> Ledger:
    """The lots of `keys` (those that are current), each with what is left."""
    refresh_stock(operator)
    lefts: dict[str, Decimal] = dict(_left_of(operator, keys)) if keys else {}
    return Ledger(lot_infos(operator, keys), lefts)


def whole_ledger(operator: Operator) -> Ledger:
    """Every current lot with what is left of it."""
    refresh_stock(operator)
    lefts = dict(LotStock.objects.filter(operator=operator).values_list("key", "left"))
    return Ledger(lot_infos(operator), lefts)
