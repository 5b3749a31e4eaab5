"""Deviations: opened by a registration, blocked lots, corrective actions, outcome, closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.monitoring.notify import notices_for
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.records.choices import (
    JUSTIFIED_OUTCOMES,
    DeviationEventKind,
    DeviationStatus,
    Outcome,
)
from dairyhaccp.web.records.findings import stored_evaluation
from dairyhaccp.web.records.models import (
    Batch,
    BatchSource,
    Deviation,
    DeviationEvent,
    DeviationLot,
    Registration,
)
from dairyhaccp.web.records.services.errors import (
    RegistrationError,
    checked_for_storage,
    create_checked,
)


def lots_concerned(registration: Registration) -> list[Batch]:
    """The lots a deviation concerns: the batch and everything made from it, or the lots kept
    in the room at the time."""
    return lots_concerned_of([registration])[0]


def lots_concerned_of(registrations: Sequence[Registration]) -> list[list[Batch]]:
    """`lots_concerned` of each registration, read in a few queries for all of them."""
    made_into = _made_into([r.batch for r in registrations if r.batch is not None])
    in_room = _kept_in([r for r in registrations if r.batch is None and r.room_id is not None])
    concerned: list[list[Batch]] = []
    for registration in registrations:
        if registration.batch is not None:
            found: dict[int, Batch] = {}
            todo = [registration.batch]
            while todo:
                batch = todo.pop()
                if batch.pk in found:
                    continue
                found[batch.pk] = batch
                todo.extend(made_into.get(batch.pk, []))
            concerned.append([b for b in found.values() if b.destroyed_at is None])
        elif registration.room_id is not None:
            concerned.append(
                [
                    batch
                    for batch in in_room.get((registration.operator_id, registration.room_id), [])
                    if batch.started_at <= registration.measured_at
                ]
            )
        else:
            concerned.append([])
    return concerned


def _made_into(batches: list[Batch]) -> dict[int, list[Batch]]:
    """The batches made from each of `batches` and, in turn, from those: by batch id, in the
    batches' own order (newest first)."""
    made_into: dict[int, list[Batch]] = {}
    frontier = {batch.pk for batch in batches}
    seen = set(frontier)
    while frontier:
        sources = BatchSource.objects.filter(to_batch_id__in=frontier).values_list(
            "to_batch_id", "from_batch_id"
        )
        made_of: dict[int, list[int]] = {}
        for source_id, made_id in sources:
            made_of.setdefault(made_id, []).append(source_id)
        frontier = set()
        for made in Batch.objects.filter(pk__in=list(made_of)):
            for source_id in made_of[made.pk]:
                made_into.setdefault(source_id, []).append(made)
            if made.pk not in seen:
                seen.add(made.pk)
                frontier.add(made.pk)
    for children in made_into.values():
        children.sort(key=lambda b: (b.started_at, b.pk), reverse=True)
    return made_into


def _kept_in(registrations: list[Registration]) -> dict[tuple[int, int], list[Batch]]:
    """The batches not destroyed in each room the registrations were made in, by operator and
    room, in the batches' own order (newest first)."""
    if not registrations:
        return {}
    kept: dict[tuple[int, int], list[Batch]] = {}
    in_rooms = Batch.objects.filter(
        operator_id__in={r.operator_id for r in registrations},
        room_id__in={r.room_id for r in registrations},
        destroyed_at__isnull=True,
        started_at__lte=max(r.measured_at for r in registrations),
    )
    for batch in in_rooms:
        if batch.room_id is not None:
            kept.setdefault((batch.operator_id, batch.room_id), []).append(batch)
    return kept


def _new_event(
    deviation: Deviation, user: User, kind: DeviationEventKind, **data: object
) -> DeviationEvent:
    return DeviationEvent(
        operator=deviation.operator, deviation=deviation, kind=kind, by=user, data=data
    )


