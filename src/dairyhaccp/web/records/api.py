"""API endpoints of the records context: registrations judged as on the web, and deviations.

The token belongs to one operator: every lookup is narrowed to it, so another operator's objects
are 404. Reading needs any membership; writing needs owner or staff (auditors get 403). Input the
services refuse is a 422 whose message starts with the field at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import override
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dairyhaccp.monitoring.export import evaluation_to_data
from dairyhaccp.plan.models import Plan
from dairyhaccp.web import compiled
from dairyhaccp.web.apischema import MAX_OFFSET, MAX_PAGE, InvalidOut, error_codes
from dairyhaccp.web.jsontext import json_response
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import WRITING_ROLES
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.choices import DeviationStatus, Verdict
from dairyhaccp.web.records.findings import reasons
from dairyhaccp.web.records.models import Batch, Deviation, Registration, Room
from dairyhaccp.web.records.presentation import action_choices, duty_rows
from dairyhaccp.web.records.schemas import (
    VALUE_FIELDS,
    AgendaOut,
    BatchIn,
    BatchOut,
    BulkIn,
    BulkItemOut,
    BulkOut,
    BulkProblemOut,
    BulkRefusedOut,
    CorrectionIn,
    DbId,
    DeviationCloseIn,
    DeviationOut,
    DeviationProgressIn,
    DutyOut,
    EvaluationOut,
    Lang,
    RegistrationIn,
    RegistrationOut,
    RoomOut,
)
from dairyhaccp.web.records.services import (
    BulkItem,
    BulkRefusedError,
    ItemProblem,
    RegistrationError,
    RegistrationInput,
    close_deviation,
    correct_registration,
    create_batch,
    judge_registration,
    record_deviation_progress,
    record_registration,
    record_registrations,
)

router = Router(tags=["records"])
_T = TypeVar("_T", Batch, Room)


def _refused(error: RegistrationError) -> HttpError:
    return HttpError(422, f"{error.field}: {error.problem}")


def _member(request: HttpRequest, *, write: bool = False) -> Membership:
    return api_membership(request, *WRITING_ROLES) if write else api_membership(request)


def _operator(request: HttpRequest) -> Operator:
    return _member(request).operator


def _plan(operator: Operator) -> Plan | None:
    current = selectors.operator_plan(operator)
    return current.plan if current else None


class _Wording:
    """The corrective actions of the plan's controls in one language, worded once per list."""

    def __init__(self, plan: Plan | None, lang: str) -> None:
        self.plan = plan
        self.lang = lang
        self._actions: dict[str, dict[str, str]] = {}

    def actions(self, control_id: str) -> dict[str, str]:
        if control_id not in self._actions:
            with override(self.lang):
                self._actions[control_id] = dict(action_choices(self.plan, control_id))
        return self._actions[control_id]


# A moment or a day written as the answer's JSON writes it (what ninja's encoder would do one
# value at a time, called back from the C encoder for each).
_as_text = DjangoJSONEncoder().default


