"""The farm's one rule for raw milk in the lots: the milk of a withheld animal goes into no batch.

A milking recorded while a milk withdrawal runs needs the confirmation that the withheld animals'
milk was kept apart; it is stored with the milking. A production refuses a raw-milk lot milked
during a withdrawal without that confirmation. The lots services call these two functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.web.farm.models import MilkKeptApart
from dairyhaccp.web.farm.selectors import Withheld, withheld
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch

KEPT_APART_FIELD = "withheld_milk_kept_apart"

__all__ = [
    "KEPT_APART_FIELD",
    "Withheld",
    "check_milking",
    "check_raw_milk_inputs",
    "confirm_kept_apart",
    "record_kept_apart",
    "unconfirmed_at_milking",
    "withheld_at_milking",
]


def _until(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _names(animals: Iterable[Withheld]) -> str:
    return ", ".join(
        _("{animal} (until {until})").format(animal=w.animal, until=_until(w.until))
        for w in animals
    )


def withheld_at_milking(operator: Operator, milked_at: datetime) -> list[Withheld]:
    """The animals whose milk is withheld at the moment of a milking."""
    return withheld(operator, milked_at)


def check_milking(operator: Operator, milked_at: datetime, kept_apart: bool) -> list[Withheld]:
    """The withheld animals at a milking; refused unless their milk was kept apart."""
    animals = withheld_at_milking(operator, milked_at)
    if animals and not kept_apart:
        raise FarmInputError(
            KEPT_APART_FIELD,
            _(
                "The milk of {animals} is withheld: confirm that it was kept apart from "
                "this milking."
            ).format(animals=_names(animals)),
        )
    return animals


def record_kept_apart(
    operator: Operator, user: User, batch: Batch, animals: Sequence[Withheld]
) -> MilkKeptApart | None:
    """Store, with the milking, that the withheld animals' milk was kept apart (if any were)."""
    if not animals:
        return None
    return MilkKeptApart.objects.create(
        operator=operator,
        batch=batch,
        animals=[{"animal": w.animal, "until": w.until.isoformat()} for w in animals],
        confirmed_by=user,
    )


def unconfirmed_at_milking(operator: Operator, batch: Batch) -> list[Withheld]:
    """The animals withheld at this milking whose milk is not confirmed kept apart (a treatment
    entered after the milking); empty for anything but the business's own raw milk."""
    if batch.operator_id != operator.pk or batch.product != RAW_MILK:
        return []
    animals = withheld_at_milking(operator, batch.started_at)
    if not animals:
        return []
    confirmed = {
        str(entry.get("animal"))
        for row in MilkKeptApart.objects.for_operator(operator).filter(batch=batch)
        for entry in row.animals
    }
    return [w for w in animals if w.animal not in confirmed]


def confirm_kept_apart(operator: Operator, user: User, batch: Batch) -> MilkKeptApart:
    """Record afterwards, with who and when, that the milk of the animals withheld at this
    milking was kept apart; FarmInputError when nothing is left to confirm."""
    missing = unconfirmed_at_milking(operator, batch)
    if not missing:
        raise FarmInputError(
            KEPT_APART_FIELD, _("No withheld animal's milk is left to confirm at this milking.")
        )
    confirmation = record_kept_apart(operator, user, batch, missing)
    assert confirmation is not None
    return confirmation


def check_raw_milk_inputs(operator: Operator, inputs: Iterable[tuple[str, Batch]]) -> None:
    """Refuse a production using an own raw-milk lot that holds a withheld animal's milk: one
    milked during a withdrawal without the confirmation that this animal's milk was kept apart.
    `inputs` are (field, batch) of the lots used."""
    for field, batch in inputs:
        missing = unconfirmed_at_milking(operator, batch)
        if missing:
            raise FarmInputError(
                field,
                _(
                    "Lot {lot} was milked while the milk of {animals} was withheld, and the "
                    "milking does not record that it was kept apart: it cannot go into a batch."
                ).format(lot=batch.lot_code, animals=_names(missing)),
            )
