"""Justified changes to a plan (add or drop a step, change a limit or an action)."""

from __future__ import annotations

from dairyhaccp.guide.models import Guide, Parameter, Text
from dairyhaccp.plan.controls import build_controls, steps_by_control
from dairyhaccp.plan.models import Plan, PlanAction, PlanControl, PlanFlow, PlanLimit, PlanStep
from dairyhaccp.profile import Adaptation, ProfileError


def _error(index: int, field: str, problem: str) -> ProfileError:
    return ProfileError(f"adaptations[{index}].{field}", problem)


def _find_flow(flows: list[PlanFlow], flow_id: str | None, index: int) -> int:
    for position, flow in enumerate(flows):
        if flow.id == flow_id:
            return position
    raise _error(index, "flow", f"the plan has no flow {flow_id!r}")


def _step_position(flow: PlanFlow, step_id: str | None, index: int, field: str) -> int:
    for position, step in enumerate(flow.steps):
        if step.id == step_id:
            return position
    raise _error(index, field, f"flow {flow.id!r} has no step {step_id!r}")


def _add_step(flows: list[PlanFlow], change: Adaptation, index: int, guide: Guide) -> None:
    position = _find_flow(flows, change.flow, index)
    flow = flows[position]
    if any(step.id == change.step for step in flow.steps):
        raise _error(index, "step", f"flow {flow.id!r} already has a step {change.step!r}")
    known = {control.id for control in guide.controls}
    for control_id in change.controls:
        if control_id not in known:
            raise _error(index, "controls", f"the guide has no control {control_id!r}")
    insert_at = len(flow.steps)
    if change.after:
        insert_at = _step_position(flow, change.after, index, "after") + 1
    title = change.title or ""
    step = PlanStep(
        id=change.step or "",
        title=Text(nl=title, en=title, fr=title),
        controls=list(change.controls),
        justification=change.justification,
    )
    steps = [*flow.steps[:insert_at], step, *flow.steps[insert_at:]]
    flows[position] = flow.model_copy(update={"steps": steps})


def _drop_step(flows: list[PlanFlow], change: Adaptation, index: int) -> None:
    position = _find_flow(flows, change.flow, index)
    flow = flows[position]
    drop_at = _step_position(flow, change.step, index, "step")
    flows[position] = flow.model_copy(
        update={"steps": flow.steps[:drop_at] + flow.steps[drop_at + 1 :]}
    )


def _control_position(controls: list[PlanControl], control_id: str | None, index: int) -> int:
    for position, control in enumerate(controls):
        if control.id == control_id:
            return position
    raise _error(index, "control", f"the plan has no control {control_id!r}")


def _change_limit(
    control: PlanControl, change: Adaptation, index: int, guide: Guide
) -> PlanControl:
    limits = list(control.limits)
    for position, limit in enumerate(limits):
        if limit.id == change.limit:
            limits[position] = _changed_limit(limit, change, index, guide)
            return control.model_copy(update={"limits": limits})
    raise _error(index, "limit", f"{control.id} has no limit {change.limit!r} in this plan")


def _check_plausible(
    value: float, parameter: Parameter, limit: PlanLimit, index: int, field: str
) -> None:
    """A changed limit stays within what its parameter can physically measure."""
    low, high = parameter.min, parameter.max
    if low is None or high is None:
        raise _error(index, "limit", f"limit {limit.id} is a yes/no check: no value to change")
    if not low <= value <= high:
        raise _error(
            index,
            field,
            f"{value:g} is outside the plausible range of {parameter.id}: "
            f"{low:g} to {high:g} {parameter.unit}",
        )
    if parameter.type == "integer" and not value.is_integer():
        raise _error(index, field, f"{value:g} is not a whole number ({parameter.id} counts)")


def changeable_limit(limit: PlanLimit, guide: Guide) -> bool:
    """Whether an adaptation may give this limit another value: a number with a range."""
    if limit.comparison not in ("between", "<", "<=", ">", ">=", "=="):
        return False
    return not guide.parameter(limit.parameter).is_boolean


