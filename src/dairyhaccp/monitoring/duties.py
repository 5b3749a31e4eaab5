"""Where each monitoring item of the plan is done: per batch, per room, for the whole business.

The guide's frequencies say how often ("each production", "daily", "weekly", "yearly") and its
scopes say roughly on what (batch, room, equipment, lot, operation, delivery). Which of them the
schedule asks for, and on which target, is decided here once per monitoring item, so that a new
item in the guide data fails a test until it is placed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dairyhaccp.guide.models import HygieneItem, Monitoring
from dairyhaccp.monitoring.measurement import BOOLEAN_FIELDS, NUMERIC_FIELDS
from dairyhaccp.plan.conditions import has_product_keys, product_matches
from dairyhaccp.plan.models import Plan, PlanControl
from dairyhaccp.profile import ProductSpec

# What a room or piece of equipment is; rooms carry the periodic checks.
ROOM_KINDS: tuple[str, ...] = (
    "ripening_room",
    "cold_room",
    "freezer",
    "shop_cabinet",
    "brine_bath",
    "milk_tank",
    "production_room",
    "other",
)

# A batch of raw milk (a milking, or a delivery of bought raw milk) rather than a product.
RAW_MILK = "raw_milk"

# The measurement fields a form may ask, in the order a form shows them.
FORM_FIELDS: tuple[str, ...] = (
    "temperature_c",
    "hold_s",
    "elapsed_min",
    "excursion_min",
    "ph",
    "relative_humidity_pct",
    "baume",
    "salt_on_bottom",
    "residual_o2_pct",
    "co2_deviation_pct",
    "storage_h",
    "grain_size_cm",
    "silage_ph",
    "productions_since_industrial_starter",
    "visual_ok",
    "taste_ok",
)
_MEASURABLE = frozenset(NUMERIC_FIELDS) | frozenset(BOOLEAN_FIELDS)


class Target(StrEnum):
    """On what a monitoring item is due."""

    BATCH = "batch"  # once per production batch of a product the control concerns
    MILKING = "milking"  # once per batch of raw milk
    ROOM = "room"  # periodically per room of the given kinds
    BUSINESS = "business"  # periodically, once for the whole business
    ON_DEMAND = "on_demand"  # when it happens (a delivery, a doubt, a new method): not scheduled
    LAB = "lab"  # laboratory analyses: the lab context schedules them


@dataclass(frozen=True)
class Placement:
    target: Target
    room_kinds: tuple[str, ...] = ()


_B = Placement(Target.BATCH)
_M = Placement(Target.MILKING)
_D = Placement(Target.ON_DEMAND)
_L = Placement(Target.LAB)
_BUSINESS = Placement(Target.BUSINESS)


def _room(*kinds: str) -> Placement:
    return Placement(Target.ROOM, kinds)


# Every monitoring item of the guide, placed. Event items of a production go on the batch;
# "each service start" of a shop cabinet is read as daily (a cabinet in service is opened daily).
PLACEMENTS: Mapping[str, Placement] = {
    "ccp1-temperature": _D,
    "ccp2-time-temperature": _M,
    "ccp2-antibiotics-own-use": _L,
    "ccp2-antibiotics-delivering": _L,
    "ccp2-antibiotics-after-withdrawal": _L,
    "ccp3-cold-rooms": _room("cold_room"),
    "ccp3-cabinets": _room("shop_cabinet"),
    "ccp3-freezers": _room("freezer"),
    "ccp9-time-temperature": _B,
    "ccp10-time-temperature": _B,
    "ccp12-time-temperature": _B,
    "ccp12-curd-visual": _B,
    "ccp12-ph-measurement": _B,
    "ccp13-temperature": _room("ripening_room"),
    "ccp13-humidity": _room("ripening_room"),
    "ccp14-time-temperature": _B,
    "ccp14-check-taste": _B,
    "ccp14-check-buttermilk-ph": _BUSINESS,
    "ccp14-check-cream-ph": _D,
    "ccp15-check-ph": _B,
    "ccp23-vacuum-visual": _B,
    "ccp23-vacuum-device": _B,
    "ccp23-gas-machine": _B,
    "ccp23-gas-manual-lot": _B,
    "ccp23-gas-manual-change": _D,
    "pva1-packaging-check": _D,
    "pva1-freshness-check": _D,
    "pva1-date-check": _D,
    "pva2-analyses-own-use": _L,
    "pva2-analyses-delivered": _L,
    "pva2-silage-ph-check": _D,
    "pva2-silage-visual-check": _D,
    "pva6-labelling-attention": _B,
    "pva6-shelf-life-study": _L,
    "pva6-products-at-sale": _room("shop_cabinet"),
    "pva6-packaging-material-receipt": _D,
    "pva7-daily-dates": _room("cold_room", "shop_cabinet", "milk_tank"),
    "pva11-whey-visual": _B,
    "pva11-acidification": _B,
    "pva12-specification": _B,
    "pva12-acidification": _B,
    "pva13-whey-visual": _B,
    "pva13-ph-check": _B,
    "pva14-saturation-check": _room("brine_bath"),
    "pva14-temperature-check": _B,
    "pva14-renew-brine": _room("brine_bath"),
    "pva14-microbiology": _L,
    "pva16-time-temperature": _B,
    "pva16-ph-new-method": _D,
    "pva16-ph-yearly": _BUSINESS,
    "pva17-temperature-check": _B,
    "pva18-ph-check": _B,
    "pva18-visual-check": _B,
    "pva25-analyses": _L,
}

# Hygiene items with a frequency, by situation: the rooms they are done in.
HYGIENE_ROOM_KINDS: Mapping[str, tuple[str, ...]] = {"ripening": ("ripening_room",)}


def placement(monitoring: Monitoring) -> Placement:
    """Where a monitoring item is due; an item not placed yet raises KeyError."""
    return PLACEMENTS[monitoring.id]


def hygiene_placement(item: HygieneItem) -> Placement:
    """Where a hygiene task with a frequency is due: in its rooms, or for the business."""
    kinds = HYGIENE_ROOM_KINDS.get(item.situation)
    return _room(*kinds) if kinds else _BUSINESS


@dataclass(frozen=True)
class Check:
    """A monitoring item of one control of the plan."""

    control: PlanControl
    monitoring: Monitoring

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(p for p in self.monitoring.parameters if p in _MEASURABLE)


def product_spec(plan: Plan, label: str) -> ProductSpec | None:
    """The profile product with this label (name, or kind when unnamed)."""
    for product in plan.profile.products:
        if product.label == label:
            return product
    return None


def controls_for_product(plan: Plan, label: str) -> list[str]:
    """The controls at the steps the product goes through, in the plan's order."""
    at_steps: set[str] = set()
    for flow in plan.flows:
        if label not in flow.products:
            continue
        for step in flow.steps:
            if not step.products or label in step.products:
                at_steps.update(step.controls)
    return [c.id for c in plan.controls if c.id in at_steps]


