"""Constants of the lots context."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

# Quantities: up to a billion of their unit, to the gram, millilitre or thousandth of a piece.
QUANTITY_DIGITS = 13
QUANTITY_PLACES = 3
MAX_QUANTITY = Decimal(1_000_000_000)
# No record of this app dates from before this day.
EARLIEST_DAY = date(2000, 1, 1)
# A time a little ahead of the server's clock is still "now" (phones run fast).
CLOCK_SLACK = timedelta(minutes=10)
# Lengths of the texts people type.
CODE_CHARS = 60
NAME_CHARS = 200
SHORT_TEXT_CHARS = 200
LONG_TEXT_CHARS = 2000
# How many input lines the production form offers.
INPUT_ROWS = 8
# How far back the production form looks for "today's milk".
MILK_PROPOSAL_DAYS = 2
# Lots offered in pick lists (newest first).
PICK_LIST_LIMIT = 400
# The forms that may concern a lot with nothing left (a stock count, a recall) offer the lots in
# stock and those of the last days; an older lot is found by its code, or picked from its page.
LOT_OFFER_DAYS = 60
# Lots shown by a search on their code.
LOT_SEARCH_LIMIT = 50
# How far back a batch started in one tap looks for its milk (raw milk for raw-milk products
# keeps at most 48 hours, PVA 7).
MILK_LINK_WINDOW = timedelta(hours=48)
# The milkings offered to link a batch to its milk afterwards (as the batch form offers).
MILK_FORM_WINDOW = timedelta(days=5)
# The lots index lists at most so many recent batches still without a quantity.
UNTRACED_SHOWN = 100
