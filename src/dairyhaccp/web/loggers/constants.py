"""Constants of the loggers context."""

from __future__ import annotations

from dairyhaccp.loggers import DEFAULT_ZONE

# Device tokens are told apart from user API tokens at a glance.
DEVICE_TOKEN_PREFIX = "dhl_"
# An export of a year of readings every minute stays well below this.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# Days one file may bring: a year and a bit; longer exports are split by the logger software.
MAX_FILE_DAYS = 400
# Readings one push may carry (a day of readings every ten seconds).
MAX_PUSH_READINGS = 10_000
# Readings further apart than this leave a gap, unless the device says otherwise.
DEFAULT_MAX_INTERVAL_MIN = 30
MAX_INTERVAL_MIN = 24 * 60
# Day boundaries: local midnight where the dairy is.
DAY_ZONE = DEFAULT_ZONE
# Days looked back for unjudged ones when days are closed.
CLOSE_LOOKBACK_DAYS = 400
# Excursions and gaps named one by one in a registration's remark.
REMARK_ITEMS = 4
# Days listed on a device's page.
DEVICE_DAYS_SHOWN = 62
# Pasteuriser traces: readings further apart than this leave a gap that adds no lethality.
TRACE_MAX_INTERVAL_S = 60
# A pasteuriser run is short; a trace longer than this is a day's file, not one run.
TRACE_MAX_HOURS = 24
