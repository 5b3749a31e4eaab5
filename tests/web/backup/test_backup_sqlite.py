"""`manage.py backup` and `restore` on SQLite, run as an operator runs them: every row back."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from dairyhaccp import __version__

from .helpers import manage, sqlite_schema, sqlite_tables, succeeded

# How SQLite stores a Django timestamp: to the microsecond.
MICROSECOND_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


@pytest.fixture(scope="module")
def data_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The live data directory with the demo dairy, and a copy of its database just migrated."""
    live = tmp_path_factory.mktemp("live")
    succeeded(manage("migrate", "--noinput", data_dir=live))
    migrated = tmp_path_factory.mktemp("migrated")
    shutil.copy(live / "db.sqlite3", migrated / "db.sqlite3")
    succeeded(manage("load_demo", data_dir=live))
    return {"live": live, "migrated": migrated}


@pytest.fixture(scope="module")
def live_dir(data_dirs: dict[str, Path]) -> Path:
    return data_dirs["live"]


@pytest.fixture(scope="module")
def backup(live_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "demo.sqlite3"
    succeeded(manage("backup", "--out", str(path), data_dir=live_dir))
    return path


def database(data_dir: Path) -> Path:
    return data_dir / "db.sqlite3"


def manifest_of(backup: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        backup.with_name(backup.name + ".manifest.json").read_text()
    )
    return loaded


def test_a_restore_on_a_new_host_brings_back_every_row_exactly(
    backup: Path, live_dir: Path, tmp_path: Path
) -> None:
    output = succeeded(manage("restore", str(backup), data_dir=tmp_path))

    original, restored = sqlite_tables(database(live_dir)), sqlite_tables(database(tmp_path))
    assert restored == original
    assert sqlite_schema(database(tmp_path)) == sqlite_schema(database(live_dir))
    assert "as in the manifest" in output
    assert "hoeve-voorbeeld: intact" in output  # verify_evidence ran on the restored chain
    # the comparison covered evidence and its timestamps to the microsecond
    assert original["lab_rawmilkresult"] and original["plans_planversion"]
    stamps = [v for rows in original.values() for row in rows for v in row if isinstance(v, str)]
    assert any(MICROSECOND_TIMESTAMP.match(v) and v[20:26] != "000000" for v in stamps)


def test_the_manifest_counts_the_rows_of_the_copy(backup: Path, live_dir: Path) -> None:
    manifest = manifest_of(backup)

    original = sqlite_tables(database(live_dir))
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["app_version"] == __version__
    assert manifest["backup_file"] == "demo.sqlite3"
    assert manifest["row_counts"] == {
        table: len(rows) for table, rows in original.items() if table != "sqlite_sequence"
    }
    assert manifest["chain_heads"] == chain_heads(database(live_dir))
    assert manifest["chain_heads"]["hoeve-voorbeeld"]
    assert "records" in manifest["migrations"]
    assert datetime.fromisoformat(manifest["made_at"]).utcoffset() is not None


def chain_heads(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as live:
        return dict(
            live.execute(
                "SELECT o.slug, h.head_hash FROM evidence_chainhead h"
                " JOIN operators_operator o ON o.id = h.operator_id"
            ).fetchall()
        )


def test_a_restore_whose_chain_heads_differ_from_the_manifest_fails(
    backup: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(backup.read_bytes())
    manifest = {**manifest_of(backup), "chain_heads": {"hoeve-voorbeeld": "0" * 64}}
    (tmp_path / "copy.sqlite3.manifest.json").write_text(json.dumps(manifest))

    result = manage("restore", str(copy), data_dir=tmp_path / "target")

    assert result.returncode == 1
    assert "the evidence chain heads differ from the manifest" in result.stderr


def test_the_backup_is_a_self_contained_private_file(backup: Path) -> None:
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not list(backup.parent.glob(".*partial"))


def test_a_forced_restore_replaces_a_database_holding_other_data(
    backup: Path, data_dirs: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copy(database(data_dirs["migrated"]), database(tmp_path))
    with sqlite3.connect(database(tmp_path)) as other:
        other.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined) VALUES"
            " ('!', 0, 'ander', '', '', '', 0, 1, '2024-05-01 08:00:00.123456')"
        )
    before = sqlite_tables(database(tmp_path))

    refused = manage("restore", str(backup), data_dir=tmp_path)

    assert refused.returncode == 1
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sqlite_tables(database(tmp_path)) == before

    succeeded(manage("restore", "--force", str(backup), data_dir=tmp_path))

    assert sqlite_tables(database(tmp_path)) == sqlite_tables(database(data_dirs["live"]))


def test_a_freshly_migrated_database_counts_as_empty(
    backup: Path, data_dirs: dict[str, Path], tmp_path: Path
) -> None:
    shutil.copy(database(data_dirs["migrated"]), database(tmp_path))

    succeeded(manage("restore", str(backup), data_dir=tmp_path))

    assert sqlite_tables(database(tmp_path)) == sqlite_tables(database(data_dirs["live"]))


def test_without_out_the_backup_goes_to_the_data_directory(live_dir: Path) -> None:
    output = succeeded(manage("backup", data_dir=live_dir))

    written = sorted((live_dir / "backups").glob("dairyhaccp-*Z.sqlite3"))
    assert len(written) == 1
    assert f"backup:   {written[0]}" in output.splitlines()
    assert (live_dir / "backups" / (written[0].name + ".manifest.json")).is_file()


@pytest.fixture
def busy_writer(live_dir: Path) -> Iterator[threading.Event]:
    """Sessions written one by one, each committed, until stopped."""
    stop = threading.Event()

    def write() -> None:
        with sqlite3.connect(database(live_dir), timeout=30) as live:
            number = 0
            while not stop.is_set():
                number += 1
                live.execute(
                    "INSERT INTO django_session VALUES (?, 'x', '2099-01-01 00:00:00')",
                    (f"busy-{number:08d}",),
                )
                live.commit()
                stop.wait(0.002)  # a busy app, not one that takes every CPU cycle

    thread = threading.Thread(target=write)
    thread.start()
    yield stop
    stop.set()
    thread.join()


def test_a_backup_taken_while_the_app_writes_is_consistent(
    live_dir: Path, tmp_path: Path, busy_writer: threading.Event
) -> None:
    out = tmp_path / "busy.sqlite3"

    succeeded(manage("backup", "--out", str(out), data_dir=live_dir))
    busy_writer.set()

    copied = sqlite_tables(out)
    counts = {table: len(rows) for table, rows in copied.items() if table != "sqlite_sequence"}
    assert manifest_of(out)["row_counts"] == counts
    assert counts["django_session"] > 0  # the writer was busy while the copy was made
    assert len(sqlite_tables(database(live_dir))["django_session"]) > counts["django_session"]
    succeeded(manage("restore", str(out), data_dir=tmp_path / "restored"))


def test_a_file_that_is_no_database_is_refused_in_one_line(backup: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all\n" * 100)
    manifest = {**manifest_of(backup), "sha256": hashlib.sha256(garbage.read_bytes()).hexdigest()}
    (tmp_path / "garbage.sqlite3.manifest.json").write_text(json.dumps(manifest))

    result = manage("restore", str(garbage), data_dir=tmp_path / "target")

    assert result.returncode == 1
    assert "file is not a database" in result.stderr
    assert "Traceback" not in result.stderr
