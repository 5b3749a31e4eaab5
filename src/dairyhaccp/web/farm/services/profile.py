"""The farm profile and the certification bodies farms choose from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dairyhaccp.web.farm.choices import Region, Species
from dairyhaccp.web.farm.constants import MAX_ANIMALS
from dairyhaccp.web.farm.models import CertificationBody, FarmProfile
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.operators.models import Operator

# Letters, digits, spaces and the separators herd numbers are written with.
_SANITEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$")
_MILKING_RE = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
MAX_MILKINGS = 6


@dataclass(frozen=True)
class ProfileInput:
    """What the farmer says about the farm."""

    species: str
    animals_in_milk: int
    sanitel_number: str
    region: str
    milking_times: tuple[str, ...] = ()
    milking_equipment: str = ""
    cooling_equipment: str = ""
    herd_vet: str = ""
    herd_vet_contract_from: date | None = None
    substitute_vet: str = ""
    substitute_vet_contract_from: date | None = None
    certification_body: CertificationBody | None = None
    milk_buyer: str = ""


def lock(operator: Operator) -> None:
    """One write of an operator's versioned records at a time: version numbers stay unique."""
    Operator.objects.select_for_update().filter(pk=operator.pk).first()


def milking_times(values: tuple[str, ...]) -> list[str]:
    """Milking times as "HH:MM", sorted and without repeats."""
    if len(values) > MAX_MILKINGS:
        raise FarmInputError(
            "milking_times", _("at most {count} milkings a day").format(count=MAX_MILKINGS)
        )
    times = set()
    for value in values:
        value = value.strip()
        if not _MILKING_RE.match(value):
            raise FarmInputError(
                "milking_times", _("{value} is not a time like 06:00").format(value=value[:10])
            )
        times.add(value)
    return sorted(times)


@transaction.atomic
def save_profile(operator: Operator, user: User, data: ProfileInput) -> FarmProfile:
    """Store a new version of the farm profile; the earlier versions stay as they were."""
    lock(operator)
    if data.species not in Species.values:
        raise FarmInputError("species", _("unknown species"))
    if data.region not in Region.values:
        raise FarmInputError("region", _("unknown region"))
    sanitel = checks.text(data.sanitel_number, "sanitel_number", 30, required=True)
    if not _SANITEL_RE.match(sanitel):
        raise FarmInputError(
            "sanitel_number", _("letters, digits, spaces, dots, slashes and hyphens only")
        )
    body = data.certification_body
    if body is not None and not CertificationBody.objects.filter(pk=body.pk).exists():
        raise FarmInputError("certification_body", _("not found"))
    for name in ("herd_vet_contract_from", "substitute_vet_contract_from"):
        day = getattr(data, name)
        if day is not None:
            checks.past_day(day, name)
    latest = FarmProfile.objects.for_operator(operator).order_by("-version").first()
    return FarmProfile.objects.create(
        operator=operator,
        version=(latest.version + 1) if latest else 1,
        species=data.species,
        animals_in_milk=checks.whole_number(
            data.animals_in_milk, "animals_in_milk", 1, MAX_ANIMALS
        ),
        sanitel_number=sanitel,
        region=data.region,
        milking_times=milking_times(data.milking_times),
        milking_equipment=checks.text(data.milking_equipment, "milking_equipment", 200),
        cooling_equipment=checks.text(data.cooling_equipment, "cooling_equipment", 200),
        herd_vet=checks.text(data.herd_vet, "herd_vet", 200),
        herd_vet_contract_from=data.herd_vet_contract_from,
        substitute_vet=checks.text(data.substitute_vet, "substitute_vet", 200),
        substitute_vet_contract_from=data.substitute_vet_contract_from,
        certification_body=body,
        milk_buyer=checks.text(data.milk_buyer, "milk_buyer", 200),
        changed_by=user,
    )


@transaction.atomic
def register_certification_body(operator: Operator) -> CertificationBody:
    """Make `operator` a certification body farms can choose (idempotent)."""
    body, _created = CertificationBody.objects.get_or_create(operator=operator)
    return body
