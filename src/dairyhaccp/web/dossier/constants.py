"""Constants of the dossier context."""

from __future__ import annotations

from datetime import timedelta

# The longest period one dossier covers: a few years is an audit, more is a backup.
MAX_PERIOD_DAYS = 3 * 366
# A job not finished after this long was stopped (its process killed): it may be asked again.
STALE = timedelta(minutes=15)
# Dossiers are copies of the records, not records: kept this long, then removed.
KEEP_JOBS = timedelta(days=30)
# The latest dossiers listed on the page.
LISTED_JOBS = 10
