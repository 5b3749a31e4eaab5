"""Helpers shared by the lots views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.web.lots.constants import LOT_OFFER_DAYS
from dairyhaccp.web.lots.presentation import product_label, quantity
from dairyhaccp.web.lots.selectors import Lots, StockRow
from dairyhaccp.web.lots.services import LotError
from dairyhaccp.web.lots.services.book import LotInfo
from dairyhaccp.web.lots.services.common import LotRef, resolve_lot
from dairyhaccp.web.operators.access import OperatorRequest


def older_lots_help(request: OperatorRequest) -> dict[str, object]:
    """What the forms offering recent lots say of older ones: how far back the list goes, and
    where an older lot is found."""
    return {
        "offer_days": LOT_OFFER_DAYS,
        "search_url": reverse("lots:index", kwargs={"operator_slug": request.operator.slug}),
    }


def add_error(form: forms.Form, error: LotError, aliases: Mapping[str, str] | None = None) -> None:
    """Put a service's refusal next to its field (or above the form if the form lacks it)."""
    name = (aliases or {}).get(error.field, error.field)
    form.add_error(name if name in form.fields else None, error.problem)


def lot_from_url(request: OperatorRequest, key: str) -> LotRef:
    """The operator's lot of a URL key; 404 for anything else (another operator's lots too)."""
    try:
        return resolve_lot(request.operator, key)
    except LotError:
        raise Http404("No such lot.") from None


def lot_label(info: LotInfo, left: object | None = None) -> str:
    """'K-1 · Hoevekaas · 17 kg left · 20/11/2026' for pick lists."""
    return _Labels().label(info, left)


class _Labels:
    """Lot labels with what lots share worked out once: products, quantities left, days."""

    def __init__(self) -> None:
        self.products: dict[str, str] = {}
        self.lefts: dict[tuple[object, str], str] = {}
        self.days: dict[date, str] = {}

    def label(self, info: LotInfo, left: object | None = None) -> str:
        product = self.products.get(info.product)
        if product is None:
            product = self.products[info.product] = product_label(info.product)
        parts = [info.code, product]
        if left is not None:
            shown = self.lefts.get((left, info.unit))
            if shown is None:
                worded = quantity(left, info.unit)  # type: ignore[arg-type]
                shown = self.lefts[(left, info.unit)] = _("{quantity} left").format(quantity=worded)
            parts.append(shown)
        day = self.days.get(info.day)
        if day is None:
            day = self.days[info.day] = date_format(info.day, "SHORT_DATE_FORMAT")
        parts.append(day)
        return " · ".join(parts)


def lot_choices(rows: Iterable[StockRow]) -> list[tuple[str, str]]:
    labels = _Labels()
    return [(row.info.key, labels.label(row.info, row.left)) for row in rows]


def all_lot_choices(book: Lots) -> list[tuple[str, str]]:
    infos = sorted(book.lots.values(), key=lambda info: (info.day, info.key), reverse=True)
    labels = _Labels()
    return [(info.key, labels.label(info, book.left(info.key))) for info in infos]
