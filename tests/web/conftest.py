"""Fixtures of the web tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.translation.reloader import translation_file_changed

from dairyhaccp.web.evidence.guards import PERMIT_TABLE
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator

from .tenancy import Tenancy

PASSWORD = "melk-en-kaas-42"
TRANSACTIONAL = ("transactional_db", "live_server", "django_db_reset_sequences")


@pytest.fixture(autouse=True)
def evidence_flush_permit(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> None:
    """Tests that commit (browser tests, live servers) are emptied by a flush after them; the
    database refuses to delete evidence, so such a test leaves a permit for its flush. Every
    other test first takes any permit away: it runs with the guards on."""
    transactional = any(name in request.fixturenames for name in TRANSACTIONAL) or any(
        mark.kwargs.get("transaction") for mark in request.node.iter_markers("django_db")
    )
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PERMIT_TABLE}")
        if transactional:
            cursor.execute(f"INSERT INTO {PERMIT_TABLE} (reason) VALUES ('test flush')")


def _locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


@pytest.fixture(scope="session", autouse=True)
def compiled_messages() -> None:
    """Compile the .po catalogues once when a .mo is missing or older (they are not committed)."""
    po_files = sorted(_locale_dir().glob("*/LC_MESSAGES/django.po"))
    stale = [
        po
        for po in po_files
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    cwd = Path.cwd()
    os.chdir(_locale_dir().parent)  # compilemessages also walks the working directory
    try:
        call_command("compilemessages", verbosity=0)
    finally:
        os.chdir(cwd)
    # Forget catalogues loaded before compiling, as the development server does on a change.
    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.fixture
def make_member(db: None) -> Callable[..., User]:
    """Create a user with a role at an operator; the password is PASSWORD."""

    def make(operator: Operator, role: Role = Role.OWNER, username: str | None = None) -> User:
        name = username or f"{role.value}-{operator.slug}"
        user = User.objects.create_user(name, password=PASSWORD)
        add_member(operator, user, role)
        return user

    return make


@pytest.fixture
def operator(db: None) -> Operator:
    return create_operator("Kaasmakerij De Wei", slug="de-wei")


@pytest.fixture
def owner(operator: Operator, make_member: Callable[..., User]) -> User:
    return make_member(operator, Role.OWNER)


@pytest.fixture
def owner_client(client: Client, owner: User) -> Iterator[Client]:
    client.force_login(owner)
    yield client


@pytest.fixture
def tenancy(db: None) -> Tenancy:
    """Two operators and an owner of the first only; see tenancy.py."""
    return Tenancy.create()
