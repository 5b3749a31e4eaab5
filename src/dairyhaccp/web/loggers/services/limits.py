"""The storage limits a room's logger series is judged by, read from the guide data and the plan.

The control is found by its data: a control of the plan with a monitoring item placed in rooms
of this room's kind, and a storage limit (a limit with a tolerated upward fluctuation). The
limit that applies follows the storage category of the room (its own, "frozen" for a freezer,
or that of the product kept there); the maximum is the plan's value where the operator changed
it, else the category's; the fluctuation is the limit's, no more than the category's. The
allowed length of a fluctuation is the one judge's setting, so that a day's registration and
its series agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dairyhaccp.guide.models import Limit
from dairyhaccp.loggers import ExcursionLimits
from dairyhaccp.monitoring import EvaluationSettings
from dairyhaccp.monitoring.duties import product_spec, room_checks
from dairyhaccp.vocabulary import PRODUCT_KINDS
from dairyhaccp.web.records.choices import RoomKind
from dairyhaccp.web.records.models import Room
from dairyhaccp.web.records.selectors import OperatorPlan

FROZEN = "frozen"


class NoLimitsError(Exception):
    """A room whose series cannot be judged, and why (in the page's language)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RoomLimits:
    """The control a room's days are registered for and the limits its series is judged by."""

    control_id: str
    category: str
    limits: ExcursionLimits


def room_category(current: OperatorPlan, room: Room) -> str:
    """The storage category of a room: its own, frozen for a freezer, or its product's."""
    if room.storage_category:
        return room.storage_category
    if room.kind == RoomKind.FREEZER:
        return FROZEN
    if room.product:
        spec = product_spec(current.plan, room.product)
        kind = spec.kind if spec is not None else room.product
        if kind in PRODUCT_KINDS:
            return current.guide.product(kind).storage_category
    return ""


def _storage_limit(limits: list[Limit], frozen: bool) -> Limit | None:
    for limit in limits:
        if not limit.is_storage:
            continue
        from_category = limit.value_from == "storage_category"
        if from_category != frozen:
            return limit
    return None


def room_limits(current: OperatorPlan, room: Room, max_interval_min: float) -> RoomLimits:
    """The storage control and limits of `room` in the operator's current plan.

    Raises NoLimitsError when the plan has no storage control for rooms of this kind or the room
    says nothing about what is stored in it."""
    plan, guide = current.plan, current.guide
    controls = list(dict.fromkeys(check.control.id for check in room_checks(plan, room.kind)))
    storage = [
        control_id
        for control_id in controls
        if any(limit.is_storage for limit in guide.control(control_id).limits)
    ]
    if not storage:
        raise NoLimitsError(_("the plan has no storage temperature check for this kind of room"))
    category_id = room_category(current, room)
    categories = {c.id: c for c in guide.storage_categories}
    if category_id not in categories:
        raise NoLimitsError(_("give the room its storage category (or the product kept there)"))
    category = categories[category_id]
    control_id = storage[0]
    plan_limits = {limit.id: limit for limit in plan.control(control_id).limits}
    in_plan = [limit for limit in guide.control(control_id).limits if limit.id in plan_limits]
    limit = _storage_limit(in_plan, frozen=category_id == FROZEN)
    if limit is None:
        raise NoLimitsError(_("the plan sets no storage temperature for what is kept in this room"))
    assert limit.tolerance is not None
    own_value = plan_limits[limit.id].value
    if own_value is not None:
        maximum, fluctuation = own_value, limit.tolerance
    else:
        maximum = category.max_temperature_c
        fluctuation = min(limit.tolerance, category.fluctuation_c)
    allowed = EvaluationSettings().max_short_fluctuation_min
    return RoomLimits(
        control_id=control_id,
        category=category_id,
        limits=ExcursionLimits.from_fluctuation(
            maximum_c=maximum,
            fluctuation_c=fluctuation,
            allowed_min=allowed,
            max_interval_min=max_interval_min,
        ),
    )
