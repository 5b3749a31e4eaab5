"""Compare two versions of a plan: what was added, removed or changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dairyhaccp.plan.models import Plan, PlanLimit

ItemKind = Literal["flow", "step", "control", "limit", "action", "analysis", "label"]
ITEMS: tuple[ItemKind, ...] = ("flow", "step", "control", "limit", "action", "analysis", "label")


@dataclass(frozen=True)
class PlanChange:
    """One difference between two plan versions."""

    change: Literal["added", "removed", "changed"]
    item: Literal["setting"] | ItemKind
    path: str
    before: str | None = None
    after: str | None = None


def _limit_value(limit: PlanLimit) -> str:
    if limit.comparison == "between":
        return f"{limit.low:g}–{limit.high:g} {limit.unit}"
    if limit.value is None:
        return f"{limit.comparison} ({limit.value_from})"
    return f"{limit.comparison} {limit.value:g} {limit.unit}"


def _keyed_diff(
    item: ItemKind,
    before: dict[str, str],
    after: dict[str, str],
) -> list[PlanChange]:
    changes = []
    for key in before.keys() - after.keys():
        changes.append(PlanChange("removed", item, key, before=before[key]))
    for key in after.keys() - before.keys():
        changes.append(PlanChange("added", item, key, after=after[key]))
    for key in before.keys() & after.keys():
        if before[key] != after[key]:
            changes.append(PlanChange("changed", item, key, before=before[key], after=after[key]))
    return sorted(changes, key=lambda c: c.path)


def _index(plan: Plan, lang: str) -> dict[str, dict[str, str]]:
    return {
        "flow": {f.id: f.title.get(lang) for f in plan.flows},
        "step": {
            f"{f.id}/{s.id}": f"{s.title.get(lang)} [{', '.join(s.controls)}]"
            for f in plan.flows
            for s in f.steps
        },
        "control": {c.id: c.title.get(lang) for c in plan.controls},
        "limit": {f"{c.id}/{lim.id}": _limit_value(lim) for c in plan.controls for lim in c.limits},
        "action": {
            f"{c.id}/{a.id}": a.text.get(lang) for c in plan.controls for a in c.corrective_actions
        },
        "analysis": {
            **{f"raw_milk/{a.id}": a.frequency.text for a in plan.raw_milk_analyses},
            **{
                f"{a.family}/{a.parameter}": a.frequency.text
                for a in plan.finished_product_analyses
            },
        },
        "label": {label.id: ", ".join(label.products) for label in plan.labelling},
    }


def diff_plans(before: Plan, after: Plan, lang: str = "nl") -> list[PlanChange]:
    """Every difference between two plans, settings first, then by item and path (texts in
    `lang`)."""
    changes: list[PlanChange] = []
    for setting in ("registration_mode", "retention_months", "guide_version", "operator"):
        old, new = str(getattr(before, setting)), str(getattr(after, setting))
        if old != new:
            changes.append(PlanChange("changed", "setting", setting, before=old, after=new))
    old_index, new_index = _index(before, lang), _index(after, lang)
    for item in ITEMS:
        changes.extend(_keyed_diff(item, old_index[item], new_index[item]))
    return changes
