"""The milk a batch is made from: the latest usable milking for a batch started in one tap, and
a batch linked to its milk afterwards.

A milking may go into a batch unless it was destroyed, nothing is left of it, it is blocked
(an open deviation or recall) or it holds a withheld animal's milk (the farm's rule,
web/farm/services/milk.py, the same a production applies).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.farm.services import milk as farm_milk
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.lots.constants import CLOCK_SLACK, MILK_LINK_WINDOW
from dairyhaccp.web.lots.models import Production
from dairyhaccp.web.lots.services.book import batch_key, left_of
from dairyhaccp.web.lots.services.common import lock
from dairyhaccp.web.lots.services.errors import LotError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors as records_selectors
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services.day import start_production
from dairyhaccp.web.records.services.setup import made_from_raw_milk

MILK_FIELD = "milk"


def milk_problem(operator: Operator, milk: Batch) -> str | None:
    """Why this milking may not go into a batch, in the reader's language; None if it may."""
    if milk.operator_id != operator.pk or milk.product != RAW_MILK:
        return _("Choose a milking of your business.")
    if milk.destroyed_at is not None:
        return _("Lot {lot} was destroyed.").format(lot=milk.lot_code)
    if records_selectors.blocked_lots(operator).filter(pk=milk.pk).exists():
        return _("Lot {lot} is blocked: an open deviation or recall concerns it.").format(
            lot=milk.lot_code
        )
    measured = Production.objects.filter(
        operator=operator, batch=milk, correction__isnull=True, withdrawn=False
    ).exists()
    if measured and left_of(operator, batch_key(milk.pk)) <= 0:
        return _("Nothing is left of lot {lot}.").format(lot=milk.lot_code)
    try:
        farm_milk.check_raw_milk_inputs(operator, [(MILK_FIELD, milk)])
    except FarmInputError as error:
        return error.problem
    return None


def recent_milkings(
    operator: Operator, moment: datetime, window: timedelta = MILK_LINK_WINDOW
) -> list[Batch]:
    """The milkings of the `window` up to `moment`, newest first (usable or not)."""
    return list(
        records_selectors.batches(operator)
        .filter(
            product=RAW_MILK,
            started_at__gte=moment - window,
            started_at__lte=moment + CLOCK_SLACK,
        )
        .order_by("-started_at", "-pk")
    )


@dataclass(frozen=True)
class MilkChoice:
    """The milking a new batch is made from, or why none was chosen (`why`, worded)."""

    milk: Batch | None
    why: str = ""


def choose_milk(operator: Operator, product: str, moment: datetime) -> MilkChoice | None:
    """The most recent usable milking of the 48 hours before `moment` for a batch of `product`;
    None when the product is not made from the business's raw milk (milk bought pasteurised,
    or raw milk itself)."""
    current = records_selectors.operator_plan(operator)
    if current is None or not made_from_raw_milk(current.plan, product):
        return None
    if len(current.plan.profile.milk.species) > 1:
        return MilkChoice(
            None, _("Your milk comes from more than one species: choose the milking.")
        )
    milkings = recent_milkings(operator, moment)
    if not milkings:
        return MilkChoice(None, _("No milking was recorded in the last 48 hours."))
    first_problem = ""
    for milk in milkings:
        problem = milk_problem(operator, milk)
        if problem is None:
            return MilkChoice(milk)
        first_problem = first_problem or problem
    return MilkChoice(None, first_problem)


@dataclass(frozen=True)
class Started:
    """A batch started in one tap, with the choice of its milk (None: it needs none)."""

    batch: Batch
    milk: MilkChoice | None


@transaction.atomic
def start_production_on_milk(
    operator: Operator, user: User, product: str, moment: datetime | None = None
) -> Started:
    """Start a batch of `product` now (records' one-tap start, its lot code from the owner's
    pattern), made from the latest usable milking when the product is made from the
    business's raw milk. RegistrationError refuses as the one-tap start does."""
    lock(operator)
    moment = moment or timezone.now()
    choice = choose_milk(operator, product, moment)
    milk = choice.milk if choice is not None else None
    batch = start_production(operator, user, product, moment, milk=milk)
    return Started(batch, choice)


@transaction.atomic
def link_milk(batch: Batch, milk: Batch) -> Batch:
    """Record that `batch` is made from the milking `milk`; LotError names the field."""
    operator = batch.operator
    lock(operator)
    if batch.product == RAW_MILK:
        raise LotError(MILK_FIELD, _("A milking is made from nothing recorded here."))
    if batch.destroyed_at is not None:
        raise LotError(MILK_FIELD, _("Lot {lot} was destroyed.").format(lot=batch.lot_code))
    problem = milk_problem(operator, milk)
    if problem is not None:
        raise LotError(MILK_FIELD, problem)
    if milk.started_at > batch.started_at + CLOCK_SLACK:
        raise LotError(
            MILK_FIELD,
            _("Lot {lot} was milked after this batch started.").format(lot=milk.lot_code),
        )
    batch.add_sources(milk)
    return batch
