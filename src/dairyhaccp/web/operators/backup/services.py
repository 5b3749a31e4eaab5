"""Making a backup of the database, and bringing one back."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from dairyhaccp import __version__
from dairyhaccp.web.operators.backup import postgres, sqlite
from dairyhaccp.web.operators.backup.heads import chain_head_query, live_chain_heads
from dairyhaccp.web.operators.backup.manifest import (
    BackupError,
    Manifest,
    Vendor,
    file_sha256,
    manifest_bytes,
    manifest_path,
    read_manifest,
    write_private_file,
)

BACKUP_SUFFIXES: dict[Vendor, str] = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
# Tables Django fills by itself on `migrate`: rows there do not make a database "in use".
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


def database_vendor(connection: BaseDatabaseWrapper) -> Vendor:
    """The kind of database behind `connection`; only SQLite and PostgreSQL are supported."""
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        return "postgresql"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def default_backup_path(vendor: Vendor, now: datetime) -> Path:
    """Where a backup goes when no path is given: backups/ in the data directory."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"dairyhaccp-{stamp}{BACKUP_SUFFIXES[vendor]}"


@contextmanager
def _worded_errors() -> Iterator[None]:
    """Turn a failure of the file system or a database driver into one BackupError line."""
    try:
        yield
    except (OSError, sqlite3.Error, psycopg.Error, DatabaseError) as error:
        raise BackupError(f"{type(error).__name__}: {error}") from error


def make_backup(out: Path | None = None, database: str = "default") -> tuple[Path, Manifest]:
    """Write a consistent copy of the database and its manifest; return the copy's path."""
    with _worded_errors():
        return _make_backup(out, database)


def _make_backup(out: Path | None, database: str) -> tuple[Path, Manifest]:
    connection = connections[database]
    vendor = database_vendor(connection)
    made_at = datetime.now(UTC)
    target = out if out is not None else default_backup_path(vendor, made_at)
    if target.exists() or manifest_path(target).exists():
        raise BackupError(f"{target}: a backup of that name exists already")
    if connection.in_atomic_block:
        # What this transaction wrote is in no snapshot; SQLite would wait for it forever.
        raise BackupError("a backup cannot be made inside a database transaction")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    write_private_file(partial, b"")
    try:
        heads_query = chain_head_query()
        if vendor == "sqlite":
            facts = sqlite.backup_sqlite(connection, partial, heads_query)
        else:
            facts = postgres.backup_postgresql(connection, partial, heads_query)
        _flush(partial)
        manifest = Manifest(
            made_at=made_at,
            database_vendor=vendor,
            app_version=__version__,
            backup_file=target.name,
            sha256=file_sha256(partial),
            row_counts=facts.row_counts,
            migrations=facts.migrations,
            chain_heads=facts.chain_heads,
        )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    write_private_file(manifest_path(target), manifest_bytes(manifest))
    return target, manifest


def _flush(path: Path) -> None:
    with path.open("rb+") as stream:
        os.fsync(stream.fileno())


def database_has_data(database: str = "default") -> bool:
    """True when the database holds anything beyond what `migrate` puts in it by itself."""
    connection = connections[database]
    if database_vendor(connection) == "sqlite":
        return sqlite.sqlite_has_data(connection, BOOKKEEPING_TABLES)
    return postgres.postgresql_has_data(connection, BOOKKEEPING_TABLES)


def live_row_counts(database: str = "default") -> dict[str, int]:
    """The number of rows of every table of the database as it is now."""
    connection = connections[database]
    if database_vendor(connection) == "sqlite":
        return sqlite.live_row_counts(connection)
    return postgres.live_row_counts(connection)


def count_differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    """Every table whose row count differs from the manifest, worded; empty when all agree."""
    return [
        f"{table}: {found.get(table, 'no table')} rows, the manifest says {count}"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ] + [f"{table}: not in the manifest" for table in sorted(set(found) - set(expected))]


def restore_backup(backup: Path, force: bool = False, database: str = "default") -> Manifest:
    """Replace the database with a backup after checking it; then compare the row counts."""
    with _worded_errors():
        return _restore_backup(backup, force, database)


def _restore_backup(backup: Path, force: bool, database: str) -> Manifest:
    connection = connections[database]
    vendor = database_vendor(connection)
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    manifest = read_manifest(backup)
    if manifest.database_vendor != vendor:
        raise BackupError(
            f"{backup}: a {manifest.database_vendor} backup cannot be restored into the "
            f"configured {vendor} database"
        )
    if file_sha256(backup) != manifest.sha256:
        raise BackupError(f"{backup}: the file differs from the one the manifest describes")
    if not force and database_has_data(database):
        raise BackupError(
            "the database already holds data; restoring replaces all of it: "
            "add --force if that is what you want"
        )
    if connection.in_atomic_block:
        raise BackupError("a restore cannot run inside a database transaction")
    if vendor == "sqlite":
        sqlite.restore_sqlite(connection, backup)
    else:
        postgres.restore_postgresql(connection, backup)
    differences = count_differences(manifest.row_counts, live_row_counts(database))
    if differences:
        raise BackupError("restored, but the row counts differ: " + "; ".join(differences))
    heads = live_chain_heads(connection)
    if heads != manifest.chain_heads:
        raise BackupError(
            f"restored, but the evidence chain heads differ from the manifest: {heads}"
        )
    return manifest
