"""Constants of the farm context: choices of this app, not rules of the scheme."""

from __future__ import annotations

from datetime import date, timedelta

from dairyhaccp.web.operators.choices import Role

# Days before a certificate ends from which the farm is reminded to plan its audit.
CERTIFICATE_REMINDER_DAYS = 90
# Records dated before this are typing errors (the app and the scheme are younger).
EARLIEST_DAY = date(2000, 1, 1)
# A phone's clock a few minutes ahead is no reason to refuse an entry.
FUTURE_TOLERANCE = timedelta(minutes=10)
# Deadlines and due dates further ahead than this are typing errors.
LATEST_DEADLINE_YEARS = 10
# A reason for a correction says at least this much.
MIN_REASON_LENGTH = 5
# Withdrawal periods longer than this are typing errors (in hours: one year).
MAX_WITHDRAWAL_HOURS = 24 * 366
MAX_MEAT_WITHDRAWAL_DAYS = 1000
MAX_ANIMALS = 100_000
# Evidence files: at most this large, of these kinds (sniffed from their first bytes).
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# How far back the app looks for its own evidence (tank cooling days, treatments).
EVIDENCE_WINDOW = timedelta(days=365)
# The sector page's treatment-day distribution: these percentiles are shown.
DISTRIBUTION_PERCENTILES = (10, 25, 50, 75, 90)

# Who may do what on a farm's pages. The sector role sees no farm page at all; an auditor
# sees a farm only through the certification body the farm chose (see access.py).
FARM_ROLES = frozenset({Role.OWNER, Role.STAFF, Role.VET, Role.AUDITOR})
FARMER_ROLES = frozenset({Role.OWNER, Role.STAFF})
TREATMENT_WRITERS = frozenset({Role.OWNER, Role.STAFF, Role.VET})
DAILY_ROLES = frozenset({Role.OWNER, Role.STAFF, Role.VET})
AUDIT_WRITERS = frozenset({Role.OWNER, Role.STAFF, Role.AUDITOR})

# Reminders e-mailed to the farm's owners (send_farm_reminders), days before the date; each
# is sent once, the nearest lead already reached when the command runs.
CERTIFICATE_REMINDER_LEADS = (90, 30, 7)
AUDIT_REMINDER_LEADS = (120, 60)
FINDING_REMINDER_LEADS = (14, 3, 0)
