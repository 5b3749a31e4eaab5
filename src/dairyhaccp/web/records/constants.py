"""Constants of the records context."""

from __future__ import annotations

from datetime import timedelta

from dairyhaccp.monitoring.duties import RAW_MILK

__all__ = ["AGENDA_HISTORY", "HISTORY_LENGTH", "RAW_MILK", "RECENT_BATCHES"]

# Batches younger than this appear on the agenda with their production checks.
RECENT_BATCHES = timedelta(days=7)
# Registrations this far back count for the agenda (a yearly window and the one before it).
AGENDA_HISTORY = timedelta(days=800)
# How many registrations the history of a control shows and plots.
HISTORY_LENGTH = 60
