"""The plan page, its PDF, its versions and their comparison; all closed to other operators."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.services import adapt_plan, save_profile

from ..tenancy import Tenancy
from .conftest import demo_profile

pytestmark = pytest.mark.django_db


def url(name: str, operator: Operator, **kwargs: Any) -> str:
    return reverse(name, kwargs={"operator_slug": operator.slug, **kwargs})


def control_card(html: str, control_id: str) -> str:
    """The HTML of one control's card."""
    anchor = control_id.lower().replace(" ", "-")
    match = re.search(rf'<article[^>]*id="{anchor}".*?</article>', html, re.S)
    assert match, f"no card for {control_id}"
    return match.group(0)


@pytest.mark.parametrize("role", [Role.OWNER, Role.STAFF, Role.AUDITOR])
def test_every_member_sees_the_plan_with_ccp_9_and_the_diagrams(
    member_client: Callable[[Role], Client], operator: Operator, planned: PlanVersion, role: Role
) -> None:
    response = member_client(role).get(url("plans:plan", operator))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 3  # cheese, butter and yoghurt flows
    assert 'data-control="CCP 9"' in html  # marked at the pasteurisation step in a diagram
    card = control_card(html, "CCP 9")
    assert "Pasteurisatie" in card
    assert "bij elke productie" in card  # monitoring frequency in words
    assert "Opnieuw pasteuriseren" in card  # a corrective action
    assert "Houdtijd minstens 15 s bij 71,7 °C" in card  # the limit in words
    assert "§4 CCP 9" in card  # the source


