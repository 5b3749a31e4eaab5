"""Build an operator's HACCP plan from their profile and the guide."""

from __future__ import annotations

from dairyhaccp.guide.models import Criterion, Flow, Guide, HygieneItem, ProductFamily
from dairyhaccp.plan.adaptations import apply_adaptations
from dairyhaccp.plan.conditions import has_product_keys, matching_products
from dairyhaccp.plan.controls import build_controls
from dairyhaccp.plan.models import (
    FinishedProductAnalysis,
    LabelObligation,
    Plan,
    PlanFlow,
    PlanNotification,
    PlanStep,
    RawMilkAnalysisItem,
)
from dairyhaccp.profile import ProductSpec, Profile

RIPENED_CHEESE = frozenset({"hard_cheese", "semi_hard_cheese", "soft_cheese"})
RAW_MILK_NOTIFICATION_TRIGGERS = frozenset({"antibiotic_residues", "plate_count_or_somatic_cells"})


def _labels(products: list[ProductSpec]) -> list[str]:
    return list(dict.fromkeys(p.label for p in products))


def _flow_products(guide: Guide, flow: Flow, profile: Profile) -> list[ProductSpec]:
    return [p for p in profile.products if guide.product(p.kind).flow == flow.id]


def _build_flow(flow: Flow, products: list[ProductSpec], profile: Profile) -> PlanFlow:
    steps = []
    for step in flow.steps:
        concerned = matching_products(step.when, products, profile)
        if not concerned:
            continue
        steps.append(
            PlanStep(
                id=step.id,
                title=step.title,
                controls=list(step.controls),
                products=_labels(concerned) if has_product_keys(step.when) else [],
                to_flow=step.to_flow,
            )
        )
    return PlanFlow(
        id=flow.id,
        title=flow.title,
        products=_labels(products),
        reconstructed=flow.reconstructed,
        steps=steps,
        source=str(flow.source),
    )


def build_flows(guide: Guide, profile: Profile) -> list[PlanFlow]:
    """The guide's flows that the operator's products go through, with their variants."""
    flows = []
    for flow in guide.flows:
        products = _flow_products(guide, flow, profile)
        if products:
            flows.append(_build_flow(flow, products, profile))
    return flows


def _milk_sources(profile: Profile) -> set[str]:
    sources = set()
    if profile.milk.own_animals:
        sources.add("own_delivered" if profile.milk.delivers_to_buyers else "own_not_delivered")
    if profile.milk.buys_raw_milk:
        sources.add("bought")
    return sources


def _milk_uses(guide: Guide, profile: Profile) -> set[str]:
    uses = {"any"}
    for product in profile.products:
        if guide.product(product.kind).pasteurisation_medium == "none":
            continue
        uses.add("raw_milk_products" if product.raw_milk else "heat_treated")
    return uses


def build_raw_milk_analyses(guide: Guide, profile: Profile) -> list[RawMilkAnalysisItem]:
    """The analyses of table 5.1 that fit the operator's milk: species, source and use."""
    species = {"cow" if s == "cow" else "other" for s in profile.milk.species}
    sources = _milk_sources(profile)
    uses = _milk_uses(guide, profile)
    return [
        RawMilkAnalysisItem(
            id=row.id,
            parameter=row.parameter,
            species=row.species,
            milk_source=row.source_type,
            use=row.use,
            frequency=row.frequency,
            also_after_withdrawal_period=row.also_after_withdrawal_period,
            norm=row.norm.text,
            comparison=row.norm.comparison,
            value=row.norm.value,
            unit=row.norm.unit,
            source=str(row.source),
        )
        for row in guide.raw_milk_analyses
        if row.species in species and row.source_type in sources and row.use in uses
    ]


def _family_products(family: ProductFamily, profile: Profile) -> list[ProductSpec]:
    return [
        p
        for p in profile.products
        if p.kind in family.kinds and (family.raw_milk is None or family.raw_milk == p.raw_milk)
    ]


