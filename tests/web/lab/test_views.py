"""Lab pages: what is due, result entry, verdicts, CSV import, calendar, OC curve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.lab.services import (
    ProductInput,
    RawMilkInput,
    record_product_result,
    record_raw_milk_result,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator

from ..tenancy import Tenancy
from .conftest import COW, give_farm_plan, twice_a_month

pytestmark = pytest.mark.django_db


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"lab:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def verdict_url(operator: Operator, parameter: str) -> str:
    return url("raw_milk_verdict", operator, species=COW[0], source=COW[1], parameter=parameter)


def test_without_a_plan_the_lab_sends_to_the_plan(owner_client: Client, operator: Operator) -> None:
    response = owner_client.get(url("index", operator))
    assert response.status_code == 200
    assert (
        reverse("plans:plan", kwargs={"operator_slug": operator.slug}).encode() in response.content
    )


def test_the_start_page_lists_the_analyses_due(client: Client, farm: Operator, owner: User) -> None:
    # The farm exists since before the windows judged, whatever today's date is.
    Operator.objects.filter(pk=farm.pk).update(created_at=datetime(2026, 6, 1, tzinfo=UTC))
    with time_machine.travel("2027-02-10 10:00 +01:00"):
        client.force_login(owner)
        response = client.get(url("index", farm), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Analyses due" in page
    assert "Plate count" in page and "Somatic cell count" in page
    assert "lab-badge-overdue" in page  # nothing analysed in January
    assert "Hoevekaas" in page  # the product the calendar plans for this half year


def test_entering_a_raw_milk_result_shows_its_verdict(owner_client: Client, farm: Operator) -> None:
    response = owner_client.post(
        url("raw_milk_new", farm),
        {
            "stream": "cow:own_delivered",
            "parameter": "plate_count",
            "sampled_on": "2026-03-05",
            "count": "250000",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.redirect_chain[-1][0] == verdict_url(farm, "plate_count")
    page = response.content.decode()
    assert "unfavourable" in page
    # Own milk, not said whether it left: notify unless it stayed in the business.
    assert "Notify the FAVV (duty to notify), unless the hazard arose in your business" in page
    assert "Verdict stored on" in page
    assert "<svg" in page
    assert RawMilkResult.objects.for_operator(farm).count() == 1


def test_a_raw_milk_form_error_is_shown_and_nothing_stored(
    owner_client: Client, farm: Operator
) -> None:
    response = owner_client.post(
        url("raw_milk_new", farm),
        {
            "stream": "cow:own_delivered",
            "parameter": "antibiotic_residues",
            "sampled_on": "2026-03-05",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Choose one of" in response.content.decode()
    assert not RawMilkResult.objects.exists()


def test_the_fourth_unfavourable_month_says_stop_use_and_delivery(
    client: Client, farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    for day, value in twice_a_month([(2026, m) for m in (1, 2, 3, 4)], 150_000):
        enter_raw_milk(farm, "plate_count", day, value)
    client.force_login(owner)

    english = client.get(verdict_url(farm, "plate_count"), HTTP_ACCEPT_LANGUAGE="en")
    dutch = client.get(verdict_url(farm, "plate_count"), HTTP_ACCEPT_LANGUAGE="nl")

    assert "Stop use and delivery of this milk" in english.content.decode()
    assert "4 unfavourable monthly results in a row." in english.content.decode()
    assert "Stop onmiddellijk het gebruik" in dutch.content.decode()


def test_a_correction_keeps_the_history(
    owner_client: Client, farm: Operator, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    result = enter_raw_milk(farm, "plate_count", date(2026, 3, 5), 800_000)

    response = owner_client.post(
        url("raw_milk_correct", farm, entry=result.entry),
        {"sampled_on": "2026-03-05", "count": "80000", "reason": "one zero too many"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    history = owner_client.get(
        url("raw_milk_result", farm, entry=result.entry), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = history.content.decode()
    assert "Version 2" in page and "one zero too many" in page
    assert "800\u202f000" in page and "80\u202f000" in page


def test_importing_a_good_file_and_a_broken_one(owner_client: Client, farm: Operator) -> None:
    good = SimpleUploadedFile("mcc.csv", b"datum;kiemgetal;celgetal\n05/01/2026;80000;250000\n")
    broken = SimpleUploadedFile("bad.csv", b"datum;kiemgetal;lactose\n05/01/2026;80000;4.6\n")

    imported = owner_client.post(
        url("raw_milk_import", farm), {"stream": "cow:own_delivered", "file": good}
    )
    refused = owner_client.post(
        url("raw_milk_import", farm),
        {"stream": "cow:own_delivered", "file": broken},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert imported.status_code == 302
    assert RawMilkResult.objects.for_operator(farm).count() == 2
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Nothing was imported" in page
    assert "Column “lactose” is unknown." in page
    assert RawMilkResult.objects.for_operator(farm).count() == 2


def test_entering_a_product_result_shows_criterion_type_and_actions(
    owner_client: Client, farm: Operator
) -> None:
    response = owner_client.post(
        url("product_new", farm),
        {
            "product_name": "Hoevekaas",
            "parameter": "salmonella",
            "sampled_on": "2026-03-03",
            "lot": "K-0303",
            "results": "- - + - -",
            "left_control": "yes",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert "unsatisfactory" in page
    assert "food safety (VV)" in page
    assert "n = 5, c = 0, absent in 25 g" in page
    assert "Notify the FAVV (duty to notify): the product has left your direct control." in page
    stored = ProductResult.objects.get()
    assert stored.results == [
        "not_detected",
        "not_detected",
        "detected",
        "not_detected",
        "not_detected",
    ]


def test_the_sampling_calendar_rotates_products(owner_client: Client, farm: Operator) -> None:
    response = owner_client.get(url("calendar", farm) + "?year=2026", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sampling calendar 2026" in page
    assert page.count("Hoevekaas") >= 2 and page.count("Roeryoghurt") >= 2


def test_the_oc_curve_page_draws_the_plan_and_n_1(owner_client: Client, farm: Operator) -> None:
    response = owner_client.get(
        url("oc_curve", farm) + "?criterion=cheese_pasteurised-e_coli&compare_n=1",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert '<svg class="lab-plot"' in page
    assert "n = 5, c = 2" in page and "n = 1, c = 1" in page


def test_an_auditor_sees_verdicts_but_enters_nothing(
    client: Client, farm: Operator, make_member: Callable[..., User]
) -> None:
    auditor = make_member(farm, Role.AUDITOR)
    client.force_login(auditor)

    assert client.get(url("index", farm)).status_code == 200
    assert client.get(verdict_url(farm, "plate_count")).status_code == 200
    assert client.get(url("raw_milk_new", farm)).status_code == 403
    assert client.post(url("raw_milk_import", farm)).status_code == 403
    assert client.get(url("product_new", farm)).status_code == 403


def test_a_parameter_not_in_the_plan_is_not_found(owner_client: Client, farm: Operator) -> None:
    response = owner_client.get(
        url("raw_milk_verdict", farm, species="goat", source="bought", parameter="plate_count")
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "index",
        "calendar",
        "oc_curve",
        "raw_milk_new",
        "raw_milk_import",
        "withdrawal_new",
        "product_results",
        "product_new",
    ],
)
def test_another_operators_lab_pages_are_not_found(
    tenancy: Tenancy, client: Client, name: str
) -> None:
    tenancy.assert_refused(client, f"lab:{name}")


@pytest.mark.parametrize("name", ["raw_milk_result", "raw_milk_correct", "raw_milk_withdraw"])
def test_another_operators_raw_milk_results_are_not_found(
    tenancy: Tenancy, client: Client, name: str
) -> None:
    def foreign_result(operator: Operator) -> dict[str, object]:
        owner = User.objects.create_user(f"eigenaar-{operator.slug}")
        give_farm_plan(operator, owner)
        result = record_raw_milk_result(
            operator, owner, RawMilkInput(*COW, "plate_count", date(2026, 1, 5), 80_000)
        )
        return {"entry": result.entry}

    tenancy.assert_refused(client, f"lab:{name}", object_kwargs=foreign_result)


@pytest.mark.parametrize("name", ["product_verdict", "product_correct", "product_withdraw"])
def test_another_operators_product_results_are_not_found(
    tenancy: Tenancy, client: Client, name: str
) -> None:
    def foreign_result(operator: Operator) -> dict[str, object]:
        owner = User.objects.create_user(f"eigenaar-{operator.slug}")
        give_farm_plan(operator, owner)
        result = record_product_result(
            operator,
            owner,
            ProductInput("Hoevekaas", "salmonella", date(2026, 1, 5), ["not_detected"]),
        )
        return {"entry": result.entry}

    tenancy.assert_refused(client, f"lab:{name}", object_kwargs=foreign_result)
