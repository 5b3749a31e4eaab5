"""The plan as a Markdown document, readable on paper and in a repository."""

from __future__ import annotations

from typing import Any

from dairyhaccp.plan.export import plan_to_data
from dairyhaccp.plan.models import Plan

_HEADINGS = {
    "nl": {
        "plan": "HACCP-plan",
        "registration": "Registratie",
        "retention": "Bewaartermijn",
        "flows": "Processtroomdiagrammen",
        "reconstructed": "gereconstrueerd: de diagrammen ontbreken in de tekst van de module",
        "controls": "CCP's en PVA's",
        "hazards": "Gevaren",
        "limits": "Normen en kritische grenswaarden",
        "monitoring": "Bewakingsmethode en frequentie",
        "actions": "Corrigerende maatregelen en correctieve acties",
        "raw_milk": "Analyses op rauwe melk (5.1)",
        "finished": "Analyses op afgewerkte producten (5.2)",
        "labelling": "Etikettering",
        "hygiene": "Goede hygiënepraktijken",
        "notifications": "Meldingsplicht",
        "guide_value": "richtwaarde",
        "justification": "motivering",
        "months": "maanden",
    },
    "fr": {
        "plan": "Plan HACCP",
        "registration": "Enregistrement",
        "retention": "Durée de conservation",
        "flows": "Diagrammes de fabrication",
        "reconstructed": "reconstitué : les diagrammes manquent dans le texte du module",
        "controls": "CCP et PA",
        "hazards": "Dangers",
        "limits": "Normes et limites critiques",
        "monitoring": "Méthode et fréquence de surveillance",
        "actions": "Mesures correctives et actions correctives",
        "raw_milk": "Analyses du lait cru (5.1)",
        "finished": "Analyses des produits finis (5.2)",
        "labelling": "Étiquetage",
        "hygiene": "Bonnes pratiques d'hygiène",
        "notifications": "Obligation de notification",
        "guide_value": "valeur indicative",
        "justification": "justification",
        "months": "mois",
    },
    "en": {
        "plan": "HACCP plan",
        "registration": "Registration",
        "retention": "Retention",
        "flows": "Process flows",
        "reconstructed": "reconstructed: the diagrams are missing from the module's text",
        "controls": "CCPs and PVAs",
        "hazards": "Hazards",
        "limits": "Norms and critical limits",
        "monitoring": "Monitoring method and frequency",
        "actions": "Corrective actions",
        "raw_milk": "Raw-milk analyses (5.1)",
        "finished": "Finished-product analyses (5.2)",
        "labelling": "Labelling",
        "hygiene": "Good hygiene practices",
        "notifications": "Duty to notify",
        "guide_value": "guide value",
        "justification": "justification",
        "months": "months",
    },
}


def _criterion(c: dict[str, Any]) -> str:
    limit = f"m={c['m']}" if c["m"] is not None else str(c["unit"])
    if c["M"] is not None:
        limit += f", M={c['M']}"
    return f"n={c['n']}, c={c['c']}, {limit} {c['unit']} ({c['type']}; {c['stage']})"


def _limits_by_text(limits: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for limit in limits:
        grouped.setdefault(limit["text"], []).append(limit)
    return grouped


def plan_to_markdown(plan: Plan, lang: str = "nl") -> str:
    """The plan as Markdown, texts in `lang`."""
    data = plan_to_data(plan, lang)
    h = _HEADINGS.get(lang, _HEADINGS["nl"])
    out = [f"# {h['plan']} — {data['operator']}", ""]
    out.append(f"- {h['registration']}: {data['registration']}")
    out.append(
        f"- {h['retention']}: {data['retention_months']} {h['months']} — {data['retention']}"
    )
    out += ["", f"## {h['flows']}", ""]
    for flow in data["flows"]:
        note = f" ({h['reconstructed']})" if flow["reconstructed"] else ""
        out.append(f"### {flow['title']}{note}")
        out.append("")
        for number, step in enumerate(flow["steps"], start=1):
            controls = f" — **{', '.join(step['controls'])}**" if step["controls"] else ""
            products = f" _({', '.join(step['products'])})_" if step["products"] else ""
            out.append(f"{number}. {step['title']}{controls}{products}")
            if step["justification"]:
                out.append(f"   - {h['justification']}: {step['justification']}")
        out.append("")
    out += [f"## {h['controls']}", ""]
    for control in data["controls"]:
        out += [f"### {control['id']} – {control['title']}", "", f"_{control['source']}_", ""]
        out.append(f"**{h['hazards']}**")
        out += [f"- {hz['code']}: {hz['text']}" for hz in control["hazards"]]
        out += ["", f"**{h['limits']}**"]
        for text, limits in _limits_by_text(control["limits"]).items():
            level = f" ({h['guide_value']})" if limits[0]["level"] == "guide_value" else ""
            rules = "; ".join(limit["rule"] for limit in limits)
            out.append(f"- {text}{level} — `{rules}`")
            out += [
                f"  - {h['justification']}: {limit['justification']}"
                for limit in limits
                if limit["justification"]
            ]
        out += ["", f"**{h['monitoring']}**"]
        out += [f"- {m['text']} ({m['frequency']['label']})" for m in control["monitoring"]]
        out += ["", f"**{h['actions']}**"]
        out += [f"- {a['text']}" for a in control["corrective_actions"]]
        out.append("")
    out += [f"## {h['raw_milk']}", ""]
    for item in data["analyses"]["raw_milk"]:
        out.append(
            f"- {item['parameter']} ({item['species']}, {item['milk_source']}, "
            f"{item['use']}): {item['frequency']} — {item['norm']}"
        )
    out += ["", f"## {h['finished']}", ""]
    for item in data["analyses"]["finished_products"]:
        out.append(
            f"- {item['family_title']} — {item['parameter']} ({item['frequency']}; "
            f"{', '.join(item['products'])})"
        )
        out += [f"  - {_criterion(c)}" for c in item["criteria"]]
    out += ["", f"## {h['labelling']}", ""]
    out += [f"- {lab['text']} ({', '.join(lab['products'])})" for lab in data["labelling"]]
    out += ["", f"## {h['hygiene']}", ""]
    out += [f"- {item['text']}" for item in data["hygiene"]]
    out += ["", f"## {h['notifications']}", ""]
    out += [f"- {n['text']}" for n in data["notifications"]]
    return "\n".join(out) + "\n"