def _criterion_applies(criterion: Criterion, products: list[ProductSpec]) -> bool:
    return any(
        (criterion.raw_milk is None or criterion.raw_milk == p.raw_milk)
        and (criterion.ripened is None or criterion.ripened == (p.kind in RIPENED_CHEESE))
        for p in products
    )


def build_finished_product_analyses(
    guide: Guide, profile: Profile
) -> list[FinishedProductAnalysis]:
    """Per product family the operator makes, the parameters and criteria of table 5.2."""
    analyses = []
    for family in guide.product_families:
        products = _family_products(family, profile)
        if not products:
            continue
        criteria = [c for c in family.criteria if _criterion_applies(c, products)]
        for parameter in dict.fromkeys(c.parameter for c in criteria):
            analyses.append(
                FinishedProductAnalysis(
                    family=family.id,
                    family_title=family.title,
                    parameter=parameter,
                    products=_labels(products),
                    frequency=family.frequency,
                    criteria=[c for c in criteria if c.parameter == parameter],
                )
            )
    return analyses


def build_labelling(guide: Guide, profile: Profile) -> list[LabelObligation]:
    """The labelling rules and composition names that apply to the operator's products."""
    food = [p for p in profile.products if guide.product(p.kind).family_group != "none"]
    obligations = []
    for rule in guide.labelling.rules:
        if rule.id == "species_other_than_cow":
            concerned = food if set(profile.milk.species) - {"cow"} else []
        else:
            concerned = matching_products(rule.when, food, profile)
        if concerned:
            obligations.append(
                LabelObligation(
                    id=rule.id, text=rule.text, products=_labels(concerned), source=str(rule.source)
                )
            )
    for name in guide.labelling.names:
        concerned = [p for p in food if p.kind in name.kinds]
        if concerned:
            obligations.append(
                LabelObligation(
                    id=name.id, text=name.name, products=_labels(concerned), source=str(name.source)
                )
            )
    return obligations


def build_hygiene(guide: Guide, profile: Profile) -> list[HygieneItem]:
    """The good hygiene practices of section 2 for the operator's situations."""
    situations = {"general", "labelling"}
    if profile.milk.own_animals:
        situations.add("own_milking")
    if profile.milk.own_animals or profile.milk.buys_raw_milk:
        situations.add("raw_milk_processing")
    if any(p.kind in RIPENED_CHEESE for p in profile.products):
        situations.add("ripening")
    return [item for item in guide.hygiene if item.situation in situations]


def build_notifications(guide: Guide, profile: Profile) -> list[PlanNotification]:
    """The situations in which the operator must notify the FAVV."""
    uses_raw_milk = profile.milk.own_animals or profile.milk.buys_raw_milk
    return [
        PlanNotification(
            id=n.id,
            trigger=n.trigger,
            text=n.text,
            exemption=n.exemption,
            source=str(n.source),
        )
        for n in guide.notifications
        if uses_raw_milk or n.trigger not in RAW_MILK_NOTIFICATION_TRIGGERS
    ]


def build_plan(guide: Guide, profile: Profile) -> Plan:
    """The operator's HACCP plan: the guide adapted to their profile and justified changes."""
    registration = next(r for r in guide.registration if r.relaxations == profile.relaxations)
    retention = next(r for r in guide.retention if r.relaxations == profile.relaxations)
    flows = build_flows(guide, profile)
    plan = Plan(
        guide_id=guide.meta.id,
        guide_version=guide.meta.version,
        operator=profile.operator.name,
        profile=profile,
        registration_mode=registration.mode,
        registration_text=registration.text,
        retention_months=retention.months_after_date,
        retention_text=retention.text,
        flows=flows,
        controls=build_controls(guide, profile, flows),
        raw_milk_analyses=build_raw_milk_analyses(guide, profile),
        finished_product_analyses=build_finished_product_analyses(guide, profile),
        labelling=build_labelling(guide, profile),
        hygiene=build_hygiene(guide, profile),
        notifications=build_notifications(guide, profile),
        adaptations=[],
    )
    return apply_adaptations(plan, profile.adaptations, guide)