def _event(deviation: Deviation, user: User, kind: DeviationEventKind, **data: object) -> None:
    create_checked(_new_event(deviation, user, kind, **data))


def open_deviation(registration: Registration, user: User, plan: Plan | None) -> Deviation:
    """Open the deviation of a registration judged a deviation: its lots are blocked until it is
    closed, and it says whether the FAVV must be notified."""
    return open_deviations([registration], user, plan)[0]


@transaction.atomic
def open_deviations(
    registrations: Sequence[Registration], user: User, plan: Plan | None
) -> list[Deviation]:
    """Open the deviation of each registration, in their order, as `open_deviation` opens one;
    the deviations, their lots and their first events stored a few statements for all."""
    if not registrations:
        return []
    for registration in registrations:
        if not registration.is_deviation:
            raise RegistrationError("registration", _("this registration is not a deviation"))
    if Deviation.objects.filter(registration__in=registrations).exists():
        raise RegistrationError("registration", _("this registration already has a deviation"))
    deviations = [checked_for_storage(_new_deviation(r, user, plan)) for r in registrations]
    lots_of = [{batch.pk: batch for batch in lots} for lots in lots_concerned_of(registrations)]
    created = Deviation.objects.bulk_create(deviations)
    DeviationLot.objects.bulk_create(
        [
            DeviationLot(
                operator_id=deviation.operator_id, deviation_id=deviation.pk, batch_id=batch_id
            )
            for deviation, lots in zip(created, lots_of, strict=True)
            for batch_id in lots
        ]
    )
    DeviationEvent.objects.bulk_create(
        [
            checked_for_storage(
                _new_event(
                    deviation,
                    user,
                    DeviationEventKind.OPENED,
                    lots=[batch.lot_code for batch in lots.values()],
                )
            )
            for deviation, lots in zip(created, lots_of, strict=True)
        ]
    )
    return created


def _new_deviation(registration: Registration, user: User, plan: Plan | None) -> Deviation:
    evaluation = stored_evaluation(
        registration.control_id, registration.verdict, registration.findings, registration.required
    )
    notices = notices_for(evaluation, plan) if plan is not None else ()
    return Deviation(
        operator=registration.operator,
        registration=registration,
        control_id=registration.control_id,
        opened_by=user,
        notification_required=bool(notices),
        notifications=[
            {
                "id": n.id,
                "text": n.text.model_dump(),
                "exemption": n.exemption.model_dump() if n.exemption else None,
            }
            for n in notices
        ],
    )


def _require_open(deviation: Deviation) -> None:
    if not deviation.is_open:
        raise RegistrationError("deviation", _("this deviation is closed"))


def _plan_actions(plan: Plan | None, control_id: str) -> list[str]:
    if plan is None:
        return []
    try:
        return [action.id for action in plan.control(control_id).corrective_actions]
    except KeyError:
        return []


def _add_actions(
    deviation: Deviation, plan: Plan | None, action_ids: Sequence[str], own_action: str
) -> tuple[list[str], str]:
    known = _plan_actions(plan, deviation.control_id)
    unknown = [a for a in action_ids if a not in known]
    if unknown:
        raise RegistrationError(
            "actions",
            _("unknown corrective action {action} for {control}").format(
                action=unknown[0], control=deviation.control_id
            ),
        )
    added = [a for a in action_ids if a not in deviation.actions]
    chosen = set(deviation.actions) | set(added)
    deviation.actions = [a for a in known if a in chosen] + [
        a for a in deviation.actions if a not in known
    ]
    own = own_action.strip()
    if own:
        deviation.own_action = f"{deviation.own_action}\n{own}".strip()
    return added, own


