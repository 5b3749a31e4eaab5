"""Choices of the lab context."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MilkSource(models.TextChoices):
    """Where raw milk comes from, as table 5.1 distinguishes it."""

    OWN_NOT_DELIVERED = "own_not_delivered", _("own milk, not delivered to a buyer")
    OWN_DELIVERED = "own_delivered", _("own milk, also delivered to a buyer")
    BOUGHT = "bought", _("bought raw milk")


class RawMilkParameter(models.TextChoices):
    """What raw milk is analysed for (table 5.1)."""

    ANTIBIOTIC_RESIDUES = "antibiotic_residues", _("Antibiotic residues")
    PLATE_COUNT = "plate_count", _("Plate count")
    SOMATIC_CELLS = "somatic_cells", _("Somatic cells")
    VISIBLE_CLEANLINESS = "visible_cleanliness", _("Visible cleanliness")
    E_COLI = "e_coli", _("E. coli")


class ProductParameter(models.TextChoices):
    """What finished products are analysed for (table 5.2)."""

    LISTERIA = "listeria_monocytogenes", _("Listeria monocytogenes")
    SALMONELLA = "salmonella", _("Salmonella")
    ENTEROBACTERIACEAE = "enterobacteriaceae", _("Enterobacteriaceae")
    E_COLI = "e_coli", _("E. coli")
    STAPHYLOCOCCI = "coagulase_positive_staphylococci", _("Coagulase-positive staphylococci")
    ENTEROTOXINS = "staphylococcal_enterotoxins", _("Staphylococcal enterotoxins")


class Outcome(models.TextChoices):
    """A result that is not a count: antibiotics detected or not, cleanliness OK or not."""

    NOT_DETECTED = "not_detected", _("not detected")
    DETECTED = "detected", _("detected")
    OK = "ok", _("OK")
    NOT_OK = "not_ok", _("not OK")


class EntryMethod(models.TextChoices):
    """How a result came in."""

    FORM = "form", _("entered by hand")
    CSV = "csv", _("imported from a CSV file")
    API = "api", _("sent through the API")


# Verdicts and month statuses of the core, in words.
VERDICT_LABELS: dict[str, Promise] = {
    "conform": _("conform"),
    "unfavourable": _("unfavourable"),
    "satisfactory": _("satisfactory"),
    "acceptable": _("acceptable"),
    "unsatisfactory": _("unsatisfactory"),
    "insufficient_samples": _("too few samples"),
    "no_result": _("no result"),
}

CRITERION_TYPE_LABELS: dict[str, Promise] = {
    "VV": _("food safety (VV)"),
    "PH": _("process hygiene (PH)"),
}

UNIT_LABELS: dict[str, Promise] = {
    "cfu/g": _("cfu/g"),
    "cfu/ml": _("cfu/ml"),
    "/ml": _("per ml"),
    "absence_25g": _("absent in 25 g"),
    "not_detected_25g": _("not detected in 25 g"),
}

DUE_STATUS_LABELS: dict[str, Promise] = {
    "done": _("done"),
    "due": _("due"),
    "overdue": _("overdue"),
}

LISTERIA_REASON_LABELS: dict[str, Promise] = {
    "ph_at_most_4_4": _("pH ≤ 4.4"),
    "aw_at_most_0_92": _("aw ≤ 0.92"),
    "ph_at_most_5_0_and_aw_at_most_0_94": _("pH ≤ 5.0 and aw ≤ 0.94"),
    "shelf_life_under_5_days": _("shelf life under 5 days"),
    "frozen": _("frozen"),
    "challenge_test_on_file": _("a challenge test shows ≤ 100 cfu/g through the shelf life"),
    "growth_possible_without_proof": _("Listeria can grow and no proof of ≤ 100 cfu/g is on file"),
}