def _read(
    key: Hashable,
    rows: Callable[[], QuerySet[Any]],
    shown: dict[str, str | None],
    as_text: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """The rows as plain data (no model instances): each field of an answer, in its order, read
    from its column (`shown`: field -> column); None for fields made from others. The fields
    `as_text` (moments, days) are given as the text the answer shows. The query is kept
    compiled by `key` (what `rows` is made from)."""
    columns = [column for column in shown.values() if column is not None]
    found = []
    for values in compiled.rows(("api", key), lambda: rows().values_list(*columns)):
        stored = dict(zip(columns, values, strict=True))
        row = {name: stored[column] if column else None for name, column in shown.items()}
        for name in as_text:
            if row[name] is not None:
                row[name] = _as_text(row[name])
        found.append(row)
    return found


# Each field of `RegistrationOut` and the column it is read from.
_REGISTRATION_SHOWN: dict[str, str | None] = {
    "id": "pk",
    "chain": "chain",
    "version": "version",
    "corrects_id": "corrects_id",
    "correction_reason": "correction_reason",
    "control": "control_id",
    "task": "task_id",
    "measured_at": "measured_at",
    "recorded_at": "recorded_at",
    "recorded_by": "recorded_by__username",
    "batch_id": "batch_id",
    "lot_code": "batch__lot_code",
    "room_id": "room_id",
    "room": "room__name",
    "delivery": "delivery",
    "product": "product",
    "category": "category",
    "values": "values",
    "derived": "derived",
    "verdict": "verdict",
    "reasons": None,
    "required": "required",
    "findings": "findings",
    "checked": "checked_limits",
    "corrective_actions": None,
    "deviation_id": None,
    "plan_version": "plan_version",
}


def _registrations_data(
    operator: Operator,
    key: Hashable,
    rows: Callable[[], QuerySet[Registration]],
    lang: str,
    plan: Plan | None,
) -> list[dict[str, Any]]:
    """The registrations as the API shows them (`RegistrationOut`), as plain data: their
    deviations found in one query, the plan built once, the actions worded once per control."""
    data = _read(key, rows, _REGISTRATION_SHOWN, ("measured_at", "recorded_at"))
    opened = selectors.deviations_of_chains(operator, (row["chain"] for row in data))
    wording = _Wording(plan, lang)
    for row in data:
        deviation = opened.get(row["chain"])
        row["chain"] = str(row["chain"])
        row["reasons"] = reasons(row["findings"], lang)
        row["required"] = {name: float(value) for name, value in row["required"].items()}
        row["findings"] = [_finding_data(f) for f in row["findings"]]
        row["checked"] = [_check_data(c) for c in row["checked"] if isinstance(c, dict)]
        if row["verdict"] == Verdict.DEVIATION:
            row["corrective_actions"] = list(wording.actions(row["control"]).values())
        else:
            row["corrective_actions"] = []
        row["deviation_id"] = deviation.pk if deviation else None
    return data


def _number(value: Any) -> Any:
    """A stored number as the schema gives it (`float | bool`, `float | None`)."""
    return value if value is None or isinstance(value, bool) else float(value)


def _requirement_data(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "comparison": stored["comparison"],
        "bound": _number(stored["bound"]),
        "low": _number(stored["low"]),
        "high": _number(stored["high"]),
    }


def _finding_data(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": stored["code"],
        "limit": stored["limit"],
        "parameter": stored["parameter"],
        "measured": _number(stored["measured"]),
        "required": stored["required"],
        "requirement": _requirement_data(stored["requirement"]),
        "unit": stored["unit"],
        "level": stored["level"],
        "severity": stored["severity"],
    }


def _check_data(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "limit": stored["limit"],
        "parameter": stored["parameter"],
        "measured": _number(stored["measured"]),
        "required": stored["required"],
        "requirement": _requirement_data(stored["requirement"]),
        "unit": stored["unit"],
        "level": stored["level"],
        "met": stored["met"],
    }


def _one_registration_data(operator: Operator, registration_id: int, lang: str) -> dict[str, Any]:
    data = _registrations_data(
        operator,
        ("registration", operator.pk, registration_id),
        lambda: Registration.objects.filter(operator=operator, pk=registration_id),
        lang,
        _plan(operator),
    )
    if not data:
        raise Http404
    return data[0]


# Each field of `DeviationOut` and the column it is read from.
_DEVIATION_SHOWN: dict[str, str | None] = {
    "id": "pk",
    "registration_id": "registration_id",
    "control": "control_id",
    "status": "status",
    "opened_at": "opened_at",
    "opened_by": "opened_by__username",
    "reasons": "registration__findings",
    "lots": None,
    "notification_required": "notification_required",
    "notified_on": "notified_on",
    "actions": "actions",
    "action_texts": None,
    "available_actions": None,
    "own_action": "own_action",
    "outcome": "outcome",
    "justification": "justification",
    "closed_at": "closed_at",
    "closed_by": "closed_by__username",
}


def _deviations_data(
    operator: Operator,
    key: Hashable,
    rows: Callable[[], QuerySet[Deviation]],
    lang: str,
    plan: Plan | None,
) -> list[dict[str, Any]]:
    """The deviations as the API shows them (`DeviationOut`), as plain data: their lots'
    codes found in one query, the actions worded once per control."""
    data = _read(key, rows, _DEVIATION_SHOWN, ("opened_at", "notified_on", "closed_at"))
    lots = selectors.lot_codes_of_deviations(operator, [row["id"] for row in data])
    wording = _Wording(plan, lang)
    for row in data:
        available = wording.actions(row["control"])
        row["reasons"] = reasons(row["reasons"], lang)
        row["lots"] = lots.get(row["id"], [])
        row["actions"] = list(row["actions"])
        row["action_texts"] = [available.get(a, a) for a in row["actions"]]
        row["available_actions"] = available
    return data


def _one_deviation_data(operator: Operator, deviation_id: int, lang: str) -> dict[str, Any]:
    data = _deviations_data(
        operator,
        ("deviation", operator.pk, deviation_id),
        lambda: Deviation.objects.for_operator(operator).filter(pk=deviation_id),
        lang,
        _plan(operator),
    )
    if not data:
        raise Http404
    return data[0]


def _target(operator: Operator, model: type[_T], pk: int | None, field: str) -> _T | None:
    if pk is None:
        return None
    found = model.objects.filter(operator=operator, pk=pk).first()
    if found is None:
        raise HttpError(422, f"{field}: not found")
    return found


def _input(operator: Operator, payload: RegistrationIn) -> RegistrationInput:
    data = payload.model_dump()
    return RegistrationInput(
        control_id=payload.control,
        values={name: data[name] for name in VALUE_FIELDS if data[name] is not None},
        measured_at=payload.measured_at,
        batch=_target(operator, Batch, payload.batch_id, "batch_id"),
        room=_target(operator, Room, payload.room_id, "room_id"),
        delivery=payload.delivery,
        product=payload.product,
        category=payload.category,
        industrial_starter=payload.industrial_starter,
        remark=payload.remark,
        raw_milk=payload.raw_milk,
        packaging=payload.packaging,
    )


@router.post(
    "/registrations",
    response={201: RegistrationOut},
    summary="Register a check: judged against the operator's plan and stored; "
    "a deviation opens a deviation record",
)
def create_registration(
    request: HttpRequest, payload: RegistrationIn, lang: Lang = "nl"
) -> Status[dict[str, Any]]:
    member = _member(request, write=True)
    operator = member.operator
    try:
        recorded = record_registration(operator, member.user, _input(operator, payload))
    except RegistrationError as error:
        raise _refused(error) from error
    return Status(201, _one_registration_data(operator, recorded.registration.pk, lang))


def _bulk_inputs(operator: Operator, payload: BulkIn) -> tuple[list[BulkItem], list[ItemProblem]]:
    """The items with their batch and room found in two queries; unknown ones refused."""
    batch_ids = {i.batch_id for i in payload.items if i.batch_id is not None}
    room_ids = {i.room_id for i in payload.items if i.room_id is not None}
    found_batches = Batch.objects.filter(operator=operator, pk__in=batch_ids).in_bulk()
    found_rooms = Room.objects.filter(operator=operator, pk__in=room_ids).in_bulk()
    items: list[BulkItem] = []
    problems: list[ItemProblem] = []
    for index, item in enumerate(payload.items):
        batch = found_batches.get(item.batch_id) if item.batch_id is not None else None
        room = found_rooms.get(item.room_id) if item.room_id is not None else None
        for field, wanted, got in (
            ("batch_id", item.batch_id, batch),
            ("room_id", item.room_id, room),
        ):
            if wanted is not None and got is None:
                problems.append(ItemProblem(index, item.key, field, "not found"))
        data = item.model_dump()
        items.append(
            BulkItem(
                item.key,
                RegistrationInput(
                    control_id=item.control,
                    values={name: data[name] for name in VALUE_FIELDS if data[name] is not None},
                    measured_at=item.measured_at,
                    batch=batch,
                    room=room,
                    delivery=item.delivery,
                    product=item.product,
                    category=item.category,
                    industrial_starter=item.industrial_starter,
                    remark=item.remark,
                    raw_milk=item.raw_milk,
                    packaging=item.packaging,
                ),
            )
        )
    return items, problems


def _bulk_refusal(problems: Sequence[ItemProblem], detail: str) -> BulkRefusedOut:
    return BulkRefusedOut(
        detail=detail,
        problems=[
            BulkProblemOut(
                index=p.index,
                key=p.key,
                field=p.field,
                problem=p.problem,
                registration_id=p.registration_id,
            )
            for p in problems
        ],
    )


@router.post(
    "/registrations/bulk",
    response={201: BulkOut, 409: BulkRefusedOut, 422: BulkRefusedOut | InvalidOut},
    summary="Register up to 1000 checks at once: each judged as one registration would be, "
    "all stored or none; a key stored before refuses the request (409)",
)
def create_registrations(
    request: HttpRequest, payload: BulkIn, lang: Lang = "nl"
) -> Status[BulkOut] | Status[BulkRefusedOut]:
    member = _member(request, write=True)
    operator = member.operator
    items, problems = _bulk_inputs(operator, payload)
    if problems:
        return Status(422, _bulk_refusal(problems, "nothing stored: items refused"))
    try:
        with override(lang):
            recorded = record_registrations(operator, member.user, items)
    except BulkRefusedError as refused:
        if refused.repeated:
            return Status(409, _bulk_refusal(refused.problems, "nothing stored: keys used before"))
        return Status(422, _bulk_refusal(refused.problems, "nothing stored: items refused"))
    except RegistrationError as error:
        raise _refused(error) from error
    out = [
        BulkItemOut(
            key=r.key,
            id=r.registration.pk,
            verdict=r.registration.verdict,
            reasons=reasons(r.registration.findings, lang),
            deviation_id=r.deviation.pk if r.deviation else None,
        )
        for r in recorded
    ]
    return Status(
        201,
        BulkOut(stored=len(out), deviations=sum(1 for r in recorded if r.deviation), items=out),
    )


@router.post(
    "/evaluate",
    response={200: EvaluationOut},
    summary="Judge a check against the operator's plan as a registration would be; store nothing",
)
def evaluate_registration(
    request: HttpRequest, payload: RegistrationIn, lang: Lang = "nl"
) -> EvaluationOut:
    member = _member(request)
    operator = member.operator
    try:
        evaluation = judge_registration(operator, _input(operator, payload))
    except RegistrationError as error:
        raise _refused(error) from error
    return EvaluationOut(**evaluation_to_data(evaluation, lang))


@router.get(
    "/registrations",
    response=list[RegistrationOut],
    summary="Registrations (latest versions), newest first",
)
def list_registrations(
    request: HttpRequest,
    control: str = "",
    verdict: str = "",
    batch_id: DbId | None = None,
    room_id: DbId | None = None,
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    lang: Lang = "nl",
) -> HttpResponse:
    operator = _operator(request)
    if verdict and verdict not in Verdict.values:
        raise HttpError(422, f"verdict: one of {', '.join(Verdict.values)}")

    def page() -> QuerySet[Registration]:
        rows = selectors.current_registrations(operator).order_by("-measured_at", "-pk")
        if control:
            rows = rows.filter(control_id=control)
        if verdict:
            rows = rows.filter(verdict=verdict)
        if batch_id is not None:
            rows = rows.filter(batch_id=batch_id)
        if room_id is not None:
            rows = rows.filter(room_id=room_id)
        return rows[offset : offset + limit]

    key = ("registrations", operator.pk, control, verdict, batch_id, room_id, offset, limit)
    return json_response(_registrations_data(operator, key, page, lang, _plan(operator)))


@router.get("/registrations/{registration_id}", response=RegistrationOut, summary="A registration")
def get_registration(
    request: HttpRequest, registration_id: int, lang: Lang = "nl"
) -> dict[str, Any]:
    return _one_registration_data(_operator(request), registration_id, lang)


@router.get(
    "/registrations/{registration_id}/versions",
    response=list[RegistrationOut],
    summary="Every version of a registration, oldest first",
)
def registration_versions(
    request: HttpRequest, registration_id: int, lang: Lang = "nl"
) -> list[dict[str, Any]]:
    operator = _operator(request)
    registration = get_object_or_404(Registration, operator=operator, pk=registration_id)
    return _registrations_data(
        operator,
        ("registration versions", operator.pk, registration.chain),
        partial(selectors.registration_versions, registration),
        lang,
        _plan(operator),
    )


@router.post(
    "/registrations/{registration_id}/corrections",
    response={201: RegistrationOut},
    summary="Correct the latest version: stored as a new version with the reason",
)
def create_correction(
    request: HttpRequest, registration_id: int, payload: CorrectionIn, lang: Lang = "nl"
) -> Status[dict[str, Any]]:
    member = _member(request, write=True)
    operator = member.operator
    registration = get_object_or_404(Registration, operator=operator, pk=registration_id)
    try:
        recorded = correct_registration(
            registration, member.user, _input(operator, payload), payload.reason
        )
    except RegistrationError as error:
        raise _refused(error) from error
    return Status(201, _one_registration_data(operator, recorded.registration.pk, lang))


@router.get(
    "/deviations",
    response=list[DeviationOut],
    summary="Deviations, newest first, a page at a time (limit, offset)",
)
def list_deviations(
    request: HttpRequest,
    status: str = "",
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    lang: Lang = "nl",
) -> HttpResponse:
    operator = _operator(request)
    if status and status not in DeviationStatus.values:
        raise HttpError(422, f"status: one of {', '.join(DeviationStatus.values)}")

    def page() -> QuerySet[Deviation]:
        rows = Deviation.objects.for_operator(operator).order_by("-opened_at", "-pk")
        if status:
            rows = rows.filter(status=status)
        return rows[offset : offset + limit]

    key = ("deviations", operator.pk, status, offset, limit)
    return json_response(_deviations_data(operator, key, page, lang, _plan(operator)))


@router.get("/deviations/{deviation_id}", response=DeviationOut, summary="A deviation")
def get_deviation(request: HttpRequest, deviation_id: int, lang: Lang = "nl") -> dict[str, Any]:
    return _one_deviation_data(_operator(request), deviation_id, lang)


@router.post(
    "/deviations/{deviation_id}/actions",
    response=DeviationOut,
    summary="Record corrective actions (ids from available_actions, or written) and the date "
    "of notification",
)
def deviation_actions(
    request: HttpRequest, deviation_id: int, payload: DeviationProgressIn, lang: Lang = "nl"
) -> dict[str, Any]:
    member = _member(request, write=True)
    operator = member.operator
    deviation = get_object_or_404(selectors.deviations(operator), pk=deviation_id)
    try:
        deviation = record_deviation_progress(
            deviation,
            member.user,
            _plan(operator),
            payload.actions,
            payload.own_action,
            payload.notified_on,
        )
    except RegistrationError as error:
        raise _refused(error) from error
    return _one_deviation_data(operator, deviation.pk, lang)


@router.post(
    "/deviations/{deviation_id}/close",
    response=DeviationOut,
    summary="Close a deviation with its outcome (and any last corrective actions)",
)
def deviation_close(
    request: HttpRequest, deviation_id: int, payload: DeviationCloseIn, lang: Lang = "nl"
) -> dict[str, Any]:
    member = _member(request, write=True)
    operator = member.operator
    deviation = get_object_or_404(selectors.deviations(operator), pk=deviation_id)
    try:
        deviation = close_deviation(
            deviation,
            member.user,
            _plan(operator),
            outcome=payload.outcome,
            justification=payload.justification,
            action_ids=payload.actions,
            own_action=payload.own_action,
            notified_on=payload.notified_on,
        )
    except RegistrationError as error:
        raise _refused(error) from error
    return _one_deviation_data(operator, deviation.pk, lang)


@router.get("/rooms", response=list[RoomOut], summary="Rooms and equipment")
def list_rooms(request: HttpRequest) -> list[RoomOut]:
    operator = _operator(request)
    return [
        RoomOut(
            id=r.pk,
            name=r.name,
            kind=r.kind,
            product=r.product,
            storage_category=r.storage_category,
            active=r.active,
        )
        for r in selectors.rooms(operator, active_only=False)
    ]


def _batch_out(batch: Batch, blocked: set[int]) -> BatchOut:
    return BatchOut(
        id=batch.pk,
        lot_code=batch.lot_code,
        product=batch.product,
        started_at=batch.started_at,
        room_id=batch.room_id,
        made_from=[source.lot_code for source in batch.made_from.all()],
        destroyed_at=batch.destroyed_at,
        blocked=batch.pk in blocked,
    )


@router.get("/batches", response=list[BatchOut], summary="Batches (lots), newest first")
def list_batches(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[BatchOut]:
    operator = _operator(request)
    blocked = selectors.blocked_lot_ids(operator)
    rows = compiled.instances(
        ("batches out", operator.pk, offset, limit),
        lambda: selectors.batches_out(operator)[offset : offset + limit],
    )
    return [_batch_out(b, blocked) for b in rows]


@router.post("/batches", response={201: BatchOut}, summary="Enter a batch (lot) or a milking")
def create_batch_endpoint(request: HttpRequest, payload: BatchIn) -> Status[BatchOut]:
    member = _member(request, write=True)
    operator = member.operator
    sources = list(Batch.objects.filter(operator=operator, pk__in=payload.made_from))
    if len(sources) != len(set(payload.made_from)):
        raise HttpError(422, "made_from: not found")
    try:
        batch = create_batch(
            operator,
            member.user,
            payload.lot_code,
            payload.product,
            started_at=payload.started_at,
            room=_target(operator, Room, payload.room_id, "room_id"),
            made_from=sources,
            note=payload.note,
        )
    except RegistrationError as error:
        raise _refused(error) from error
    return Status(201, _batch_out(batch, set()))


@router.get(
    "/agenda",
    response={200: AgendaOut, **error_codes(404)},
    summary="What is overdue, due today and this week",
)
def agenda(request: HttpRequest, lang: Lang = "nl") -> AgendaOut:
    operator = _operator(request)
    current = selectors.operator_plan(operator)
    if current is None:
        raise HttpError(404, "This operator has no plan yet.")
    found = selectors.agenda(operator, current.plan)
    with override(lang):
        sections = {
            name: [
                DutyOut(
                    key=row_duty.key,
                    control=row_duty.control_id,
                    title=row.title,
                    target=row.target,
                    status=row.status,
                    deadline=row.deadline,
                    frequency=row.frequency,
                )
                for row_duty, row in zip(
                    found.section(name), duty_rows(found.section(name), operator.slug), strict=True
                )
            ]
            for name in ("overdue", "today", "week")
        }
    return AgendaOut(
        relaxed=found.relaxed,
        overdue=sections["overdue"],
        today=sections["today"],
        week=sections["week"],
        open_deviations=list(selectors.open_deviations(operator).values_list("pk", flat=True)),
    )
