"""The plan versions in force during the period, with their adaptations in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Guide
from dairyhaccp.plan.models import Plan
from dairyhaccp.profile import Adaptation
from dairyhaccp.web.dossier.sections.common import COMPARISONS, number, person
from dairyhaccp.web.dossier.selectors import VersionInForce
from dairyhaccp.web.operators.language import guide_text
from dairyhaccp.web.parameters import parameter_label, parameter_unit
from dairyhaccp.web.plans.choices import AdaptationKind, VersionChange
from dairyhaccp.web.plans.labels import REGISTRATION_MODE_LABELS, label


@dataclass(frozen=True)
class AdaptationRow:
    """One adaptation of the guide: what, on what, and why."""

    version: int
    kind: str
    target: str
    justification: str


@dataclass(frozen=True)
class VersionRow:
    """A plan version in force during the period."""

    number: int
    made_at: datetime
    made_by: str
    change: str
    reason: str
    first_day: date
    last_day: date
    registration: str
    guide_version: str
    adaptations: list[AdaptationRow]


def _flow_title(guide: Guide, plan: Plan, flow_id: str | None) -> str:
    if not flow_id:
        return ""
    for flow in plan.flows:
        if flow.id == flow_id:
            return guide_text(flow.title)
    try:
        return guide_text(guide.flow(flow_id).title)
    except KeyError:
        return ""


def _step_title(guide: Guide, flow_id: str | None, step_id: str | None) -> str:
    if not flow_id or not step_id:
        return ""
    try:
        flow = guide.flow(flow_id)
    except KeyError:
        return ""
    return next((guide_text(step.title) for step in flow.steps if step.id == step_id), "")


def _control(guide: Guide, control_id: str | None) -> str:
    if not control_id:
        return ""
    try:
        return f"{control_id} · {guide_text(guide.control(control_id).title)}"
    except KeyError:
        return control_id


def _limit(guide: Guide, adaptation: Adaptation) -> str:
    """The guide's limit in its own words and the operator's value instead."""
    try:
        control = guide.control(adaptation.control or "")
    except KeyError:
        return ""
    limit = next((item for item in control.limits if item.id == adaptation.limit), None)
    if limit is None:
        return ""
    unit = parameter_unit(limit.parameter)
    if adaptation.low is not None and adaptation.high is not None:
        value = f"{number(adaptation.low)}–{number(adaptation.high)}"
    elif adaptation.value is not None:
        symbol = COMPARISONS.get(limit.comparison, "")
        value = f"{symbol} {number(adaptation.value)}".strip()
    else:
        value = ""
    own = _("own value: {parameter} {value}").format(
        parameter=parameter_label(limit.parameter).lower(), value=f"{value} {unit}".strip()
    )
    return f"{guide_text(limit.text)} → {own}"


def _action(guide: Guide, adaptation: Adaptation) -> str:
    if adaptation.text:
        return adaptation.text
    try:
        control = guide.control(adaptation.control or "")
    except KeyError:
        return ""
    found = next((a for a in control.corrective_actions if a.id == adaptation.action), None)
    return guide_text(found.text) if found is not None else ""


def adaptation_target(guide: Guide, plan: Plan, adaptation: Adaptation) -> str:
    """What an adaptation changed, in words: flows, steps, controls, limits, actions by their
    titles, never by their ids."""
    flow = _flow_title(guide, plan, adaptation.flow)
    parts: list[str] = []
    if adaptation.kind == "add_step":
        after = _step_title(guide, adaptation.flow, adaptation.after)
        parts = [flow, adaptation.title or ""]
        if after:
            parts.append(_("after: {step}").format(step=after))
        parts += [_control(guide, control_id) for control_id in adaptation.controls]
    elif adaptation.kind == "drop_step":
        parts = [flow, _step_title(guide, adaptation.flow, adaptation.step)]
    elif adaptation.kind == "change_limit":
        parts = [_control(guide, adaptation.control), _limit(guide, adaptation)]
    elif adaptation.kind in ("add_action", "drop_action"):
        parts = [_control(guide, adaptation.control), _action(guide, adaptation)]
    elif adaptation.kind == "drop_control":
        parts = [_control(guide, adaptation.control)]
    return " · ".join(part for part in parts if part)


def version_rows(versions: list[VersionInForce]) -> list[VersionRow]:
    """The versions in force, oldest first, each with every adaptation it carries."""
    kinds = dict(AdaptationKind.choices)
    changes = dict(VersionChange.choices)
    rows = []
    for item in versions:
        version, plan = item.version, item.plan
        guide = load_guide(version.guide_version)
        rows.append(
            VersionRow(
                number=version.number,
                made_at=version.created_at,
                made_by=person(version.created_by),
                change=str(changes.get(version.change, "")),
                reason=version.reason,
                first_day=item.first,
                last_day=max(item.first, item.last),
                registration=label(REGISTRATION_MODE_LABELS, plan.registration_mode),
                guide_version=version.guide_version,
                adaptations=[
                    AdaptationRow(
                        version.number,
                        str(kinds.get(adaptation.kind, "")),
                        adaptation_target(guide, plan, adaptation),
                        adaptation.justification,
                    )
                    for adaptation in plan.adaptations
                ],
            )
        )
    return rows
