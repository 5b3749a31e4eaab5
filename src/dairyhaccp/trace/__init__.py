"""Lots from milk to customer: trace forward and backward, mass balance, duty to notify, retention.

graph = build_graph(events)            # TraceInputError names each refused event and field
trace = forward(graph, "M-0301")       # or backward(graph, "K-17")
balance(graph, "K-17").accounted_pct
notification_duty("in_house", trace.left_control, measures_taken=True, lots_out=trace.lots_out)
keep_until(record_date, [best_before, use_by], retention_rule(load_guide(), relaxations=True))
"""

from dairyhaccp.trace.events import (
    UNITS,
    Delivery,
    Destruction,
    Event,
    FieldError,
    InputUse,
    ProducedLot,
    ReceivedLot,
    Sale,
    StockCount,
    parse_event,
)
from dairyhaccp.trace.export import trace_to_data
from dairyhaccp.trace.graph import (
    Lot,
    LotGraph,
    Problem,
    TraceInputError,
    UnknownLotError,
    build_graph,
)
from dairyhaccp.trace.notification import (
    NotificationDecision,
    describe_notification,
    load_notification_rule,
    notification_duty,
)
from dairyhaccp.trace.queries import Balance, Stock, Trace, backward, balance, forward
from dairyhaccp.trace.retention import add_months, keep_until, keep_until_of, retention_rule

__all__ = [
    "UNITS",
    "Balance",
    "Delivery",
    "Destruction",
    "Event",
    "FieldError",
    "InputUse",
    "Lot",
    "LotGraph",
    "NotificationDecision",
    "Problem",
    "ProducedLot",
    "ReceivedLot",
    "Sale",
    "Stock",
    "StockCount",
    "Trace",
    "TraceInputError",
    "UnknownLotError",
    "add_months",
    "backward",
    "balance",
    "build_graph",
    "describe_notification",
    "forward",
    "keep_until",
    "keep_until_of",
    "load_notification_rule",
    "notification_duty",
    "parse_event",
    "retention_rule",
    "trace_to_data",
]
