"""The plan as template context: the CLI's plan data in the user's language, plus diagrams."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import HygieneItem
from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.monitoring.wording import limit_in_words, limit_requirement_words, parameter_name
from dairyhaccp.plan import Plan, PlanChange
from dairyhaccp.plan.diagram import flow_svg
from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.plan.memo import per_plan
from dairyhaccp.plan.models import PlanControl, PlanFlow, PlanLimit
from dairyhaccp.profile import Adaptation
from dairyhaccp.web.lab.choices import CRITERION_TYPE_LABELS
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
    PRODUCT_KIND_LABELS,
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


def _product_label(name: str) -> str:
    for labels in (MEDIUM_LABELS, PRODUCT_KIND_LABELS):
        if name in labels:
            return str(labels[name]).lower()
    return name.replace("_", " ")


def _step_titles(plan: Plan, lang: str) -> dict[str, str]:
    return {
        f"{flow.id}/{step.id}": f"{flow.title.get(lang)}: {step.title.get(lang)}"
        for flow in plan.flows
        for step in flow.steps
    }


# Identifiers a reading note may name: (a list of) snake_case or slug ids in brackets.
_BRACKETED_IDS = re.compile(r"\s*\((?=[^)]*[a-z])(?:[a-z0-9]+(?:[_-][a-z0-9]+)+(?:,\s*)?)+\)")
_LIMIT_ID = re.compile(r"\b(?:ccp|pva)\d+(?:-[a-z0-9]+)+\b")


def reading_note(text: str, limit_controls: dict[str, str]) -> str:
    """A note on how the module's text is read, without the identifiers of the data: a limit
    named by its id is named by its control, identifiers in brackets are left out."""
    text = _BRACKETED_IDS.sub("", text)
    return _LIMIT_ID.sub(lambda match: limit_controls.get(match.group(0), ""), text)


def _since(plan_control: PlanControl, parameter: str) -> str | None:
    try:
        derivation = load_guide().control(plan_control.id).derivation(parameter)
    except KeyError:
        return None
    return derivation.since if derivation is not None else None


def _limit_line(limit: PlanLimit, plan_control: PlanControl, lang: str) -> dict[str, Any]:
    since = _since(plan_control, limit.parameter)
    guide_words = ""
    if limit.adapted:
        guide_words = limit_requirement_words(
            limit, lang, since, value=limit.guide_value, low=limit.guide_low, high=limit.guide_high
        )
    return {
        "level": limit.level,
        "level_label": label(LIMIT_LEVEL_LABELS, limit.level),
        "adapted": limit.adapted,
        "text": limit.text.get(lang),
        "words": [limit_in_words(limit, lang, since)],
        "own_words": limit_requirement_words(limit, lang, since),
        "guide_words": guide_words,
        "justification": limit.justification,
        "products": [_product_label(name) for name in limit.products],
        "source": limit.source,
        "notes": [],
    }


def _controls(
    plan: Plan, data: dict[str, Any], lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The controls with their limits in words, and the reading notes of their limits (kept
    apart, for the appendix), numbered in order."""
    titles = _step_titles(plan, lang)
    limit_controls = {
        limit.id: control.id for control in load_guide().controls for limit in control.limits
    }
    controls: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    numbers: dict[tuple[str, str], int] = {}
    for control, plan_control in zip(data["controls"], plan.controls, strict=True):
        lines: list[dict[str, Any]] = []
        for limit in plan_control.limits:
            line = _limit_line(limit, plan_control, lang)
            last = lines[-1] if lines else None
            # Limits the guide states in one sentence (time and temperature) share one line.
            if (
                last is not None
                and not line["adapted"]
                and not last["adapted"]
                and (last["text"], last["products"], last["level"])
                == (line["text"], line["products"], line["level"])
            ):
                last["words"].extend(line["words"])
                line = last
            else:
                lines.append(line)
            note = limit.note.get(lang) if limit.note is not None else ""
            if note:
                key = (plan_control.id, note)
                if key not in numbers:
                    numbers[key] = len(notes) + 1
                    notes.append(
                        {
                            "number": numbers[key],
                            "control": plan_control.id,
                            "control_title": control["title"],
                            "text": reading_note(note, limit_controls),
                        }
                    )
                if numbers[key] not in line["notes"]:
                    line["notes"].append(numbers[key])
        for line in lines:
            line["words"] = capfirst(", ".join(line["words"]))
        control["limit_lines"] = lines
        control["step_titles"] = [titles.get(step, step) for step in control["steps"]]
        controls.append(control)
    return controls, notes


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
                    {
                        **item,
                        "parameter_label": parameter_label(item["parameter"]),
                        "criteria": [
                            {**criterion, "type_label": CRITERION_TYPE_LABELS[criterion["type"]]}
                            for criterion in item["criteria"]
                        ],
                    }
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


