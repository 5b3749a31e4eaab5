"""A trace reads only the lots it reaches: its cost does not grow with the other lots of the
operator, and it answers exactly as a trace on the whole lot book does."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dairyhaccp.trace import trace_to_data
from dairyhaccp.web.lots.choices import MovementKind
from dairyhaccp.web.lots.models import Customer
from dairyhaccp.web.lots.selectors import book_of, trace_book_of

from .conftest import Chain, bearer, days_ago, moved, produced
from .test_write_costs import _other_lots

pytestmark = pytest.mark.django_db


def _trace_queries(client: Client, headers: dict[str, str], key: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/lots/{key}/trace?direction=forward", headers=headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_forward_trace_costs_the_same_however_many_other_lots_there_are(
    client: Client, chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    headers = bearer(owner, operator)
    client.get("/api/me", headers=headers)  # the token's use is written once a minute
    _other_lots(chain, owner, customer, 2, 0)
    few = _trace_queries(client, headers, chain.milk_key)
    _other_lots(chain, owner, customer, 15, 2)
    many = _trace_queries(client, headers, chain.milk_key)

    assert many == few
    reached = trace_book_of(operator, chain.milk_key, "forward")
    assert set(reached.lots) == {chain.milk_key, chain.cheese_key}


def test_traces_from_the_lots_reached_equal_traces_on_the_whole_book(
    chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    _other_lots(chain, owner, customer, 3, 0)
    wheel = produced(
        operator, owner, "K-1a", "Hoevekaas", "5", "kg", days_ago(5), [(chain.cheese_key, "5")]
    )
    wheel_key = f"b{wheel.batch_id}"
    moved(operator, owner, MovementKind.DELIVER, wheel_key, "2", days_ago(3), customer)
    moved(operator, owner, MovementKind.COUNT, wheel_key, "2.5", days_ago(2))
    whole = book_of(operator)

    for key in whole.lots:
        for direction in ("forward", "backward"):
            part = trace_book_of(operator, key, direction)
            expected = whole.forward(key) if direction == "forward" else whole.backward(key)
            found = part.forward(key) if direction == "forward" else part.backward(key)
            assert trace_to_data(found) == trace_to_data(expected), (key, direction)
            assert found.balance == expected.balance
            assert found.deliveries == expected.deliveries
            for lot in [key, *(lot.code for lot in found.lots)]:
                assert part.info(lot) == whole.info(lot)
