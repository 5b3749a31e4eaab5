"""Labels and units of measured values, and other words the records pages share."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dairyhaccp.monitoring.schedule import DueStatus
from dairyhaccp.web.parameters import local_number, parameter_label, parameter_unit

__all__ = ["parameter_label", "parameter_unit"]

# Help shown under a field whose value the stored history may supply.
DERIVED_HELP: dict[str, Promise] = {
    "elapsed_min": _(
        "Counted from the stored milking or pasteurisation of the batch when there is one."
    ),
    "storage_h": _("Counted from the stored milking when the milk is entered as a batch."),
}

STATUS_LABELS: dict[str, Promise] = {
    DueStatus.OVERDUE: _("Overdue"),
    DueStatus.DUE: _("To do"),
    DueStatus.DONE: _("Done"),
}


def format_value(name: str, value: object) -> str:
    """A stored value with its unit; yes/no values as OK / not OK."""
    if isinstance(value, bool):
        return str(_("OK")) if value else str(_("not OK"))
    text = local_number(value) if isinstance(value, (int, float)) else str(value)
    unit = parameter_unit(name)
    return f"{text} {unit}".strip()


def control_slug(control_id: str) -> str:
    """A control id as it stands in web addresses: lower case, a hyphen for the space."""
    return control_id.lower().replace(" ", "-")


def control_from_slug(slug: str) -> str:
    """The control id a web address names (the inverse of `control_slug`)."""
    kind, _sep, number = slug.partition("-")
    return f"{kind.upper()} {number}"
