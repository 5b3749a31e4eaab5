"""A batch split into sub-lots from its lot page: each sub-lot a production of the batch, all
or none, refused on its own row; another operator's batch is not found, auditors may not."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.lots.models import Production, ProductionInput
from dairyhaccp.web.lots.selectors import book_of
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch

from .conftest import Chain

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def split_url(operator: Operator, key: str) -> str:
    return reverse("lots:split", kwargs={"operator_slug": operator.slug, "key": key})


def form(**rows: str) -> dict[str, str]:
    data = {
        "made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "date_kind": "best_before",
        "date_mark": "",
    }
    data.update(rows)
    return data


def test_the_lot_page_offers_the_split_and_the_form_shows_what_is_left(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator
    page = owner_client.get(
        reverse("lots:lot", kwargs={"operator_slug": operator.slug, "key": chain.cheese_key}),
        **EN,
    )
    assert split_url(operator, chain.cheese_key) in page.text

    response = owner_client.get(split_url(operator, chain.cheese_key), **EN)

    assert response.status_code == 200
    assert "Split lot K-1 into sub-lots" in response.text
    assert "17 kg left" in response.text
    assert 'placeholder="K-1-1"' in response.text


def test_sub_lots_are_productions_of_the_batch_keeping_the_link(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator

    response = owner_client.post(
        split_url(operator, chain.cheese_key),
        form(code_1="K-1-A", quantity_1="5", quantity_2="4,5"),
        **EN,
    )

    assert response.status_code == 302
    wheels = {b.lot_code: b for b in Batch.objects.filter(lot_code__startswith="K-1-")}
    assert set(wheels) == {"K-1-A", "K-1-2"}
    for code, amount in (("K-1-A", "5"), ("K-1-2", "4.5")):
        production = Production.objects.get(batch=wheels[code])
        assert production.quantity == Decimal(amount)
        assert production.unit == "kg"
        # no date typed: counted from the product's shelf life (90 days) from the split
        assert production.best_before == timezone.localdate() + timedelta(days=90)
        used = ProductionInput.objects.get(production=production)
        assert (used.batch_id, used.quantity) == (chain.cheese.batch_id, Decimal(amount))
        assert wheels[code].product == "Hoevekaas"
    book = book_of(operator)
    assert book.left(chain.cheese_key) == Decimal("7.5")
    forward = book.forward(chain.milk_key)
    assert {f"b{wheels['K-1-A'].pk}", f"b{wheels['K-1-2'].pk}"} <= {
        lot.code for lot in forward.lots
    }


def test_a_split_beyond_what_is_left_records_none_and_names_the_row(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator

    response = owner_client.post(
        split_url(operator, chain.cheese_key),
        form(code_1="K-1-A", quantity_1="10", code_2="K-1-B", quantity_2="8"),
        **EN,
    )

    assert response.status_code == 200
    assert "8 kg is more than what is left of lot K-1: 7 kg." in response.text
    errors = response.context["form"].errors
    assert list(errors) == ["quantity_2"]
    assert not Batch.objects.filter(lot_code__startswith="K-1-").exists()
    assert book_of(operator).left(chain.cheese_key) == Decimal(17)


def test_a_taken_code_and_a_code_without_quantity_are_refused_on_their_row(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator

    taken = owner_client.post(
        split_url(operator, chain.cheese_key),
        form(code_1="K-1-A", quantity_1="1", code_2="M-1", quantity_2="1"),
        **EN,
    )
    missing = owner_client.post(split_url(operator, chain.cheese_key), form(code_1="K-1-A"), **EN)
    empty = owner_client.post(split_url(operator, chain.cheese_key), form(), **EN)

    assert taken.context["form"].errors["code_2"] == ["This lot code exists already."]
    assert missing.context["form"].errors["quantity_1"] == ["Give the quantity of this sub-lot."]
    assert empty.context["form"].errors["quantity_1"] == ["Give at least one sub-lot."]
    assert not Batch.objects.filter(lot_code="K-1-A").exists()


def test_a_milking_and_a_received_lot_are_not_split(owner_client: Client, chain: Chain) -> None:
    operator = chain.cheese.operator

    assert owner_client.get(split_url(operator, chain.milk_key)).status_code == 404
    assert owner_client.get(split_url(operator, chain.rennet_key)).status_code == 404


def test_an_auditor_may_not_split(auditor_client: Client, chain: Chain, owner: User) -> None:
    operator = chain.cheese.operator

    assert auditor_client.get(split_url(operator, chain.cheese_key)).status_code == 403
    response = auditor_client.post(
        split_url(operator, chain.cheese_key), form(code_1="K-1-A", quantity_1="1")
    )

    assert response.status_code == 403
    assert not Batch.objects.filter(lot_code="K-1-A").exists()
