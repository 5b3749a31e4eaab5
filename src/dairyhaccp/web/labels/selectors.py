"""Reads of the labels context."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from dairyhaccp.labels import load_label_rules
from dairyhaccp.profile import ProductSpec, Profile, profile_from_dict
from dairyhaccp.web.labels.models import Label, LabelPrint, LabelVersion
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.selectors import current_plan_source
from dairyhaccp.web.records.models import Batch


def plan_profile(operator: Operator) -> Profile | None:
    """The profile of the operator's current plan, or None before the plan is made."""
    version = current_plan_source(operator)
    return profile_from_dict(version.profile) if version is not None else None


def labelled(product: ProductSpec) -> bool:
    """Whether the core has label rules for the product's kind (whey for feed has none)."""
    return product.kind in load_label_rules().kind_ids


def plan_products(operator: Operator) -> list[ProductSpec]:
    """The products of the current plan that carry a label."""
    profile = plan_profile(operator)
    return [p for p in profile.products if labelled(p)] if profile is not None else []


def plan_product(operator: Operator, product: str) -> ProductSpec | None:
    """The product of the current plan called `product` (its name, or its kind without one)."""
    return next((p for p in plan_products(operator) if p.label == product), None)


def labels(operator: Operator) -> QuerySet[Label]:
    """The operator's labels, by product."""
    return Label.objects.for_operator(operator)


def label_of(operator: Operator, product: str) -> Label | None:
    return labels(operator).filter(product=product).first()


def versions(label: Label) -> QuerySet[LabelVersion]:
    """The versions of a label, newest first, with who made them."""
    return LabelVersion.objects.filter(label=label).select_related("created_by", "label")


def latest_version(label: Label | None) -> LabelVersion | None:
    """The label as it stands: its latest version."""
    return versions(label).first() if label is not None else None


def version_in_use(operator: Operator, product: str) -> LabelVersion | None:
    """The version labels of `product` are printed with now: the latest, if marked in use."""
    latest = latest_version(label_of(operator, product))
    return latest if latest is not None and latest.in_use else None


@dataclass(frozen=True)
class ProductLabel:
    """A product of the plan and where its label stands."""

    product: ProductSpec
    label: Label | None
    latest: LabelVersion | None

    @property
    def in_use(self) -> bool:
        return self.latest is not None and self.latest.in_use


def product_labels(operator: Operator) -> list[ProductLabel]:
    """Every product of the plan that carries a label, with its label."""
    by_product = {label.product: label for label in labels(operator)}
    rows = []
    for product in plan_products(operator):
        label = by_product.get(product.label)
        rows.append(ProductLabel(product, label, latest_version(label)))
    return rows


def prints(operator: Operator) -> QuerySet[LabelPrint]:
    """The operator's label prints, newest first, with their lot and label version."""
    return LabelPrint.objects.for_operator(operator).select_related(
        "batch", "label_version", "label_version__label", "printed_by"
    )


def prints_of_batch(batch: Batch) -> QuerySet[LabelPrint]:
    """The label prints of a lot, newest first."""
    return prints(batch.operator).filter(batch=batch)


def recent_lots(operator: Operator, limit: int = 30) -> QuerySet[Batch]:
    """The latest lots of labelled products, to print labels for."""
    products = [p.label for p in plan_products(operator)]
    return (
        Batch.objects.for_operator(operator)
        .filter(product__in=products, destroyed_at__isnull=True)
        .order_by("-started_at", "-pk")[:limit]
    )
