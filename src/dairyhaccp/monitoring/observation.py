"""Judging a registration that may also hold values the guide sets no limit for.

Some monitoring items ask to follow a value without a limit (the pH of the acidification with a
starter, PVA 11 and PVA 12). Such a value is kept as an observation; the other values are judged
by `evaluate` as usual.
"""

from __future__ import annotations

from dairyhaccp.guide.models import Guide
from dairyhaccp.monitoring.duties import FORM_FIELDS
from dairyhaccp.monitoring.evaluate import Evaluation, EvaluationSettings, Verdict, evaluate
from dairyhaccp.monitoring.measurement import Measurement, MeasurementError
from dairyhaccp.plan.models import Plan


def measured_fields(measurement: Measurement) -> tuple[str, ...]:
    """The form fields that hold a value, in form order."""
    return tuple(name for name in FORM_FIELDS if measurement.value_of(name) is not None)


def judge(
    measurement: Measurement,
    guide: Guide,
    plan: Plan | None = None,
    settings: EvaluationSettings | None = None,
) -> Evaluation:
    """Evaluate a registration; values for which the control has no limit are only recorded.

    Raises MeasurementError when nothing was measured, and wherever `evaluate` does.
    """
    measured = measured_fields(measurement)
    if not measured:
        raise MeasurementError("measurement", "enter at least one measured value")
    known = {c.id for c in guide.controls}
    in_plan = plan is None or measurement.control in {c.id for c in plan.controls}
    if measurement.control not in known or not in_plan:
        return evaluate(measurement, guide, plan, settings)  # raises, naming the control
    limited = {limit.parameter for limit in guide.control(measurement.control).limits}
    if limited & set(measured):
        return evaluate(measurement, guide, plan, settings)
    return Evaluation(control=measurement.control, verdict=Verdict.CONFORM, findings=())
