"""Fixtures of the farm tests: a farm with a profile, two certification bodies with their
auditors, the farm's vet, another farm, and the sector organisation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.farm.models import CertificationBody, Treatment
from dairyhaccp.web.farm.services import (
    ProfileInput,
    TreatmentInput,
    record_treatment,
    register_certification_body,
    save_profile,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator

PASSWORD = "koe-en-gras-77"


def make_user(operator: Operator, role: Role, username: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    add_member(operator, user, role)
    return user


def profile_input(body: CertificationBody | None = None, **changes: Any) -> ProfileInput:
    data: dict[str, Any] = {
        "species": "cow",
        "animals_in_milk": 80,
        "sanitel_number": "BE 1234 5678",
        "region": "flanders",
        "milking_times": ("06:00", "17:30"),
        "milking_equipment": "2x8 visgraat",
        "cooling_equipment": "Koeltank 6000 l",
        "herd_vet": "Dr. Peeters",
        "herd_vet_contract_from": date(2024, 1, 1),
        "substitute_vet": "Dr. Janssens",
        "substitute_vet_contract_from": date(2024, 1, 1),
        "certification_body": body,
        "milk_buyer": "Melkerij Noord",
    }
    data.update(changes)
    return ProfileInput(**data)


def treatment_input(**changes: Any) -> TreatmentInput:
    data: dict[str, Any] = {
        "animal": "BE 5 0123 4567",
        "last_dose_at": timezone.now(),
        "indication": "Mastitis",
        "product": "Mastiplan LC",
        "active_substance": "cefapirine, prednisolon",
        "dose": "1 injector per kwartier",
        "route": "intramammary",
        "prescribing_vet": "Dr. Peeters",
        "withdrawal_milk_hours": Decimal(84),
        "withdrawal_meat_days": 4,
    }
    data.update(changes)
    return TreatmentInput(**data)


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # type: ignore[misc]


@dataclass(frozen=True)
class Sector:
    """Everybody around two farms (see the module)."""

    farm: Operator
    owner: User
    staff: User
    vet: User
    other_farm: Operator
    other_owner: User
    body_a: CertificationBody
    auditor_a: User
    body_b: CertificationBody
    auditor_b: User
    milkbe: Operator
    sector_user: User


@pytest.fixture
def world(db: None) -> Sector:
    """A farm that chose body A, another farm that chose body B, and the sector organisation."""
    body_a = register_certification_body(create_operator("Certalent", slug="certalent"))
    body_b = register_certification_body(create_operator("SGS AgroControl", slug="sgs"))
    auditor_a = make_user(body_a.operator, Role.AUDITOR, "auditor-a")
    auditor_b = make_user(body_b.operator, Role.AUDITOR, "auditor-b")
    farm = create_operator("Hoeve De Klaver", slug="klaver")
    owner = make_user(farm, Role.OWNER, "boer")
    staff = make_user(farm, Role.STAFF, "knecht")
    vet = make_user(farm, Role.VET, "dierenarts")
    save_profile(farm, owner, profile_input(body_a))
    other_farm = create_operator("Melkveebedrijf Ander", slug="ander-bedrijf")
    other_owner = make_user(other_farm, Role.OWNER, "andere-boer")
    save_profile(other_farm, other_owner, profile_input(body_b, region="wallonia"))
    milkbe = create_operator("MilkBE", slug="milkbe")
    sector_user = make_user(milkbe, Role.SECTOR, "sector")
    return Sector(
        farm=farm,
        owner=owner,
        staff=staff,
        vet=vet,
        other_farm=other_farm,
        other_owner=other_owner,
        body_a=body_a,
        auditor_a=auditor_a,
        body_b=body_b,
        auditor_b=auditor_b,
        milkbe=milkbe,
        sector_user=sector_user,
    )


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def treatment(world: Sector) -> Treatment:
    """A treatment of the farm, last dose an hour ago, 84 h milk withdrawal."""
    return record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(last_dose_at=timezone.now() - timedelta(hours=1)),
    )
