"""Traces and balances as pages, the inspector's PDF and CSV show them: lot codes, not keys."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dairyhaccp.trace import Balance, Trace
from dairyhaccp.web.lab.models import ProductResult
from dairyhaccp.web.lots.presentation import percent, product_label, quantity
from dairyhaccp.web.lots.services.book import Book, LotInfo
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Deviation, Registration

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LotRow:
    """A lot reached by a trace."""

    info: LotInfo
    product: str
    amount: str


@dataclass(frozen=True)
class DeliveryRow:
    info: LotInfo
    customer: str
    day: date
    raw: Decimal
    amount: str


@dataclass(frozen=True)
class BalanceRow:
    """Received or made = used + delivered + sold + destroyed + in stock, and the share."""

    info: LotInfo
    row: Balance
    received: str
    used: str
    delivered: str
    sold: str
    destroyed: str
    in_stock: str
    share: str

    @property
    def gap(self) -> bool:
        return self.row.accounted_pct != HUNDRED


def balance_row(book: Book, key: str) -> BalanceRow:
    info = book.info(key)
    row = book.balance(key)
    return _balance_row(info, row)


def _balance_row(info: LotInfo, row: Balance) -> BalanceRow:
    unit = row.unit
    return BalanceRow(
        info=info,
        row=row,
        received=quantity(row.received, unit),
        used=quantity(row.used, unit),
        delivered=quantity(row.delivered, unit),
        sold=quantity(row.sold, unit),
        destroyed=quantity(row.destroyed, unit),
        in_stock=quantity(row.in_stock, unit),
        share=percent(row.accounted_pct),
    )


@dataclass(frozen=True)
class TraceReport:
    """A forward or backward trace of one lot, ready to show."""

    start: LotInfo
    direction: str
    lots: list[LotRow]
    deliveries: list[DeliveryRow]
    sold: list[tuple[LotInfo, str]]
    in_stock: list[tuple[LotInfo, str]]
    balance: list[BalanceRow]
    left_control: bool
    customers: list[str]

    @property
    def forward(self) -> bool:
        return self.direction == "forward"

    @property
    def batch_ids(self) -> list[int]:
        return [row.info.pk for row in self.balance if row.info.is_batch]


def trace_report(book: Book, key: str, direction: str) -> TraceReport:
    """The trace of a lot (`direction` forward or backward) with codes and worded quantities."""
    trace: Trace = book.forward(key) if direction == "forward" else book.backward(key)
    lots = [
        LotRow(
            info=book.info(lot.code),
            product=product_label(book.info(lot.code).product),
            amount=quantity(lot.event.quantity, lot.event.unit),
        )
        for lot in trace.lots
    ]
    deliveries = [
        DeliveryRow(
            info=book.info(d.lot),
            customer=d.customer,
            day=d.date,
            raw=d.quantity,
            amount=quantity(d.quantity, book.info(d.lot).unit),
        )
        for d in trace.deliveries
    ]
    return TraceReport(
        start=book.info(key),
        direction=trace.direction,
        lots=lots,
        deliveries=deliveries,
        sold=[(book.info(s.lot), quantity(s.quantity, s.unit)) for s in trace.sold_to_consumers],
        in_stock=[(book.info(s.lot), quantity(s.quantity, s.unit)) for s in trace.in_stock],
        balance=[_balance_row(book.info(row.lot), row) for row in trace.balance],
        left_control=trace.left_control,
        customers=sorted({d.customer for d in trace.deliveries}),
    )


@dataclass(frozen=True)
class RelatedRecords:
    """The registrations, deviations and lab results of the lots of a trace."""

    registrations: list[Registration]
    deviations: list[Deviation]
    lab_results: list[ProductResult]


def related_records(operator: Operator, report: TraceReport) -> RelatedRecords:
    """What the records and the lab hold about the lots of a trace."""
    batch_ids = report.batch_ids
    registrations = list(
        Registration.objects.filter(
            operator=operator, batch_id__in=batch_ids, correction__isnull=True
        )
        .select_related("batch")
        .order_by("measured_at")[:200]
    )
    deviations = list(
        Deviation.objects.filter(operator=operator, lots__in=batch_ids)
        .distinct()
        .order_by("opened_at")[:100]
    )
    codes = [row.info.code for row in report.balance]
    lab_results = list(
        ProductResult.objects.filter(operator=operator, lot__in=codes)
        .current()
        .order_by("sampled_on")[:100]
    )
    return RelatedRecords(registrations, deviations, lab_results)


CSV_HEADER = (
    "section",
    "lot",
    "product",
    "supplier",
    "supplier_lot",
    "customer",
    "date",
    "quantity",
    "unit",
    "received",
    "used",
    "delivered",
    "sold",
    "destroyed",
    "in_stock",
    "accounted_pct",
)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def trace_csv(report: TraceReport) -> str:
    """The trace as CSV: one row per lot reached, delivery and balance; dates ISO, numbers with
    a point, so any spreadsheet reads them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rows: list[Iterable[object]] = []
    for lot in report.lots:
        info = lot.info
        rows.append(
            (
                "lot",
                info.code,
                info.product,
                info.supplier or "",
                info.supplier_lot,
                "",
                info.day.isoformat(),
                _plain(info.quantity),
                info.unit,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            )
        )
    for delivery in report.deliveries:
        info = delivery.info
        rows.append(
            (
                "delivery",
                info.code,
                info.product,
                "",
                "",
                delivery.customer,
                delivery.day.isoformat(),
                _plain(delivery.raw),
                info.unit,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            )
        )
    for balance in report.balance:
        info, row = balance.info, balance.row
        rows.append(
            (
                "balance",
                info.code,
                info.product,
                info.supplier or "",
                info.supplier_lot,
                "",
                info.day.isoformat(),
                "",
                row.unit,
                _plain(row.received),
                _plain(row.used),
                _plain(row.delivered),
                _plain(row.sold),
                _plain(row.destroyed),
                _plain(row.in_stock),
                _plain(row.accounted_pct),
            )
        )
    for row_values in rows:
        writer.writerow([_safe(value) for value in row_values])
    return out.getvalue()


def _safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = str(value)
    return (
        f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text
    )


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
