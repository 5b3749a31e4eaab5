"""Fixtures of the dossier tests: a small dairy with one week of records made through the
services, seen from a later day.

The week of Monday 2 to Sunday 8 March 2026 (the period asked for), a day before and after it
to be left out, and the dossier asked for on 20 March:

- Kelder (ripening room): the ripening temperature on Monday to Friday (twice on Monday,
  15 °C on Friday: above the guide value, a warning), the humidity once on Wednesday;
- Koelcel (cold room, chilled dairy): the temperature on Monday to Saturday, 12.5 °C on Thursday
  (a deviation, closed with an action, the outcome and the date of notification); also on
  Sunday 1 and Monday 9 March (outside the period);
- yoghurt batch Y-1 made on Tuesday with its pasteurisation registered; Y-2 on 10 March, with
  its pasteurisation too (outside the period);
- raw-milk results on Wednesday 4 and Thursday 12 March; the milking M-3 of Tuesday recalled on
  Thursday, the FAVV notified on Friday.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dairyhaccp.examples import example_profile
from dairyhaccp.monitoring.schedule import BRUSSELS
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.lab.services import RawMilkInput, record_raw_milk_result
from dairyhaccp.web.lots.choices import ProductionKind, RecallEventKind
from dairyhaccp.web.lots.models import Recall
from dairyhaccp.web.lots.services import ProductionData, record_production
from dairyhaccp.web.lots.services.recalls import RecallInput, open_recall, record_recall_event
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import (
    BusinessDetails,
    add_member,
    create_operator,
    issue_api_token,
)
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.choices import Outcome
from dairyhaccp.web.records.models import Batch, Deviation, Room
from dairyhaccp.web.records.selectors import operator_plan
from dairyhaccp.web.records.services import (
    RegistrationInput,
    close_deviation,
    create_batch,
    create_room,
    record_registration,
)

PASSWORD = "melk-en-kaas-42"
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 8))
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=BRUSSELS)
ADDRESS = "Melkweg 1, 9000 Gent"
FAVV_NUMBER = "2.123.456.791"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, Brussels time."""
    return datetime.combine(date(2026, 3, day), time(hour, minute), tzinfo=BRUSSELS)


def demo_profile(name: str, relaxations: bool = False) -> dict[str, Any]:
    """The demo dairy, by default without the relaxations: every check is registered."""
    data = tomllib.loads(example_profile("demo"))
    data["operator"].update(name=name, relaxations=relaxations)
    return data


@dataclass(frozen=True)
class Dairy:
    operator: Operator
    owner: User
    kelder: Room
    koelcel: Room
    yoghurt: Batch
    deviation: Deviation
    recall: Recall


def _member(operator: Operator, role: Role, username: str, **names: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, **names)
    add_member(operator, user, role)
    return user


def register(dairy_operator: Operator, user: User, control: str, when: datetime, **kw: Any) -> Any:
    values = kw.pop("values")
    with time_machine.travel(max(when, at(1, 9)), tick=False):
        return record_registration(
            dairy_operator,
            user,
            RegistrationInput(control, values, measured_at=when, **kw),
        )


