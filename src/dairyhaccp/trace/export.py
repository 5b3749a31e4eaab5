"""Traces as the JSON objects of the `dairyhaccp trace` contract (numbers as floats)."""

from __future__ import annotations

from typing import Any

from dairyhaccp.trace.graph import Lot
from dairyhaccp.trace.notification import NotificationDecision, describe_notification
from dairyhaccp.trace.queries import Balance, Trace


def _lot_data(lot: Lot, backward: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lot": lot.code,
        "product": lot.product,
        "quantity": float(lot.event.quantity),
        "unit": lot.event.unit,
        "date": lot.event.date.isoformat(),
    }
    if backward:
        data["supplier"] = lot.supplier
        data["supplier_lot"] = lot.supplier_lot
    return data


def _balance_data(row: Balance) -> dict[str, Any]:
    return {
        "lot": row.lot,
        "received": float(row.received),
        "used": float(row.used),
        "delivered": float(row.delivered),
        "sold": float(row.sold),
        "destroyed": float(row.destroyed),
        "in_stock": float(row.in_stock),
        "accounted_pct": float(row.accounted_pct),
    }


def trace_to_data(
    trace: Trace, decision: NotificationDecision | None = None, lang: str = "nl"
) -> dict[str, Any]:
    """The contract's object; with a decision, also notify_favv and why (in `lang`)."""
    units = {row.lot: row.unit for row in trace.balance}
    data: dict[str, Any] = {
        "lot": trace.lot,
        "direction": trace.direction,
        "lots": [_lot_data(lot, trace.direction == "backward") for lot in trace.lots],
        "deliveries": [
            {
                "lot": d.lot,
                "customer": d.customer,
                "quantity": float(d.quantity),
                "unit": units[d.lot],
                "date": d.date.isoformat(),
            }
            for d in trace.deliveries
        ],
        "sold_to_consumers": [
            {"lot": s.lot, "quantity": float(s.quantity), "unit": s.unit}
            for s in trace.sold_to_consumers
        ],
        "in_stock": [
            {"lot": s.lot, "quantity": float(s.quantity), "unit": s.unit} for s in trace.in_stock
        ],
        "left_control": trace.left_control,
        "balance": [_balance_data(row) for row in trace.balance],
    }
    if decision is not None:
        data["notify_favv"] = decision.notify
        data["why"] = describe_notification(decision, lang)
    return data
