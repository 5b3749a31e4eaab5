"""Who sees what: another operator's farm is a 404; roles decide the rest.

An auditor sees a farm only through the certification body the farm chose; the sector role
reaches no farm page at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.farm.models import Treatment
from dairyhaccp.web.farm.services import (
    AuditInput,
    FindingInput,
    NotificationInput,
    record_audit,
    record_notification,
    record_treatment,
    save_profile,
    store_evidence_file,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member

from ..tenancy import Tenancy
from .conftest import Sector, make_user, profile_input, treatment_input

pytestmark = pytest.mark.django_db

# Pages of a farm that take only the farm's slug.
FARM_PAGES = [
    "farm:today",
    "farm:profile",
    "farm:profile-edit",
    "farm:treatments",
    "farm:treatment-new",
    "farm:treatments-csv",
    "farm:treatment-days",
    "farm:assessment",
    "farm:audits",
    "farm:audit-new",
    "farm:hygiene",
    "farm:sustainability",
    "farm:notifications",
    "farm:notification-new",
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _someone(operator: Operator) -> User:
    return User.objects.create_user(f"lid-{operator.slug}-{User.objects.count()}")


def treatment_kwargs(operator: Operator) -> dict[str, int]:
    stored = record_treatment(operator, _someone(operator), Role.OWNER, treatment_input())
    return {"treatment_id": stored.pk}


def audit_kwargs(operator: Operator) -> dict[str, int]:
    return {"audit_id": _audit(operator).pk}


def finding_kwargs(operator: Operator) -> dict[str, int]:
    return {"finding_id": _audit(operator).findings.get().pk}


def notification_kwargs(operator: Operator) -> dict[str, int]:
    stored = record_notification(
        operator,
        _someone(operator),
        NotificationInput("notifiable_disease", date(2026, 1, 2), date(2026, 1, 2), "FAVV"),
    )
    return {"notification_id": stored.pk}


def file_kwargs(operator: Operator) -> dict[str, int]:
    return {"file_id": store_evidence_file(operator, _someone(operator), "a.png", PNG).pk}


def _audit(operator: Operator):  # type: ignore[no-untyped-def]
    from dairyhaccp.web.farm.services import register_certification_body
    from dairyhaccp.web.operators.services import create_operator

    body = register_certification_body(create_operator(f"Body {operator.slug}"))
    return record_audit(
        operator,
        _someone(operator),
        AuditInput(
            body=body,
            held_on=date(2026, 1, 5),
            auditor_name="A",
            kind="regular",
            decision="standard",
            decided_on=date(2026, 1, 6),
            findings=(FindingInput("C-milk-cooling"),),
        ),
    )


@pytest.mark.parametrize("url_name", FARM_PAGES)
def test_farm_pages_refuse_another_operator(
    client: Client, tenancy: Tenancy, url_name: str
) -> None:
    tenancy.assert_refused(client, url_name)


@pytest.mark.parametrize(
    ("url_name", "object_kwargs"),
    [
        ("farm:treatment", treatment_kwargs),
        ("farm:treatment-correct", treatment_kwargs),
        ("farm:treatment-withdraw", treatment_kwargs),
        ("farm:audit", audit_kwargs),
        ("farm:finding-close", finding_kwargs),
        ("farm:notification", notification_kwargs),
        ("farm:notification-follow-up", notification_kwargs),
        ("farm:evidence-file", file_kwargs),
    ],
)
def test_farm_objects_refuse_another_operator(
    client: Client,
    tenancy: Tenancy,
    url_name: str,
    object_kwargs: Callable[[Operator], dict[str, int]],
) -> None:
    tenancy.assert_refused(client, url_name, object_kwargs=object_kwargs)


def url(name: str, farm: Operator, **kwargs: object) -> str:
    return reverse(name, kwargs={"operator_slug": farm.slug, **kwargs})


# Auditors: through the body the farm chose, and only for the audit.


@pytest.mark.parametrize(
    "url_name",
    ["farm:audits", "farm:audit-new", "farm:assessment", "farm:treatments", "farm:profile"],
)
def test_an_auditor_of_the_chosen_body_sees_the_farm(
    login: Callable[[User], Client], world: Sector, url_name: str
) -> None:
    response = login(world.auditor_a).get(url(url_name, world.farm))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", FARM_PAGES)
def test_an_auditor_of_body_a_sees_no_farm_of_body_b(
    login: Callable[[User], Client], world: Sector, url_name: str
) -> None:
    client = login(world.auditor_a)
    for method in ("get", "post"):
        assert getattr(client, method)(url(url_name, world.other_farm)).status_code == 404


def test_an_auditor_loses_the_farm_when_it_chooses_another_body(
    login: Callable[[User], Client], world: Sector
) -> None:
    client = login(world.auditor_a)
    assert client.get(url("farm:audits", world.farm)).status_code == 200

    save_profile(world.farm, world.owner, profile_input(world.body_b))

    assert client.get(url("farm:audits", world.farm)).status_code == 404
    assert login(world.auditor_b).get(url("farm:audits", world.farm)).status_code == 200


def test_an_auditor_membership_at_the_farm_itself_gives_nothing_here(
    login: Callable[[User], Client], world: Sector
) -> None:
    stray = make_user(world.farm, Role.AUDITOR, "los-auditor")
    assert login(stray).get(url("farm:audits", world.farm)).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("farm:today", {}),
        ("farm:treatment-new", {}),
        ("farm:profile-edit", {}),
        ("farm:notification-new", {}),
        ("farm:sustainability-year", {"year": 2025}),
    ],
)
def test_an_auditor_records_audits_and_nothing_else(
    login: Callable[[User], Client], world: Sector, url_name: str, kwargs: dict[str, object]
) -> None:
    client = login(world.auditor_a)
    assert client.get(url(url_name, world.farm, **kwargs)).status_code == 403
    assert client.post(url(url_name, world.farm, **kwargs), {}).status_code == 403


def test_an_auditor_cannot_answer_the_self_assessment(
    login: Callable[[User], Client], world: Sector
) -> None:
    target = url("farm:answer", world.farm, criterion_id="A-daily-health-check")
    client = login(world.auditor_a)
    assert client.get(target).status_code == 200
    assert client.post(target, {"answer": "met"}).status_code == 403


def test_a_body_lists_only_the_farms_that_chose_it(
    login: Callable[[User], Client], world: Sector
) -> None:
    page = login(world.auditor_a).get(url("farm:body-farms", world.body_a.operator))

    assert page.status_code == 200
    assert world.farm.name in page.text
    assert world.other_farm.name not in page.text


def test_a_farmer_sees_no_body_page(login: Callable[[User], Client], world: Sector) -> None:
    page = login(world.owner).get(url("farm:body-farms", world.body_a.operator))
    assert page.status_code == 404


# Vets: the treatments of their farm.


def test_a_vet_records_treatments_and_reads_the_rest(
    login: Callable[[User], Client], world: Sector
) -> None:
    client = login(world.vet)
    assert client.get(url("farm:today", world.farm)).status_code == 200
    assert client.get(url("farm:treatment-new", world.farm)).status_code == 200
    assert client.get(url("farm:assessment", world.farm)).status_code == 200
    for refused in ("farm:profile-edit", "farm:audit-new", "farm:notification-new"):
        assert client.get(url(refused, world.farm)).status_code == 403
    answer = url("farm:answer", world.farm, criterion_id="A-daily-health-check")
    assert client.post(answer, {"answer": "met"}).status_code == 403


def test_a_vet_sees_no_other_farm(login: Callable[[User], Client], world: Sector) -> None:
    client = login(world.vet)
    for name in FARM_PAGES:
        assert client.get(url(name, world.other_farm)).status_code == 404


# The sector: aggregates only, no farm page.


@pytest.mark.parametrize("url_name", FARM_PAGES)
def test_the_sector_reaches_no_farm_page(
    login: Callable[[User], Client], world: Sector, url_name: str
) -> None:
    client = login(world.sector_user)
    for farm in (world.farm, world.other_farm):
        assert client.get(url(url_name, farm)).status_code == 404


def test_the_sector_reaches_no_farm_object(login: Callable[[User], Client], world: Sector) -> None:
    treated = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    client = login(world.sector_user)
    for slug, status in ((world.farm.slug, 404), (world.milkbe.slug, 403)):
        target = reverse(
            "farm:treatment", kwargs={"operator_slug": slug, "treatment_id": treated.pk}
        )
        response = client.get(target)
        # not a member of the farm: 404; its own organisation: the role is refused first
        assert response.status_code == status
        assert treated.animal not in response.text


def test_a_sector_member_of_a_farm_is_refused_its_pages(
    login: Callable[[User], Client], world: Sector
) -> None:
    misplaced = make_user(world.farm, Role.SECTOR, "verdwaald")
    client = login(misplaced)
    for name in FARM_PAGES:
        assert client.get(url(name, world.farm)).status_code == 403


@pytest.mark.parametrize("role", [Role.OWNER, Role.STAFF, Role.VET, Role.AUDITOR])
def test_only_the_sector_opens_the_sector_page(
    login: Callable[[User], Client], world: Sector, role: Role
) -> None:
    user = make_user(world.milkbe, role, f"milkbe-{role}")
    client = login(user)
    assert client.get(url("farm:sector", world.milkbe)).status_code == 403
    assert client.get(url("farm:sector-csv", world.milkbe)).status_code == 403
    assert login(world.sector_user).get(url("farm:sector", world.milkbe)).status_code == 200


def test_a_farmer_does_not_reach_the_sector_page(
    login: Callable[[User], Client], world: Sector
) -> None:
    client = login(world.owner)
    assert client.get(url("farm:sector", world.milkbe)).status_code == 404
    assert client.get(url("farm:sector", world.farm)).status_code == 403


# Where each role lands.


@pytest.mark.parametrize(
    ("who", "where", "lands"),
    [
        ("owner", "farm", "/klaver/farm/today/"),
        ("vet", "farm", "/klaver/farm/today/"),
        ("auditor_a", "farm", "/klaver/farm/audits/"),
        ("auditor_a", "body", "/certalent/farm/body/"),
        ("sector_user", "milkbe", "/milkbe/farm/sector/"),
    ],
)
def test_the_farm_entry_sends_each_role_to_its_work(
    login: Callable[[User], Client], world: Sector, who: str, where: str, lands: str
) -> None:
    operator = {"farm": world.farm, "body": world.body_a.operator, "milkbe": world.milkbe}[where]
    response = login(getattr(world, who)).get(url("farm:index", operator))
    assert response.status_code == 302
    assert response["Location"] == lands


def test_the_dashboard_links_to_the_farm(login: Callable[[User], Client], world: Sector) -> None:
    page = login(world.owner).get(f"/{world.farm.slug}/")
    assert url("farm:index", world.farm) in page.text


def test_treatments_are_not_stored_through_a_refused_role(
    login: Callable[[User], Client], world: Sector
) -> None:
    login(world.auditor_a).post(url("farm:treatment-new", world.farm), {"animal": "BE1"})
    add_member(world.other_farm, world.vet, Role.AUDITOR)
    login(world.vet).post(url("farm:treatment-new", world.other_farm), {"animal": "BE1"})
    assert not Treatment.objects.exists()


def test_an_auditor_outside_the_period_of_access_at_the_body_is_refused(
    login: Callable[[User], Client], world: Sector
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from dairyhaccp.web.operators.models import Membership

    yesterday = timezone.localdate() - timedelta(days=1)
    Membership.objects.filter(user=world.auditor_a).update(
        access_from=yesterday - timedelta(days=30), access_until=yesterday
    )

    response = login(world.auditor_a).get(url("farm:audits", world.farm))

    assert response.status_code == 403
    assert 'id="audit-list"' not in response.text


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("farm:index", {}),
        ("farm:answer", {"criterion_id": "A-daily-health-check"}),
        ("farm:sustainability-year", {"year": 2025}),
        ("farm:body-farms", {}),
        ("farm:sector", {}),
        ("farm:sector-csv", {}),
        ("farm:sector-refresh", {}),
    ],
)
def test_pages_with_other_arguments_refuse_another_operator(
    login: Callable[[User], Client], world: Sector, url_name: str, kwargs: dict[str, object]
) -> None:
    client = login(world.other_owner)
    for operator in (world.farm, world.body_a.operator, world.milkbe):
        for method in ("get", "post"):
            response = getattr(client, method)(url(url_name, operator, **kwargs))
            assert response.status_code == 404, (url_name, operator.slug, method)
