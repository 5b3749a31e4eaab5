"""Where each monitoring item of the plan is done: per batch, per room, for the whole business.

The guide's frequencies say how often ("each production", "daily", "weekly", "yearly"); the
`placement` of each monitoring item in the guide data says on what: a batch, a milking, rooms of
some kinds, the business, a delivery, on demand or the laboratory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import HygieneItem, Monitoring
from dairyhaccp.plan.conditions import has_product_keys, product_matches
from dairyhaccp.plan.memo import per_plan
from dairyhaccp.plan.models import Plan, PlanControl
from dairyhaccp.profile import ProductSpec

# A batch of raw milk (a milking, or a delivery of bought raw milk) rather than a product.
RAW_MILK = "raw_milk"


class Target(StrEnum):
    """On what a monitoring item is due (the `placement` of each item in the guide data)."""

    BATCH = "batch"  # once per production batch of a product the control concerns
    MILKING = "milking"  # once per batch of raw milk
    ROOM = "room"  # periodically per room of the given kinds
    BUSINESS = "business"  # periodically, once for the whole business
    DELIVERY = "delivery"  # at each delivery received: not scheduled
    ON_DEMAND = "on_demand"  # when it happens (a doubt, a new method): not scheduled
    LAB = "lab"  # laboratory analyses: the lab context schedules them


@dataclass(frozen=True)
class Placement:
    target: Target
    room_kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def placement(monitoring: Monitoring) -> Placement:
    """Where a monitoring item is due, as the guide data places it."""
    where = monitoring.placement
    return Placement(Target(where.target), tuple(where.room_kinds), tuple(where.categories))


# Hygiene items with a frequency, by situation: the rooms they are done in.
HYGIENE_ROOM_KINDS: Mapping[str, tuple[str, ...]] = {"ripening": ("ripening_room",)}


def hygiene_placement(item: HygieneItem) -> Placement:
    """Where a hygiene task with a frequency is due: in its rooms, or for the business."""
    kinds = HYGIENE_ROOM_KINDS.get(item.situation)
    return Placement(Target.ROOM, kinds) if kinds else Placement(Target.BUSINESS)


def form_order() -> tuple[str, ...]:
    """The parameters measured on site, in the order a form asks them."""
    return tuple(p.id for p in load_guide().parameters if p.measured == "on_site")


@dataclass(frozen=True)
class Check:
    """A monitoring item of one control of the plan."""

    control: PlanControl
    monitoring: Monitoring

    @cached_property
    def parameters(self) -> tuple[str, ...]:
        on_site = set(form_order())
        return tuple(p for p in self.monitoring.parameters if p in on_site)

    @cached_property
    def where(self) -> Placement:
        """Where it is due (`placement` of its monitoring item)."""
        return placement(self.monitoring)


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
    return list(_batch_checks(plan, label))


# A plan never changes: which checks are due where is worked out once per plan (and product or
# kind of room), with the checks' parameters and placements.
@per_plan()
def _batch_checks(plan: Plan, label: str) -> tuple[Check, ...]:
    checks = _checks(plan)
    if label == RAW_MILK:
        return tuple(check for check in checks if check.where.target is Target.MILKING)
    spec = product_spec(plan, label)
    controls = set(controls_for_product(plan, label))
    return tuple(
        check
        for check in checks
        if check.control.id in controls
        and check.where.target is Target.BATCH
        and _fits(check.monitoring, spec, plan)
    )


@per_plan()
def _checks(plan: Plan) -> tuple[Check, ...]:
    """Every monitoring item of the plan as a check, in the plan's order."""
    return tuple(Check(control, item) for control in plan.controls for item in control.monitoring)


def plan_checks(plan: Plan) -> tuple[Check, ...]:
    """Every monitoring item of the plan as a check, in the plan's order (made once per plan)."""
    return _checks(plan)


def room_checks(plan: Plan, room_kind: str) -> list[Check]:
    """The periodic checks due in a room of this kind."""
    return list(_room_checks(plan, room_kind))


@per_plan()
def _room_checks(plan: Plan, room_kind: str) -> tuple[Check, ...]:
    return tuple(
        check
        for check in _checks(plan)
        if check.where.target is Target.ROOM and room_kind in check.where.room_kinds
    )


def room_tasks(plan: Plan, room_kind: str) -> list[HygieneItem]:
    """The hygiene tasks with a frequency that are done in a room of this kind."""
    return list(_room_tasks(plan, room_kind))


@per_plan()
def _room_tasks(plan: Plan, room_kind: str) -> tuple[HygieneItem, ...]:
    return tuple(
        item
        for item in plan.hygiene
        if item.frequency is not None and room_kind in hygiene_placement(item).room_kinds
    )


def form_fields(
    control: PlanControl, spec: ProductSpec | None = None, plan: Plan | None = None
) -> tuple[str, ...]:
    """The measurement fields a registration of this control asks, in form order.

    The parameters of its monitoring items that are measured on the spot (not lab analyses),
    for the product when one is given, and how long a fluctuation lasted where a limit
    tolerates one.
    """
    wanted: set[str] = set()
    for item in control.monitoring:
        if placement(item).target is Target.LAB:
            continue
        if plan is not None and not _fits(item, spec, plan):
            continue
        wanted.update(item.parameters)
    if wanted:
        guide = load_guide()
        known = {c.id: c for c in guide.controls}
        if control.id in known:
            for limit in known[control.id].limits:
                if limit.parameter in wanted and limit.excursion_parameter is not None:
                    wanted.add(limit.excursion_parameter)
    return tuple(name for name in form_order() if name in wanted)


def registrable_controls(plan: Plan) -> list[PlanControl]:
    """The controls of the plan whose checks are measured on the spot, so a form can judge."""
    return list(_registrable_controls(plan))


@per_plan()
def _registrable_controls(plan: Plan) -> tuple[PlanControl, ...]:
    return tuple(control for control in plan.controls if form_fields(control))


def checks_by_id(plan: Plan) -> dict[str, Check]:
    return {
        item.id: Check(control, item) for control in plan.controls for item in control.monitoring
    }


def periodic_business_checks(plan: Plan) -> list[Check]:
    """Periodic checks done once for the whole business."""
    return list(_periodic_business_checks(plan))


@per_plan()
def _periodic_business_checks(plan: Plan) -> tuple[Check, ...]:
    by_id = {check.monitoring.id: check for check in _checks(plan)}
    return tuple(check for check in by_id.values() if check.where.target is Target.BUSINESS)


def all_room_kinds(checks: Sequence[Check]) -> set[str]:
    return {kind for check in checks for kind in placement(check.monitoring).room_kinds}
