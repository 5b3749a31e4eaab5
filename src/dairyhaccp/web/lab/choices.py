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


class VerdictCause(models.TextChoices):
    """Why a verdict was judged and stored."""

    RECORDED = "recorded", _("a result was entered")
    CORRECTED = "corrected", _("a result was corrected")
    WITHDRAWN = "withdrawn", _("a result was withdrawn")
    IMPORTED = "imported", _("results were imported")
    FILLED = "filled", _("stored when verdicts began to be kept")


class ProductVerdictChoice(models.TextChoices):
    """The verdict on a finished product's results (Regulation 2073/2005)."""

    SATISFACTORY = "satisfactory", _("satisfactory")
    ACCEPTABLE = "acceptable", _("acceptable")
    UNSATISFACTORY = "unsatisfactory", _("unsatisfactory")


class RawMilkVerdictChoice(models.TextChoices):
    """The verdict on raw milk for one analysis; empty when no result is left to judge."""

    CONFORM = "conform", _("conform")
    UNFAVOURABLE = "unfavourable", _("unfavourable")


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

# Why a product falls under its Listeria criterion; the thresholds are filled in from the
# barrier values the verdict was judged with (guide data, listeria.yaml).
LISTERIA_REASON_LABELS: dict[str, Promise] = {
    "low_ph": _("pH ≤ {ph_max}"),
    "low_aw": _("aw ≤ {aw_max}"),
    "low_ph_and_aw": _("pH ≤ {ph_max_with_aw} and aw ≤ {aw_max_with_ph}"),
    "short_shelf_life": _("shelf life under {short_shelf_life_days} days"),
    "frozen": _("frozen"),
    "challenge_test_on_file": _(
        "a challenge test shows ≤ {limit_cfu_per_g} cfu/g through the shelf life"
    ),
    "growth_possible_without_proof": _(
        "Listeria can grow and no proof of ≤ {limit_cfu_per_g} cfu/g is on file"
    ),
    "module_row_without_ph": _(
        "no pH given: the module's row for this product family applies (it takes the pH to be "
        "≤ {ph_max})"
    ),
}

# Who notifies the FAVV of an unfavourable raw-milk result (module §5.1).
NOTIFICATION_LABELS: dict[str, Promise] = {
    "none": _("no"),
    "required": _("yes"),
    "required_unless_kept_in_house": _(
        "yes, unless the hazard arose in your business, nothing left it and you take measures"
    ),
    "not_required_kept_in_house": _("no: the hazard arose in your business and nothing left it"),
    "taken_over_by_laboratory": _("no: the laboratory that analysed it notifies"),
}
