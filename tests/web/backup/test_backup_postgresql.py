"""`manage.py backup` and `restore` on PostgreSQL (pg_dump, pg_restore): every row back.

Runs where DATABASE_URL names a PostgreSQL server, as in `scripts/with-postgres.sh pytest`;
each test database is created here and dropped afterwards.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from .helpers import manage, postgresql_schema, postgresql_tables, succeeded

SERVER_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not SERVER_URL.startswith(("postgres://", "postgresql://")),
    reason="needs DATABASE_URL of a PostgreSQL server (scripts/with-postgres.sh)",
)


def _url_of(name: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def new_database() -> Iterator[Any]:
    """Create empty databases on the server on demand; drop them all at the end."""
    created: list[str] = []

    def create() -> str:
        name = f"backup_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(SERVER_URL, autocommit=True) as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return _url_of(name)

    yield create
    with psycopg.connect(SERVER_URL, autocommit=True) as server:
        for name in created:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="module")
def live(new_database: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a database holding the demo dairy."""
    url: str = new_database()
    data_dir = tmp_path_factory.mktemp("live")
    succeeded(manage("migrate", "--noinput", data_dir=data_dir, database_url=url))
    succeeded(manage("load_demo", data_dir=data_dir, database_url=url))
    return url


@pytest.fixture(scope="module")
def backup(live: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "demo.pgdump"
    succeeded(manage("backup", "--out", str(path), data_dir=path.parent, database_url=live))
    return path


def manifest_of(backup: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        backup.with_name(backup.name + ".manifest.json").read_text()
    )
    return loaded


def test_a_restore_into_an_empty_database_brings_back_every_row_exactly(
    backup: Path, live: str, new_database: Any, tmp_path: Path
) -> None:
    target: str = new_database()

    output = succeeded(manage("restore", str(backup), data_dir=tmp_path, database_url=target))

    original = postgresql_tables(live)
    assert postgresql_tables(target) == original
    assert postgresql_schema(target) == postgresql_schema(live)
    assert "as in the manifest" in output
    assert "hoeve-voorbeeld: intact" in output  # verify_evidence ran on the restored chain
    # the comparison covered evidence and its timestamps to the microsecond
    assert original["lab_rawmilkresult"] and original["plans_planversion"]
    stamps = [v for rows in original.values() for row in rows for v in row]
    assert any(isinstance(v, datetime) and v.microsecond for v in stamps)


def test_the_manifest_counts_the_rows_of_the_dump(backup: Path, live: str) -> None:
    manifest = manifest_of(backup)

    assert manifest["database_vendor"] == "postgresql"
    assert manifest["row_counts"] == {t: len(rows) for t, rows in postgresql_tables(live).items()}
    with psycopg.connect(live) as database:
        heads = database.execute(
            "SELECT o.slug, h.head_hash FROM evidence_chainhead h"
            " JOIN operators_operator o ON o.id = h.operator_id"
        ).fetchall()
    assert manifest["chain_heads"] == dict(heads)
    assert manifest["chain_heads"]["hoeve-voorbeeld"]
    assert backup.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


def test_a_forced_restore_replaces_a_database_holding_other_data(
    backup: Path, live: str, new_database: Any, tmp_path: Path
) -> None:
    # given a migrated database with a user of its own
    target: str = new_database()
    succeeded(manage("migrate", "--noinput", data_dir=tmp_path, database_url=target))
    with psycopg.connect(target, autocommit=True) as other:
        other.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined) VALUES"
            " ('!', false, 'ander', '', '', '', false, true, now())"
        )
    before = postgresql_tables(target)

    refused = manage("restore", str(backup), data_dir=tmp_path, database_url=target)

    assert refused.returncode == 1
    assert "already holds data" in refused.stderr
    assert postgresql_tables(target) == before

    succeeded(manage("restore", "--force", str(backup), data_dir=tmp_path, database_url=target))

    assert postgresql_tables(target) == postgresql_tables(live)
    assert postgresql_schema(target) == postgresql_schema(live)


@pytest.fixture
def busy_writer(live: str) -> Iterator[threading.Event]:
    """Sessions written one by one, each committed, until stopped."""
    stop = threading.Event()

    def write() -> None:
        with psycopg.connect(live, autocommit=True) as database:
            number = 0
            while not stop.is_set():
                number += 1
                database.execute(
                    "INSERT INTO django_session VALUES (%s, 'x', '2099-01-01T00:00:00Z')",
                    (f"busy-{uuid.uuid4().hex[:8]}-{number:08d}",),
                )
                stop.wait(0.002)

    thread = threading.Thread(target=write)
    thread.start()
    yield stop
    stop.set()
    thread.join()


def test_a_backup_taken_while_the_app_writes_is_consistent(
    live: str, new_database: Any, tmp_path: Path, busy_writer: threading.Event
) -> None:
    out = tmp_path / "busy.pgdump"

    succeeded(manage("backup", "--out", str(out), data_dir=tmp_path, database_url=live))
    busy_writer.set()

    # the restore compares its row counts with the manifest, made in pg_dump's snapshot
    target: str = new_database()
    succeeded(manage("restore", str(out), data_dir=tmp_path, database_url=target))
    counts = {table: len(rows) for table, rows in postgresql_tables(target).items()}
    assert manifest_of(out)["row_counts"] == counts
    assert counts["django_session"] > 0
    assert len(postgresql_tables(live)["django_session"]) > counts["django_session"]