def test_the_plan_page_shows_analyses_labelling_hygiene_and_duties(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    html = owner_client.get(url("plans:plan", operator)).content.decode()

    assert "5.1" in html and "Kiemgetal" in html  # raw-milk plate count, in Dutch
    assert "5.2" in html and "Listeria monocytogenes" in html
    # A criterion's type in words, not the guide's bare code.
    assert "voedselveiligheid (VV)" in html and ">(VV)<" not in html
    for section in ("labelling", "hygiene", "notifications", "summary"):
        assert f'id="{section}"' in html
    assert "Registreer alleen wat niet conform is" in html  # relaxations: non-conformities
    assert "6 maanden" in html


def test_guide_values_and_own_justified_values_are_marked(
    owner_client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    adapt_plan(
        operator,
        owner,
        {
            "kind": "change_limit",
            "control": "CCP 9",
            "limit": "ccp9-milk",
            "value": 20,
            "justification": "Our pasteuriser holds 20 s by construction.",
        },
    )

    html = owner_client.get(url("plans:plan", operator)).content.decode()

    ccp9 = control_card(html, "CCP 9")
    assert "uw eigen waarde" in ccp9
    assert "Our pasteuriser holds 20 s by construction." in ccp9
    # The own value and the guide's, in words.
    assert "Uw waarde: minstens 20 s bij 71,7 °C; de gids zegt minstens 15 s bij 71,7 °C." in ccp9
    assert "Houdtijd minstens 20 s bij 71,7 °C" in ccp9
    ccp12 = control_card(html, "CCP 12")
    assert "richtwaarde" in ccp12
    assert "uw eigen waarde" not in ccp12


def test_guide_texts_follow_the_language_of_the_user(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    owner_client.cookies["django_language"] = "en"
    english = owner_client.get(url("plans:plan", operator)).content.decode()
    owner_client.cookies["django_language"] = "fr"
    french = owner_client.get(url("plans:plan", operator)).content.decode()

    assert "Pasteurisation" in control_card(english, "CCP 9")
    assert "at each production" in control_card(english, "CCP 9")
    assert "à chaque production" in control_card(french, "CCP 9")
    assert "Plan HACCP" in french
    # The guide itself reads in French too, and so do the media a limit names.
    assert "Détruire les denrées alimentaires" in control_card(french, "CCP 9")
    assert "crème pour le beurre" in control_card(french, "CCP 9")
    assert "cream for butter" in control_card(english, "CCP 9")


def test_without_a_plan_the_owner_is_sent_to_the_wizard(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.get(url("plans:plan", operator))

    assert response.status_code == 200
    assert url("plans:profile", operator) in response.content.decode()


def test_without_a_plan_an_auditor_is_not_offered_the_wizard(
    auditor_client: Client, operator: Operator
) -> None:
    response = auditor_client.get(url("plans:plan", operator))

    assert response.status_code == 200
    assert url("plans:profile", operator) not in response.content.decode()


def test_the_dashboard_links_to_the_plan(owner_client: Client, operator: Operator) -> None:
    response = owner_client.get(reverse("operators:dashboard", kwargs={"operator_slug": "de-wei"}))

    assert url("plans:plan", operator) in response.content.decode()


def test_the_plan_is_printable_as_a_pdf(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.get(url("plans:pdf", operator))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 10_000
    assert 'filename="haccp-plan-de-wei-v1.pdf"' in response["Content-Disposition"]


def test_there_is_no_pdf_without_a_plan(owner_client: Client, operator: Operator) -> None:
    assert owner_client.get(url("plans:pdf", operator)).status_code == 404


def test_the_plan_page_has_a_print_stylesheet(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    html = owner_client.get(url("plans:plan", operator)).content.decode()

    assert "plans/plans.css" in html
    assert 'class="plan-tools no-print"' in html


def test_versions_list_who_when_and_why(
    owner_client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    adapt_plan(
        operator,
        owner,
        {
            "kind": "add_action",
            "control": "CCP 9",
            "text": "Call the service technician of the pasteuriser.",
            "justification": "The technician must check the thermometer after a failure.",
        },
    )

    response = owner_client.get(url("plans:versions", operator))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Versie 2" in html and "Versie 1" in html
    assert owner.username in html
    assert "The technician must check the thermometer after a failure." in html
    assert "Een corrigerende actie toevoegen" in html


def test_an_earlier_version_can_be_seen_as_it_was(
    owner_client: Client, operator: Operator, owner: User, planned: PlanVersion
) -> None:
    save_profile(operator, owner, {**demo_profile(), "products": [{"kind": "butter"}]}, "Butter")

    first = owner_client.get(url("plans:version", operator, number=1)).content.decode()
    second = owner_client.get(url("plans:version", operator, number=2)).content.decode()

    assert first.count("<svg") == 3
    assert second.count("<svg") == 1
    assert "een eerdere versie" in first
    assert "een eerdere versie" not in second


def test_comparing_two_versions_shows_what_changed(
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

    response = owner_client.get(url("plans:compare", operator), {"before": 1, "after": 2})

    assert response.status_code == 200
    assert response.context["change_count"] == 1
    html = response.content.decode()
    assert "cheese/portion" in html
    assert "verwijderd" in html
    assert "We sell whole wheels only, never portions." in html


def test_comparing_a_version_with_itself_finds_nothing(
    owner_client: Client, operator: Operator, planned: PlanVersion
) -> None:
    response = owner_client.get(url("plans:compare", operator), {"before": 1, "after": 1})

    assert response.context["change_count"] == 0


@pytest.mark.parametrize("query", [{}, {"before": 1, "after": 9}, {"before": "x", "after": 1}])
def test_comparing_unknown_versions_is_a_404(
    owner_client: Client, operator: Operator, planned: PlanVersion, query: dict[str, Any]
) -> None:
    assert owner_client.get(url("plans:compare", operator), query).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    [
        "plans:plan",
        "plans:pdf",
        "plans:profile",
        "plans:product-row",
        "plans:product-removed",
        "plans:versions",
        "plans:compare",
        "plans:adapt",
    ],
)
def test_another_operators_plan_pages_are_404(
    client: Client, tenancy: Tenancy, url_name: str
) -> None:
    save_profile(tenancy.foreign_operator, tenancy.user, demo_profile())

    tenancy.assert_refused(client, url_name)


def test_another_operators_plan_version_is_404(client: Client, tenancy: Tenancy) -> None:
    tenancy.assert_refused(
        client,
        "plans:version",
        object_kwargs=lambda op: {"number": save_profile(op, tenancy.user, demo_profile()).number},
        methods=["get"],
    )


@pytest.mark.parametrize("kind", ["add_step", "change_limit"])
def test_another_operators_adapt_forms_are_404(client: Client, tenancy: Tenancy, kind: str) -> None:
    save_profile(tenancy.foreign_operator, tenancy.user, demo_profile())
    client.force_login(tenancy.user)
    foreign_url = url("plans:adapt-kind", tenancy.foreign_operator, kind=kind)

    assert client.get(foreign_url).status_code == 404
    assert client.post(foreign_url, {"justification": "x" * 20}).status_code == 404
    assert PlanVersion.objects.count() == 1


def test_comparing_another_operators_versions_is_404(client: Client, tenancy: Tenancy) -> None:
    save_profile(tenancy.foreign_operator, tenancy.user, demo_profile())
    save_profile(tenancy.foreign_operator, tenancy.user, demo_profile())
    client.force_login(tenancy.user)

    response = client.get(url("plans:compare", tenancy.own_operator), {"before": 1, "after": 2})

    assert response.status_code == 404
