"""Constants of the records context."""

from __future__ import annotations

from datetime import timedelta

from dairyhaccp.monitoring.duties import RAW_MILK

__all__ = [
    "BULK_MAX_ITEMS",
    "HISTORY_LENGTH",
    "LIST_PAGE",
    "RAW_MILK",
    "RECENT_BATCHES",
    "TODAY_LIST",
]

# Batches younger than this appear on the agenda with their production checks.
RECENT_BATCHES = timedelta(days=7)
# How many registrations a page of the history of a control shows and plots.
HISTORY_LENGTH = 60
# Rows per page of the deviation list.
LIST_PAGE = 50
# Open deviations and blocked lots listed on the today page; more are counted and linked.
TODAY_LIST = 20
# Registrations judged and stored in one bulk request or one imported file.
BULK_MAX_ITEMS = 1000
