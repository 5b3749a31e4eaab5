"""Measured quantities as pages show them: name and unit from the guide's parameter data."""

from __future__ import annotations

from django.utils.formats import get_format
from django.utils.text import capfirst

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.wording import SILENT_UNITS
from dairyhaccp.web.operators.language import guide_language


def parameter_label(name: str) -> str:
    """The name of a measured quantity in the page's language."""
    try:
        return capfirst(load_guide().parameter(name).label.get(guide_language()))
    except KeyError:
        return name


def parameter_unit(name: str) -> str:
    """The unit shown after a number ("" for yes/no values and pH)."""
    try:
        unit = load_guide().parameter(name).unit
    except KeyError:
        return ""
    return "" if unit in SILENT_UNITS else unit


def local_number(value: float | int) -> str:
    """A number as short as it is exact, with the decimal separator of the page's language."""
    return f"{value:g}".replace(".", str(get_format("DECIMAL_SEPARATOR")))
