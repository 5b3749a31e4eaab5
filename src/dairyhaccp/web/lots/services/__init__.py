"""Writes of the lots context; each service owns its transaction and checks its change against
the whole lot graph with the trace core."""

from __future__ import annotations

from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.lots.services.lots import (
    InputLine,
    ProductionData,
    ReceiveInput,
    SubLot,
    correct_input_lot,
    correct_production,
    receive_lot,
    record_production,
    shelf_life_days,
    split_lot,
    withdraw_input_lot,
    withdraw_production,
)
from dairyhaccp.web.lots.services.milk import (
    MilkChoice,
    Started,
    choose_milk,
    link_milk,
    milk_problem,
    recent_milkings,
    start_production_on_milk,
)
from dairyhaccp.web.lots.services.movements import (
    MovementInput,
    correct_movement,
    record_movement,
    withdraw_movement,
)
from dairyhaccp.web.lots.services.parties import save_customer, save_supplier
from dairyhaccp.web.lots.services.recalls import (
    Affected,
    RecallInput,
    affected_set,
    close_recall,
    correct_disposition,
    current_dispositions,
    disposed,
    disposition_versions,
    open_recall,
    record_disposition,
    record_recall_event,
    run_mock_recall,
    unaccounted,
)

__all__ = [
    "Affected",
    "InputLine",
    "LotError",
    "MilkChoice",
    "MovementInput",
    "ProductionData",
    "RecallInput",
    "ReceiveInput",
    "Started",
    "SubLot",
    "affected_set",
    "choose_milk",
    "close_recall",
    "correct_disposition",
    "correct_input_lot",
    "correct_movement",
    "correct_production",
    "current_dispositions",
    "disposed",
    "disposition_versions",
    "link_milk",
    "milk_problem",
    "open_recall",
    "receive_lot",
    "recent_milkings",
    "record_disposition",
    "record_movement",
    "record_production",
    "record_recall_event",
    "run_mock_recall",
    "save_customer",
    "save_supplier",
    "shelf_life_days",
    "split_lot",
    "start_production_on_milk",
    "unaccounted",
    "withdraw_input_lot",
    "withdraw_movement",
    "withdraw_production",
]
