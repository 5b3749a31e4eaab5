"""Suppliers and customers of an operator: one step back, one step forward."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dairyhaccp.web.lots.choices import CustomerKind
from dairyhaccp.web.lots.constants import NAME_CHARS, SHORT_TEXT_CHARS
from dairyhaccp.web.lots.models import Customer, Supplier
from dairyhaccp.web.lots.services.common import clean_text
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.operators.models import Operator


def _name(name: str) -> str:
    return clean_text("name", name, NAME_CHARS, required=_("Give the name."))


def _save(row: Supplier | Customer) -> None:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise LotError("name", _("This name exists already.")) from exc


@transaction.atomic
def save_supplier(
    operator: Operator,
    name: str,
    favv_number: str = "",
    contact: str = "",
    address: str = "",
    active: bool = True,
    supplier: Supplier | None = None,
) -> Supplier:
    """Add a supplier, or change one (`supplier`): its lots keep pointing at it."""
    row = supplier or Supplier(operator=operator)
    if row.operator_id != operator.pk:
        raise LotError("name", _("Not found."))
    row.name = _name(name)
    row.favv_number = clean_text("favv_number", favv_number, 40)
    row.contact = clean_text("contact", contact, SHORT_TEXT_CHARS)
    row.address = clean_text("address", address, SHORT_TEXT_CHARS)
    row.active = active
    _save(row)
    return row


@transaction.atomic
def save_customer(
    operator: Operator,
    name: str,
    kind: str,
    contact: str = "",
    address: str = "",
    active: bool = True,
    customer: Customer | None = None,
) -> Customer:
    """Add a customer, or change one (`customer`): its deliveries keep pointing at it."""
    row = customer or Customer(operator=operator)
    if row.operator_id != operator.pk:
        raise LotError("name", _("Not found."))
    if kind not in CustomerKind.values:
        raise LotError("kind", _("Choose what kind of customer this is."))
    row.name = _name(name)
    row.kind = kind
    row.contact = clean_text("contact", contact, SHORT_TEXT_CHARS)
    row.address = clean_text("address", address, SHORT_TEXT_CHARS)
    row.active = active
    _save(row)
    return row
