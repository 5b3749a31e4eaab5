"""Demo lab results for the demo operator: a few months of raw milk and two product results."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.lab.services import (
    ProductInput,
    RawMilkInput,
    record_product_result,
    record_raw_milk_result,
)
from dairyhaccp.web.operators.models import Operator

# (days ago, parameter, value) for the demo's own cow milk, sampled every three months.
RAW_MILK = (
    (170, "plate_count", 60_000.0),
    (170, "somatic_cells", 250_000.0),
    (170, "antibiotic_residues", "not_detected"),
    (170, "visible_cleanliness", "ok"),
    (170, "e_coli", 20.0),
    (80, "plate_count", 140_000.0),
    (80, "somatic_cells", 310_000.0),
    (80, "antibiotic_residues", "not_detected"),
    (80, "visible_cleanliness", "ok"),
    (80, "e_coli", 40.0),
)


def load_lab_demo(operator: Operator, owner: User) -> None:
    """Add the demo results once; an operator with lab results is left as it is."""
    plan = selectors.plan_or_none(operator)
    if plan is None:
        return
    if RawMilkResult.objects.for_operator(operator).exists():
        return
    if ProductResult.objects.for_operator(operator).exists():
        return
    today = timezone.localdate()
    streams = selectors.milk_streams(plan)
    if streams:
        stream = streams[0]
        for days, parameter, value in RAW_MILK:
            if parameter in stream.parameters:
                data = RawMilkInput(
                    stream.species, stream.source, parameter, today - timedelta(days=days), value
                )
                record_raw_milk_result(operator, owner, data)
    products = {product.label for product in selectors.sampled_products(plan)}
    if "Hoevekaas" in products:
        record_product_result(
            operator,
            owner,
            ProductInput(
                "Hoevekaas",
                "coagulase_positive_staphylococci",
                today - timedelta(days=60),
                [2_000.0, 15_000.0, 4_000.0, 800.0, 1_200.0],
                lot="K-DEMO-1",
            ),
        )
    if "Roeryoghurt" in products:
        record_product_result(
            operator,
            owner,
            ProductInput(
                "Roeryoghurt",
                "enterobacteriaceae",
                today - timedelta(days=45),
                [0.0, 0.0, 0.0, 0.0, 0.0],
                lot="Y-DEMO-1",
            ),
        )
