"""Fixtures of the loggers tests: a dairy with a plan, a cold room, a freezer and their loggers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from dairyhaccp.web.loggers.models import Device
from dairyhaccp.web.loggers.services import DeviceSettings, create_device
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Room
from dairyhaccp.web.records.services import create_room

from ..records.conftest import demo_profile

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def planned(operator: Operator, owner: User) -> Operator:
    save_profile(operator, owner, demo_profile())
    return operator


@pytest.fixture
def staff(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.STAFF)


@pytest.fixture
def auditor(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.AUDITOR)


@pytest.fixture
def cold_room(planned: Operator) -> Room:
    return create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")


@pytest.fixture
def freezer(planned: Operator) -> Room:
    return create_room(planned, "Diepvries", "freezer")


@pytest.fixture
def device(planned: Operator, owner: User, cold_room: Room) -> Device:
    return create_device(planned, owner, DeviceSettings("Logger koelcel", cold_room, "TG-1", 15))


@pytest.fixture
def freezer_device(planned: Operator, owner: User, freezer: Room) -> Device:
    return create_device(planned, owner, DeviceSettings("Logger diepvries", freezer, "", 15))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


def series_csv(
    start: datetime,
    temperatures: Sequence[float],
    step: timedelta = timedelta(minutes=10),
    *,
    header: str = "Datum/tijd;Temperatuur (°C)",
    comma: bool = True,
) -> bytes:
    """A generic logger export: local wall-clock times (UTC steps), decimal comma, semicolons."""
    lines = [header]
    moment = start.astimezone(ZoneInfo("UTC"))
    for value in temperatures:
        wall = moment.astimezone(BRUSSELS)
        number = f"{value:.1f}".replace(".", ",") if comma else f"{value:.1f}"
        lines.append(f"{wall:%d/%m/%Y %H:%M};{number}")
        moment += step
    return ("\n".join(lines) + "\n").encode()


def day_of(temperature: float, readings: int = 144) -> list[float]:
    return [temperature] * readings
