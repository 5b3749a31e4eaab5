"""Constants of the labels context."""

from __future__ import annotations

# Most labels one print may ask for: a day's production of a farm dairy, with room to spare.
MAX_COPIES = 1000
MAX_REASON = 2000
# Rows of ingredients the editor offers beyond those filled in.
EXTRA_INGREDIENT_ROWS = 2
MAX_INGREDIENT_ROWS = 30
# The format of the date printed on a label: day, month, year in that order in every
# language (Reg. 1169/2011 annex X), never the month-first order of English pages.
LABEL_DATE_FORMAT = "%d/%m/%Y"
