"""The profile wizard: three short steps, errors next to the field, in the user's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.profile import ProfileError
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.forms import ProfileWizard
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.services import adapt_plan

from .conftest import BUTTER, CHEESE, YOGHURT, wizard_data

pytestmark = pytest.mark.django_db


def wizard_url(operator: Operator) -> str:
    return reverse("plans:profile", kwargs={"operator_slug": operator.slug})


def field_errors(response: Any, form: str, field: str) -> list[str]:
    wizard: ProfileWizard = response.context["wizard"]
    return list(getattr(wizard, form).errors.get(field, []))


def product_errors(response: Any, index: int, field: str) -> list[str]:
    wizard: ProfileWizard = response.context["wizard"]
    return list(wizard.products.forms[index].errors.get(field, []))


def test_the_wizard_starts_with_the_business_name_and_one_empty_product(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.get(wizard_url(operator))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Kaasmakerij De Wei"' in html
    assert 'name="products-0-kind"' in html
    assert 'name="products-1-kind"' not in html
    assert 'name="change-reason"' not in html  # no reason asked for the first plan


def test_good_answers_make_version_one_and_show_the_plan(
    owner_client: Client, operator: Operator, owner: User
) -> None:
    response = owner_client.post(wizard_url(operator), wizard_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan", kwargs={"operator_slug": operator.slug})
    version = PlanVersion.objects.get(operator=operator)
    assert version.number == 1
    assert version.created_by == owner
    kinds = [p["kind"] for p in version.profile["products"]]
    assert kinds == ["semi_hard_cheese", "stirred_yoghurt", "butter"]
    assert version.profile["products"][0]["raw_milk"] is True
    assert version.profile["products"][0]["packaging"] == "vacuum"
    assert version.profile["milk"]["own_animals"] is True
    assert version.profile["operator"]["relaxations"] is True


def test_the_properties_for_the_listeria_criterion_are_kept_and_shown_again(
    owner_client: Client, operator: Operator
) -> None:
    yoghurt = {"kind": "set_yoghurt", "name": "Yoghurt", "ph": "4.2", "shelf_life_days": "21"}
    owner_client.post(wizard_url(operator), wizard_data([yoghurt]))

    [product] = PlanVersion.objects.get(operator=operator).profile["products"]
    assert (product["ph"], product["shelf_life_days"], product["frozen"]) == (4.2, 21, False)
    assert product.get("aw") is None
    html = owner_client.get(wizard_url(operator)).content.decode()
    assert 'name="products-0-ph" value="4.2"' in html


def test_an_impossible_ph_is_refused_on_its_field(owner_client: Client, operator: Operator) -> None:
    bad = {"kind": "set_yoghurt", "ph": "15"}
    response = owner_client.post(wizard_url(operator), wizard_data([bad]))

    assert response.status_code == 200
    assert product_errors(response, 0, "ph")
    assert not PlanVersion.objects.filter(operator=operator).exists()


def test_empty_product_rows_are_ignored(owner_client: Client, operator: Operator) -> None:
    response = owner_client.post(wizard_url(operator), wizard_data([{}, BUTTER, {}]))

    assert response.status_code == 302
    version = PlanVersion.objects.get(operator=operator)
    assert [p["kind"] for p in version.profile["products"]] == ["butter"]


def test_no_product_at_all_is_refused(owner_client: Client, operator: Operator) -> None:
    response = owner_client.post(wizard_url(operator), wizard_data([{}]))

    assert response.status_code == 200
    wizard: ProfileWizard = response.context["wizard"]
    assert wizard.products.non_form_errors() == ["Voeg minstens één product toe."]
    assert not PlanVersion.objects.exists()


def test_raw_milk_yoghurt_is_refused_on_its_raw_milk_field_in_dutch(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.post(
        wizard_url(operator),
        wizard_data([{**YOGHURT, "raw_milk": True}]),
    )

    assert response.status_code == 200
    assert product_errors(response, 0, "raw_milk") == [
        "Roeryoghurt wordt altijd van gepasteuriseerde melk gemaakt."
    ]
    assert not PlanVersion.objects.exists()


def test_the_error_follows_the_language_of_the_user(
    owner_client: Client, operator: Operator
) -> None:
    owner_client.cookies["django_language"] = "en"

    response = owner_client.post(wizard_url(operator), wizard_data([{**BUTTER, "brined": True}]))

    assert product_errors(response, 0, "brined") == ["Only cheese is brined."]
    assert "Only cheese is brined." in response.content.decode()


@pytest.mark.parametrize(
    ("answers", "form", "field"),
    [
        (
            {"delivers_to_buyers": True, "own_animals": False, "buys_raw_milk": True},
            "milk",
            "delivers_to_buyers",
        ),
        ({"species": ()}, "milk", "species"),
        ({"name": ""}, "operator", "name"),
    ],
    ids=["delivering without own animals", "no species", "no name"],
)
def test_inconsistent_answers_are_refused_on_the_field(
    owner_client: Client, operator: Operator, answers: dict[str, Any], form: str, field: str
) -> None:
    response = owner_client.post(wizard_url(operator), wizard_data(**answers))

    assert response.status_code == 200
    assert field_errors(response, form, field)
    assert not PlanVersion.objects.exists()


def test_raw_milk_cheese_without_raw_milk_is_refused_on_the_product(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.post(
        wizard_url(operator), wizard_data([CHEESE], own_animals=False, buys_raw_milk=False)
    )

    assert "rauwe melk" in product_errors(response, 0, "raw_milk")[0]
    assert not PlanVersion.objects.exists()


def test_two_products_with_one_name_are_refused(owner_client: Client, operator: Operator) -> None:
    response = owner_client.post(
        wizard_url(operator), wizard_data([BUTTER, {**YOGHURT, "name": "Hoeveboter"}])
    )

    assert product_errors(response, 1, "name") == ["Twee producten hebben dezelfde naam."]


def test_changing_the_answers_asks_why_and_keeps_the_plan_until_saved(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    page = owner_client.get(wizard_url(operator))
    assert 'name="change-reason"' in page.content.decode()
    assert 'value="Hoevekaas"' in page.content.decode()

    without_reason = owner_client.post(wizard_url(operator), wizard_data([BUTTER]))
    assert field_errors(without_reason, "change", "reason")
    assert PlanVersion.objects.count() == 1

    with_reason = owner_client.post(
        wizard_url(operator), wizard_data([BUTTER], reason="Only butter from now on")
    )
    assert with_reason.status_code == 302
    latest = PlanVersion.objects.get(number=2)
    assert latest.reason == "Only butter from now on"


def test_answers_that_break_an_adaptation_name_the_adaptation(
    owner_client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    adapt_plan(
        operator,
        owner,
        {
            "kind": "drop_step",
            "flow": "cheese",
            "step": "portion",
            "justification": "We sell whole wheels only, never portions.",
        },
    )

    response = owner_client.post(wizard_url(operator), wizard_data([BUTTER], reason="No cheese"))

    assert response.status_code == 200
    problems = response.context["wizard"].problems
    assert len(problems) == 1
    assert problems[0].startswith("Aanpassing 1 van uw plan past niet meer bij deze antwoorden")
    assert PlanVersion.objects.count() == 2


def test_a_problem_of_the_builder_lands_on_the_product_field_it_names() -> None:
    wizard = ProfileWizard(wizard_data([CHEESE, BUTTER]))
    assert wizard.is_valid()

    wizard.add_profile_error(ProfileError("products[1].packaging", "not for this product"))

    assert wizard.products.forms[1].errors["packaging"] == [
        "Dit antwoord past niet bij de gids: not for this product"
    ]


def test_without_javascript_add_product_shows_one_more_row(
    owner_client: Client, operator: Operator
) -> None:
    data = {**wizard_data([BUTTER]), "add_product": "1"}

    response = owner_client.post(wizard_url(operator), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="products-1-kind"' in html
    assert 'name="products-TOTAL_FORMS" value="2"' in html
    assert not response.context["wizard"].products.is_bound  # no errors shown for the new row
    assert not PlanVersion.objects.exists()


def test_without_javascript_remove_product_drops_that_row(
    owner_client: Client, operator: Operator
) -> None:
    data = {**wizard_data([CHEESE, YOGHURT, BUTTER]), "remove_product": "1"}

    response = owner_client.post(wizard_url(operator), data)

    forms = response.context["wizard"].products.forms
    assert [form.initial.get("kind") for form in forms] == ["semi_hard_cheese", "butter"]
    assert not PlanVersion.objects.exists()


def test_htmx_add_product_returns_the_next_row_and_the_new_count(
    owner_client: Client, operator: Operator
) -> None:
    url = reverse("plans:product-row", kwargs={"operator_slug": operator.slug})

    response = owner_client.get(url, {"products-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'name="products-2-kind"' in html
    assert 'id="id_products-TOTAL_FORMS"' in html
    assert 'value="3"' in html
    assert 'hx-swap-oob="true"' in html


def test_htmx_removed_product_row_is_replaced_by_nothing(
    owner_client: Client, operator: Operator
) -> None:
    url = reverse("plans:product-removed", kwargs={"operator_slug": operator.slug})

    response = owner_client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.content == b""


def test_a_row_removed_by_htmx_leaves_a_gap_that_is_ignored(
    owner_client: Client, operator: Operator
) -> None:
    data = wizard_data([CHEESE, YOGHURT, BUTTER])
    for key in [k for k in data if k.startswith("products-1-")]:
        del data[key]

    response = owner_client.post(wizard_url(operator), data)

    assert response.status_code == 302
    version = PlanVersion.objects.get(operator=operator)
    assert [p["kind"] for p in version.profile["products"]] == ["semi_hard_cheese", "butter"]


@pytest.mark.parametrize(
    "url_name", ["plans:profile", "plans:product-row", "plans:product-removed"]
)
def test_an_auditor_may_not_answer_the_wizard(
    auditor_client: Client, operator: Operator, url_name: str
) -> None:
    url = reverse(url_name, kwargs={"operator_slug": operator.slug})

    assert auditor_client.get(url).status_code == 403
    assert auditor_client.post(url, wizard_data()).status_code == 403
    assert not PlanVersion.objects.exists()


def test_the_own_norm_of_another_modified_atmosphere_is_kept(
    owner_client: Client, operator: Operator
) -> None:
    gas_cheese = {
        "kind": "semi_hard_cheese",
        "name": "Gaskaas",
        "packaging": "modified_atmosphere",
        "gas_norm_o2_pct": "1",
        "gas_norm_co2_pct": "5",
    }
    response = owner_client.post(wizard_url(operator), wizard_data([gas_cheese]))
    assert response.status_code == 302
    product = PlanVersion.objects.get(operator=operator).profile["products"][0]
    assert product["gas_norm_o2_pct"] == 1.0
    assert product["gas_norm_co2_pct"] == 5.0


def test_an_own_gas_norm_for_a_vacuum_pack_is_refused_beside_the_field(
    owner_client: Client, operator: Operator
) -> None:
    vacuum = {"kind": "semi_hard_cheese", "packaging": "vacuum", "gas_norm_o2_pct": "1"}
    response = owner_client.post(wizard_url(operator), wizard_data([vacuum]))
    assert response.status_code == 200
    assert product_errors(response, 0, "gas_norm_o2_pct")
    assert not PlanVersion.objects.filter(operator=operator).exists()
