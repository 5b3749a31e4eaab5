"""The antibiotics register: treatments entered by the farmer or the vet, never changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.ikm import withdrawal_end
from dairyhaccp.web.farm.choices import Route
from dairyhaccp.web.farm.constants import (
    MAX_ANIMALS,
    MAX_MEAT_WITHDRAWAL_DAYS,
    MAX_WITHDRAWAL_HOURS,
    MIN_REASON_LENGTH,
)
from dairyhaccp.web.farm.models import Treatment
from dairyhaccp.web.farm.selectors import hours
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.profile import lock
from dairyhaccp.web.operators.models import Operator

_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class TreatmentInput:
    """One treatment as the farmer or the vet enters it."""

    animal: str
    last_dose_at: datetime
    indication: str
    product: str
    active_substance: str
    dose: str
    route: str
    prescribing_vet: str
    withdrawal_milk_hours: Decimal | float | int
    withdrawal_meat_days: int
    first_dose_on: date | None = None
    is_group: bool = False
    animals: int = 1
    remark: str = ""


def withdrawal_hours(value: Decimal | float | int) -> Decimal:
    """Hours from 0 up to a year, rounded up to the hundredth (a withdrawal never ends early)."""
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise FarmInputError("withdrawal_milk", _("must be a number")) from None
    if not amount.is_finite():
        raise FarmInputError("withdrawal_milk", _("must be a number"))
    if amount < 0:
        raise FarmInputError("withdrawal_milk", _("cannot be negative"))
    if amount > MAX_WITHDRAWAL_HOURS:
        raise FarmInputError("withdrawal_milk", _("longer than a year"))
    return amount.quantize(_HUNDREDTH, rounding=ROUND_CEILING)


def _fields(data: TreatmentInput) -> dict[str, Any]:
    last_dose_at = checks.moment(data.last_dose_at, "last_dose_at")
    last_day = timezone.localdate(last_dose_at)
    first_dose_on = data.first_dose_on or last_day
    checks.past_day(first_dose_on, "first_dose_on")
    if first_dose_on > last_day:
        raise FarmInputError("first_dose_on", _("lies after the last administration"))
    if data.route not in Route.values:
        raise FarmInputError("route", _("unknown route"))
    animals = checks.whole_number(data.animals, "animals", 1, MAX_ANIMALS)
    if animals > 1 and not data.is_group:
        raise FarmInputError("animals", _("one ear tag is one animal; enter a group instead"))
    milk_hours = withdrawal_hours(data.withdrawal_milk_hours)
    return {
        "animal": checks.text(data.animal, "animal", 60, required=True),
        "is_group": bool(data.is_group),
        "animals": animals,
        "first_dose_on": first_dose_on,
        "last_dose_at": last_dose_at,
        "indication": checks.text(data.indication, "indication", 200, required=True),
        "product": checks.text(data.product, "product", 200, required=True),
        "active_substance": checks.text(
            data.active_substance, "active_substance", 200, required=True
        ),
        "dose": checks.text(data.dose, "dose", 100, required=True),
        "route": data.route,
        "prescribing_vet": checks.text(data.prescribing_vet, "prescribing_vet", 200, required=True),
        "withdrawal_milk_hours": milk_hours,
        "withdrawal_meat_days": checks.whole_number(
            data.withdrawal_meat_days, "withdrawal_meat", 0, MAX_MEAT_WITHDRAWAL_DAYS
        ),
        # The core's elapsed-time rule, stored as the register showed it.
        "milk_usable_from": withdrawal_end(last_dose_at, hours(milk_hours)),
        "remark": checks.text(data.remark, "remark", 2000),
    }


@transaction.atomic
def record_treatment(operator: Operator, user: User, role: str, data: TreatmentInput) -> Treatment:
    """Enter a treatment in the register; the milk withdrawal's end is computed at once."""
    fields = _fields(data)
    return Treatment.objects.create(operator=operator, recorded_by=user, recorded_as=role, **fields)


def _reason(reason: str) -> str:
    reason = checks.text(reason, "reason", 2000)
    if len(reason) < MIN_REASON_LENGTH:
        raise FarmInputError("reason", _("say why the treatment is changed"))
    return reason


def _next_version(treatment: Treatment) -> int:
    if Treatment.objects.filter(corrects=treatment).exists():
        raise FarmInputError("treatment", _("only the latest version can be changed"))
    if treatment.withdrawn:
        raise FarmInputError("treatment", _("this treatment was withdrawn"))
    return treatment.version + 1


@transaction.atomic
def correct_treatment(
    treatment: Treatment, user: User, role: str, data: TreatmentInput, reason: str
) -> Treatment:
    """Store a corrected version of a treatment with the reason; the old one stays."""
    lock(treatment.operator)
    version = _next_version(treatment)
    return Treatment.objects.create(
        operator=treatment.operator,
        chain=treatment.chain,
        version=version,
        corrects=treatment,
        correction_reason=_reason(reason),
        recorded_by=user,
        recorded_as=role,
        **_fields(data),
    )


@transaction.atomic
def withdraw_treatment(treatment: Treatment, user: User, role: str, reason: str) -> Treatment:
    """Withdraw a treatment entered in error: a last version, marked withdrawn, with the reason."""
    lock(treatment.operator)
    version = _next_version(treatment)
    copied = {
        name: getattr(treatment, name)
        for name in (
            "animal",
            "is_group",
            "animals",
            "first_dose_on",
            "last_dose_at",
            "indication",
            "product",
            "active_substance",
            "dose",
            "route",
            "prescribing_vet",
            "withdrawal_milk_hours",
            "withdrawal_meat_days",
            "milk_usable_from",
            "remark",
        )
    }
    return Treatment.objects.create(
        operator=treatment.operator,
        chain=treatment.chain,
        version=version,
        corrects=treatment,
        correction_reason=_reason(reason),
        withdrawn=True,
        recorded_by=user,
        recorded_as=role,
        **copied,
    )
