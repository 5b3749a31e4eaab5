"""The plan as plain data (the JSON contract of `dairyhaccp plan --format json`)."""

from __future__ import annotations

from typing import Any

from dairyhaccp.guide.models import Criterion, Frequency, Monitoring, Text
from dairyhaccp.guide.wording import describe_frequency, describe_rule
from dairyhaccp.plan.models import (
    FinishedProductAnalysis,
    Plan,
    PlanControl,
    PlanLimit,
    RawMilkAnalysisItem,
)


def _text(text: Text | None, lang: str) -> str | None:
    return text.get(lang) if text is not None else None


def frequency_data(frequency: Frequency, lang: str) -> dict[str, Any]:
    return {
        "text": frequency.text,
        "label": describe_frequency(frequency, lang),
        "event": frequency.event,
        "times": frequency.times,
        "period": frequency.period,
        "period_count": frequency.period_count,
    }


def limit_data(limit: PlanLimit, lang: str) -> dict[str, Any]:
    return {
        "id": limit.id,
        "parameter": limit.parameter,
        "comparison": limit.comparison,
        "value": limit.value,
        "low": limit.low,
        "high": limit.high,
        "unit": limit.unit,
        "level": limit.level,
        "products": limit.products,
        "at_temperature_c": limit.at_temperature_c,
        "value_from": limit.value_from,
        "category_values": limit.category_values,
        "tolerance": limit.tolerance,
        "text": limit.text.get(lang),
        "rule": describe_rule(limit),
        "note": _text(limit.note, lang),
        "source": limit.source,
        "adapted": limit.adapted,
        "guide_value": limit.guide_value,
        "guide_low": limit.guide_low,
        "guide_high": limit.guide_high,
        "justification": limit.justification,
    }


def monitoring_data(monitoring: Monitoring, lang: str) -> dict[str, Any]:
    return {
        "id": monitoring.id,
        "method": monitoring.method,
        "parameters": monitoring.parameters,
        "frequency": frequency_data(monitoring.frequency, lang),
        "scope": monitoring.scope,
        "text": monitoring.text.get(lang),
    }


def control_data(control: PlanControl, lang: str) -> dict[str, Any]:
    return {
        "id": control.id,
        "kind": control.kind,
        "title": control.title.get(lang),
        "description": control.description.get(lang),
        "hazards": [{"code": h.code, "text": h.text.get(lang)} for h in control.hazards],
        "limits": [limit_data(limit, lang) for limit in control.limits],
        "monitoring": [monitoring_data(m, lang) for m in control.monitoring],
        "corrective_actions": [
            {"id": a.id, "text": a.text.get(lang), "justification": a.justification}
            for a in control.corrective_actions
        ],
        "footnotes": [f.get(lang) for f in control.footnotes],
        "notification": _text(control.notification, lang),
        "steps": control.steps,
        "source": control.source,
    }


def raw_milk_data(item: RawMilkAnalysisItem, lang: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "parameter": item.parameter,
        "species": item.species,
        "milk_source": item.milk_source,
        "use": item.use,
        "frequency": item.frequency.text,
        "frequency_label": describe_frequency(item.frequency, lang),
        "also_after_withdrawal_period": item.also_after_withdrawal_period,
        "norm": item.norm.get(lang),
        "comparison": item.comparison,
        "value": item.value,
        "unit": item.unit,
        "source": item.source,
    }


def criterion_data(criterion: Criterion, lang: str) -> dict[str, Any]:
    return {
        "id": criterion.id,
        "n": criterion.n,
        "c": criterion.c,
        "m": criterion.m,
        "M": criterion.M,
        "unit": criterion.unit,
        "stage": criterion.stage.get(lang),
        "type": criterion.type,
        "listeria_growth": criterion.listeria_growth,
        "listeria_proof": criterion.listeria_proof,
        "trigger": _text(criterion.trigger, lang),
        "discrepancy": _text(criterion.discrepancy, lang),
        "source": str(criterion.source),
    }


def finished_product_data(item: FinishedProductAnalysis, lang: str) -> dict[str, Any]:
    return {
        "family": item.family,
        "family_title": item.family_title.get(lang),
        "parameter": item.parameter,
        "products": item.products,
        "frequency": item.frequency.text,
        "frequency_label": describe_frequency(item.frequency, lang),
        "criteria": [criterion_data(c, lang) for c in item.criteria],
    }


def plan_to_data(plan: Plan, lang: str = "nl") -> dict[str, Any]:
    """The whole plan as JSON-ready data, texts in `lang` (Dutch where not translated)."""
    return {
        "operator": plan.operator,
        "guide": {"id": plan.guide_id, "version": plan.guide_version},
        "registration_mode": plan.registration_mode,
        "registration": plan.registration_text.get(lang),
        "retention_months": plan.retention_months,
        "retention": plan.retention_text.get(lang),
        "flows": [
            {
                "id": flow.id,
                "title": flow.title.get(lang),
                "products": flow.products,
                "reconstructed": flow.reconstructed,
                "source": flow.source,
                "steps": [
                    {
                        "id": step.id,
                        "title": step.title.get(lang),
                        "controls": step.controls,
                        "products": step.products,
                        "to_flow": step.to_flow,
                        "justification": step.justification,
                    }
                    for step in flow.steps
                ],
            }
            for flow in plan.flows
        ],
        "controls": [control_data(control, lang) for control in plan.controls],
        "analyses": {
            "raw_milk": [raw_milk_data(item, lang) for item in plan.raw_milk_analyses],
            "finished_products": [
                finished_product_data(item, lang) for item in plan.finished_product_analyses
            ],
        },
        "labelling": [
            {
                "id": label.id,
                "text": label.text.get(lang),
                "products": label.products,
                "source": label.source,
            }
            for label in plan.labelling
        ],
        "hygiene": [
            {"id": item.id, "situation": item.situation, "text": item.text.get(lang)}
            for item in plan.hygiene
        ],
        "notifications": [
            {
                "id": n.id,
                "trigger": n.trigger,
                "text": n.text.get(lang),
                "exemption": _text(n.exemption, lang),
                "source": n.source,
            }
            for n in plan.notifications
        ],
        "adaptations": [a.model_dump(exclude_defaults=True) for a in plan.adaptations],
    }
