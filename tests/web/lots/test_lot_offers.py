"""The forms that may concern a lot with nothing left (a stock count, a recall) offer the lots in
stock and those of the last days; an older lot is found by its code on the lots page and picked
from its own page; the API's list of every lot reads only the page it answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dairyhaccp.web.lab.services import ProductInput, record_product_result
from dairyhaccp.web.lots import selectors
from dairyhaccp.web.lots.choices import MovementKind
from dairyhaccp.web.lots.constants import LOT_OFFER_DAYS, LOT_SEARCH_LIMIT
from dairyhaccp.web.lots.models import Movement, Production, Recall, Supplier
from dairyhaccp.web.lots.services import stock as stock_module
from dairyhaccp.web.operators.models import Operator

from .conftest import Chain, bearer, days_ago, milking, moved, produced, received

pytestmark = pytest.mark.django_db


def _gone(operator: Operator, owner: User, code: str, days: int) -> str:
    """A milking of `days` ago with nothing left: its key."""
    milk = milking(operator, owner, code, "50", days_ago(days))
    key = f"b{milk.batch_id}"
    moved(operator, owner, MovementKind.DESTROY, key, "50", days_ago(days), reason="sour")
    return key


def _url(name: str, operator: Operator) -> str:
    return reverse(f"lots:{name}", kwargs={"operator_slug": operator.slug})


@pytest.fixture
def lots(chain: Chain, owner: User) -> dict[str, str]:
    operator = chain.cheese.operator
    return {
        "recent": _gone(operator, owner, "M-RECENT", LOT_OFFER_DAYS - 1),
        "old": _gone(operator, owner, "M-OLD", LOT_OFFER_DAYS + 30),
    }


@pytest.mark.parametrize("form", ["count", "recall-new"])
def test_the_forms_offer_stock_and_recent_lots_and_an_older_one_opened_from_its_page(
    client: Client, chain: Chain, owner: User, lots: dict[str, str], form: str
) -> None:
    operator = chain.cheese.operator
    client.force_login(owner)

    page = client.get(_url(form, operator)).text

    assert f'value="{chain.cheese_key}"' in page  # in stock
    assert f'value="{lots["recent"]}"' in page  # nothing left, but recent
    assert f'value="{lots["old"]}"' not in page
    assert f'href="{_url("index", operator)}"' in page  # where the older ones are found

    opened = client.get(_url(form, operator) + f"?lot={lots['old']}")
    assert f'value="{lots["old"]}"' in opened.text
    field = "lot" if form == "count" else "lots"
    assert lots["old"] in str(opened.context["form"][field].value())


def test_a_count_of_an_older_lot_is_stored(
    client: Client, chain: Chain, owner: User, lots: dict[str, str]
) -> None:
    operator = chain.cheese.operator
    client.force_login(owner)

    response = client.post(
        _url("count", operator) + f"?lot={lots['old']}",
        {"lot": lots["old"], "quantity": "3", "moved_on": days_ago(0).isoformat()},
    )

    assert response.status_code == 302
    count = Movement.objects.get(kind=MovementKind.COUNT)
    assert f"b{count.batch_id}" == lots["old"]
    assert selectors.in_stock(operator).left(lots["old"]) == 3


def test_a_recall_of_an_older_lot_is_opened(
    client: Client, chain: Chain, owner: User, lots: dict[str, str]
) -> None:
    operator = chain.cheese.operator
    client.force_login(owner)

    response = client.post(
        _url("recall-new", operator) + f"?lot={lots['old']}",
        {
            "trigger": "manual",
            "lots": [lots["old"], chain.cheese_key],
            "hazard": "Listeria",
            "origin": "in_house",
        },
    )

    assert response.status_code == 302
    recall = Recall.objects.get()
    assert {lot.lot_code for lot in recall.lots.all()} >= {"M-OLD", "K-1"}


@pytest.mark.parametrize("form", ["count", "recall-new"])
def test_a_lot_key_that_is_no_lot_is_refused_next_to_its_field(
    client: Client, chain: Chain, owner: User, form: str
) -> None:
    operator = chain.cheese.operator
    client.force_login(owner)
    field = "lot" if form == "count" else "lots"

    for bad in ("b999999", "b1\x00", "x" * 5000, "i0"):
        response = client.post(
            _url(form, operator),
            {
                field: bad,
                "quantity": "1",
                "moved_on": days_ago(0).isoformat(),
                "trigger": "manual",
                "hazard": "Listeria",
                "origin": "in_house",
            },
        )
        assert response.status_code == 200, bad
        assert response.context["form"].errors[field], bad
    assert not Movement.objects.filter(kind=MovementKind.COUNT).exists()
    assert not Recall.objects.exists()


def test_a_lab_result_on_an_older_lot_prefills_the_recall_with_it(
    client: Client, chain: Chain, owner: User, lots: dict[str, str]
) -> None:
    operator = chain.cheese.operator
    old_milk = milking(operator, owner, "M-OLD2", "100", days_ago(LOT_OFFER_DAYS + 40))
    old_cheese = produced(
        operator,
        owner,
        "K-OLD",
        "Hoevekaas",
        "10",
        "kg",
        days_ago(LOT_OFFER_DAYS + 40),
        [(f"b{old_milk.batch_id}", "100")],
    )
    result = record_product_result(
        operator,
        owner,
        ProductInput(
            product_name="Hoevekaas",
            parameter="listeria_monocytogenes",
            sampled_on=days_ago(2),
            results=["detected"],
            lot="K-OLD",
            left_control=True,
        ),
    )
    client.force_login(owner)

    form = client.get(_url("recall-new", operator) + f"?product_result={result.pk}")

    assert form.context["form"].initial["lots"] == [f"b{old_cheese.batch_id}"]
    assert f'value="b{old_cheese.batch_id}" selected' in form.text


def test_a_lot_is_found_by_part_of_its_code_however_old(
    client: Client, chain: Chain, owner: User, lots: dict[str, str]
) -> None:
    operator = chain.cheese.operator
    client.force_login(owner)

    found = client.get(_url("index", operator), {"q": "m-ol"})

    rows = found.context["found"]
    assert [row.info.key for row in rows] == [lots["old"]]
    assert rows[0].left == 0
    detail = reverse("lots:lot", kwargs={"operator_slug": operator.slug, "key": lots["old"]})
    assert f'href="{detail}"' in found.text

    every_milking = client.get(_url("index", operator), {"q": "M-"}).context["found"]
    assert [row.info.code for row in every_milking] == ["M-1", "M-RECENT", "M-OLD"]

    with translation.override("fr"):
        nothing = client.get(
            _url("index", operator), {"q": "ZZZ"}, headers={"accept-language": "fr"}
        )
    assert nothing.context["found"] == []
    assert "Aucun lot" in nothing.text


def test_a_search_shows_at_most_its_limit_newest_first(chain: Chain, owner: User) -> None:
    operator = chain.cheese.operator
    for number in range(LOT_SEARCH_LIMIT + 5):
        milking(operator, owner, f"T-{number:03d}", "10", days_ago(200 - number))

    found = selectors.found(operator, "t-")

    codes = [info.code for info in selectors.lots_newest_first(found)]
    assert len(codes) == LOT_SEARCH_LIMIT
    assert codes[0] == f"T-{LOT_SEARCH_LIMIT + 4:03d}" and codes[-1] == "T-005"


@pytest.mark.parametrize("query", ["M-\x00", "x" * 61])
def test_a_search_that_cannot_be_run_says_why_next_to_its_field(
    client: Client, chain: Chain, owner: User, query: str
) -> None:
    operator = chain.cheese.operator
    client.force_login(owner)

    response = client.get(_url("index", operator), {"q": query})

    assert response.status_code == 200
    assert response.context["found"] is None
    assert response.context["search"].errors["q"]
    assert 'class="field-error"' in response.text
    assert "K-1" in response.text  # the stock is still shown


def test_the_api_list_of_every_lot_pages_newest_first_and_reads_only_its_page(
    client: Client, chain: Chain, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = chain.cheese.operator
    for number in range(7):
        _gone(operator, owner, f"M-P{number}", 30 + number)
    book = selectors.book_of(operator)
    expected = [info.key for info in selectors.lots_newest_first(book)]
    headers = bearer(owner, operator)

    keys_read: list[int] = []
    lot_infos = stock_module.lot_infos

    def recording(operator: Operator, keys: Any = None) -> Any:
        keys_read.append(-1 if keys is None else len(list(keys)))
        return lot_infos(operator, keys)

    monkeypatch.setattr(stock_module, "lot_infos", recording)
    pages = [
        client.get(f"/api/lots?limit=4&offset={offset}", headers=headers).json()
        for offset in range(0, len(expected) + 4, 4)
    ]

    assert [lot["key"] for page in pages for lot in page] == expected
    assert keys_read and max(keys_read) <= 4  # never every lot
    listed = {lot["key"]: lot for page in pages for lot in page}
    assert float(listed[chain.cheese_key]["in_stock"]) == float(book.left(chain.cheese_key))
    assert (
        float(listed[f"b{Production.objects.get(batch__lot_code='M-P3').batch_id}"]["in_stock"])
        == 0
    )


def test_the_lots_of_the_last_days_are_read_from_their_day_index(chain: Chain) -> None:
    from dairyhaccp.web.lots.models import InputLot

    operator = chain.cheese.operator
    since = days_ago(LOT_OFFER_DAYS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # with the few rows of a test, what a table of years would decide
            cursor.execute("SET LOCAL enable_seqscan = off")
    made = Production.objects.filter(operator=operator, made_on__gte=since)
    received = InputLot.objects.filter(operator=operator, received_on__gte=since)

    assert "lots_production_op_made" in str(made.explain())
    assert "lots_inputlot_op_received" in str(received.explain())


def test_the_lots_of_one_day_are_listed_received_first_then_the_newest_record_first(
    client: Client, chain: Chain, owner: User, supplier: Supplier
) -> None:
    operator = chain.cheese.operator
    day = days_ago(3)
    made = [milking(operator, owner, f"D-{number:02d}", "10", day).batch_id for number in range(12)]
    bought = [
        received(operator, owner, supplier, f"Q-{number}", "1", "l", day).pk for number in range(2)
    ]
    headers = bearer(owner, operator)

    listed = [
        lot
        for offset in range(0, 40, 5)
        for lot in client.get(f"/api/lots?limit=5&offset={offset}", headers=headers).json()
    ]
    searched = [info.key for info in selectors.lots_newest_first(selectors.found(operator, "-"))]

    of_the_day = [lot["key"] for lot in listed if lot["date"] == day.isoformat()]
    expected = [f"i{pk}" for pk in sorted(bought, reverse=True)]
    expected += [f"b{pk}" for pk in sorted(made, reverse=True)]
    assert of_the_day == expected
    assert [key for key in searched if key in expected] == expected
    days = [lot["date"] for lot in listed]
    assert days == sorted(days, reverse=True)
