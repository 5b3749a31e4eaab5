"""The farm API's further routes: the register's versions and corrections, treatment days, the
self-assessment answers, audits and open findings, hygiene scores, sustainability and
notifications. Each reads or writes the token's farm only, for the roles the pages allow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.farm.models import (
    AssessmentAnswer,
    HygieneRating,
    Notification,
    Treatment,
)
from dairyhaccp.web.farm.services import (
    AuditInput,
    FindingInput,
    HygieneInput,
    NotificationInput,
    record_audit,
    record_hygiene_score,
    record_initiatives,
    record_notification,
    record_treatment,
)
from dairyhaccp.web.operators.choices import Role

from .conftest import Sector, make_user, treatment_input
from .test_api import bearer, post, treatment_payload

pytestmark = pytest.mark.django_db

READS = [
    "/api/farm/treatments/{treatment}/versions",
    "/api/farm/treatment-days",
    "/api/farm/treatment-days?per=year",
    "/api/farm/self-assessment/A-daily-health-check",
    "/api/farm/audits/{audit}",
    "/api/farm/findings/open",
    "/api/farm/hygiene",
    "/api/farm/sustainability",
    "/api/farm/notifications",
    "/api/farm/notifications/{notification}",
]


def _records(world: Sector, farm: Any = None) -> dict[str, int]:
    """A treatment, an audit with a finding, a notification, a score, initiatives of `farm`."""
    farm = farm or world.farm
    owner = world.owner if farm == world.farm else world.other_owner
    body = world.body_a if farm == world.farm else world.body_b
    treatment = record_treatment(farm, owner, Role.OWNER, treatment_input())
    audit = record_audit(
        farm,
        owner,
        AuditInput(
            body=body,
            held_on=date(2026, 1, 10),
            auditor_name="J. Auditeur",
            kind="regular",
            decision="standard",
            decided_on=date(2026, 1, 12),
            findings=(FindingInput("C-milk-cooling", "B", "", date(2026, 3, 1)),),
        ),
    )
    notification = record_notification(
        farm,
        owner,
        NotificationInput("notifiable_disease", date(2026, 1, 2), date(2026, 1, 2), "FAVV"),
    )
    record_hygiene_score(
        farm, owner, HygieneInput(date(2026, 1, 10), "Certalent", "weak", score="6,8")
    )
    record_initiatives(farm, owner, timezone.localdate().year, ["herd_vet_guidance"])
    return {"treatment": treatment.pk, "audit": audit.pk, "notification": notification.pk}


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("who", ["owner", "staff", "vet"])
def test_farm_members_read_their_farm(client: Client, world: Sector, path: str, who: str) -> None:
    ids = _records(world)
    response = client.get(path.format(**ids), headers=bearer(getattr(world, who), world.farm))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("path", [p for p in READS if "{" in p])
def test_another_farms_object_is_a_404(client: Client, world: Sector, path: str) -> None:
    _records(world)
    theirs = _records(world, world.other_farm)
    response = client.get(path.format(**theirs), headers=bearer(world.owner, world.farm))
    assert response.status_code == 404
    assert "BE 5" not in response.content.decode()


@pytest.mark.parametrize("path", READS)
def test_the_sector_and_a_stray_auditor_read_nothing(
    client: Client, world: Sector, path: str
) -> None:
    ids = _records(world)
    stray = make_user(world.farm, Role.AUDITOR, "los")
    for headers in (bearer(world.sector_user, world.milkbe), bearer(stray, world.farm)):
        response = client.get(path.format(**ids), headers=headers)
        assert response.status_code == 403
        assert "Certalent" not in response.content.decode()


def test_lists_hold_the_farms_own_rows_only(client: Client, world: Sector) -> None:
    _records(world)
    _records(world, world.other_farm)
    headers = bearer(world.owner, world.farm)

    hygiene = client.get("/api/farm/hygiene", headers=headers).json()
    assert len(hygiene) == 1
    assert hygiene[0]["rating"] == "weak" and hygiene[0]["no_certificate"] is False
    assert hygiene[0]["score"] == "6,8"
    assert len(client.get("/api/farm/notifications", headers=headers).json()) == 1
    open_findings = client.get("/api/farm/findings/open", headers=headers).json()
    assert [f["criterion"] for f in open_findings] == ["C-milk-cooling"]
    years = client.get("/api/farm/sustainability", headers=headers).json()
    assert years[0]["initiatives"] == ["herd_vet_guidance"]


def test_treatment_days_per_month_of_this_year(client: Client, world: Sector) -> None:
    record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    body = client.get(
        "/api/farm/treatment-days?per=month", headers=bearer(world.owner, world.farm)
    ).json()

    assert body["year"] == timezone.localdate().year and body["per"] == "month"
    assert len(body["periods"]) == timezone.localdate().month
    assert body["periods"][-1]["value"] > 0
    future = client.get(
        f"/api/farm/treatment-days?year={body['year'] + 1}",
        headers=bearer(world.owner, world.farm),
    )
    assert future.status_code == 422 and "year" in future.content.decode()


# Writes


@pytest.mark.parametrize("who", ["owner", "staff", "vet"])
def test_treatment_writers_correct_and_withdraw(client: Client, world: Sector, who: str) -> None:
    headers = bearer(getattr(world, who), world.farm)
    stored = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())

    corrected = post(
        client,
        f"/api/farm/treatments/{stored.pk}/correct",
        {**treatment_payload(withdrawal_milk_days=4), "reason": "Wrong withdrawal period"},
        headers,
    )
    assert corrected.status_code == 201, corrected.content
    assert corrected.json()["version"] == 2 and corrected.json()["withdrawal_milk_h"] == "96.00"

    again = post(
        client, f"/api/farm/treatments/{stored.pk}/withdraw", {"reason": "Entered twice"}, headers
    )
    assert again.status_code == 422 and "treatment" in again.content.decode()
    withdrawn = post(
        client,
        f"/api/farm/treatments/{corrected.json()['id']}/withdraw",
        {"reason": "Entered twice"},
        headers,
    )
    assert withdrawn.status_code == 201 and withdrawn.json()["withdrawn"] is True
    versions = client.get(f"/api/farm/treatments/{stored.pk}/versions", headers=headers).json()
    assert [v["version"] for v in versions] == [1, 2, 3]


def test_a_short_reason_is_refused_in_english_naming_the_field(
    client: Client, world: Sector
) -> None:
    stored = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    response = post(
        client,
        f"/api/farm/treatments/{stored.pk}/withdraw?lang=en",
        {"reason": "x"},
        bearer(world.owner, world.farm),
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("reason: ")
    assert "say why" in response.json()["detail"]


def test_another_farms_treatment_is_not_corrected(client: Client, world: Sector) -> None:
    theirs = record_treatment(world.other_farm, world.other_owner, Role.OWNER, treatment_input())
    headers = bearer(world.owner, world.farm)
    for path, payload in (
        (f"/api/farm/treatments/{theirs.pk}/correct", {**treatment_payload(), "reason": "Typo!"}),
        (f"/api/farm/treatments/{theirs.pk}/withdraw", {"reason": "Entered twice"}),
    ):
        assert post(client, path, payload, headers).status_code == 404
    assert Treatment.objects.filter(operator=world.other_farm).count() == 1


def test_the_farmer_answers_a_criterion_the_vet_may_not(client: Client, world: Sector) -> None:
    path = "/api/farm/self-assessment/A-daily-health-check"
    answer = {"answer": "not_met", "open_point": "Checklist", "open_point_due": "2027-01-01"}

    saved = post(client, path, answer, bearer(world.owner, world.farm))
    assert saved.status_code == 201, saved.content
    assert saved.json()["version"] == 1 and saved.json()["answered_by"] == "boer"
    assert post(client, path, answer, bearer(world.vet, world.farm)).status_code == 403
    assert post(client, path, answer, bearer(world.sector_user, world.milkbe)).status_code == 403

    unknown = post(
        client, "/api/farm/self-assessment/X-nothing", answer, bearer(world.owner, world.farm)
    )
    assert unknown.status_code == 404
    lonely_due = post(
        client,
        path + "?lang=en",
        {"answer": "met", "open_point_due": "2027-01-01"},
        bearer(world.owner, world.farm),
    )
    assert lonely_due.status_code == 422 and lonely_due.json()["detail"].startswith("open_point:")
    bad = post(client, path, {"answer": "maybe"}, bearer(world.owner, world.farm))
    assert bad.status_code == 422 and "answer" in bad.content.decode()
    assert AssessmentAnswer.objects.filter(operator=world.farm).count() == 1
    assert not AssessmentAnswer.objects.filter(operator=world.other_farm).exists()


def test_notifications_are_recorded_and_followed_up(client: Client, world: Sector) -> None:
    headers = bearer(world.staff, world.farm)
    notification = {
        "kind": "antibiotics_in_milk",
        "occurred_on": "2026-01-05",
        "notified_on": "2026-01-05",
        "notified_to": "MCC-Vlaanderen",
    }
    saved = post(client, "/api/farm/notifications", notification, headers)
    assert saved.status_code == 201, saved.content
    first = saved.json()["id"]

    followed = post(
        client,
        f"/api/farm/notifications/{first}/follow-up",
        {**notification, "follow_up": "Tank destroyed", "closed": True},
        headers,
    )
    assert followed.status_code == 201 and followed.json()["version"] == 2
    stale = post(client, f"/api/farm/notifications/{first}/follow-up", notification, headers)
    assert stale.status_code == 422 and stale.json()["detail"].startswith("notification:")

    late = post(
        client,
        "/api/farm/notifications?lang=en",
        {**notification, "notified_on": "2026-01-01"},
        headers,
    )
    assert late.status_code == 422 and late.json()["detail"].startswith("notified_on:")
    assert (
        post(
            client, "/api/farm/notifications", notification, bearer(world.vet, world.farm)
        ).status_code
        == 403
    )
    versions = client.get(f"/api/farm/notifications/{first}", headers=headers).json()
    assert [v["closed"] for v in versions] == [False, True]


def test_another_farms_notification_is_not_followed_up(client: Client, world: Sector) -> None:
    theirs = record_notification(
        world.other_farm,
        world.other_owner,
        NotificationInput("notifiable_disease", date(2026, 1, 2), date(2026, 1, 2), "FAVV"),
    )
    response = post(
        client,
        f"/api/farm/notifications/{theirs.pk}/follow-up",
        {
            "kind": "notifiable_disease",
            "occurred_on": "2026-01-02",
            "notified_on": "2026-01-02",
            "notified_to": "X",
        },
        bearer(world.owner, world.farm),
    )
    assert response.status_code == 404
    assert Notification.objects.filter(chain=theirs.chain).count() == 1


def test_a_hygiene_score_through_the_api_blocks_the_bodys_certificate(
    client: Client, world: Sector
) -> None:
    score = {"scored_on": "2026-01-10", "given_by": "Certalent", "rating": "poor"}
    assert (
        post(client, "/api/farm/hygiene", score, bearer(world.vet, world.farm)).status_code == 403
    )
    bad = post(
        client, "/api/farm/hygiene", {**score, "rating": "great"}, bearer(world.owner, world.farm)
    )
    assert bad.status_code == 422 and bad.json()["detail"].startswith("rating:")
    saved = post(client, "/api/farm/hygiene", score, bearer(world.owner, world.farm))
    assert saved.status_code == 201 and saved.json()["no_certificate"] is True
    assert HygieneRating.objects.get().operator == world.farm

    audit = {
        "held_on": "2026-01-10",
        "auditor_name": "J. Auditeur",
        "kind": "regular",
        "decision": "standard",
        "decided_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    refused = post(
        client,
        f"/api/farm/body/farms/{world.farm.slug}/audits",
        audit,
        bearer(world.auditor_a, world.body_a.operator),
    )
    assert refused.status_code == 422 and refused.json()["detail"].startswith("decision:")


def test_the_bodys_auditor_reads_and_records_a_farms_hygiene_score(
    client: Client, world: Sector
) -> None:
    score = {"scored_on": "2026-01-10", "given_by": "Certalent", "rating": "poor"}
    url = f"/api/farm/body/farms/{world.farm.slug}/hygiene"
    auditor = bearer(world.auditor_a, world.body_a.operator)

    bad = post(client, f"{url}?lang=en", {**score, "rating": "great"}, auditor)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("rating:")
    saved = post(client, url, score, auditor)
    assert saved.status_code == 201 and saved.json()["no_certificate"] is True
    entry = HygieneRating.objects.get()
    assert (entry.operator, entry.recorded_by) == (world.farm, world.auditor_a)
    listed = client.get(url, headers=auditor).json()
    assert [row["rating"] for row in listed] == ["poor"]

    # the auditor of another body, and a farm that chose another body: not found
    other_auditor = bearer(world.auditor_b, world.body_b.operator)
    assert post(client, url, score, other_auditor).status_code == 404
    assert client.get(url, headers=other_auditor).status_code == 404
    other_farm = f"/api/farm/body/farms/{world.other_farm.slug}/hygiene"
    assert post(client, other_farm, score, auditor).status_code == 404
    # a farmer's token is not a body's
    assert post(client, url, score, bearer(world.owner, world.farm)).status_code == 403
    assert HygieneRating.objects.count() == 1
