"""Rooms, equipment and batches: what the checks are done on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.monitoring.duties import RAW_MILK
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.bounds import moment_problem
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.milk import check_raw_milk_inputs
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.choices import RoomKind
from dairyhaccp.web.records.models import Batch, Room
from dairyhaccp.web.records.services.errors import RegistrationError, checked_for_storage


def product_choices(operator: Operator) -> list[str]:
    """The products a batch can be of: the plan's products, and raw milk for a milking."""
    current = selectors.operator_plan(operator)
    if current is None:
        return []
    return plan_products(current.plan)


def plan_products(plan: Plan) -> list[str]:
    """The products of a plan a batch can be of, and raw milk where milk is milked or bought."""
    profile = plan.profile
    labels = [p.label for p in profile.products]
    if profile.milk.own_animals or profile.milk.buys_raw_milk:
        labels.append(RAW_MILK)
    return list(dict.fromkeys(labels))


def made_from_raw_milk(plan: Plan, product: str) -> bool:
    """Whether batches of `product` are made from the business's raw milk (its milkings, or raw
    milk bought in): not where the milk is bought pasteurised, and not for raw milk itself."""
    milk = plan.profile.milk
    return product != RAW_MILK and (milk.own_animals or milk.buys_raw_milk)


def _check_product(operator: Operator, product: str, *, blank_ok: bool) -> str:
    product = product.strip()
    if not product and blank_ok:
        return ""
    if product not in product_choices(operator):
        raise RegistrationError("product", _("not a product of the plan"))
    return product


def _check_category(category: str) -> str:
    if category and category not in {c.id for c in load_guide().storage_categories}:
        raise RegistrationError("storage_category", _("unknown storage category"))
    return category


@transaction.atomic
def create_room(
    operator: Operator, name: str, kind: str, product: str = "", storage_category: str = ""
) -> Room:
    """Add a room or piece of equipment; its kind decides the periodic checks done there."""
    name = name.strip()
    if not name:
        raise RegistrationError("name", _("give the room a name"))
    if kind not in RoomKind.values:
        raise RegistrationError("kind", _("unknown kind of room"))
    room = Room(
        operator=operator,
        name=name,
        kind=kind,
        product=_check_product(operator, product, blank_ok=True),
        storage_category=_check_category(storage_category),
    )
    try:
        with transaction.atomic():
            checked_for_storage(room).save()
    except IntegrityError as exc:
        raise RegistrationError("name", _("a room with this name exists already")) from exc
    return room


@transaction.atomic
def update_room(
    room: Room, name: str, kind: str, product: str, storage_category: str, active: bool
) -> Room:
    """Change a room's description; its registrations keep pointing at it."""
    if kind not in RoomKind.values:
        raise RegistrationError("kind", _("unknown kind of room"))
    room.name = name.strip() or room.name
    room.kind = kind
    room.product = _check_product(room.operator, product, blank_ok=True)
    room.storage_category = _check_category(storage_category)
    room.active = active
    try:
        with transaction.atomic():
            checked_for_storage(room).save()
    except IntegrityError as exc:
        raise RegistrationError("name", _("a room with this name exists already")) from exc
    return room


@transaction.atomic
def create_batch(
    operator: Operator,
    user: User,
    lot_code: str,
    product: str,
    started_at: datetime | None = None,
    room: Room | None = None,
    made_from: Sequence[Batch] = (),
    note: str = "",
) -> Batch:
    """Enter a production batch (lot) or a milking; its production checks become due."""
    lot_code = lot_code.strip()
    if not lot_code:
        raise RegistrationError("lot_code", _("give the lot code"))
    product = _check_product(operator, product, blank_ok=False)
    if room is not None and room.operator_id != operator.pk:
        raise RegistrationError("room", _("not found"))
    for source in made_from:
        if source.operator_id != operator.pk:
            raise RegistrationError("made_from", _("not found"))
    try:
        check_raw_milk_inputs(operator, [("made_from", source) for source in made_from])
    except FarmInputError as error:
        raise RegistrationError(error.field, error.problem) from error
    started = started_at or timezone.now()
    problem = moment_problem(started, operator.active_since)
    if problem:
        raise RegistrationError("started_at", problem)
    batch = Batch(
        operator=operator,
        lot_code=lot_code,
        product=product,
        started_at=started,
        room=room,
        note=note.strip(),
        created_by=user,
    )
    try:
        with transaction.atomic():
            checked_for_storage(batch).save()
    except IntegrityError as exc:
        raise RegistrationError("lot_code", _("this lot code exists already")) from exc
    batch.add_sources(*made_from)
    return batch
