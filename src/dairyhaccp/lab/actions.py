"""What the module (§5.1, §5.2) requires when a lab result is bad, as codes.

The codes are worded at the edges: `dairyhaccp.lab.wording` for the command line and the web.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """A corrective action or measure the module prescribes for a lab result."""

    # Raw milk (§5.1)
    STOP_USE_AND_DELIVERY = "stop_use_and_delivery"
    DESTROY_MILK_AND_LOTS = "destroy_milk_and_lots"
    NOTIFY_FAVV = "notify_favv"
    NOTIFY_FAVV_UNLESS_KEPT_IN_HOUSE = "notify_favv_unless_kept_in_house"
    NO_NOTIFICATION_KEPT_IN_HOUSE = "no_notification_kept_in_house"
    LABORATORY_NOTIFIES = "laboratory_notifies"
    LABORATORY_NOTIFIES_IF_IT_ANALYSED = "laboratory_notifies_if_it_analysed"
    RAISE_MILKING_HYGIENE = "raise_milking_hygiene"
    RAISE_UDDER_HYGIENE = "raise_udder_hygiene"
    PRESS_SUPPLIER = "press_supplier"
    NEXT_UNFAVOURABLE_MONTH_STOPS_USE = "next_unfavourable_month_stops_use"
    TAKE_MISSING_SAMPLES = "take_missing_samples"
    # Finished products (§5.2)
    NOTIFY_FAVV_PRODUCT_LEFT_CONTROL = "notify_favv_product_left_control"
    NOTIFY_FAVV_IF_PRODUCT_LEFT_CONTROL = "notify_favv_if_product_left_control"
    WITHDRAW_OR_RECALL = "withdraw_or_recall"
    HOLD_LOT = "hold_lot"
    FIND_CAUSE = "find_cause"
    CLEAN_DISINFECT_TRAIN = "clean_disinfect_train"
    IMPROVE_PROCESS_HYGIENE = "improve_process_hygiene"
    TEST_ENTEROTOXINS = "test_enterotoxins"
    # Both: "Verhoog indien nodig de frequentie wanneer het resultaat slecht is"
    INCREASE_FREQUENCY = "increase_frequency"
