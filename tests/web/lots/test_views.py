"""Pages of lots and traceability: forms that refuse clearly, balances and traces shown,
files for the inspector, recalls from opening to closing; tenancy and roles."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.lots.models import (
    Customer,
    InputLot,
    MockRecall,
    Movement,
    Production,
    Recall,
    RecallClosure,
    Supplier,
)
from dairyhaccp.web.lots.selectors import book_of
from dairyhaccp.web.lots.services import RecallInput, open_recall, save_customer, save_supplier
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.services import (
    RegistrationInput,
    create_batch,
    create_room,
    record_registration,
)

from ..tenancy import Tenancy
from .conftest import Chain, days_ago, give_plan, milking, moved, produced, received

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"lots:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def day(days: int) -> str:
    return days_ago(days).isoformat()


def local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


# --- receiving, milking, producing ----------------------------------------------------------


def test_a_received_lot_is_recorded_with_its_supplier(
    owner_client: Client, supplier: Supplier
) -> None:
    operator = supplier.operator
    response = owner_client.post(
        url("receive", operator),
        {
            "kind": "rennet",
            "supplier": supplier.pk,
            "supplier_lot": "CH-2026-17",
            "quantity": "1,5",
            "unit": "l",
            "received_on": day(1),
            "date_kind": "best_before",
            "date_mark": day(-300),
        },
    )

    lot = InputLot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("lot", operator, key=f"i{lot.pk}")
    assert (lot.lot_code, lot.quantity, lot.unit) == ("CH-2026-17", Decimal("1.5"), "l")
    assert lot.recorded_by.username == "owner-de-wei"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", "-3"),
        ("quantity", "abc"),
        ("quantity", "1e400"),
        ("quantity", "1,2345"),
        ("received_on", "1999-12-31"),
        ("received_on", "0001-01-01"),
        ("lot_code", "x\x00y"),
        ("lot_code", "x" * 100_000),
    ],
)
def test_bad_input_on_the_receive_form_is_shown_next_to_its_field(
    owner_client: Client, supplier: Supplier, field: str, value: str
) -> None:
    data = {
        "kind": "salt",
        "supplier": supplier.pk,
        "lot_code": "Z-1",
        "quantity": "25",
        "unit": "kg",
        "received_on": day(1),
        "date_kind": "best_before",
        field: value,
    }

    response = owner_client.post(url("receive", supplier.operator), data, **EN)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert 'class="field-error"' in response.text
    assert not InputLot.objects.exists()


def test_a_milking_is_a_batch_of_raw_milk_with_its_volume(
    owner_client: Client, planned: Operator
) -> None:
    response = owner_client.post(
        url("milk", planned),
        {"lot_code": "M-0301", "made_at": local_now(), "quantity": "512,5", "species": "cow"},
    )

    production = Production.objects.get()
    assert response.status_code == 302
    assert (production.batch.lot_code, production.batch.product) == ("M-0301", "raw_milk")
    assert (production.kind, production.quantity, production.unit) == (
        "milking",
        Decimal("512.5"),
        "l",
    )


def test_the_production_form_proposes_todays_milk_and_the_last_used_ingredients(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    today = milking(operator, owner, "M-T", "400", days_ago(0))

    response = owner_client.get(url("produce", operator))

    form = response.context["form"]
    assert form.initial["lot_1"] == f"b{today.batch_id}"
    assert form.initial["lot_2"] == chain.rennet_key
    assert 'inputmode="decimal"' in response.text


def test_a_production_consumes_its_inputs_and_yields_its_quantity(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator
    response = owner_client.post(
        url("produce", operator),
        {
            "lot_code": "Y-1",
            "product": "Roeryoghurt",
            "made_at": local_now(),
            "quantity": "95",
            "unit": "kg",
            "date_kind": "use_by",
            "date_mark": day(-20),
            "lot_1": chain.milk_key,
            "quantity_1": "100",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    book = book_of(operator)
    assert book.left(chain.milk_key) == 100
    yoghurt = Production.objects.get(batch__lot_code="Y-1")
    assert yoghurt.use_by == days_ago(-20) and yoghurt.best_before is None


def test_a_production_taking_more_than_what_is_left_is_refused_on_that_line(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator
    response = owner_client.post(
        url("produce", operator),
        {
            "lot_code": "Y-1",
            "product": "Roeryoghurt",
            "made_at": local_now(),
            "quantity": "95",
            "unit": "kg",
            "date_kind": "best_before",
            "lot_3": chain.milk_key,
            "quantity_3": "250",
        },
        **EN,
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "quantity_3" in errors
    assert "200 l" in errors["quantity_3"][0]
    assert not Production.objects.filter(batch__lot_code="Y-1").exists()


def test_a_batch_entered_on_the_batches_page_gets_its_quantity_here(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    batch = create_batch(operator, owner, "K-9", "Hoevekaas")

    index = owner_client.get(url("index", operator))
    assert f"?batch={batch.pk}" in index.text
    response = owner_client.post(
        url("produce", operator) + f"?batch={batch.pk}",
        {
            "made_at": local_now(),
            "quantity": "18",
            "unit": "kg",
            "date_kind": "best_before",
            "lot_1": chain.milk_key,
            "quantity_1": "180",
        },
    )

    assert response.status_code == 302
    assert Production.objects.get(batch=batch).quantity == 18
    assert list(batch.made_from.all()) == [chain.milk.batch]


# --- dispatch ---------------------------------------------------------------------------------


def test_the_delivery_form_proposes_the_lots_in_stock(owner_client: Client, chain: Chain) -> None:
    response = owner_client.get(url("deliver", chain.cheese.operator))

    keys = [key for key, _label in response.context["form"].fields["lot"].choices]
    assert chain.cheese_key in keys and chain.milk_key in keys


def test_a_delivery_beyond_what_is_left_is_refused_with_a_clear_message(
    owner_client: Client, chain: Chain, customer: Customer
) -> None:
    response = owner_client.post(
        url("deliver", chain.cheese.operator),
        {
            "lot": chain.cheese_key,
            "customer": customer.pk,
            "quantity": "20",
            "moved_on": day(0),
        },
        **EN,
    )

    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == [
        "20 kg is more than what is left of lot K-1: 17 kg."
    ]
    assert Movement.objects.filter(kind="deliver").count() == 1


def test_a_destruction_needs_its_reason(owner_client: Client, chain: Chain) -> None:
    response = owner_client.post(
        url("destroy", chain.cheese.operator),
        {"lot": chain.cheese_key, "quantity": "1", "moved_on": day(0)},
    )

    assert "reason" in response.context["form"].errors


def test_a_delivery_is_corrected_as_a_new_version(
    owner_client: Client, chain: Chain, customer: Customer
) -> None:
    operator = chain.cheese.operator
    response = owner_client.post(
        url("movement", operator, movement_id=chain.delivery.pk),
        {
            "lot": chain.cheese_key,
            "customer": customer.pk,
            "quantity": "11",
            "moved_on": day(5),
            "correction_reason": "the shop weighed 11 kg",
            "correct": "1",
        },
    )

    assert response.status_code == 302
    versions = Movement.objects.filter(chain=chain.delivery.chain).order_by("version")
    assert [(m.version, m.quantity) for m in versions] == [(1, 10), (2, 11)]
    assert book_of(operator).balance(chain.cheese_key).delivered == 11


def test_a_delivery_is_withdrawn_with_its_reason(owner_client: Client, chain: Chain) -> None:
    operator = chain.cheese.operator
    response = owner_client.post(
        url("movement", operator, movement_id=chain.delivery.pk),
        {"correction_reason": "entered twice", "withdraw": "1"},
    )

    assert response.status_code == 302
    assert book_of(operator).balance(chain.cheese_key).delivered == 0


def test_milk_used_by_a_cheese_is_not_withdrawn(owner_client: Client, chain: Chain) -> None:
    response = owner_client.post(
        url("correct-lot", chain.cheese.operator, key=chain.milk_key),
        {"correction_reason": "oops", "withdraw": "1"},
        **EN,
    )

    assert response.status_code == 200
    assert "M-1" in response.context["withdraw_form"].errors["correction_reason"][0]


def test_a_received_lot_is_corrected_as_a_new_version(
    owner_client: Client, chain: Chain, supplier: Supplier
) -> None:
    response = owner_client.post(
        url("correct-lot", chain.cheese.operator, key=chain.rennet_key),
        {
            "kind": "rennet",
            "supplier": supplier.pk,
            "lot_code": "R-1",
            "quantity": "2",
            "unit": "l",
            "received_on": day(20),
            "date_kind": "best_before",
            "correction_reason": "two bottles",
            "correct": "1",
        },
    )

    assert response.status_code == 302
    assert book_of(chain.cheese.operator).balance(chain.rennet_key).received == 2
    assert InputLot.objects.filter(chain=chain.rennet.chain).count() == 2


# --- the lot page and traces ------------------------------------------------------------------


def test_the_lot_page_shows_the_mass_balance_in_the_pages_language(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    moved(operator, owner, "count", chain.cheese_key, "16.5", days_ago(1))

    response = owner_client.get(url("lot", operator, key=chain.cheese_key))

    html = response.text
    assert response.status_code == 200
    assert "16,5 kg" in html  # Dutch writes a decimal comma
    assert "98,3 %" in html  # (10 + 2 + 1 + 16,5) / 30
    assert "badge-gap" in html
    assert "M-1" in html and "R-1" in html  # made from


def test_the_forward_trace_lists_the_customer_and_the_stock(
    owner_client: Client, chain: Chain
) -> None:
    response = owner_client.get(
        url("trace", chain.cheese.operator, key=chain.milk_key, direction="forward"), **EN
    )

    report = response.context["report"]
    assert [row.info.code for row in report.lots] == ["K-1"]
    assert [row.customer for row in report.deliveries] == ["Kaashandel Peeters"]
    assert "Kaashandel Peeters" in response.text
    assert "Some of it has left the business" in response.text


def test_the_backward_trace_names_the_suppliers(owner_client: Client, chain: Chain) -> None:
    response = owner_client.get(
        url("trace", chain.cheese.operator, key=chain.cheese_key, direction="backward")
    )

    assert "Chr. Hansen" in response.text and "S-R-1" in response.text


def test_the_trace_as_csv(owner_client: Client, chain: Chain) -> None:
    response = owner_client.get(
        url("trace-csv", chain.cheese.operator, key=chain.milk_key, direction="forward")
    )

    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("section,lot,product")
    assert any(line.startswith("delivery,K-1,Hoevekaas,,,Kaashandel Peeters,") for line in lines)
    assert "balance,M-1,raw_milk,,,," in "\n".join(lines)
    assert any(line.endswith(",500,300,0,0,0,200,100") for line in lines)


def test_the_trace_as_a_pdf_for_the_inspector(owner_client: Client, chain: Chain) -> None:
    response = owner_client.get(
        url("trace-pdf", chain.cheese.operator, key=chain.milk_key, direction="forward")
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "path",
    ["lot/x1/", "lot/b99999999999999999999999/", "lot/i0/", "lot/b1/trace/sideways/"],
)
def test_a_bad_lot_address_is_a_404(owner_client: Client, chain: Chain, path: str) -> None:
    response = owner_client.get(f"/{chain.cheese.operator.slug}/lots/{path}")

    assert response.status_code == 404


def test_a_mock_recall_is_timed_and_kept(owner_client: Client, chain: Chain) -> None:
    operator = chain.cheese.operator
    response = owner_client.post(url("mock-recall", operator, key=chain.milk_key), follow=True)

    mock = MockRecall.objects.get()
    assert mock.lot_code == "M-1" and mock.accounted_pct == 100
    assert response.redirect_chain[-1][0] == url(
        "trace", operator, key=chain.milk_key, direction="forward"
    )
    listing = owner_client.get(url("mock-recalls", operator))
    assert "M-1" in listing.text


# --- suppliers and customers ------------------------------------------------------------------


def test_suppliers_and_customers_are_added_and_refused_twice(
    owner_client: Client, planned: Operator
) -> None:
    owner_client.post(url("supplier-new", planned), {"name": "Zuivelhandel X", "active": "on"})
    response = owner_client.post(
        url("supplier-new", planned), {"name": "Zuivelhandel X", "active": "on"}, **EN
    )
    owner_client.post(url("customer-new", planned), {"name": "Bistro Y", "kind": "restaurant"})

    assert Supplier.objects.get().name == "Zuivelhandel X"
    assert response.context["form"].errors["name"] == ["This name exists already."]
    assert Customer.objects.get().kind == "restaurant"


# --- recalls ----------------------------------------------------------------------------------


def test_a_recall_opened_by_hand_lists_the_customer_and_says_to_notify(
    owner_client: Client, chain: Chain
) -> None:
    operator = chain.cheese.operator
    response = owner_client.post(
        url("recall-new", operator),
        {
            "trigger": "manual",
            "lots": [chain.milk_key],
            "hazard": "Listeria monocytogenes found in the cheese",
            "origin": "in_house",
            "measures": "production stopped, cleaning and disinfection",
        },
        follow=True,
        **EN,
    )

    recall = Recall.objects.get()
    html = response.text
    assert "Notify the FAVV: yes" in html
    assert "the product has left your direct control (delivered or sold: K-1)" in html
    assert "Kaashandel Peeters" in html and "03 123 45 67" in html
    # the cheese now shows as blocked on records' batch list too
    batches = owner_client.get(reverse("records:batches", kwargs={"operator_slug": operator.slug}))
    assert "lot-blocked" in batches.text
    assert recall.lots.count() == 2


def test_a_recall_is_closed_once_every_quantity_is_disposed_of(
    owner_client: Client, chain: Chain, owner: User, customer: Customer
) -> None:
    operator = chain.cheese.operator
    recall = open_recall(
        operator,
        owner,
        RecallInput(
            trigger="manual",
            lots=[chain.cheese_key],
            hazard="mould",
            origin="in_house",
            measures="kept apart",
        ),
    )
    cheese = recall.lots.get()
    recall_url = url("recall", operator, recall_id=recall.pk)

    refused = owner_client.post(url("recall-close", operator, recall_id=recall.pk), {}, **EN)
    assert "has no disposition yet" in refused.text
    owner_client.post(
        url("recall-disposition", operator, recall_id=recall.pk),
        {"lot": cheese.pk, "kind": "returned", "quantity": "10", "done_on": day(0)},
    )
    owner_client.post(
        url("recall-disposition", operator, recall_id=recall.pk),
        {"lot": cheese.pk, "kind": "destroyed", "quantity": "19", "done_on": day(0)},
    )
    owner_client.post(
        url("recall-step", operator, recall_id=recall.pk), {"done_on": day(0), "notified": "1"}
    )
    owner_client.post(
        url("recall-step", operator, recall_id=recall.pk),
        {"customer": customer.pk, "done_on": day(0), "informed": "1"},
    )
    response = owner_client.post(url("recall-close", operator, recall_id=recall.pk), {})

    assert response.status_code == 302 and response["Location"] == recall_url
    assert RecallClosure.objects.filter(recall=recall).exists()
    assert book_of(operator).left(chain.cheese_key) == 0


def test_the_counter_notice_in_three_languages(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    recall = open_recall(
        operator,
        owner,
        RecallInput(
            trigger="manual", lots=[chain.cheese_key], hazard="Listeria", origin="in_house"
        ),
    )
    notice = url("recall-notice", operator, recall_id=recall.pk)

    texts = {lang: owner_client.get(f"{notice}?lang={lang}").text for lang in ("nl", "fr", "en")}

    assert "Terugroeping" in texts["nl"] and "Eet dit product niet" in texts["nl"]
    assert "Rappel de produit" in texts["fr"] and "Ne consommez pas" in texts["fr"]
    assert "Product recall" in texts["en"] and "Do not eat" in texts["en"]
    assert all("K-1" in text and "Hoevekaas" in text for text in texts.values())


def test_an_unsatisfactory_listeria_result_offers_a_recall_of_its_lot(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    from dairyhaccp.web.lab.services import ProductInput, record_product_result

    operator = chain.cheese.operator
    result = record_product_result(
        operator,
        owner,
        ProductInput(
            product_name="Hoevekaas",
            parameter="listeria_monocytogenes",
            sampled_on=days_ago(2),
            results=["detected"],
            lot="K-1",
            left_control=True,
        ),
    )
    listing = owner_client.get(url("recalls", operator))
    assert f"?product_result={result.pk}" in listing.text

    form = owner_client.get(url("recall-new", operator) + f"?product_result={result.pk}")

    initial = form.context["form"].initial
    assert initial["lots"] == [chain.cheese_key] and initial["trigger"] == "lab_result"


def test_the_recalls_page_offers_the_open_deviations_with_lots_read_without_joins(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    # given an open deviation on a milking, and one without a lot
    milk = create_batch(planned, owner, "M-WARM", "raw_milk")
    warm = RegistrationInput("CCP 2", {"temperature_c": 9, "elapsed_min": 150}, batch=milk)
    with_lot = record_registration(planned, owner, warm).deviation
    cold_room = create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    too_warm = RegistrationInput("CCP 3", {"temperature_c": 12}, room=cold_room)
    without_lot = record_registration(planned, owner, too_warm).deviation
    assert with_lot is not None and without_lot is not None

    with CaptureQueriesContext(connection) as captured:
        listing = owner_client.get(url("recalls", planned))

    # then only the one with a lot is offered, found by one query of the deviations alone
    assert f"?deviation={with_lot.pk}" in listing.text
    assert f"?deviation={without_lot.pk}" not in listing.text
    [query] = [q["sql"] for q in captured.captured_queries if "records_deviation" in q["sql"]]
    assert "DISTINCT" not in query and "JOIN" not in query


# --- tenancy and roles ------------------------------------------------------------------------

PAGES = [
    "index",
    "receive",
    "milk",
    "produce",
    "deliver",
    "sell",
    "destroy",
    "count",
    "mock-recalls",
    "suppliers",
    "supplier-new",
    "customers",
    "customer-new",
    "recalls",
    "recall-new",
]


@pytest.mark.parametrize("url_name", PAGES)
def test_another_operators_pages_do_not_exist(
    client: Client, tenancy: Tenancy, url_name: str
) -> None:
    tenancy.assert_refused(client, f"lots:{url_name}")


def _foreign(operator: Operator) -> dict[str, Any]:
    """A small chain of lots of another operator, with a recall."""
    user = User.objects.create_user(f"u-{operator.slug}")
    give_plan(operator, user)
    supplier = save_supplier(operator, "Leverancier")
    customer = save_customer(operator, "Klant", "shop")
    milk = milking(operator, user, "F-M", "100", days_ago(3))
    rennet = received(operator, user, supplier, "F-R", "1", "l", days_ago(3))
    cheese = produced(
        operator,
        user,
        "F-K",
        "Hoevekaas",
        "10",
        "kg",
        days_ago(2),
        [(f"b{milk.batch_id}", "100"), (f"i{rennet.pk}", "0.1")],
    )
    delivery = moved(operator, user, "deliver", f"b{cheese.batch_id}", "1", days_ago(1), customer)
    recall = open_recall(
        operator,
        user,
        RecallInput(trigger="manual", lots=[f"b{milk.batch_id}"], hazard="x", origin="in_house"),
    )
    return {
        "key": f"b{cheese.batch_id}",
        "input_key": f"i{rennet.pk}",
        "movement_id": delivery.pk,
        "supplier_id": supplier.pk,
        "customer_id": customer.pk,
        "recall_id": recall.pk,
    }


OBJECT_PAGES: list[tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = [
    ("lot", lambda f: {"key": f["key"]}),
    ("lot", lambda f: {"key": f["input_key"]}),
    ("correct-lot", lambda f: {"key": f["key"]}),
    ("correct-lot", lambda f: {"key": f["input_key"]}),
    ("split", lambda f: {"key": f["key"]}),
    ("mock-recall", lambda f: {"key": f["key"]}),
    ("trace", lambda f: {"key": f["key"], "direction": "forward"}),
    ("trace", lambda f: {"key": f["input_key"], "direction": "backward"}),
    ("trace-csv", lambda f: {"key": f["key"], "direction": "forward"}),
    ("trace-pdf", lambda f: {"key": f["key"], "direction": "forward"}),
    ("movement", lambda f: {"movement_id": f["movement_id"]}),
    ("supplier", lambda f: {"supplier_id": f["supplier_id"]}),
    ("customer", lambda f: {"customer_id": f["customer_id"]}),
    ("recall", lambda f: {"recall_id": f["recall_id"]}),
    ("recall-disposition", lambda f: {"recall_id": f["recall_id"]}),
    ("recall-step", lambda f: {"recall_id": f["recall_id"]}),
    ("recall-close", lambda f: {"recall_id": f["recall_id"]}),
    ("recall-notice", lambda f: {"recall_id": f["recall_id"]}),
]


@pytest.mark.parametrize(("url_name", "kwargs"), OBJECT_PAGES)
def test_another_operators_lots_and_recalls_do_not_exist(
    client: Client,
    tenancy: Tenancy,
    url_name: str,
    kwargs: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    tenancy.assert_refused(
        client, f"lots:{url_name}", object_kwargs=lambda operator: kwargs(_foreign(operator))
    )


WRITE_PAGES = [
    ("receive", {}),
    ("milk", {}),
    ("produce", {}),
    ("deliver", {}),
    ("sell", {}),
    ("destroy", {}),
    ("count", {}),
    ("supplier-new", {}),
    ("customer-new", {}),
    ("recall-new", {}),
]


@pytest.mark.parametrize(("url_name", "kwargs"), WRITE_PAGES)
def test_auditors_may_not_write(
    auditor_client: Client, planned: Operator, url_name: str, kwargs: dict[str, Any]
) -> None:
    assert auditor_client.get(url(url_name, planned, **kwargs)).status_code == 403
    assert auditor_client.post(url(url_name, planned, **kwargs), {}).status_code == 403


def test_auditors_read_lots_traces_and_recalls_but_change_nothing(
    auditor_client: Client, chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    recall = open_recall(
        operator,
        owner,
        RecallInput(trigger="manual", lots=[chain.milk_key], hazard="x", origin="in_house"),
    )
    reads = [
        url("index", operator),
        url("lot", operator, key=chain.cheese_key),
        url("trace", operator, key=chain.milk_key, direction="forward"),
        url("trace-csv", operator, key=chain.milk_key, direction="forward"),
        url("recalls", operator),
        url("recall", operator, recall_id=recall.pk),
        url("recall-notice", operator, recall_id=recall.pk),
        url("suppliers", operator),
        url("customers", operator),
        url("mock-recalls", operator),
    ]
    writes = [
        url("correct-lot", operator, key=chain.cheese_key),
        url("split", operator, key=chain.cheese_key),
        url("mock-recall", operator, key=chain.milk_key),
        url("movement", operator, movement_id=chain.delivery.pk),
        url("supplier", operator, supplier_id=chain.rennet.supplier_id),
        url("recall-disposition", operator, recall_id=recall.pk),
        url("recall-step", operator, recall_id=recall.pk),
        url("recall-close", operator, recall_id=recall.pk),
    ]

    for address in reads:
        response = auditor_client.get(address)
        assert response.status_code == 200, address
        assert '<form method="post" action="/de-wei/lots/recalls/' not in response.text
    for address in writes:
        assert auditor_client.post(address, {}).status_code == 403, address
    assert not MockRecall.objects.exists()


def test_the_pages_carry_no_code_the_content_security_policy_blocks(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    from ..security.test_content_security_policy import InlineCodeFinder

    operator = chain.cheese.operator
    recall = open_recall(
        operator,
        owner,
        RecallInput(trigger="manual", lots=[chain.milk_key], hazard="x", origin="in_house"),
    )
    pages = [
        url("index", operator),
        url("produce", operator),
        url("deliver", operator),
        url("receive", operator),
        url("lot", operator, key=chain.cheese_key),
        url("correct-lot", operator, key=chain.cheese_key),
        url("movement", operator, movement_id=chain.delivery.pk),
        url("trace", operator, key=chain.milk_key, direction="forward"),
        url("recall", operator, recall_id=recall.pk),
        url("recall-new", operator),
        url("recall-notice", operator, recall_id=recall.pk),
    ]

    for page in pages:
        response = owner_client.get(page)
        assert response.status_code == 200, page
        assert InlineCodeFinder.scan(response.text).problems == [], page


def test_antibiotics_in_the_milk_open_a_recall_of_the_milk_and_what_was_made_from_it(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    from dairyhaccp.web.lab.services import RawMilkInput, record_raw_milk_result

    operator = chain.cheese.operator
    result = record_raw_milk_result(
        operator,
        owner,
        RawMilkInput(
            species="cow",
            source="own_not_delivered",
            parameter="antibiotic_residues",
            sampled_on=days_ago(10),
            value="detected",
            lots="M-1",
        ),
    )
    address = url("recall-new", operator) + f"?raw_milk_result={result.pk}"
    initial = owner_client.get(address).context["form"].initial
    assert initial["lots"] == [chain.milk_key] and initial["trigger"] == "antibiotics"

    response = owner_client.post(
        address,
        {
            "trigger": "antibiotics",
            "lots": [chain.milk_key],
            "hazard": initial["hazard"],
            "origin": "in_house",
            "raw_milk_result": result.pk,
        },
    )

    recall = Recall.objects.get()
    assert response.status_code == 302
    assert recall.raw_milk_result == result
    assert {lot.lot_code for lot in recall.lots.all()} == {"M-1", "K-1"}
