"""Quantities, units and percentages in words of the page's language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dairyhaccp.trace.graph import amount
from dairyhaccp.web.lots.choices import DispositionKind, InputKind, MovementKind, Unit
from dairyhaccp.web.records.constants import RAW_MILK

UNIT_LABELS: dict[str, Promise] = {
    Unit.KG: _("kg"),
    Unit.LITRE: _("l"),
    Unit.PIECES: _("pcs"),
}


def number(value: Decimal) -> str:
    """A quantity as the page's language writes it, without trailing zeros: '0,05', '1.250'."""
    plain = Decimal(amount(value))
    exponent = plain.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(plain, decimal_pos=places, use_l10n=True, force_grouping=True)


# Quantities written so far, per language: a stock list writes the same few again and again,
# and Django's number formatting looks up the language's formats for each.
_QUANTITIES_KEPT = 4096
_quantities: dict[tuple[Decimal, str, str | None], str] = {}


def quantity(value: Decimal, unit: str) -> str:
    """'12,5 kg', '300 l', '40 pcs'."""
    key = (value, unit, get_language())
    written = _quantities.get(key)
    if written is None:
        if len(_quantities) >= _QUANTITIES_KEPT:
            _quantities.clear()
        written = _quantities[key] = f"{number(value)} {UNIT_LABELS.get(unit, unit)}"
    return written


def percent(value: Decimal) -> str:
    """'99,5 %'."""
    return f"{number_format(value, decimal_pos=1, use_l10n=True)} %"


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def _kind_labels() -> dict[str, Promise | str]:
    """Each kind's label, the first class that has the kind giving it."""
    labels: dict[str, Promise | str] = {}
    for choices in (InputKind, MovementKind, DispositionKind):
        for value, label in choices.choices:
            labels.setdefault(value, label)
    return labels


# Looked up once: a choices class makes its list of values anew each time it is asked.
_KIND_LABELS = _kind_labels()
_INPUT_KINDS = frozenset(InputKind.values)


def kind_label(kind: str) -> str:
    """The words of an input kind or of a movement or disposition kind."""
    label = _KIND_LABELS.get(kind)
    return kind if label is None else str(label)


def product_label(product: str) -> str:
    """A batch's product as people say it: raw milk in words, a plan product by its name."""
    if product == RAW_MILK:
        return str(_("Raw milk"))
    return kind_label(product) if product in _INPUT_KINDS else product
