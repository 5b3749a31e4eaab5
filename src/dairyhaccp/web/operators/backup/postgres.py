"""Backup and restore of a PostgreSQL database with pg_dump, pg_restore and psql."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

from dairyhaccp.web.operators.backup.heads import ChainHeadQuery
from dairyhaccp.web.operators.backup.manifest import BackupError, CopyFacts

# libpq environment variables for the connection settings Django and dj-database-url use.
_SETTINGS_TO_LIBPQ = {
    "NAME": "PGDATABASE",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "HOST": "PGHOST",
    "PORT": "PGPORT",
}
_OPTIONS_TO_LIBPQ = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
_TABLES = """
    SELECT c.relname FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
    ORDER BY c.relname
"""


def client_program(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore, psql)."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def libpq_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The environment that points the client programs at the configured database."""
    settings_dict = connection.settings_dict
    options: dict[str, Any] = settings_dict.get("OPTIONS") or {}
    environment = dict(os.environ)
    for key, variable in _SETTINGS_TO_LIBPQ.items():
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    for key, variable in _OPTIONS_TO_LIBPQ.items():
        if options.get(key):
            environment[variable] = str(options[key])
    return environment


def _connect(connection: BaseDatabaseWrapper) -> psycopg.Connection[Any]:
    return psycopg.connect("", autocommit=False, **_connection_keywords(connection))


def _connection_keywords(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    settings_dict = connection.settings_dict
    keywords: dict[str, Any] = {
        "dbname": settings_dict.get("NAME") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    options: dict[str, Any] = settings_dict.get("OPTIONS") or {}
    keywords.update({key: options[key] for key in _OPTIONS_TO_LIBPQ if options.get(key)})
    return {key: value for key, value in keywords.items() if value is not None}


def row_counts(cursor: psycopg.Cursor[Any]) -> dict[str, int]:
    """The number of rows of every table of the current schema."""
    cursor.execute(_TABLES)
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        row = cursor.fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def latest_migrations(cursor: psycopg.Cursor[Any], tables: set[str]) -> dict[str, str]:
    """The newest applied migration of each app, from django_migrations."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return {app: name for app, name in cursor.fetchall()}


def _run(arguments: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()}")


def backup_postgresql(
    connection: BaseDatabaseWrapper, target: Path, heads_query: ChainHeadQuery | None
) -> CopyFacts:
    """Dump the live database into `target` (pg_dump's custom format); return its row counts.

    The counts and the dump read the same snapshot: a repeatable-read transaction exports it
    and stays open while pg_dump runs with `--snapshot`, so writes meanwhile are in neither.
    """
    with _connect(connection) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        with snapshot.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone() or ("",)
            counts = row_counts(cursor)
            migrations = latest_migrations(cursor, set(counts))
            heads: dict[str, str] = {}
            if heads_query and heads_query.table in counts:
                cursor.execute(heads_query.sql)
                heads = {slug: head for slug, head in cursor.fetchall()}
            _run(
                [
                    client_program("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--no-password",
                    f"--file={target}",
                ],
                libpq_environment(connection),
            )
        snapshot.rollback()
    return CopyFacts(counts, migrations, heads)


def postgresql_has_data(connection: BaseDatabaseWrapper, bookkeeping: frozenset[str]) -> bool:
    """True when any table other than Django's bookkeeping holds a row."""
    with connection.cursor() as cursor:
        cursor.execute(_TABLES)
        tables = [name for (name,) in cursor.fetchall() if name not in bookkeeping]
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                return True
    return False


def _drop_tables_statement(connection: BaseDatabaseWrapper) -> bytes:
    with _connect(connection) as database, database.cursor() as cursor:
        cursor.execute(_TABLES)
        tables = [sql.Identifier(name) for (name,) in cursor.fetchall()]
        if not tables:
            return b""
        statement = sql.SQL("DROP TABLE IF EXISTS {} CASCADE;\n").format(sql.SQL(", ").join(tables))
        return statement.as_string(database).encode()


def restore_postgresql(connection: BaseDatabaseWrapper, backup: Path) -> None:
    """Replace every table of the database with the backup, in one transaction.

    psql runs the existing tables' DROP and the whole of pg_restore's script inside one
    transaction, so a restore that fails halfway leaves the database as it was.
    """
    prelude = _drop_tables_statement(connection)
    connection.close()
    environment = libpq_environment(connection)
    restore_arguments = [
        client_program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--file=-",
        str(backup),
    ]
    psql_arguments = [
        client_program("psql"),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        "--file=-",
    ]
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(
            restore_arguments, env=environment, stdout=subprocess.PIPE, stderr=restore_errors
        )
        psql = subprocess.Popen(
            psql_arguments,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        if restore.stdout is None or psql.stdin is None:  # both are pipes, as asked above
            raise BackupError("could not connect pg_restore to psql")
        _pipe(prelude, restore.stdout, psql.stdin)
        restore_status, psql_status = restore.wait(), psql.wait()
        # psql first: when it stops at an error, pg_restore fails too, on the closed pipe.
        if psql_status != 0:
            raise BackupError(f"psql failed, the database is unchanged: {_text(psql_errors)}")
        if restore_status != 0:
            raise BackupError(f"pg_restore failed: {_text(restore_errors)}")


def _pipe(prelude: bytes, source: IO[bytes], sink: IO[bytes]) -> None:
    try:
        sink.write(prelude)
        shutil.copyfileobj(source, sink)
    except BrokenPipeError:
        pass  # psql stopped at an error: its exit status and message tell what went wrong
    finally:
        source.close()
        with contextlib.suppress(BrokenPipeError):
            sink.close()


def _text(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace").strip()


def live_row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """The number of rows of every table of the live database."""
    with _connect(connection) as database, database.cursor() as cursor:
        return row_counts(cursor)
