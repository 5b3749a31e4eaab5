"""`manage.py backup` and `restore` refuse what they cannot do, with one clear line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django import DjangoDbBlocker

from dairyhaccp.web.operators.backup import manifest_path
from dairyhaccp.web.operators.models import Operator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def backup(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A backup of the test database as migrated, made once for the module."""
    path = tmp_path_factory.mktemp("made") / "here.sqlite3"
    with django_db_blocker.unblock():
        call_command("backup", "--out", str(path), stdout=_Discard())
    return path


def copy_of(backup: Path, folder: Path, manifest: dict[str, Any] | None = None) -> Path:
    """A copy of the backup and its manifest, the manifest changed as given."""
    folder.mkdir(exist_ok=True)
    copy = folder / backup.name
    copy.write_bytes(backup.read_bytes())
    content = json.loads(manifest_path(backup).read_text())
    manifest_path(copy).write_text(json.dumps({**content, **(manifest or {})}))
    return copy


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_running_database_counts_its_rows(
    operator: Operator, tmp_path: Path
) -> None:
    path = tmp_path / "now.sqlite3"

    call_command("backup", "--out", str(path), stdout=_Discard())

    manifest = json.loads(manifest_path(path).read_text())
    assert manifest["row_counts"]["operators_operator"] == 1
    assert manifest["database_vendor"] == connection.vendor


def test_a_backup_inside_a_transaction_is_refused_not_hung(tmp_path: Path) -> None:
    # The test runs inside a transaction, as a view of the app would.
    with pytest.raises(CommandError, match="inside a database transaction"):
        call_command("backup", "--out", str(tmp_path / "never.sqlite3"))

    assert not list(tmp_path.iterdir())


def test_a_backup_never_overwrites_another(backup: Path) -> None:
    before = backup.read_bytes()

    with pytest.raises(CommandError, match="a backup of that name exists already"):
        call_command("backup", "--out", str(backup))

    assert backup.read_bytes() == before


def test_a_restore_refuses_a_database_that_holds_data(backup: Path, operator: Operator) -> None:
    with pytest.raises(CommandError, match=r"already holds data.*--force"):
        call_command("restore", str(backup))

    assert Operator.objects.count() == 1


def test_a_changed_backup_file_is_refused(backup: Path, tmp_path: Path) -> None:
    changed = copy_of(backup, tmp_path / "changed")
    data = bytearray(changed.read_bytes())
    data[-1] ^= 0xFF
    changed.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="differs from the one the manifest describes"):
        call_command("restore", "--force", str(changed))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"row_counts": {"auth_user": -1}}, "row_counts.auth_user: Input should be greater"),
        ({"database_vendor": "oracle"}, "database_vendor: Input should be 'sqlite'"),
        ({"sha256": "x" * 64}, "sha256: String should match pattern"),
        ({"made_at": "0000-00-00"}, "made_at: Input should be a valid datetime"),
        ({"row_counts": {"t": 10**400}}, "row_counts.t: Input should be less than or equal"),
        ({"chain_heads": {"x": "not-a-hash"}}, "chain_heads.x: String should match pattern"),
        ({"unexpected": 1}, "unexpected: Extra inputs are not permitted"),
    ],
)
def test_a_broken_manifest_is_refused_naming_the_field(
    backup: Path, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    copy = copy_of(backup, tmp_path / "broken", change)

    with pytest.raises(CommandError, match=re.escape(f"manifest.json: {message}")):
        call_command("restore", "--force", str(copy))


def test_a_manifest_that_is_not_json_is_refused(backup: Path, tmp_path: Path) -> None:
    copy = copy_of(backup, tmp_path / "garbled")
    manifest_path(copy).write_text("[" * 100_000)

    with pytest.raises(CommandError, match=re.escape("manifest.json: manifest: Invalid JSON")):
        call_command("restore", "--force", str(copy))


def test_a_backup_of_another_database_kind_is_refused(backup: Path, tmp_path: Path) -> None:
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    copy = copy_of(backup, tmp_path / "other", {"database_vendor": other})

    with pytest.raises(CommandError, match=f"a {other} backup cannot be restored into the"):
        call_command("restore", "--force", str(copy))


def test_a_restore_inside_a_transaction_is_refused(backup: Path) -> None:
    # The test runs inside a transaction, as a view of the app would; nothing is replaced.
    with pytest.raises(CommandError, match="cannot run inside a database transaction"):
        call_command("restore", str(backup))


def test_a_backup_without_its_manifest_is_refused(backup: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone.sqlite3"
    alone.write_bytes(backup.read_bytes())

    with pytest.raises(CommandError, match="the manifest of this backup is missing"):
        call_command("restore", str(alone))


def test_a_missing_backup_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=re.escape("nowhere.sqlite3: no such backup file")):
        call_command("restore", str(tmp_path / "nowhere.sqlite3"))


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_cannot_be_written_says_why_in_one_line() -> None:
    with pytest.raises(CommandError, match=r"^(FileNotFoundError|PermissionError|OSError): "):
        call_command("backup", "--out", "/proc/no-such-folder/backup.sqlite3")
