"""Registering checks: judged at once against the operator's plan, stored as they were judged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.monitoring import (
    Evaluation,
    MeasurementError,
    Verdict,
    check,
    measurement_from_dict,
)
from dairyhaccp.monitoring.duties import form_order, product_spec
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.bounds import moment_problem
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.choices import DeviationEventKind, RoomKind
from dairyhaccp.web.records.facts import FactLookup
from dairyhaccp.web.records.findings import checks_data, findings_data
from dairyhaccp.web.records.measurement_errors import measurement_problem
from dairyhaccp.web.records.models import Batch, Deviation, DeviationEvent, Registration, Room
from dairyhaccp.web.records.services.deviations import open_deviation
from dairyhaccp.web.records.services.errors import RegistrationError, create_checked

MIN_REASON_LENGTH = 5


@dataclass(frozen=True)
class RegistrationInput:
    """What a user registers: the control, the measured values and what they were taken on."""

    control_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    measured_at: datetime | None = None
    batch: Batch | None = None
    room: Room | None = None
    delivery: str = ""
    product: str = ""
    category: str = ""
    industrial_starter: bool | None = None
    remark: str = ""
    # For a product the profile does not describe (raw milk): what the limits depend on.
    raw_milk: bool | None = None
    packaging: str = ""


@dataclass(frozen=True)
class Recorded:
    """A stored registration, the evaluation it got, and the deviation it opened (if any)."""

    registration: Registration
    evaluation: Evaluation
    deviation: Deviation | None


def _plan(operator: Operator) -> selectors.OperatorPlan:
    current = selectors.operator_plan(operator)
    if current is None:
        raise RegistrationError("plan", _("there is no HACCP plan yet: make the plan first"))
    return current


@cache
def _on_site() -> frozenset[str]:
    return frozenset(form_order())


def _plan_controls(plan: Plan) -> frozenset[str]:
    return frozenset(c.id for c in plan.controls)


def _check_targets(operator: Operator, data: RegistrationInput) -> None:
    for name, target in (("batch", data.batch), ("room", data.room)):
        if target is not None and target.operator_id != operator.pk:
            raise RegistrationError(name, _("not found"))


def _measured_at(operator: Operator, data: RegistrationInput) -> datetime:
    moment = data.measured_at or timezone.now()
    problem = moment_problem(moment, operator.active_since)
    if problem:
        raise RegistrationError("measured_at", problem)
    return moment


def _values(data: RegistrationInput) -> dict[str, Any]:
    values: dict[str, Any] = {}
    known = _on_site()
    for name, value in data.values.items():
        if name not in known:
            raise RegistrationError(name, _("unknown field"))
        if value is not None and value != "":
            values[name] = value
    return values


def _product_and_category(data: RegistrationInput) -> tuple[str, str]:
    product = data.product or (data.batch.product if data.batch else "")
    if not product and data.room is not None:
        product = data.room.product
    category = data.category or (data.room.storage_category if data.room else "")
    if not category and data.room is not None and data.room.kind == RoomKind.FREEZER:
        category = "frozen"
    return product, category


@dataclass(frozen=True)
class _Judged:
    evaluation: Evaluation
    values: dict[str, Any]
    derived: dict[str, float]
    product: str
    category: str
    measured_at: datetime


def _judge(
    operator: Operator,
    data: RegistrationInput,
    current: selectors.OperatorPlan,
    lookup: FactLookup,
) -> _Judged:
    """Judge one check with the one judge, with the stored facts `lookup` finds for it."""
    _check_targets(operator, data)
    plan = current.plan
    if data.control_id not in _plan_controls(plan):
        raise RegistrationError(
            "control",
            _("{control} is not in the plan of this business").format(control=data.control_id),
        )
    if current.guide.control(data.control_id).counts_starter_uses and (
        data.industrial_starter is None
    ):
        raise RegistrationError("industrial_starter", _("say whether industrial starter was used"))
    measured_at = _measured_at(operator, data)
    product, category = _product_and_category(data)
    facts = lookup.facts(data, measured_at, data.industrial_starter)
    typed = _values(data)
    measurement_data: dict[str, Any] = {"control": data.control_id, **typed}
    if product:
        measurement_data["product"] = product
    if category:
        measurement_data["category"] = category
    spec = product_spec(plan, product) if product else None
    if spec is not None:
        measurement_data["raw_milk"] = spec.raw_milk
        measurement_data["packaging"] = spec.packaging
    else:
        if data.raw_milk is not None:
            measurement_data["raw_milk"] = data.raw_milk
        if data.packaging:
            measurement_data["packaging"] = data.packaging
    try:
        measurement = measurement_from_dict(measurement_data, current.guide)
        evaluation = check(measurement, current.guide, plan, facts)
    except MeasurementError as exc:
        raise RegistrationError(exc.field, measurement_problem(exc)) from exc
    values = dict(evaluation.values)
    return _Judged(evaluation, values, dict(evaluation.derived), product, category, measured_at)


def _row(
    operator: Operator,
    user: User,
    data: RegistrationInput,
    judged: _Judged,
    current: selectors.OperatorPlan,
    **version: Any,
) -> Registration:
    """The row a judged check is stored as (not saved yet)."""
    evaluation = judged.evaluation
    return Registration(
        operator=operator,
        control_id=data.control_id,
        batch=data.batch,
        room=data.room,
        delivery=data.delivery.strip(),
        product=judged.product,
        category=judged.category,
        industrial_starter=data.industrial_starter,
        measured_at=judged.measured_at,
        values=judged.values,
        derived=judged.derived,
        verdict=evaluation.verdict.value,
        findings=findings_data(evaluation),
        required=evaluation.required,
        checked_limits=checks_data(evaluation),
        plan_version=current.number,
        guide_version=current.plan.guide_version,
        remark=data.remark.strip(),
        recorded_by=user,
        **version,
    )


def _store(
    operator: Operator,
    user: User,
    data: RegistrationInput,
    judged: _Judged,
    current: selectors.OperatorPlan,
    **version: Any,
) -> Registration:
    return create_checked(_row(operator, user, data, judged, current, **version))


def _lock(operator: Operator) -> None:
    # One registration of an operator at a time: stateful rules count what is stored.
    Operator.objects.select_for_update().filter(pk=operator.pk).first()


def judge_registration(operator: Operator, data: RegistrationInput) -> Evaluation:
    """Judge a check against the operator's current plan as a registration would be; store
    nothing (a preview, or an answer for a tool that keeps its own records)."""
    current = _plan(operator)
    return _judge(operator, data, current, FactLookup(operator)).evaluation


@transaction.atomic
def record_registration(operator: Operator, user: User, data: RegistrationInput) -> Recorded:
    """Judge a check against the operator's current plan and store it; a deviation opens one.

    Raises RegistrationError naming the field when the input cannot be judged; nothing is stored.
    """
    _lock(operator)
    current = _plan(operator)
    judged = _judge(operator, data, current, FactLookup(operator))
    registration = _store(operator, user, data, judged, current)
    deviation = None
    if judged.evaluation.verdict is Verdict.DEVIATION:
        deviation = open_deviation(registration, user, current.plan)
    return Recorded(registration, judged.evaluation, deviation)


@transaction.atomic
def correct_registration(
    registration: Registration, user: User, data: RegistrationInput, reason: str
) -> Recorded:
    """Store a corrected version of a registration, with the reason; the old one stays as it was.

    Only the latest version is corrected. A correction that turns into a deviation opens one
    unless the registration already has one; an open deviation logs the correction.
    """
    operator = registration.operator
    _lock(operator)
    if Registration.objects.filter(corrects=registration).exists():
        raise RegistrationError("registration", _("only the latest version can be corrected"))
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise RegistrationError("reason", _("say why the registration is corrected"))
    if data.control_id != registration.control_id:
        raise RegistrationError("control", _("a correction keeps the control"))
    if registration.task_id:
        raise RegistrationError("registration", _("a task is not corrected; register it again"))
    data = RegistrationInput(
        control_id=data.control_id,
        values=data.values,
        measured_at=data.measured_at or registration.measured_at,
        batch=registration.batch,
        room=registration.room,
        delivery=data.delivery or registration.delivery,
        product=data.product or registration.product,
        category=data.category or registration.category,
        industrial_starter=(
            data.industrial_starter
            if data.industrial_starter is not None
            else registration.industrial_starter
        ),
        remark=data.remark,
    )
    current = _plan(operator)
    judged = _judge(operator, data, current, FactLookup(operator, except_chain=registration.chain))
    corrected = _store(
        operator,
        user,
        data,
        judged,
        current,
        chain=registration.chain,
        version=registration.version + 1,
        corrects=registration,
        correction_reason=reason.strip(),
    )
    existing = Deviation.objects.filter(
        operator=operator, registration__chain=registration.chain
    ).first()
    deviation = existing
    if existing is not None:
        if existing.is_open:
            create_checked(
                DeviationEvent(
                    operator=operator,
                    deviation=existing,
                    kind=DeviationEventKind.CORRECTED,
                    by=user,
                    data={
                        "version": corrected.version,
                        "verdict": corrected.verdict,
                        "reason": reason,
                    },
                )
            )
    elif judged.evaluation.verdict is Verdict.DEVIATION:
        deviation = open_deviation(corrected, user, current.plan)
    return Recorded(corrected, judged.evaluation, deviation)


def plan_tasks(current: selectors.OperatorPlan) -> dict[str, str]:
    """The tasks without measurements of the plan: task id -> control id ("" for hygiene)."""
    tasks = {
        item.id: control.id
        for control in current.plan.controls
        for item in control.monitoring
        if item.frequency.period is not None
        and item.method == "document"
        and not set(item.parameters) & set(form_order())
    }
    tasks.update({item.id: "" for item in current.plan.hygiene if item.frequency is not None})
    return tasks


@transaction.atomic
def record_task(
    operator: Operator,
    user: User,
    task_id: str,
    room: Room | None = None,
    done_at: datetime | None = None,
    remark: str = "",
) -> Registration:
    """Register that a task without measurements was done (brine renewed, room disinfected)."""
    current = _plan(operator)
    tasks = plan_tasks(current)
    if task_id not in tasks:
        raise RegistrationError(
            "task", _("{task} is not a task of the plan of this business").format(task=task_id)
        )
    if room is not None and room.operator_id != operator.pk:
        raise RegistrationError("room", _("not found"))
    moment = _measured_at(operator, RegistrationInput(control_id="", measured_at=done_at))
    return create_checked(
        Registration(
            operator=operator,
            control_id=tasks[task_id],
            task_id=task_id,
            room=room,
            measured_at=moment,
            verdict=Verdict.CONFORM.value,
            plan_version=current.number,
            guide_version=current.plan.guide_version,
            remark=remark.strip(),
            recorded_by=user,
        )
    )
