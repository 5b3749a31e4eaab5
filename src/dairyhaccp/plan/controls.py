"""Which controls of the guide apply to an operator, with their limits, monitoring and actions."""

from __future__ import annotations

from dairyhaccp.guide.models import Control, Guide, Limit
from dairyhaccp.plan.conditions import has_product_keys, matching_products, operator_matches
from dairyhaccp.plan.models import PlanAction, PlanControl, PlanFlow, PlanLimit
from dairyhaccp.profile import ProductSpec, Profile


def _labels(products: list[ProductSpec]) -> list[str]:
    return list(dict.fromkeys(p.label for p in products))


def steps_by_control(flows: list[PlanFlow]) -> dict[str, list[str]]:
    """For each control id, the 'flow/step' places where it is checked."""
    places: dict[str, list[str]] = {}
    for flow in flows:
        for step in flow.steps:
            for control_id in step.controls:
                places.setdefault(control_id, []).append(f"{flow.id}/{step.id}")
    return places


def _media(guide: Guide, profile: Profile) -> set[str]:
    # Every dairy may keep frozen goods (starter cultures, fruit), so the guide's frozen limits
    # of reception and storage always belong to the plan.
    media: set[str] = {"frozen"}
    for product in profile.products:
        medium = guide.product(product.kind).pasteurisation_medium
        # Raw cream for butter is still cream: it is cooled and stored under CCP 2
        # ("afgeroomde rauwe melk of room") before it is churned.
        if medium != "none" and (not product.raw_milk or medium == "cream"):
            media.add(medium)
    if profile.milk.own_animals or profile.milk.buys_raw_milk:
        media.add("raw_milk")
    return media


def products_by_control(flows: list[PlanFlow]) -> dict[str, set[str]]:
    """For each control id, the labels of the products that pass a step where it is checked."""
    reach: dict[str, set[str]] = {}
    for flow in flows:
        for step in flow.steps:
            for control_id in step.controls:
                reach.setdefault(control_id, set()).update(step.products or flow.products)
    return reach


def _limit_products(
    limit: Limit, profile: Profile, media: set[str], reach: set[str]
) -> list[str] | None:
    """Which of the operator's products a limit concerns; None when it does not apply."""
    passing = [p for p in profile.products if p.label in reach]
    concerned = matching_products(limit.when, passing, profile)
    if not operator_matches(limit.when, profile) or (
        has_product_keys(limit.when) and not concerned
    ):
        return None
    if not limit.products:
        return _labels(concerned) if has_product_keys(limit.when) else []
    by_kind = [p for p in concerned if p.kind in limit.products]
    named_media = sorted(media & set(limit.products))
    if not by_kind and not named_media:
        return None
    return _labels(by_kind) + named_media


def _plan_limit(limit: Limit, products: list[str], guide: Guide, profile: Profile) -> PlanLimit:
    category_values: dict[str, float] = {}
    if limit.value_from == "storage_category":
        categories = {c.id: c for c in guide.storage_categories}
        for product in profile.products:
            category = categories[guide.product(product.kind).storage_category]
            category_values[category.id] = category.max_temperature_c
    return PlanLimit(
        id=limit.id,
        parameter=limit.parameter,
        comparison=limit.comparison,
        value=limit.value,
        low=limit.low,
        high=limit.high,
        unit=limit.unit,
        level=limit.level,
        products=products,
        at_temperature_c=limit.at_temperature_c,
        value_from=limit.value_from,
        category_values=category_values,
        tolerance=limit.tolerance,
        text=limit.text,
        note=limit.note,
        source=str(limit.source),
    )


def _build_control(
    control: Control,
    guide: Guide,
    profile: Profile,
    media: set[str],
    steps: list[str],
    reach: set[str],
) -> PlanControl:
    limits = []
    for limit in control.limits:
        products = _limit_products(limit, profile, media, reach)
        if products is not None:
            limits.append(_plan_limit(limit, products, guide, profile))
    monitoring = [
        m
        for m in control.monitoring
        if operator_matches(m.when, profile)
        and (not has_product_keys(m.when) or matching_products(m.when, profile.products, profile))
    ]
    actions = [
        PlanAction.from_guide(a)
        for a in control.corrective_actions
        if operator_matches(a.when, profile)
        and (not has_product_keys(a.when) or matching_products(a.when, profile.products, profile))
    ]
    return PlanControl(
        id=control.id,
        kind=control.kind,
        title=control.title,
        description=control.description,
        hazards=list(control.hazards),
        limits=limits,
        monitoring=monitoring,
        corrective_actions=actions,
        footnotes=list(control.footnotes),
        notification=control.notification,
        steps=steps,
        source=str(control.source),
    )


def build_controls(guide: Guide, profile: Profile, flows: list[PlanFlow]) -> list[PlanControl]:
    """The controls checked at the steps of the operator's flows, in the guide's order."""
    places = steps_by_control(flows)
    reach = products_by_control(flows)
    media = _media(guide, profile)
    ordered = sorted(guide.controls, key=lambda c: (c.kind != "CCP", c.number))
    return [
        _build_control(control, guide, profile, media, places[control.id], reach[control.id])
        for control in ordered
        if control.id in places
    ]
