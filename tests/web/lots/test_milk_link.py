"""The milk a batch is made from: the latest usable milking for a batch started in one tap, and a
batch linked to its milk afterwards on its milk page; tenancy and roles."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from dairyhaccp.web.lots.choices import MovementKind, ProductionKind
from dairyhaccp.web.lots.services import (
    LotError,
    ProductionData,
    choose_milk,
    link_milk,
    record_production,
    start_production_on_milk,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import (
    RegistrationInput,
    create_batch,
    record_registration,
)

from ..tenancy import Tenancy
from .conftest import FARM_PROFILE, give_plan, moved

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _milked(operator: Operator, user: User, code: str, ago: timedelta, litres: str) -> Batch:
    """A milking with its volume in the lot book."""
    return record_production(
        operator,
        user,
        ProductionData(
            kind=ProductionKind.MILKING,
            lot_code=code,
            product="",
            made_at=timezone.now() - ago,
            quantity=Decimal(litres),
            unit="l",
            species="cow",
        ),
    ).batch


def _page(operator: Operator, batch: Batch) -> str:
    return reverse("lots:link-milk", kwargs={"operator_slug": operator.slug, "key": f"b{batch.pk}"})


# --- the milk chosen for a batch started in one tap ------------------------------------------


def test_a_milking_with_nothing_left_is_passed_over(planned: Operator, owner: User) -> None:
    evening = _milked(planned, owner, "M-EVENING", timedelta(hours=14), "300")
    morning = _milked(planned, owner, "M-MORNING", timedelta(hours=2), "200")
    moved(
        planned,
        owner,
        MovementKind.DESTROY,
        f"b{morning.pk}",
        "200",
        timezone.localdate(),
        reason="spilt",
    )

    started = start_production_on_milk(planned, owner, "Hoevekaas")

    assert started.milk is not None and started.milk.milk == evening
    assert list(started.batch.made_from.all()) == [evening]


def test_with_more_than_one_species_the_app_does_not_guess_the_milk(
    planned: Operator, owner: User
) -> None:
    save_profile(
        planned,
        owner,
        {**FARM_PROFILE, "milk": {**FARM_PROFILE["milk"], "species": ["cow", "goat"]}},
    )
    _milked(planned, owner, "M-1", timedelta(hours=1), "100")

    with override("en"):
        choice = choose_milk(planned, "Hoevekaas", timezone.now())

    assert choice is not None and choice.milk is None
    assert choice.why == "Your milk comes from more than one species: choose the milking."


def test_a_milking_after_the_start_of_the_batch_is_not_its_milk(
    planned: Operator, owner: User
) -> None:
    cheese = create_batch(
        planned, owner, "K-1", "Hoevekaas", started_at=timezone.now() - timedelta(hours=3)
    )
    later = _milked(planned, owner, "M-1", timedelta(hours=1), "100")

    with override("en"), pytest.raises(LotError) as excinfo:
        link_milk(cheese, later)

    assert (
        excinfo.value.field == "milk" and "milked after this batch started" in excinfo.value.problem
    )
    assert not cheese.made_from.exists()


# --- linking a batch to its milk afterwards ------------------------------------------------------


def test_a_batch_is_linked_to_a_milking_chosen_on_its_milk_page(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    # given a milking blocked by a deviation, an earlier one, and a batch without milk
    evening = _milked(planned, owner, "M-EVENING", timedelta(hours=14), "300")
    morning = _milked(planned, owner, "M-MORNING", timedelta(hours=3), "200")
    warm = RegistrationInput("CCP 2", {"temperature_c": 9, "elapsed_min": 150}, batch=morning)
    record_registration(planned, owner, warm)
    cheese = create_batch(planned, owner, "K-1", "Hoevekaas")

    # the page offers the usable milking and says why the other one is not offered
    page = owner_client.get(_page(planned, cheese), **EN).content.decode()
    assert "M-EVENING, milked" in page and f'value="{evening.pk}"' in page
    assert f'value="{morning.pk}"' not in page
    assert "Lot M-MORNING is blocked: an open deviation or recall concerns it." in page

    # a blocked milking sent anyway is refused next to the field
    refused = owner_client.post(_page(planned, cheese), {"milk": str(morning.pk)}, **EN)
    assert refused.status_code == 200
    assert "This milking cannot be used" in refused.content.decode()
    assert not cheese.made_from.exists()

    # the one chosen is linked, and the batch page shows it
    response = owner_client.post(
        _page(planned, cheese), {"milk": str(evening.pk)}, follow=True, **EN
    )
    assert list(cheese.made_from.all()) == [evening]
    html = response.content.decode()
    assert "Batch K-1 is made from milk M-EVENING, milked" in html
    assert "Not linked to milk" not in html


def test_without_a_milking_to_choose_the_page_leads_to_recording_one(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    cheese = create_batch(planned, owner, "K-1", "Hoevekaas")
    page = owner_client.get(_page(planned, cheese), **EN).content.decode()
    assert "No milking of the days before this batch can be used." in page
    assert reverse("lots:milk", kwargs={"operator_slug": planned.slug}) in page


def test_a_milking_has_no_milk_page(owner_client: Client, planned: Operator, owner: User) -> None:
    milk = _milked(planned, owner, "M-1", timedelta(hours=1), "100")
    assert owner_client.get(_page(planned, milk)).status_code == 404


def test_an_auditor_cannot_link_a_batch_to_milk(
    auditor_client: Client, planned: Operator, owner: User
) -> None:
    milk = _milked(planned, owner, "M-1", timedelta(hours=2), "100")
    cheese = create_batch(planned, owner, "K-1", "Hoevekaas")
    assert auditor_client.post(_page(planned, cheese), {"milk": str(milk.pk)}).status_code == 403
    assert not cheese.made_from.exists()


def _foreign_batch(operator: Operator) -> dict[str, Any]:
    user = User.objects.create_user(f"u-{operator.slug}")
    give_plan(operator, user)
    return {"key": f"b{create_batch(operator, user, 'F-K', 'Hoevekaas').pk}"}


def test_another_operators_batch_has_no_milk_page(client: Client, tenancy: Tenancy) -> None:
    tenancy.assert_refused(client, "lots:link-milk", object_kwargs=_foreign_batch)


def test_an_older_milking_of_the_tank_linked_too_counts_the_time_from_the_oldest_milk(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    evening = _milked(planned, owner, "M-EVENING", timedelta(hours=14), "300")
    morning = _milked(planned, owner, "M-MORNING", timedelta(hours=2), "200")
    started = start_production_on_milk(planned, owner, "Hoevekaas")
    cheese = started.batch
    page = owner_client.get(_page(planned, cheese), **EN).content.decode()
    assert f'value="{morning.pk}"' not in page and f'value="{evening.pk}"' in page

    owner_client.post(_page(planned, cheese), {"milk": str(evening.pk)})

    assert set(cheese.made_from.all()) == {evening, morning}
    form = owner_client.get(
        reverse("records:register", kwargs={"operator_slug": planned.slug, "control": "ccp-2"})
        + f"?batch={cheese.pk}",
        **EN,
    ).content.decode()
    assert "Milked 14\xa0hours ago." in form
