"""An auditor's access limited to a period: outside it every page and the API refuse (403),
inside it nothing changes; the days are Brussels days, both ends included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator
from dairyhaccp.web.operators.services import issue_api_token

pytestmark = pytest.mark.django_db

# Every day travelled to lies before the real today: a session logged in now stays valid there.
START, END = date(2026, 6, 1), date(2026, 6, 30)
# Noon in Brussels on a given day.
NOON_UTC = 10


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, NOON_UTC, tzinfo=UTC)


@pytest.fixture
def auditor(operator: Operator, make_member: Callable[..., User]) -> User:
    user = make_member(operator, Role.AUDITOR, username="controleur")
    Membership.objects.filter(user=user).update(access_from=START, access_until=END)
    return user


@pytest.fixture
def auditor_client(auditor: User) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(auditor)
    return client


# Pages of several apps, all behind the one access check.
PAGES = [
    "operators:dashboard",
    "plans:plan",
    "records:today",
    "lab:index",
    "lots:index",
    "labels:index",
]


@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (date(2026, 5, 31), False),
        (START, True),
        (date(2026, 6, 15), True),
        (END, True),
        (date(2026, 7, 1), False),
    ],
)
def test_every_page_obeys_the_period(
    auditor_client: Client, operator: Operator, url_name: str, day: date, allowed: bool
) -> None:
    url = reverse(url_name, kwargs={"operator_slug": operator.slug})

    with time_machine.travel(at_noon(day), tick=False):
        response = auditor_client.get(url)

    if allowed:
        assert response.status_code != 403, url
    else:
        assert response.status_code == 403, url
        assert "Your access to Kaasmakerij De Wei runs from 06/01/2026 to 06/30/2026." in (
            response.text
        )


def test_an_auditor_outside_the_period_still_cannot_write(
    auditor_client: Client, operator: Operator
) -> None:
    with time_machine.travel(at_noon(date(2026, 6, 15)), tick=False):
        response = auditor_client.post(f"/{operator.slug}/settings/", {"name": "Overgenomen"})

    assert response.status_code == 403
    operator.refresh_from_db()
    assert operator.name == "Kaasmakerij De Wei"


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        # 23:30 in Brussels on the last day (summer time, UTC+2).
        (datetime(2026, 6, 30, 21, 30, tzinfo=UTC), True),
        # 00:30 in Brussels the day after, while it is still the 30th in UTC.
        (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), False),
        # 00:30 in Brussels on the first day, still the 31st of May in UTC.
        (datetime(2026, 5, 31, 22, 30, tzinfo=UTC), True),
    ],
)
def test_the_days_are_brussels_days(
    auditor_client: Client, operator: Operator, moment: datetime, allowed: bool
) -> None:
    with time_machine.travel(moment, tick=False):
        response = auditor_client.get(f"/{operator.slug}/")

    assert (response.status_code == 200) is allowed


def test_an_open_ended_period_names_its_one_end(
    auditor_client: Client, auditor: User, operator: Operator
) -> None:
    Membership.objects.filter(user=auditor).update(access_from=None, access_until=END)

    with time_machine.travel(at_noon(date(2026, 7, 1)), tick=False):
        response = auditor_client.get(f"/{operator.slug}/")

    assert response.status_code == 403
    assert "Your access to Kaasmakerij De Wei ran until 06/30/2026." in response.text


def test_members_without_a_period_are_not_affected(
    owner_client: Client, operator: Operator, auditor: User
) -> None:
    with time_machine.travel(at_noon(date(2026, 8, 1)), tick=False):
        assert owner_client.get(f"/{operator.slug}/").status_code == 200


def test_the_period_of_one_business_does_not_limit_another(
    auditor_client: Client, auditor: User, operator: Operator
) -> None:
    other = Operator.objects.create(name="Hoeve Twee", slug="hoeve-twee")
    Membership.objects.create(user=auditor, operator=other, role=Role.AUDITOR)

    with time_machine.travel(at_noon(date(2026, 7, 1)), tick=False):
        assert auditor_client.get(f"/{operator.slug}/").status_code == 403
        assert auditor_client.get("/hoeve-twee/").status_code == 200


@pytest.fixture
def auditor_token(auditor: User, operator: Operator) -> str:
    return issue_api_token(auditor, operator).clear_token


@pytest.mark.parametrize("path", ["/api/me", "/api/plan", "/api/plan/versions"])
@pytest.mark.parametrize(
    ("day", "allowed"),
    [(date(2026, 5, 31), False), (START, True), (END, True), (date(2026, 7, 1), False)],
)
def test_the_api_obeys_the_period(auditor_token: str, path: str, day: date, allowed: bool) -> None:
    client = Client()

    with time_machine.travel(at_noon(day), tick=False):
        response = client.get(
            path, headers={"Authorization": f"Bearer {auditor_token}", "Accept-Language": "en"}
        )

    if allowed:
        assert response.status_code != 403, response.content
    else:
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your access to Kaasmakerij De Wei runs from 06/01/2026 to 06/30/2026."
        }


def test_the_api_token_works_again_when_the_period_is_lifted(
    auditor_token: str, auditor: User
) -> None:
    headers = {"Authorization": f"Bearer {auditor_token}"}
    with time_machine.travel(at_noon(date(2026, 7, 1)), tick=False):
        assert Client().get("/api/me", headers=headers).status_code == 403
        Membership.objects.filter(user=auditor).update(access_until=None)
        assert Client().get("/api/me", headers=headers).status_code == 200


def test_the_dashboard_tells_the_auditor_until_when(
    auditor_client: Client, operator: Operator
) -> None:
    with time_machine.travel(at_noon(date(2026, 6, 15)), tick=False):
        response = auditor_client.get(f"/{operator.slug}/")

    assert "Your access runs until 06/30/2026." in response.text
