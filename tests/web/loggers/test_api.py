"""The loggers API: a logger pushes with its own token; people read with theirs."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from dairyhaccp.web.loggers.models import DayJudgement, DaySeries, Device, PushedReadings
from dairyhaccp.web.loggers.services import (
    DeviceSettings,
    create_device,
    issue_device_token,
    revoke_device_token,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator, issue_api_token
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.services import create_room

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 1, 13, 0, 30)
START = int(local(2026, 1, 12).timestamp())


def readings(count: int, temperature: float = 4.0, start: int = START) -> list[dict[str, Any]]:
    return [{"time": start + index * 600, "temperature_c": temperature} for index in range(count)]


def push(client: Client, device: Device, token: str, body: Any, lang: str = "en") -> Any:
    return client.post(
        f"/api/loggers/devices/{device.pk}/readings?lang={lang}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def token(device: Device, owner: User) -> str:
    return issue_device_token(device, owner).clear_token


@time_machine.travel(NOW, tick=False)
def test_readings_in_any_order_are_stored_once_and_the_day_over_is_registered(
    client: Client, device: Device, token: str
) -> None:
    # given a day of readings and the first of the next, shuffled
    sent = readings(147)
    random.Random(3).shuffle(sent)

    response = push(client, device, token, {"readings": sent})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["received"], body["stored"], body["duplicates"]) == (147, 147, 0)
    assert body["days"] == ["2026-01-12", "2026-01-13"]
    [judged] = body["judged"]
    assert judged["day"] == "2026-01-12" and judged["verdict"] == "conform"
    assert judged["registration_verdict"] == "conform"
    series = DaySeries.objects.get(device=device, day=date(2026, 1, 12))
    assert series.readings == 144 and series.source == "push"
    # the day in progress waits
    assert not DaySeries.objects.filter(day=date(2026, 1, 13)).exists()
    assert PushedReadings.objects.filter(day=date(2026, 1, 13)).get().readings == 3


@time_machine.travel(NOW, tick=False)
def test_sending_the_same_readings_again_stores_nothing_new(
    client: Client, device: Device, token: str
) -> None:
    push(client, device, token, {"readings": readings(147)})

    again = push(client, device, token, {"readings": readings(147)})

    assert again.status_code == 200
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 147)
    assert DaySeries.objects.count() == 1
    assert PushedReadings.objects.count() == 2  # one per day of the first request
    assert Registration.objects.count() == 1
    assert DayJudgement.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_repeat_inside_one_request_counts_once(
    client: Client, device: Device, token: str
) -> None:
    sent = readings(3) + readings(3)
    response = push(client, device, token, {"readings": sent})
    assert (response.json()["stored"], response.json()["duplicates"]) == (3, 3)


@time_machine.travel(NOW, tick=False)
def test_another_temperature_at_a_stored_time_is_a_conflict(
    client: Client, device: Device, token: str
) -> None:
    push(client, device, token, {"readings": readings(3)})

    response = push(client, device, token, {"readings": readings(3, 5.0)})

    assert response.status_code == 409
    assert "never changed" in response.json()["detail"]


@time_machine.travel(NOW, tick=False)
def test_a_wrong_token_is_401(client: Client, device: Device, token: str) -> None:
    assert push(client, device, "dhl_not-the-token", {"readings": readings(1)}).status_code == 401
    assert push(client, device, "", {"readings": readings(1)}).status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_user_api_token_cannot_push(
    client: Client, device: Device, owner: User, planned: Operator
) -> None:
    user_token = issue_api_token(owner, planned).clear_token
    assert push(client, device, user_token, {"readings": readings(1)}).status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_revoked_token_is_401(client: Client, device: Device, token: str) -> None:
    revoke_device_token(device)
    assert push(client, device, token, {"readings": readings(1)}).status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_token_opens_only_its_own_logger(
    client: Client, device: Device, token: str, owner: User
) -> None:
    other_operator = create_operator("Andere Hoeve", slug="andere")
    other_owner = User.objects.create_user("ander")
    add_member(other_operator, other_owner, Role.OWNER)
    room = create_room(other_operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    foreign = create_device(other_operator, other_owner, DeviceSettings("L", room))

    response = push(client, foreign, token, {"readings": readings(1)})

    assert response.status_code == 404
    assert not PushedReadings.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_token_of_a_member_who_became_auditor_stops_working(
    client: Client, device: Device, token: str, owner: User, planned: Operator
) -> None:
    add_member(planned, owner, Role.AUDITOR)
    assert push(client, device, token, {"readings": readings(1)}).status_code == 401


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"readings": []}, "readings"),
        ({"readings": [{"time": "2026-01-12T10:00:00", "temperature_c": 4}]}, "time"),
        ({"readings": [{"time": START, "temperature_c": "4,5"}]}, "temperature_c"),
        ({"readings": [{"time": START, "temperature_c": 1e300}]}, "temperature_c"),
        ({"readings": [{"time": 0, "temperature_c": 4}]}, "2000"),
        ({"readings": [{"time": START + 10**6, "temperature_c": 4}]}, "future"),
        ({"readings": [{"time": "2026-01-12T10:00:00.5+01:00", "temperature_c": 4}]}, "second"),
        ({"readings": [{"time": START, "temperature_c": 4, "extra": 1}]}, "extra"),
        ({"readings": [{"time": START, "temperature_c": 4, "humidity_pct": 140}]}, "humidity"),
        ({"readings": [{"time": START, "temperature_c": 4}] * 10_001}, "readings"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_readings_are_refused_naming_the_field(
    client: Client, device: Device, token: str, body: Any, where: str
) -> None:
    response = push(client, device, token, body)

    assert response.status_code == 422, response.content
    assert where in response.content.decode()
    assert not PushedReadings.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_people_read_their_loggers_and_days_but_not_another_operators(
    client: Client, device: Device, token: str, auditor: User, planned: Operator
) -> None:
    push(client, device, token, {"readings": readings(147, 8.0)})
    headers = {"Authorization": f"Bearer {issue_api_token(auditor, planned).clear_token}"}

    listed = client.get("/api/loggers/devices", headers=headers)
    days = client.get(f"/api/loggers/devices/{device.pk}/days", headers=headers)
    series = client.get(
        f"/api/loggers/devices/{device.pk}/days/2026-01-12/readings", headers=headers
    )

    assert [d["name"] for d in listed.json()] == [device.name]
    [day] = days.json()
    assert day["verdict"] == "deviation" and day["peak_c"] == 8.0
    assert day["excursions"][0]["duration_min"] > 30
    assert len(series.json()["times"]) == 144

    other = create_operator("Andere Hoeve", slug="andere")
    stranger = User.objects.create_user("vreemd")
    add_member(other, stranger, Role.OWNER)
    strange = {"Authorization": f"Bearer {issue_api_token(stranger, other).clear_token}"}
    assert client.get(f"/api/loggers/devices/{device.pk}", headers=strange).status_code == 404
    assert client.get(f"/api/loggers/devices/{device.pk}/days", headers=strange).status_code == 404
    assert client.get("/api/loggers/devices", headers=strange).json() == []
    assert (
        client.get("/api/loggers/devices", headers={"Authorization": "Bearer x"}).status_code == 401
    )


def test_the_nightly_command_judges_the_day_of_a_logger_that_stopped_sending(
    client: Client, device: Device, token: str
) -> None:
    from io import StringIO

    from django.core.management import call_command

    with time_machine.travel(local(2026, 1, 12, 23, 55), tick=False):
        response = push(client, device, token, {"readings": readings(144)})
        assert response.json()["judged"] == []
    assert not DaySeries.objects.exists()

    out = StringIO()
    with time_machine.travel(local(2026, 1, 13, 0, 10), tick=False):
        call_command("close_logger_days", stdout=out)

    assert "1 days judged" in out.getvalue()
    judgement = DayJudgement.objects.get()
    assert judgement.day == date(2026, 1, 12) and judgement.verdict == "conform"
    assert DaySeries.objects.get().source == "push"


@time_machine.travel(NOW, tick=False)
def test_humidity_is_kept_beside_the_temperature(
    client: Client, device: Device, token: str, owner: User, planned: Operator
) -> None:
    sent = [
        {"time": START + 600 * index, "temperature_c": 4.0, "humidity_pct": 80 + index}
        for index in range(3)
    ]
    push(client, device, token, {"readings": list(reversed(sent))})
    headers = {"Authorization": f"Bearer {issue_api_token(owner, planned).clear_token}"}

    series = client.get(
        f"/api/loggers/devices/{device.pk}/days/2026-01-12/readings", headers=headers
    ).json()

    assert series["humidity_pct"] == [80.0, 81.0, 82.0]
    assert series["version"] == 1  # the day is over: folded into its first version