def build_dairy(
    slug: str = "de-wei", name: str = "Kaasmakerij De Wei", *, relaxations: bool = False
) -> Dairy:
    """The week of records described above, made through the services at their own time."""
    with time_machine.travel(at(1, 8), tick=False):
        operator = create_operator(
            name, slug=slug, details=BusinessDetails(name, ADDRESS, FAVV_NUMBER)
        )
        owner = _member(operator, Role.OWNER, f"owner-{slug}", first_name="An", last_name="Peeters")
        save_profile(operator, owner, demo_profile(name, relaxations))
        kelder = create_room(operator, "Kelder", "ripening_room", product="Hoevekaas")
        koelcel = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    for day in (2, 3, 4, 5, 6):
        register(
            operator,
            owner,
            "CCP 13",
            at(day, 8),
            room=kelder,
            product="Hoevekaas",
            values={"temperature_c": 15.0 if day == 6 else 13.0},
        )
    register(
        operator,
        owner,
        "CCP 13",
        at(2, 18),
        room=kelder,
        product="Hoevekaas",
        values={"temperature_c": 13.5},
    )
    register(
        operator,
        owner,
        "CCP 13",
        at(4, 9),
        room=kelder,
        product="Hoevekaas",
        values={"relative_humidity_pct": 82.0},
    )
    deviation = None
    for day in (1, 2, 3, 4, 5, 6, 7, 9):
        recorded = register(
            operator,
            owner,
            "CCP 3",
            at(day, 7),
            room=koelcel,
            values={"temperature_c": 12.5 if day == 5 else 4.0},
        )
        if recorded.deviation is not None:
            deviation = recorded.deviation
    assert deviation is not None
    with time_machine.travel(at(3, 7), tick=False):
        yoghurt = create_batch(operator, owner, "Y-1", "Roeryoghurt", started_at=at(3, 6))
    register(
        operator,
        owner,
        "CCP 9",
        at(3, 6, 30),
        batch=yoghurt,
        values={"temperature_c": 75.0, "hold_s": 20.0},
    )
    with time_machine.travel(at(10, 7), tick=False):
        later = create_batch(operator, owner, "Y-2", "Roeryoghurt", started_at=at(10, 6))
    register(
        operator,
        owner,
        "CCP 9",
        at(10, 6, 30),
        batch=later,
        values={"temperature_c": 75.0, "hold_s": 20.0},
    )
    with time_machine.travel(at(6, 10), tick=False):
        current = operator_plan(operator)
        assert current is not None
        action = current.plan.control("CCP 3").corrective_actions[0].id
        deviation = close_deviation(
            deviation,
            owner,
            current.plan,
            outcome=Outcome.DESTROYED,
            justification="Cooler repaired.",
            action_ids=[action],
            notified_on=date(2026, 3, 5),
        )
    for day, value in ((4, 50_000.0), (12, 60_000.0)):
        with time_machine.travel(at(day, 16), tick=False):
            record_raw_milk_result(
                operator,
                owner,
                RawMilkInput(
                    "cow",
                    "own_not_delivered",
                    "plate_count",
                    date(2026, 3, day),
                    value,
                    laboratory="MCC",
                ),
            )
    with time_machine.travel(at(5, 9), tick=False):
        milk = record_production(
            operator,
            owner,
            ProductionData(
                kind=ProductionKind.MILKING,
                lot_code="M-3",
                product="",
                made_at=at(3, 7),
                quantity=Decimal("500"),
                unit="l",
                species="cow",
            ),
        )
        recall = open_recall(
            operator,
            owner,
            RecallInput(
                trigger="manual",
                lots=[f"b{milk.batch_id}"],
                hazard="Antibiotics in the tank",
                origin="in_house",
            ),
        )
    with time_machine.travel(at(6, 9), tick=False):
        record_recall_event(recall, owner, RecallEventKind.NOTIFIED, date(2026, 3, 6))
    return Dairy(operator, owner, kelder, koelcel, yoghurt, deviation, recall)


@pytest.fixture
def dairy(db: None) -> Iterator[Dairy]:
    """The small dairy, seen on 20 March 2026 at noon."""
    built = build_dairy()
    with time_machine.travel(NOW, tick=False):
        yield built


@pytest.fixture
def other_dairy(dairy: Dairy) -> Dairy:
    """A second dairy with records of the same week (tenant isolation)."""
    with time_machine.travel(at(1, 7), tick=False):
        built = build_dairy("ander", "Zuivelhoeve Ander")
    return built


@pytest.fixture
def member(dairy: Dairy) -> Callable[[Role], User]:
    def make(role: Role) -> User:
        return _member(dairy.operator, role, f"{role.value}-member")

    return make


@pytest.fixture
def owner_client(client: Client, dairy: Dairy) -> Client:
    client.force_login(dairy.owner)
    return client


@pytest.fixture
def auditor(member: Callable[[Role], User]) -> User:
    return member(Role.AUDITOR)


@pytest.fixture
def auditor_client(client: Client, auditor: User) -> Client:
    client.force_login(auditor)
    return client


def bearer(user: User, operator: Operator) -> dict[str, str]:
    token = issue_api_token(user, operator, "test").clear_token
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def local_now() -> datetime:
    return timezone.localtime()
