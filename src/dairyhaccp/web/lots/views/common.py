"""Helpers shared by the lots views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.web.lots.presentation import product_label, quantity
from dairyhaccp.web.lots.selectors import Lots, StockRow
from dairyhaccp.web.lots.services import LotError
from dairyhaccp.web.lots.services.book import LotInfo
from dairyhaccp.web.lots.services.common import LotRef, resolve_lot
from dairyhaccp.web.operators.access import OperatorRequest


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
    parts = [info.code, product_label(info.product)]
    if left is not None:
        parts.append(_("{quantity} left").format(quantity=quantity(left, info.unit)))  # type: ignore[arg-type]
    parts.append(date_format(info.day, "SHORT_DATE_FORMAT"))
    return " · ".join(parts)


def lot_choices(rows: Iterable[StockRow]) -> list[tuple[str, str]]:
    return [(row.info.key, lot_label(row.info, row.left)) for row in rows]


def all_lot_choices(book: Lots) -> list[tuple[str, str]]:
    infos = sorted(book.lots.values(), key=lambda info: (info.day, info.key), reverse=True)
    return [(info.key, lot_label(info, book.left(info.key))) for info in infos]
