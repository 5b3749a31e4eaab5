"""The farm API: the same rules as the pages; the token's operator and role decide what it sees."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.farm.models import Audit, Treatment
from dairyhaccp.web.farm.services import record_treatment
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token

from .conftest import Sector, make_user, treatment_input

pytestmark = pytest.mark.django_db


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def post(client: Client, path: str, data: Any, headers: dict[str, str]) -> Any:
    return client.post(path, data, content_type="application/json", headers=headers)


def treatment_payload(**changes: Any) -> dict[str, Any]:
    last = timezone.localtime() - timedelta(hours=1)
    data: dict[str, Any] = {
        "animal": "BE 5 0123 4567",
        "last_dose_at": last.strftime("%Y-%m-%dT%H:%M"),
        "indication": "Mastitis",
        "product": "Mastiplan LC",
        "active_substance": "cefapirine",
        "dose": "1 injector",
        "route": "intramammary",
        "prescribing_vet": "Dr. Peeters",
        "withdrawal_milk_days": 3.5,
        "withdrawal_meat_days": 4,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["owner", "staff", "vet"])
def test_farm_members_enter_a_treatment_and_see_the_milk_withheld(
    client: Client, world: Sector, who: str
) -> None:
    headers = bearer(getattr(world, who), world.farm)

    response = post(client, "/api/farm/treatments", treatment_payload(), headers)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["withdrawal_milk_h"] == "84.00"
    assert body["recorded_as"] == who
    assert body["first_usable_milking"] is not None
    withheld = client.get("/api/farm/withheld", headers=headers).json()
    assert [row["animal"] for row in withheld] == ["BE 5 0123 4567"]
    assert withheld[0]["first_milking"] == body["first_usable_milking"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"last_dose_at": "2099-01-01T07:00"}, "last_dose_at"),
        ({"last_dose_at": "1999-01-01T07:00"}, "last_dose_at"),
        ({"animal": "BE\u0000"}, "NUL"),
        ({"animal": "x" * 61}, "animal"),
        ({"withdrawal_milk_h": 84}, "withdrawal_milk_h or withdrawal_milk_days"),
        ({"withdrawal_milk_days": -1}, "withdrawal_milk_days"),
        ({"withdrawal_meat_days": 10**30}, "withdrawal_meat_days"),
        ({"route": "nasal"}, "route"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_treatments_are_refused_naming_the_field(
    client: Client, world: Sector, changes: dict[str, Any], problem: str
) -> None:
    response = post(
        client,
        "/api/farm/treatments",
        treatment_payload(**changes),
        bearer(world.owner, world.farm),
    )
    assert response.status_code in (400, 422), response.content
    assert problem in response.content.decode()
    assert not Treatment.objects.exists()


def test_a_token_sees_only_its_farms_treatments(client: Client, world: Sector) -> None:
    mine = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    theirs = record_treatment(
        world.other_farm, world.other_owner, Role.OWNER, treatment_input(animal="BE 9")
    )
    headers = bearer(world.owner, world.farm)

    listed = client.get("/api/farm/treatments", headers=headers).json()

    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(f"/api/farm/treatments/{theirs.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/farm/treatments/{mine.pk}", headers=headers).status_code == 200
    assert client.get(f"/api/farm/treatments/{2**70}", headers=headers).status_code in (400, 404)


def test_the_self_assessment_api_shows_the_ab_register_met_from_the_register(
    client: Client, world: Sector
) -> None:
    record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())

    modules = client.get(
        "/api/farm/self-assessment?lang=en", headers=bearer(world.owner, world.farm)
    )

    health = next(m for m in modules.json() if m["module"] == "animal_health")
    row = next(a for a in health["answers"] if a["criterion"] == "A-antibiotics-registered")
    assert row["answer"] == "met" and row["by_app"] is True
    assert "1 treatment" in row["evidence"][0]


@pytest.mark.parametrize(
    "path",
    [
        "/api/farm/profile",
        "/api/farm/treatments",
        "/api/farm/withheld",
        "/api/farm/self-assessment",
        "/api/farm/audits",
        "/api/farm/certificate",
    ],
)
def test_the_sector_token_reaches_no_farm_object(client: Client, world: Sector, path: str) -> None:
    record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    response = client.get(path, headers=bearer(world.sector_user, world.milkbe))
    assert response.status_code == 403
    assert "BE 5" not in response.content.decode()


def test_a_sector_token_cannot_enter_a_treatment(client: Client, world: Sector) -> None:
    response = post(
        client, "/api/farm/treatments", treatment_payload(), bearer(world.sector_user, world.milkbe)
    )
    assert response.status_code == 403
    assert not Treatment.objects.exists()


def test_a_farm_token_does_not_read_the_sector(client: Client, world: Sector) -> None:
    assert (
        client.get("/api/farm/sector", headers=bearer(world.owner, world.farm)).status_code == 403
    )
    sector = client.get("/api/farm/sector", headers=bearer(world.sector_user, world.milkbe))
    assert sector.status_code == 200
    assert sector.json()["farms"] == 2
    assert world.farm.slug not in sector.content.decode()


def test_an_auditor_token_at_the_farm_itself_is_refused(client: Client, world: Sector) -> None:
    stray = make_user(world.farm, Role.AUDITOR, "los")
    response = client.get("/api/farm/treatments", headers=bearer(stray, world.farm))
    assert response.status_code == 403


def audit_payload(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": "2026-01-10",
        "auditor_name": "J. Auditeur",
        "kind": "regular",
        "decision": "standard",
        "decided_on": "2026-01-12",
        "findings": [{"criterion": "C-milk-cooling", "grade": "B", "deadline": "2026-03-01"}],
    }
    data.update(changes)
    return data


def test_a_body_token_lists_and_audits_only_the_farms_that_chose_it(
    client: Client, world: Sector
) -> None:
    headers = bearer(world.auditor_a, world.body_a.operator)

    farms = client.get("/api/farm/body/farms", headers=headers).json()
    created = post(client, "/api/farm/body/farms/klaver/audits", audit_payload(), headers)
    foreign = post(client, "/api/farm/body/farms/ander-bedrijf/audits", audit_payload(), headers)

    assert [farm["slug"] for farm in farms] == ["klaver"]
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["certificate"], body["expires_on"]) == ("standard", "2029-01-12")
    assert body["findings"][0]["criterion"] == "C-milk-cooling"
    assert foreign.status_code == 404
    assert (
        client.get("/api/farm/body/farms/ander-bedrijf/audits", headers=headers).status_code == 404
    )
    assert Audit.objects.get().operator == world.farm
    listed = client.get("/api/farm/body/farms/klaver/audits", headers=headers).json()
    assert [a["id"] for a in listed] == [body["id"]]


def test_a_body_token_refuses_bad_audits_naming_the_field(client: Client, world: Sector) -> None:
    headers = bearer(world.auditor_a, world.body_a.operator)
    response = post(
        client,
        "/api/farm/body/farms/klaver/audits",
        audit_payload(findings=[{"criterion": "Z-unknown"}]),
        headers,
    )
    assert response.status_code == 422
    assert "findings[0]" in response.content.decode()


def test_a_farm_token_is_no_body_token(client: Client, world: Sector) -> None:
    response = client.get("/api/farm/body/farms", headers=bearer(world.owner, world.farm))
    assert response.status_code == 403