@transaction.atomic
def record_corrective_actions(
    deviation: Deviation,
    user: User,
    plan: Plan | None,
    action_ids: Sequence[str] = (),
    own_action: str = "",
) -> Deviation:
    """Add corrective actions picked from the plan's list for the control, or written."""
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    _require_open(deviation)
    added, own = _add_actions(deviation, plan, action_ids, own_action)
    if not added and not own:
        raise RegistrationError("actions", _("pick or write a corrective action"))
    deviation.save(update_fields=["actions", "own_action"])
    _event(deviation, user, DeviationEventKind.ACTIONS, actions=added, own_action=own)
    return deviation


def _check_notified_on(notified_on: date, deviation: Deviation) -> None:
    if notified_on > timezone.localdate():
        raise RegistrationError("notified_on", _("the date lies in the future"))
    if notified_on < timezone.localtime(deviation.opened_at).date():
        raise RegistrationError("notified_on", _("the date lies before the deviation"))


@transaction.atomic
def record_notification(deviation: Deviation, user: User, notified_on: date) -> Deviation:
    """Record the date the deviation was notified to the FAVV."""
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    _require_open(deviation)
    _check_notified_on(notified_on, deviation)
    deviation.notified_on = notified_on
    deviation.save(update_fields=["notified_on"])
    _event(deviation, user, DeviationEventKind.NOTIFIED, notified_on=notified_on.isoformat())
    return deviation


@transaction.atomic
def record_deviation_progress(
    deviation: Deviation,
    user: User,
    plan: Plan | None,
    action_ids: Sequence[str] = (),
    own_action: str = "",
    notified_on: date | None = None,
) -> Deviation:
    """Save new corrective actions and the date of notification of an open deviation."""
    new_actions = [a for a in action_ids if a not in deviation.actions]
    if new_actions or own_action.strip():
        deviation = record_corrective_actions(deviation, user, plan, new_actions, own_action)
    elif notified_on is None or notified_on == deviation.notified_on:
        raise RegistrationError("actions", _("pick or write a corrective action"))
    if notified_on is not None and notified_on != deviation.notified_on:
        deviation = record_notification(deviation, user, notified_on)
    return deviation


@transaction.atomic
def close_deviation(
    deviation: Deviation,
    user: User,
    plan: Plan | None,
    outcome: str,
    justification: str = "",
    action_ids: Sequence[str] = (),
    own_action: str = "",
    notified_on: date | None = None,
) -> Deviation:
    """Close a deviation with its outcome; who and when are kept.

    Needs at least one corrective action, a justification for a release (or another outcome),
    and the date of notification where the guide imposes it (or a justification why not: the
    guide exempts a hazard that arose in the business with the product still there).
    Destroyed products are marked destroyed; the lots are no longer blocked.
    """
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    _require_open(deviation)
    added, own = _add_actions(deviation, plan, action_ids, own_action)
    if not deviation.actions and not deviation.own_action:
        raise RegistrationError("actions", _("pick or write a corrective action"))
    if outcome not in Outcome.values:
        raise RegistrationError("outcome", _("choose what became of the products"))
    justification = justification.strip()
    if outcome in JUSTIFIED_OUTCOMES and not justification:
        raise RegistrationError("justification", _("write why the products may be released"))
    if notified_on is not None:
        _check_notified_on(notified_on, deviation)
        deviation.notified_on = notified_on
    if deviation.notification_required and deviation.notified_on is None and not justification:
        raise RegistrationError(
            "notified_on",
            _("give the date of notification to the FAVV, or justify why it was not needed"),
        )
    now = timezone.now()
    if added or own:
        _event(deviation, user, DeviationEventKind.ACTIONS, actions=added, own_action=own)
    if outcome == Outcome.DESTROYED:
        deviation.lots.filter(destroyed_at__isnull=True).update(destroyed_at=now)
    deviation.outcome = outcome
    deviation.justification = justification
    deviation.status = DeviationStatus.CLOSED
    deviation.closed_at = now
    deviation.closed_by = user
    deviation.save()
    _event(deviation, user, DeviationEventKind.CLOSED, outcome=outcome, justification=justification)
    return deviation
