"""API endpoints of the records context: registrations judged as on the web, and deviations.

The token belongs to one operator: every lookup is narrowed to it, so another operator's objects
are 404. Reading needs any membership; writing needs owner or staff (auditors get 403). Input the
services refuse is a 422 whose message starts with the field at fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import override
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dairyhaccp.monitoring.export import evaluation_to_data
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.apischema import InvalidOut, error_codes
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
    CheckOut,
    CorrectionIn,
    DbId,
    DeviationCloseIn,
    DeviationOut,
    DeviationProgressIn,
    DutyOut,
    EvaluationOut,
    FindingOut,
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
MAX_PAGE = 500
# Beyond any real number of rows; SQLite refuses an OFFSET past a 64-bit integer.
MAX_OFFSET = 1_000_000_000


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


def _registrations_out(
    operator: Operator, registrations: Sequence[Registration], lang: str, plan: Plan | None
) -> list[RegistrationOut]:
    """The registrations as the API shows them: their deviations found in one query, the plan
    built once, the actions worded once per control."""
    opened = selectors.deviations_of_chains(operator, (r.chain for r in registrations))
    wording = _Wording(plan, lang)
    return [_registration_out(r, lang, wording, opened.get(r.chain)) for r in registrations]


def _registration_out(
    registration: Registration, lang: str, wording: _Wording, deviation: Deviation | None
) -> RegistrationOut:
    actions: list[str] = []
    if registration.is_deviation:
        actions = list(wording.actions(registration.control_id).values())
    return RegistrationOut(
        id=registration.pk,
        chain=registration.chain,
        version=registration.version,
        corrects_id=registration.corrects_id,
        correction_reason=registration.correction_reason,
        control=registration.control_id,
        task=registration.task_id,
        measured_at=registration.measured_at,
        recorded_at=registration.recorded_at,
        recorded_by=registration.recorded_by.get_username(),
        batch_id=registration.batch_id,
        lot_code=registration.batch.lot_code if registration.batch else None,
        room_id=registration.room_id,
        room=registration.room.name if registration.room else None,
        delivery=registration.delivery,
        product=registration.product,
        category=registration.category,
        values=registration.values,
        derived=registration.derived,
        verdict=registration.verdict,
        reasons=reasons(registration.findings, lang),
        required=registration.required,
        findings=[FindingOut(**f) for f in registration.findings],
        checked=[CheckOut(**c) for c in registration.checked_limits if isinstance(c, dict)],
        corrective_actions=actions,
        deviation_id=deviation.pk if deviation else None,
        plan_version=registration.plan_version,
    )


def _one_registration_out(
    operator: Operator, registration: Registration, lang: str
) -> RegistrationOut:
    return _registrations_out(operator, [registration], lang, _plan(operator))[0]


def _deviation_out(deviation: Deviation, lang: str, wording: _Wording) -> DeviationOut:
    available = wording.actions(deviation.control_id)
    return DeviationOut(
        id=deviation.pk,
        registration_id=deviation.registration_id,
        control=deviation.control_id,
        status=deviation.status,
        opened_at=deviation.opened_at,
        opened_by=deviation.opened_by.get_username(),
        reasons=reasons(deviation.registration.findings, lang),
        lots=[lot.lot_code for lot in deviation.lots.all()],
        notification_required=deviation.notification_required,
        notified_on=deviation.notified_on,
        actions=list(deviation.actions),
        action_texts=[available.get(a, a) for a in deviation.actions],
        available_actions=available,
        own_action=deviation.own_action,
        outcome=deviation.outcome,
        justification=deviation.justification,
        closed_at=deviation.closed_at,
        closed_by=deviation.closed_by.get_username() if deviation.closed_by else None,
    )


def _one_deviation_out(operator: Operator, deviation: Deviation, lang: str) -> DeviationOut:
    return _deviation_out(deviation, lang, _Wording(_plan(operator), lang))


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
) -> Status[RegistrationOut]:
    member = _member(request, write=True)
    operator = member.operator
    try:
        recorded = record_registration(operator, member.user, _input(operator, payload))
    except RegistrationError as error:
        raise _refused(error) from error
    return Status(201, _one_registration_out(operator, recorded.registration, lang))


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
) -> list[RegistrationOut]:
    operator = _operator(request)
    rows = selectors.registrations_out(selectors.current_registrations(operator)).order_by(
        "-measured_at", "-pk"
    )
    if control:
        rows = rows.filter(control_id=control)
    if verdict:
        if verdict not in Verdict.values:
            raise HttpError(422, f"verdict: one of {', '.join(Verdict.values)}")
        rows = rows.filter(verdict=verdict)
    if batch_id is not None:
        rows = rows.filter(batch_id=batch_id)
    if room_id is not None:
        rows = rows.filter(room_id=room_id)
    page = list(rows[offset : offset + limit])
    return _registrations_out(operator, page, lang, _plan(operator))


@router.get("/registrations/{registration_id}", response=RegistrationOut, summary="A registration")
def get_registration(
    request: HttpRequest, registration_id: int, lang: Lang = "nl"
) -> RegistrationOut:
    operator = _operator(request)
    registration = get_object_or_404(
        Registration.objects.select_related("batch", "room", "recorded_by"),
        operator=operator,
        pk=registration_id,
    )
    return _one_registration_out(operator, registration, lang)


@router.get(
    "/registrations/{registration_id}/versions",
    response=list[RegistrationOut],
    summary="Every version of a registration, oldest first",
)
def registration_versions(
    request: HttpRequest, registration_id: int, lang: Lang = "nl"
) -> list[RegistrationOut]:
    operator = _operator(request)
    registration = get_object_or_404(Registration, operator=operator, pk=registration_id)
    versions = list(selectors.registration_versions(registration).select_related("batch", "room"))
    return _registrations_out(operator, versions, lang, _plan(operator))


@router.post(
    "/registrations/{registration_id}/corrections",
    response={201: RegistrationOut},
    summary="Correct the latest version: stored as a new version with the reason",
)
def create_correction(
    request: HttpRequest, registration_id: int, payload: CorrectionIn, lang: Lang = "nl"
) -> Status[RegistrationOut]:
    member = _member(request, write=True)
    operator = member.operator
    registration = get_object_or_404(Registration, operator=operator, pk=registration_id)
    try:
        recorded = correct_registration(
            registration, member.user, _input(operator, payload), payload.reason
        )
    except RegistrationError as error:
        raise _refused(error) from error
    return Status(201, _one_registration_out(operator, recorded.registration, lang))


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
) -> list[DeviationOut]:
    operator = _operator(request)
    if status and status not in DeviationStatus.values:
        raise HttpError(422, f"status: one of {', '.join(DeviationStatus.values)}")
    rows = selectors.deviations_out(operator, status or None).order_by("-opened_at", "-pk")
    page = rows[offset : offset + limit]
    wording = _Wording(_plan(operator), lang)
    return [_deviation_out(d, lang, wording) for d in page]


@router.get("/deviations/{deviation_id}", response=DeviationOut, summary="A deviation")
def get_deviation(request: HttpRequest, deviation_id: int, lang: Lang = "nl") -> DeviationOut:
    operator = _operator(request)
    deviation = get_object_or_404(selectors.deviations(operator), pk=deviation_id)
    return _one_deviation_out(operator, deviation, lang)


@router.post(
    "/deviations/{deviation_id}/actions",
    response=DeviationOut,
    summary="Record corrective actions (ids from available_actions, or written) and the date "
    "of notification",
)
def deviation_actions(
    request: HttpRequest, deviation_id: int, payload: DeviationProgressIn, lang: Lang = "nl"
) -> DeviationOut:
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
    return _one_deviation_out(operator, deviation, lang)


@router.post(
    "/deviations/{deviation_id}/close",
    response=DeviationOut,
    summary="Close a deviation with its outcome (and any last corrective actions)",
)
def deviation_close(
    request: HttpRequest, deviation_id: int, payload: DeviationCloseIn, lang: Lang = "nl"
) -> DeviationOut:
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
    return _one_deviation_out(operator, deviation, lang)


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
    blocked = set(selectors.blocked_lots(operator).values_list("pk", flat=True))
    rows = selectors.batches_out(operator)[offset : offset + limit]
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