def _changed_limit(limit: PlanLimit, change: Adaptation, index: int, guide: Guide) -> PlanLimit:
    update: dict[str, object] = {"justification": change.justification}
    parameter = guide.parameter(limit.parameter)
    if limit.comparison == "between":
        if change.low is None or change.high is None or change.low > change.high:
            raise _error(index, "low", f"limit {limit.id} is a range: give low <= high")
        _check_plausible(change.low, parameter, limit, index, "low")
        _check_plausible(change.high, parameter, limit, index, "high")
        update.update(
            low=change.low,
            high=change.high,
            guide_low=limit.guide_low if limit.adapted else limit.low,
            guide_high=limit.guide_high if limit.adapted else limit.high,
        )
    elif limit.comparison in ("<", "<=", ">", ">=", "=="):
        if change.value is None:
            raise _error(index, "value", f"limit {limit.id} needs a value")
        _check_plausible(change.value, parameter, limit, index, "value")
        update.update(
            value=change.value,
            value_from=None,
            guide_value=limit.guide_value if limit.adapted else limit.value,
        )
    else:
        raise _error(index, "limit", f"limit {limit.id} has no value to change")
    return limit.model_copy(update=update)


def _add_action(control: PlanControl, change: Adaptation) -> PlanControl:
    text = change.text or ""
    number = 1 + sum(1 for a in control.corrective_actions if a.justification is not None)
    action = PlanAction(
        id=f"{control.id.lower().replace(' ', '')}-own-{number}",
        text=Text(nl=text, en=text, fr=text),
        justification=change.justification,
    )
    return control.model_copy(update={"corrective_actions": [*control.corrective_actions, action]})


def _drop_action(control: PlanControl, change: Adaptation, index: int) -> PlanControl:
    kept = [a for a in control.corrective_actions if a.id != change.action]
    if len(kept) == len(control.corrective_actions):
        raise _error(index, "action", f"{control.id} has no action {change.action!r}")
    return control.model_copy(update={"corrective_actions": kept})


def _drop_control_from_flows(flows: list[PlanFlow], control_id: str) -> None:
    for position, flow in enumerate(flows):
        steps = [
            step.model_copy(update={"controls": [c for c in step.controls if c != control_id]})
            for step in flow.steps
        ]
        flows[position] = flow.model_copy(update={"steps": steps})


def _controls_for_flows(
    plan: Plan, flows: list[PlanFlow], controls: list[PlanControl], guide: Guide
) -> list[PlanControl]:
    """Keep controls that still sit at a step; add those a new step brings in."""
    places = steps_by_control(flows)
    current = {c.id: c for c in controls}
    fresh = {c.id: c for c in build_controls(guide, plan.profile, flows)}
    result = []
    for control_id, control in fresh.items():
        kept = current.get(control_id, control)
        result.append(kept.model_copy(update={"steps": places[control_id]}))
    return result


def apply_adaptations(plan: Plan, adaptations: list[Adaptation], guide: Guide) -> Plan:
    """The plan with each adaptation applied in order; a bad reference raises ProfileError."""
    flows = list(plan.flows)
    controls = list(plan.controls)
    for index, change in enumerate(adaptations):
        if change.kind in ("add_step", "drop_step"):
            if change.kind == "add_step":
                _add_step(flows, change, index, guide)
            else:
                _drop_step(flows, change, index)
            controls = _controls_for_flows(plan, flows, controls, guide)
            continue
        position = _control_position(controls, change.control, index)
        control = controls[position]
        if change.kind == "drop_control":
            _drop_control_from_flows(flows, control.id)
            del controls[position]
        elif change.kind == "change_limit":
            controls[position] = _change_limit(control, change, index, guide)
        elif change.kind == "add_action":
            controls[position] = _add_action(control, change)
        else:
            controls[position] = _drop_action(control, change, index)
    return plan.model_copy(
        update={"flows": flows, "controls": controls, "adaptations": list(adaptations)}
    )
