"""When a deviation must be notified to the FAVV (meldingsplicht), as the guide imposes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dairyhaccp.guide.models import Text
from dairyhaccp.monitoring.evaluate import Evaluation, Verdict
from dairyhaccp.plan.models import Plan

# The parameter of a broken limit, and the trigger of the guide's notification it falls under.
TRIGGERS: Mapping[str, str] = {
    "antibiotic_residues": "antibiotic_residues",
    "plate_count": "plate_count_or_somatic_cells",
    "somatic_cells": "plate_count_or_somatic_cells",
}


@dataclass(frozen=True)
class Notice:
    """A duty to notify the FAVV, with the exemption the guide allows."""

    id: str
    text: Text
    exemption: Text | None


def notices_for(evaluation: Evaluation, plan: Plan) -> tuple[Notice, ...]:
    """The notifications the guide imposes for this deviation (none for a conform check)."""
    if evaluation.verdict is not Verdict.DEVIATION:
        return ()
    triggers = {
        TRIGGERS[f.parameter]
        for f in evaluation.findings
        if f.severity is Verdict.DEVIATION and f.parameter in TRIGGERS
    }
    notices = [
        Notice(n.id, n.text, n.exemption) for n in plan.notifications if n.trigger in triggers
    ]
    try:
        control = plan.control(evaluation.control)
    except KeyError:
        control = None
    if control is not None and control.notification is not None:
        notices.append(Notice(f"{control.id}-notification", control.notification, None))
    return tuple(notices)
