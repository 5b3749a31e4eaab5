"""Writes of the labels context: label versions and prints, each checked by the core first."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.guide.loader import CURRENT_VERSION
from dairyhaccp.profile import ProductSpec
from dairyhaccp.web.labels.composing import (
    TEXT_LIMITS,
    ComposedLabel,
    LabelContent,
    LabelError,
    clean_text,
    compose,
)
from dairyhaccp.web.labels.constants import MAX_COPIES, MAX_REASON
from dairyhaccp.web.labels.layouts import printing
from dairyhaccp.web.labels.models import Label, LabelPrint, LabelVersion
from dairyhaccp.web.labels.selectors import plan_product, version_in_use
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch


def content_of(version: LabelVersion) -> LabelContent:
    """The content a stored version holds."""
    return LabelContent(
        composition=dict(version.composition),
        sales_name=version.sales_name,
        language=version.language,
        mentions=tuple(version.mentions),
        net_quantity=version.net_quantity,
        operator_address=version.operator_address,
        approval_number=version.approval_number,
        nutrition=version.nutrition,
        own_text=version.own_text,
    )


def with_plan_facts(content: LabelContent, product: ProductSpec) -> LabelContent:
    """The content with the product kind and the raw milk the plan gives the product."""
    composition = dict(content.composition)
    composition["kind"] = product.kind
    composition["raw_milk"] = product.raw_milk
    return replace(content, composition=composition)


def compose_for_plan(operator: Operator, product_name: str, content: LabelContent) -> ComposedLabel:
    """Check a label of a product of the plan; LabelError for a product not in the plan."""
    product = plan_product(operator, product_name)
    if product is None:
        raise LabelError("product", _("not a product of the plan"))
    return compose(with_plan_facts(content, product))


def _clean_reason(reason: str) -> str:
    if len(reason) > MAX_REASON:
        raise LabelError("reason", _("at most {limit} characters").format(limit=MAX_REASON))
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in reason):
        raise LabelError("reason", _("contains characters that cannot be stored"))
    return reason.strip()


@transaction.atomic
def save_label(
    operator: Operator,
    user: User,
    product_name: str,
    content: LabelContent,
    *,
    in_use: bool,
    reason: str = "",
) -> LabelVersion:
    """Store a label of a product as a new version, checked by the core.

    A version may be marked in use only when the check finds nothing missing or wrong.
    """
    composed = compose_for_plan(operator, product_name, content)
    if in_use and not composed.ok:
        raise LabelError(
            "in_use",
            _("A label with a missing mention or a wrong name cannot be put in use."),
        )
    texts = {name: clean_text(name, content.text(name)) for name in TEXT_LIMITS}
    label, _created = Label.objects.get_or_create(operator=operator, product=product_name)
    # Lock the label so two saves at once cannot take the same number.
    Label.objects.select_for_update().filter(pk=label.pk).first()
    latest = LabelVersion.objects.filter(label=label).aggregate(latest=Max("number"))["latest"]
    return LabelVersion.objects.create(
        operator=operator,
        label=label,
        number=(latest or 0) + 1,
        composition=composed.composition.model_dump(mode="json"),
        language=composed.lang,
        mentions=sorted(set(content.mentions)),
        in_use=in_use,
        check_result=composed.summary(),
        guide_version=CURRENT_VERSION,
        reason=_clean_reason(reason),
        created_by=user,
        **texts,
    )


def production_date(batch: Batch) -> date:
    """The day a lot was made, in Brussels time."""
    return timezone.localtime(batch.started_at).date()


def label_date(made_on: date, composed: ComposedLabel) -> tuple[date | None, str]:
    """The date printed for a lot made on `made_on` and its kind (use_by or best_before).

    The core decides the kind; the date is the production date plus the shelf life. No date
    when the label needs none (sold loose) or the shelf life is unknown.
    """
    found = composed.finding("date")
    days = composed.composition.shelf_life_days
    if found is None or found.date_type is None or days is None:
        return None, ""
    return made_on + timedelta(days=days), found.date_type


def printable_label(operator: Operator, batch: Batch) -> tuple[LabelVersion, ComposedLabel]:
    """The label version a lot is printed with, checked again against the plan as it is now."""
    product = plan_product(operator, batch.product)
    if product is None:
        raise LabelError("batch", _("the product of this lot has no label in the plan"))
    version = version_in_use(operator, batch.product)
    if version is None:
        raise LabelError("batch", _("no label of this product is in use yet"))
    content = content_of(version)
    if with_plan_facts(content, product).composition != content.composition:
        raise LabelError("batch", _("the plan changed this product since its label was put in use"))
    composed = compose(content)
    if not composed.ok:
        raise LabelError("batch", _("the label in use no longer passes the check"))
    return version, composed


def _whole(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LabelError(field, _("a whole number from {low} to {high}").format(low=low, high=high))
    return value


@transaction.atomic
def record_print(
    operator: Operator,
    user: User,
    batch: Batch,
    *,
    copies: int,
    layout: str,
    net_quantity: str = "",
    first_position: int = 1,
) -> LabelPrint:
    """Record a print of labels for a lot (the PVA 6 registration): which version, how many."""
    if batch.operator_id != operator.pk:
        raise LabelError("batch", _("not found"))
    if batch.destroyed_at is not None:
        raise LabelError("batch", _("this lot was destroyed"))
    version, composed = printable_label(operator, batch)
    try:
        size = printing().layout(layout)
    except KeyError:
        raise LabelError("layout", _("not a label size offered")) from None
    copies = _whole(copies, "copies", 1, MAX_COPIES)
    first_position = _whole(first_position, "first_position", 1, size.per_page)
    net = clean_text("net_quantity", net_quantity) or version.net_quantity
    if not net and "net_quantity" in composed.check.required:
        raise LabelError("net_quantity", _("give the net quantity"))
    day, date_type = label_date(production_date(batch), composed)
    return LabelPrint.objects.create(
        operator=operator,
        batch=batch,
        label_version=version,
        copies=copies,
        layout=size.id,
        first_position=first_position,
        net_quantity=net,
        date=day,
        date_type=date_type,
        printed_by=user,
    )
