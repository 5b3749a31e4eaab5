"""The plan as template context: the CLI's plan data in the user's language, plus diagrams."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from dairyhaccp.guide.models import HygieneItem
from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.plan import Plan, PlanChange
from dairyhaccp.plan.diagram import flow_svg
from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.plan.models import PlanFlow
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.parameters import parameter_label
from dairyhaccp.web.plans.choices import AdaptationKind
from dairyhaccp.web.plans.labels import (
    CHANGE_LABELS,
    DIFF_ITEM_LABELS,
    LIMIT_LEVEL_LABELS,
    MEDIUM_LABELS,
    MILK_SOURCE_LABELS,
    MILK_USE_LABELS,
    OTHER_SPECIES_LABEL,
    REGISTRATION_MODE_LABELS,
    SITUATION_LABELS,
    SPECIES_LABELS,
    label,
)


def inline_svg(flow: PlanFlow, lang: str) -> SafeString:
    """The flow's diagram for use inside a page (the core escapes every text in it)."""
    # Several diagrams share one page: each gets its own ids.
    prefix = re.sub(r"[^a-z0-9_-]", "-", flow.id.lower()) + "-"
    return mark_safe(
        flow_svg(flow, lang, id_prefix=prefix)
    )  # built by the core diagram module, texts escaped there


def _value(value: float | None, unit: str) -> str:
    return f"{value:g} {unit}".strip() if value is not None else ""


def _guide_value(limit: dict[str, Any]) -> str:
    """The guide's own value of a limit the operator changed."""
    if limit["comparison"] == "between" and limit["guide_low"] is not None:
        return f"{limit['guide_low']:g}–{limit['guide_high']:g} {limit['unit']}".strip()
    if limit["guide_value"] is not None:
        return f"{limit['comparison']} {_value(limit['guide_value'], limit['unit'])}"
    return ""


def _step_titles(plan: Plan, lang: str) -> dict[str, str]:
    return {
        f"{flow.id}/{step.id}": f"{flow.title.get(lang)}: {step.title.get(lang)}"
        for flow in plan.flows
        for step in flow.steps
    }


def _controls(plan: Plan, data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    titles = _step_titles(plan, lang)
    controls = []
    for control in data["controls"]:
        for limit in control["limits"]:
            limit["level_label"] = label(LIMIT_LEVEL_LABELS, limit["level"])
            limit["products"] = [
                str(MEDIUM_LABELS[name]) if name in MEDIUM_LABELS else name
                for name in limit["products"]
            ]
            limit["guide_text"] = _guide_value(limit) if limit["adapted"] else ""
        control["step_titles"] = [titles.get(step, step) for step in control["steps"]]
        controls.append(control)
    return controls


def _raw_milk(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for row in data["analyses"]["raw_milk"]:
        species = (
            label(SPECIES_LABELS, "cow") if row["species"] == "cow" else str(OTHER_SPECIES_LABEL)
        )
        rows.append(
            {
                **row,
                "parameter_label": parameter_label(row["parameter"]),
                "milk_label": f"{species}, {label(MILK_SOURCE_LABELS, row['milk_source'])}",
                "use_label": label(MILK_USE_LABELS, row["use"]),
            }
        )
    return rows


def _finished_products(data: dict[str, Any]) -> list[dict[str, Any]]:
    families = []
    rows = data["analyses"]["finished_products"]
    for family, items in groupby(rows, key=lambda row: row["family"]):
        items_list = list(items)
        first = items_list[0]
        families.append(
            {
                "family": family,
                "title": first["family_title"],
                "products": first["products"],
                "frequency_label": first["frequency_label"],
                "parameters": [
                    {**item, "parameter_label": parameter_label(item["parameter"])}
                    for item in items_list
                ],
            }
        )
    return families


def _hygiene(plan: Plan, lang: str) -> list[dict[str, Any]]:
    by_situation: dict[str, list[HygieneItem]] = {}
    for item in plan.hygiene:
        by_situation.setdefault(item.situation, []).append(item)
    groups = []
    for situation, items in by_situation.items():
        groups.append(
            {
                "situation": situation,
                "label": label(SITUATION_LABELS, situation),
                "items": [
                    {
                        "id": item.id,
                        "text": item.text.get(lang),
                        "frequency": (
                            describe_frequency(item.frequency, lang) if item.frequency else ""
                        ),
                        "source": str(item.source),
                    }
                    for item in items
                ],
            }
        )
    return groups


def _adaptations(plan: Plan) -> list[dict[str, Any]]:
    kinds = dict(AdaptationKind.choices)
    return [
        {
            "kind": adaptation.kind,
            "label": str(kinds.get(adaptation.kind, adaptation.kind)),
            "target": " · ".join(
                part
                for part in (
                    adaptation.flow,
                    adaptation.title or adaptation.step,
                    adaptation.control,
                    adaptation.limit,
                    adaptation.action,
                )
                if part
            ),
            "justification": adaptation.justification,
        }
        for adaptation in plan.adaptations
    ]


def plan_context(plan: Plan, lang: str | None = None) -> dict[str, Any]:
    """Everything the plan templates show, texts in `lang` (default: the UI language)."""
    lang = lang or guide_language()
    data = plan_to_data(plan, lang)
    return {
        "lang": lang,
        "data": data,
        "registration_label": label(REGISTRATION_MODE_LABELS, plan.registration_mode),
        "flows": [
            {**flow, "svg": inline_svg(plan_flow, lang)}
            for flow, plan_flow in zip(data["flows"], plan.flows, strict=True)
        ],
        "controls": _controls(plan, data, lang),
        "ccp_count": sum(1 for c in plan.controls if c.kind == "CCP"),
        "pva_count": sum(1 for c in plan.controls if c.kind == "PVA"),
        "raw_milk_analyses": _raw_milk(data),
        "finished_product_families": _finished_products(data),
        "hygiene_groups": _hygiene(plan, lang),
        "adaptations": _adaptations(plan),
    }


def changes_context(changes: list[PlanChange]) -> list[dict[str, Any]]:
    """A plan comparison grouped by kind of item, with translated labels."""
    groups = []
    for item, group in groupby(changes, key=lambda change: change.item):
        groups.append(
            {
                "item": item,
                "label": label(DIFF_ITEM_LABELS, item),
                "changes": [
                    {
                        "change": change.change,
                        "change_label": label(CHANGE_LABELS, change.change),
                        "path": change.path,
                        "before": change.before,
                        "after": change.after,
                    }
                    for change in group
                ],
            }
        )
    return groups