def _adaptation_target(adaptation: Adaptation, lang: str) -> str:
    """What an adaptation concerns, in words: flow, step, control, limit or action."""
    guide = load_guide()
    parts: list[str] = []
    if adaptation.flow:
        try:
            flow = guide.flow(adaptation.flow)
        except KeyError:
            parts.append(adaptation.flow)
        else:
            parts.append(flow.title.get(lang))
            step = next((s for s in flow.steps if s.id == adaptation.step), None)
            if adaptation.title:
                parts.append(adaptation.title)
            elif step is not None:
                parts.append(step.title.get(lang))
    elif adaptation.title:
        parts.append(adaptation.title)
    if adaptation.control:
        parts.append(adaptation.control)
        try:
            control = guide.control(adaptation.control)
        except KeyError:
            return " · ".join(parts)
        limit = next((item for item in control.limits if item.id == adaptation.limit), None)
        if limit is not None:
            parts.append(parameter_name(limit.parameter, lang))
        action = next(
            (item for item in control.corrective_actions if item.id == adaptation.action), None
        )
        if action is not None:
            parts.append(action.text.get(lang))
    return " · ".join(parts)


def _adaptations(plan: Plan, lang: str) -> list[dict[str, Any]]:
    kinds = dict(AdaptationKind.choices)
    return [
        {
            "kind": adaptation.kind,
            "label": str(kinds.get(adaptation.kind, adaptation.kind)),
            "target": _adaptation_target(adaptation, lang),
            "justification": adaptation.justification,
        }
        for adaptation in plan.adaptations
    ]


def plan_context(plan: Plan, lang: str | None = None) -> dict[str, Any]:
    """Everything the plan templates show, texts in `lang` (default: the UI language)."""
    lang = lang or guide_language()
    data = plan_to_data(plan, lang)
    controls, reading_notes = _controls(plan, data, lang)
    return {
        "lang": lang,
        "data": data,
        "guide_title": load_guide().meta.title.get(lang),
        "registration_label": label(REGISTRATION_MODE_LABELS, plan.registration_mode),
        "flows": [
            {**flow, "svg": inline_svg(plan_flow, lang)}
            for flow, plan_flow in zip(data["flows"], plan.flows, strict=True)
        ],
        "controls": controls,
        "reading_notes": reading_notes,
        "ccp_count": sum(1 for c in plan.controls if c.kind == "CCP"),
        "pva_count": sum(1 for c in plan.controls if c.kind == "PVA"),
        "raw_milk_analyses": _raw_milk(data),
        "finished_product_families": _finished_products(data),
        "hygiene_groups": _hygiene(plan, lang),
        "adaptations": _adaptations(plan, lang),
    }


def _rendered_plan_page(
    plan: Plan, language: str | None, lang: str
) -> tuple[dict[str, Any], SafeString]:
    context = plan_context(plan, lang)
    return context, mark_safe(render_to_string("plans/_plan_body.html", context))  # rendered


# A rendered body is some 100 kB: kept for the plans of the last few operators seen.
_plan_page = per_plan(maxsize=64)(_rendered_plan_page)


def plan_page_context(plan: Plan) -> dict[str, Any]:
    """`plan_context` in the UI language, with the plan's body rendered (`plan_body`).

    A plan never changes and the body shows nothing but the plan, in the active language: both
    are made once per plan and language in this process (with DEBUG on, every time, so that a
    changed template shows)."""
    make = _rendered_plan_page if settings.DEBUG else _plan_page
    context, body = make(plan, get_language(), guide_language())
    return {**context, "plan_body": body}


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
