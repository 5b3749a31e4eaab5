"""Running manage.py in a process of its own, and reading whole databases to compare them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

REPO_DIR = Path(__file__).resolve().parents[3]
# Decided per process below, never inherited from the test run.
_SETTINGS_VARIABLES = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DAIRYHACCP_DATA_DIR"}


def manage(
    *arguments: str, data_dir: Path, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `manage.py ARGUMENTS` as an operator would, against its own database."""
    environment = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "dairyhaccp.web.config.settings",
            "DAIRYHACCP_TESTING": "1",  # development secret, fast password hashing
            "DAIRYHACCP_DATA_DIR": str(data_dir),
        }
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must have worked; its errors in the failure otherwise."""
    assert result.returncode == 0, result.stderr
    return result.stdout


# --- SQLite -----------------------------------------------------------------------------


def sqlite_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (SQLite's sequence table included), in a stable order."""
    with sqlite3.connect(path) as database:
        names = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {name: _sqlite_rows(database, name) for name in names}


def _sqlite_rows(database: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    quoted = '"' + table.replace('"', '""') + '"'
    width = len(database.execute(f"SELECT * FROM {quoted} LIMIT 0").description)
    order = ", ".join(str(column) for column in range(1, width + 1))
    return database.execute(f"SELECT * FROM {quoted} ORDER BY {order}").fetchall()


def sqlite_schema(path: Path) -> list[tuple[str, str, str]]:
    """Every table, index and trigger with the SQL that made it."""
    with sqlite3.connect(path) as database:
        return database.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()


# --- PostgreSQL -------------------------------------------------------------------------


def postgresql_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the public schema, in a stable order."""
    with psycopg.connect(url) as database, database.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        names = [name for (name,) in cursor.fetchall()]
        tables = {}
        for name in names:
            cursor.execute(sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(name)))
            width = len(cursor.description or ())
            positions = ", ".join(str(column) for column in range(1, width + 1))
            query = sql.SQL("SELECT * FROM {} ORDER BY " + positions)
            cursor.execute(query.format(sql.Identifier(name)))
            tables[name] = cursor.fetchall()
        return tables


def postgresql_schema(url: str) -> dict[str, Any]:
    """Columns, sequences' positions and triggers of the public schema."""
    with psycopg.connect(url) as database, database.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default"
            " FROM information_schema.columns WHERE table_schema = 'public'"
            " ORDER BY table_name, column_name"
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            " ORDER BY sequencename"
        )
        sequences = cursor.fetchall()
        cursor.execute(
            "SELECT event_object_table, trigger_name, action_statement"
            " FROM information_schema.triggers WHERE trigger_schema = 'public'"
            " ORDER BY 1, 2"
        )
        triggers = cursor.fetchall()
        return {"columns": columns, "sequences": sequences, "triggers": triggers}
