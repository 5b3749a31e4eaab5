"""Raw milk of a withheld animal goes into no batch: the milking asks to confirm that it was kept
apart, and a production refuses a raw-milk lot milked during a withdrawal without it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from dairyhaccp.web.farm.models import MilkKeptApart, Treatment
from dairyhaccp.web.farm.services import record_treatment
from dairyhaccp.web.lots.choices import ProductionKind
from dairyhaccp.web.lots.services import InputLine, LotError, ProductionData, record_production
from dairyhaccp.web.lots.services.book import batch_key
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.plans.services import save_profile as save_plan
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import RegistrationError, create_batch

from .conftest import Sector, treatment_input

PLAN: dict[str, Any] = {
    "operator": {"name": "Hoeve De Klaver", "relaxations": True},
    "milk": {"own_animals": True, "species": ["cow"], "buys_raw_milk": False},
    "products": [
        {"kind": "semi_hard_cheese", "name": "Hoevekaas", "raw_milk": True, "shelf_life_days": 90}
    ],
}
ANIMAL = "BE 5 0123 4567"


@pytest.fixture
def farm_dairy(world: Sector) -> Sector:
    save_plan(world.farm, world.owner, PLAN)
    return world


def _treat(world: Sector, last_dose_at: datetime, hours: int = 84) -> Treatment:
    return record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(last_dose_at=last_dose_at, withdrawal_milk_hours=Decimal(hours)),
    )


def _milking(world: Sector, code: str, milked_at: datetime, kept_apart: bool = False) -> Batch:
    production = record_production(
        world.farm,
        world.owner,
        ProductionData(
            kind=ProductionKind.MILKING,
            lot_code=code,
            product="",
            made_at=milked_at,
            quantity=Decimal(400),
            unit="l",
            species="cow",
            withheld_milk_kept_apart=kept_apart,
        ),
    )
    return production.batch


def _cheese(world: Sector, code: str, milk: Batch, made_at: datetime) -> Any:
    return record_production(
        world.farm,
        world.owner,
        ProductionData(
            kind=ProductionKind.PRODUCTION,
            lot_code=code,
            product="Hoevekaas",
            made_at=made_at,
            quantity=Decimal(40),
            unit="kg",
            inputs=[InputLine(batch_key(milk.pk), Decimal(400))],
        ),
    )


@pytest.fixture
def withdrawal_end(farm_dairy: Sector) -> datetime:
    """A treatment whose 84 h withdrawal ended two days ago; returns its end."""
    last_dose = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=84 + 48)
    return _treat(farm_dairy, last_dose).milk_usable_from


def test_a_milking_just_before_the_end_asks_to_confirm_the_milk_was_kept_apart(
    farm_dairy: Sector, withdrawal_end: datetime
) -> None:
    with override("en"), pytest.raises(LotError) as excinfo:
        _milking(farm_dairy, "M-1", withdrawal_end - timedelta(minutes=1))

    assert excinfo.value.field == "withheld_milk_kept_apart"
    assert ANIMAL in excinfo.value.problem and "kept apart" in excinfo.value.problem
    assert not Batch.objects.filter(lot_code="M-1").exists()


def test_a_confirmed_milking_records_the_withheld_animals_with_the_milking(
    farm_dairy: Sector, withdrawal_end: datetime
) -> None:
    batch = _milking(farm_dairy, "M-1", withdrawal_end - timedelta(minutes=1), kept_apart=True)

    kept = MilkKeptApart.objects.get(batch=batch)
    assert kept.operator == farm_dairy.farm and kept.confirmed_by == farm_dairy.owner
    assert [row["animal"] for row in kept.animals] == [ANIMAL]
    assert datetime.fromisoformat(kept.animals[0]["until"]) == withdrawal_end
    # and its milk may go into a batch
    _cheese(farm_dairy, "K-1", batch, withdrawal_end + timedelta(hours=1))


def test_a_milking_at_the_end_of_the_withdrawal_needs_no_confirmation(
    farm_dairy: Sector, withdrawal_end: datetime
) -> None:
    batch = _milking(farm_dairy, "M-2", withdrawal_end)

    assert not MilkKeptApart.objects.filter(batch=batch).exists()
    _cheese(farm_dairy, "K-2", batch, withdrawal_end + timedelta(hours=1))


def test_a_milking_before_the_first_administration_needs_no_confirmation(
    farm_dairy: Sector,
) -> None:
    last_dose = timezone.now() - timedelta(hours=2)
    _treat(farm_dairy, last_dose)

    _milking(farm_dairy, "M-3", last_dose - timedelta(days=2))


def test_a_production_refuses_milk_of_a_withheld_animal_naming_it_and_until_when(
    farm_dairy: Sector,
) -> None:
    """The treatment is entered after the milking: the milking's lot holds the animal's milk."""
    last_dose = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=84 + 48)
    before_end = last_dose + timedelta(hours=84) - timedelta(minutes=1)
    at_end = last_dose + timedelta(hours=84)
    early = _milking(farm_dairy, "M-10", before_end)
    on_time = _milking(farm_dairy, "M-11", at_end)
    _treat(farm_dairy, last_dose)

    with override("en"), pytest.raises(LotError) as excinfo:
        _cheese(farm_dairy, "K-10", early, at_end + timedelta(hours=2))

    assert excinfo.value.field == "inputs[0].lot"
    problem = excinfo.value.problem
    assert "M-10" in problem and ANIMAL in problem
    until = timezone.localtime(at_end)
    assert f"{until:%H:%M}" in problem and str(until.year) in problem
    assert not Batch.objects.filter(lot_code="K-10").exists()
    # the milking at the end of the withdrawal goes into the batch
    _cheese(farm_dairy, "K-11", on_time, at_end + timedelta(hours=2))


def test_a_confirmation_covers_only_the_animals_it_names(farm_dairy: Sector) -> None:
    last_dose = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=100)
    _treat(farm_dairy, last_dose)
    milked_at = last_dose + timedelta(hours=10)
    batch = _milking(farm_dairy, "M-20", milked_at, kept_apart=True)
    record_treatment(
        farm_dairy.farm,
        farm_dairy.owner,
        Role.OWNER,
        treatment_input(animal="BE 5 9999 0001", last_dose_at=last_dose),
    )

    with override("en"), pytest.raises(LotError) as excinfo:
        _cheese(farm_dairy, "K-20", batch, milked_at + timedelta(hours=1))

    assert "BE 5 9999 0001" in excinfo.value.problem
    assert ANIMAL not in excinfo.value.problem


def test_a_withdrawn_treatment_withholds_nothing(farm_dairy: Sector) -> None:
    from dairyhaccp.web.farm.services import withdraw_treatment

    treatment = _treat(farm_dairy, timezone.now() - timedelta(hours=1))
    withdraw_treatment(treatment, farm_dairy.owner, Role.OWNER, "Wrong animal entered")

    _milking(farm_dairy, "M-30", timezone.now() - timedelta(minutes=5))


def test_the_milking_page_shows_the_withheld_animals_and_asks_to_confirm(
    farm_dairy: Sector, login: Callable[[User], Client]
) -> None:
    _treat(farm_dairy, timezone.now() - timedelta(hours=1))
    client = login(farm_dairy.owner)
    url = f"/{farm_dairy.farm.slug}/lots/milk/"

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert ANIMAL in page.content.decode()
    assert 'name="withheld_milk_kept_apart"' in page.content.decode()

    milked = timezone.localtime() - timedelta(minutes=5)
    form = {
        "lot_code": "M-40",
        "made_at": milked.strftime("%Y-%m-%dT%H:%M"),
        "quantity": "400",
        "species": "cow",
    }
    refused = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert "kept apart" in errors["withheld_milk_kept_apart"][0]
    assert not Batch.objects.filter(lot_code="M-40").exists()

    saved = client.post(url, {**form, "withheld_milk_kept_apart": "on"})
    assert saved.status_code == 302
    assert MilkKeptApart.objects.filter(batch__lot_code="M-40").exists()


def test_the_milking_page_asks_nothing_without_a_withdrawal(
    farm_dairy: Sector, login: Callable[[User], Client]
) -> None:
    page = login(farm_dairy.owner).get(f"/{farm_dairy.farm.slug}/lots/milk/")

    assert 'name="withheld_milk_kept_apart"' not in page.content.decode()


def test_the_api_refuses_a_milking_during_a_withdrawal_without_the_confirmation(
    farm_dairy: Sector, client: Client
) -> None:
    _treat(farm_dairy, timezone.now() - timedelta(hours=1))
    token = issue_api_token(farm_dairy.owner, farm_dairy.farm).clear_token
    milking = {
        "lot_code": "M-50",
        "milked_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "quantity": "400",
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    refused = client.post(
        "/api/lots/milkings?lang=en", milking, content_type="application/json", **headers
    )
    assert refused.status_code == 422
    assert "withheld_milk_kept_apart" in refused.content.decode()

    saved = client.post(
        "/api/lots/milkings",
        {**milking, "withheld_milk_kept_apart": True},
        content_type="application/json",
        **headers,
    )
    assert saved.status_code == 201


def test_a_batch_entered_on_the_batch_form_or_the_api_refuses_withheld_milk(
    farm_dairy: Sector, client: Client
) -> None:
    last_dose = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=84 + 48)
    at_end = last_dose + timedelta(hours=84)
    early = _milking(farm_dairy, "M-20", at_end - timedelta(minutes=1))
    on_time = _milking(farm_dairy, "M-21", at_end)
    _treat(farm_dairy, last_dose)
    made_at = at_end + timedelta(hours=2)

    with override("en"), pytest.raises(RegistrationError) as excinfo:
        create_batch(
            farm_dairy.farm, farm_dairy.owner, "K-20", "Hoevekaas", made_at, made_from=[early]
        )
    assert excinfo.value.field == "made_from"
    assert "M-20" in excinfo.value.problem and ANIMAL in excinfo.value.problem
    assert not Batch.objects.filter(lot_code="K-20").exists()

    token = issue_api_token(farm_dairy.owner, farm_dairy.farm).clear_token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    batch = {"lot_code": "K-21", "product": "Hoevekaas", "started_at": made_at.isoformat()}
    refused = client.post(
        "/api/batches?lang=en",
        {**batch, "made_from": [early.pk]},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422
    assert "M-20" in refused.content.decode()
    assert not Batch.objects.filter(lot_code="K-21").exists()

    saved = client.post(
        "/api/batches",
        {**batch, "made_from": [on_time.pk]},
        content_type="application/json",
        **headers,
    )
    assert saved.status_code == 201


def test_a_milking_saved_before_its_treatment_is_confirmed_kept_apart_afterwards(
    farm_dairy: Sector, login: Callable[[User], Client]
) -> None:
    last_dose = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=84 + 48)
    milked_at = last_dose + timedelta(hours=84) - timedelta(hours=3)
    milking = _milking(farm_dairy, "M-30", milked_at)
    _treat(farm_dairy, last_dose)  # entered after the milking
    owner = login(farm_dairy.owner)
    slug = farm_dairy.farm.slug

    batch_page = owner.get(f"/{slug}/records/batches/{milking.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="withheld-unconfirmed"' in batch_page.content.decode()
    assert ANIMAL in batch_page.content.decode()
    url = f"/{slug}/farm/milkings/{milking.pk}/kept-apart/"
    assert url in batch_page.content.decode()

    page = owner.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and ANIMAL in page.content.decode()
    refused = owner.post(url, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert refused.context["form"].errors["withheld_milk_kept_apart"]
    assert not MilkKeptApart.objects.filter(batch=milking).exists()

    assert login(farm_dairy.auditor_a).post(
        url, {"withheld_milk_kept_apart": "on"}
    ).status_code in (
        403,
        404,
    )
    assert login(farm_dairy.other_owner).get(url).status_code == 404
    assert not MilkKeptApart.objects.filter(batch=milking).exists()

    owner = login(farm_dairy.owner)
    saved = owner.post(url, {"withheld_milk_kept_apart": "on"})
    assert saved.status_code == 302
    [confirmation] = MilkKeptApart.objects.filter(batch=milking)
    assert confirmation.confirmed_by == farm_dairy.owner
    assert [entry["animal"] for entry in confirmation.animals] == [ANIMAL]

    # the milking now goes into a batch, and there is nothing left to confirm
    _cheese(farm_dairy, "K-30", milking, milked_at + timedelta(hours=2))
    again = owner.post(url, {"withheld_milk_kept_apart": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200
    assert "left to confirm" in again.content.decode()
    assert MilkKeptApart.objects.filter(batch=milking).count() == 1
    batch_page = owner.get(f"/{slug}/records/batches/{milking.pk}/")
    assert 'id="withheld-unconfirmed"' not in batch_page.content.decode()
