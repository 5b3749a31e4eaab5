"""Labels and units of measured values, and other words the records pages share."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dairyhaccp.monitoring.schedule import DueStatus

# label, unit (shown after the number; "" for yes/no values)
PARAMETERS: dict[str, tuple[Promise, str]] = {
    "temperature_c": (_("Temperature"), "°C"),
    "hold_s": (_("Hold time"), "s"),
    "elapsed_min": (_("Time elapsed"), "min"),
    "excursion_min": (_("Duration above the maximum"), "min"),
    "ph": (_("pH"), ""),
    "relative_humidity_pct": (_("Relative humidity"), "%"),
    "baume": (_("Brine strength"), "°Bé"),
    "salt_on_bottom": (_("Salt on the bottom"), ""),
    "residual_o2_pct": (_("Residual oxygen"), "%"),
    "co2_deviation_pct": (_("CO2 deviation"), "%"),
    "storage_h": (_("Storage time"), "h"),
    "processed_after_min": (_("Processed after milking"), "min"),
    "grain_size_cm": (_("Curd grain size"), "cm"),
    "silage_ph": (_("Silage pH"), ""),
    "productions_since_industrial_starter": (
        _("Processings in a row with home-made starter"),
        "",
    ),
    "visual_ok": (_("Visual check in order"), ""),
    "taste_ok": (_("Taste in order"), ""),
}

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


def parameter_label(name: str) -> str:
    label = PARAMETERS.get(name)
    return str(label[0]) if label else name


def parameter_unit(name: str) -> str:
    label = PARAMETERS.get(name)
    return label[1] if label else ""


def format_value(name: str, value: object) -> str:
    """A stored value with its unit; yes/no values as OK / not OK."""
    if isinstance(value, bool):
        return str(_("OK")) if value else str(_("not OK"))
    text = f"{value:g}" if isinstance(value, float) else str(value)
    unit = parameter_unit(name)
    return f"{text} {unit}".strip()


def control_slug(control_id: str) -> str:
    """'CCP 9' -> 'ccp-9' for web addresses."""
    return control_id.lower().replace(" ", "-")


def control_from_slug(slug: str) -> str:
    """'ccp-9' -> 'CCP 9'."""
    kind, _sep, number = slug.partition("-")
    return f"{kind.upper()} {number}"
