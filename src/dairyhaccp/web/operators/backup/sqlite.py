"""Backup and restore of a SQLite database with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

from dairyhaccp.web.operators.backup.heads import ChainHeadQuery
from dairyhaccp.web.operators.backup.manifest import BackupError, CopyFacts


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(database: sqlite3.Connection) -> list[str]:
    """Every table of the database, SQLite's own excepted, by name."""
    rows = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def row_counts(database: sqlite3.Connection) -> dict[str, int]:
    """The number of rows of every table."""
    return {
        table: database.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]
        for table in table_names(database)
    }


def latest_migrations(database: sqlite3.Connection) -> dict[str, str]:
    """The newest applied migration of each app, from django_migrations."""
    if "django_migrations" not in table_names(database):
        return {}
    rows = database.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    return {app: name for app, name in rows}


def backup_sqlite(
    connection: BaseDatabaseWrapper, target: Path, heads_query: ChainHeadQuery | None
) -> CopyFacts:
    """Copy the live database into the empty file `target`; return its row counts and migrations.

    One backup step copies every page under one read transaction, so the copy is a consistent
    snapshot even while the app goes on writing (WAL lets the writers continue meanwhile).
    """
    source, own_source = _source_connection(connection)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # A self-contained file: no -wal or -shm file beside the copy.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed SQLite's integrity check: {check}")
        counts = row_counts(copy)
        has_heads = heads_query is not None and heads_query.table in counts
        heads = _chain_heads(copy, heads_query) if heads_query and has_heads else {}
        return CopyFacts(counts, latest_migrations(copy), heads)
    finally:
        copy.close()
        if own_source:
            source.close()


def _source_connection(connection: BaseDatabaseWrapper) -> tuple[sqlite3.Connection, bool]:
    """A connection of its own to read the database file from; the app's for one in memory."""
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper has it
        connection.ensure_connection()
        return connection.connection, False
    return sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=60), True


def _chain_heads(database: sqlite3.Connection, query: ChainHeadQuery) -> dict[str, str]:
    return dict(database.execute(query.sql).fetchall())


def sqlite_has_data(connection: BaseDatabaseWrapper, bookkeeping: frozenset[str]) -> bool:
    """True when any table other than Django's bookkeeping holds a row."""
    connection.ensure_connection()
    database = connection.connection
    return any(
        database.execute(f"SELECT 1 FROM {_quoted(table)} LIMIT 1").fetchone() is not None
        for table in table_names(database)
        if table not in bookkeeping
    )


def restore_sqlite(connection: BaseDatabaseWrapper, backup: Path) -> None:
    """Replace the whole database with the backup file, page by page, in one step."""
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper has it
        raise BackupError("the database is in memory: there is no file to restore into")
    name = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(name)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup}: the backup failed SQLite's integrity check")
        source.backup(target)
    finally:
        source.close()
        target.close()


def live_row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """The number of rows of every table of the live database."""
    connection.ensure_connection()
    return row_counts(connection.connection)
