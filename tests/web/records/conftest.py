"""Fixtures of the records tests: operators with a plan, rooms and batches."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch, Room
from dairyhaccp.web.records.services import create_batch, create_room


def demo_profile(**operator: Any) -> dict[str, Any]:
    """The shipped demo profile (raw-milk cheese, yoghurt, butter), with operator overrides."""
    data = tomllib.loads(example_profile("demo"))
    data["operator"].update(operator)
    return data


@pytest.fixture
def give_plan() -> Callable[..., None]:
    """Store a plan for an operator, made by `user`, from the demo profile with overrides."""

    def give(operator: Operator, user: User, **profile_operator: Any) -> None:
        save_profile(operator, user, demo_profile(**profile_operator))

    return give


@pytest.fixture
def planned(operator: Operator, owner: User, give_plan: Callable[..., None]) -> Operator:
    """The operator of the `operator` fixture with the demo plan (relaxations apply)."""
    give_plan(operator, owner)
    return operator


@pytest.fixture
def strict(operator: Operator, owner: User, give_plan: Callable[..., None]) -> Operator:
    """The operator with the demo plan without relaxations: every check is registered."""
    give_plan(operator, owner, relaxations=False)
    return operator


@pytest.fixture
def staff(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.STAFF)


@pytest.fixture
def auditor(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.AUDITOR)


@pytest.fixture
def yoghurt_batch(planned: Operator, owner: User) -> Batch:
    started = timezone.now() - timedelta(hours=1)
    return create_batch(planned, owner, "Y-001", "Roeryoghurt", started_at=started)


@pytest.fixture
def ripening_room(planned: Operator) -> Room:
    return create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # type: ignore[misc]
