"""A lot's page and `GET /api/lots/{key}` read that lot (and what it was made from) only:
their cost does not grow with the operator's other lots, and they show what the whole lot book
gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dairyhaccp.web.lots.models import Customer
from dairyhaccp.web.lots.selectors import book_of, lots_book_of, movements, recent_movements
from dairyhaccp.web.lots.services import book, withdraw_movement

from ..query_plans import plan_text
from .conftest import Chain, bearer
from .test_write_costs import _other_lots

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_lot_page_and_its_api_read_the_same_however_many_other_lots_there_are(
    client: Client,
    chain: Chain,
    owner: User,
    customer: Customer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    operator = chain.cheese.operator
    headers = bearer(owner, operator)
    client.get("/api/me", headers=headers)  # the token's use is written once a minute
    page = reverse("lots:lot", kwargs={"operator_slug": operator.slug, "key": chain.cheese_key})
    api = f"/api/lots/{chain.cheese_key}"
    lots_read: list[int] = []
    load_entries = book.load_entries

    def counting(*args: Any, **kwargs: Any) -> Any:
        entries, infos = load_entries(*args, **kwargs)
        lots_read.append(len(infos))
        return entries, infos

    monkeypatch.setattr(book, "load_entries", counting)
    client.force_login(owner)
    _other_lots(chain, owner, customer, 2, 0)
    lots_read.clear()
    few = (_queries(client, page), _queries(client, api, headers))
    few_lots = list(lots_read)
    _other_lots(chain, owner, customer, 15, 2)
    lots_read.clear()
    many = (_queries(client, page), _queries(client, api, headers))

    assert many == few
    assert lots_read == few_lots
    assert few_lots == [3, 1]  # the cheese with its milk and rennet; the cheese alone


def test_a_lot_and_what_it_was_made_from_read_alone_equal_the_whole_book(
    client: Client, chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    _other_lots(chain, owner, customer, 3, 0)
    whole = book_of(operator)

    for key in whole.lots:
        alone = lots_book_of(operator, {key})
        assert alone.info(key) == whole.info(key)
        assert alone.balance(key) == whole.balance(key)
        assert alone.left(key) == whole.left(key)
    cheese = lots_book_of(operator, {chain.cheese_key, chain.milk_key, chain.rennet_key})
    for key in (chain.milk_key, chain.rennet_key):
        assert cheese.info(key) == whole.info(key)

    client.force_login(owner)
    page = client.get(
        reverse("lots:lot", kwargs={"operator_slug": operator.slug, "key": chain.cheese_key})
    )
    text = page.content.decode()
    assert "M-1" in text and "R-1" in text  # made from
    assert "in stock" in text.lower() or "voorraad" in text.lower()


def test_the_latest_movements_are_read_in_the_order_of_an_index_of_the_operators_movements(
    chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    _other_lots(chain, owner, customer, 3, 0)
    delivered = movements(operator).first()
    assert delivered is not None
    withdraw_movement(delivered, owner, "delivered twice by mistake")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    pages = {
        "lots_movement_op_recorded": recent_movements(operator),
        "lots_movement_op_moved": movements(operator)[:100],
    }

    for index, page in pages.items():
        plan = plan_text(page)
        assert index in plan, plan
        if connection.vendor == "postgresql":
            # the versions corrected since, left out by their unique index as the page is read
            assert "Anti Join" in plan, plan
        else:
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert delivered not in movements(operator)
    assert delivered not in recent_movements(operator)