def products_for_control(plan: Plan, control: PlanControl, labels: Sequence[str]) -> list[str]:
    """Of `labels`, those a check of this control can be for: the products that pass a step
    where it is checked, and raw milk when one of its limits is about raw milk."""
    about_raw_milk = any(RAW_MILK in limit.products for limit in control.limits)
    chosen = [
        label
        for label in labels
        if (label == RAW_MILK and about_raw_milk)
        or (label != RAW_MILK and control.id in controls_for_product(plan, label))
    ]
    return chosen or list(labels)


def _fits(monitoring: Monitoring, spec: ProductSpec | None, plan: Plan) -> bool:
    if spec is None or not has_product_keys(monitoring.when):
        return True
    return product_matches(monitoring.when, spec, plan.profile)


def batch_checks(plan: Plan, label: str) -> list[Check]:
    """What is due once for a batch of this product (or of raw milk)."""
    if label == RAW_MILK:
        return [
            Check(control, item)
            for control in plan.controls
            for item in control.monitoring
            if placement(item).target is Target.MILKING
        ]
    spec = product_spec(plan, label)
    controls = set(controls_for_product(plan, label))
    return [
        Check(control, item)
        for control in plan.controls
        if control.id in controls
        for item in control.monitoring
        if placement(item).target is Target.BATCH and _fits(item, spec, plan)
    ]


def room_checks(plan: Plan, room_kind: str) -> list[Check]:
    """The periodic checks due in a room of this kind."""
    return [
        Check(control, item)
        for control in plan.controls
        for item in control.monitoring
        if placement(item).target is Target.ROOM and room_kind in placement(item).room_kinds
    ]


def room_tasks(plan: Plan, room_kind: str) -> list[HygieneItem]:
    """The hygiene tasks with a frequency that are done in a room of this kind."""
    return [
        item
        for item in plan.hygiene
        if item.frequency is not None and room_kind in hygiene_placement(item).room_kinds
    ]


def form_fields(
    control: PlanControl, spec: ProductSpec | None = None, plan: Plan | None = None
) -> tuple[str, ...]:
    """The measurement fields a registration of this control asks, in form order.

    The parameters of its monitoring items that are measured on the spot (not lab analyses),
    for the product when one is given; with a tolerated short fluctuation (CCP 1, CCP 3) also
    how long the excursion lasted.
    """
    wanted: set[str] = set()
    for item in control.monitoring:
        if placement(item).target is Target.LAB:
            continue
        if plan is not None and not _fits(item, spec, plan):
            continue
        wanted.update(p for p in item.parameters if p in _MEASURABLE)
    if wanted and any(limit.tolerance is not None for limit in control.limits):
        wanted.add("excursion_min")
    return tuple(name for name in FORM_FIELDS if name in wanted)


def registrable_controls(plan: Plan) -> list[PlanControl]:
    """The controls of the plan whose checks are measured on the spot, so a form can judge."""
    return [control for control in plan.controls if form_fields(control)]


def checks_by_id(plan: Plan) -> dict[str, Check]:
    return {
        item.id: Check(control, item) for control in plan.controls for item in control.monitoring
    }


def periodic_business_checks(plan: Plan) -> list[Check]:
    """Periodic checks done once for the whole business."""
    return [
        check
        for check in checks_by_id(plan).values()
        if placement(check.monitoring).target is Target.BUSINESS
    ]


def all_room_kinds(checks: Sequence[Check]) -> set[str]:
    return {kind for check in checks for kind in placement(check.monitoring).room_kinds}
