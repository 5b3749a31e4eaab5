"""Triggers that make the database itself refuse to change evidence, or to delete it before its
keep-until date, whatever path the statement comes by (ORM, raw SQL, a fixture, a shell).

Installed after every migrate for every evidence table: a table that a migration rebuilds on
SQLite loses its triggers, and gets them back in the same run.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from dairyhaccp.web.evidence.models import EvidenceLink

PERMIT_TABLE = "evidence_delete_permit"
LINK_TABLE = EvidenceLink._meta.db_table

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION evidence_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence: rows of % are never changed', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE OR REPLACE FUNCTION evidence_refuse_early_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {PERMIT_TABLE}) THEN RETURN OLD; END IF;
  IF TG_TABLE_NAME = '{LINK_TABLE}' THEN
    IF OLD.keep_until < current_date THEN RETURN OLD; END IF;
  ELSIF EXISTS (SELECT 1 FROM {LINK_TABLE} l WHERE l.table_name = TG_TABLE_NAME
                AND l.row_id = OLD.id AND l.keep_until < current_date) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'evidence: rows of % are kept until their keep-until date', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE OR REPLACE FUNCTION evidence_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {PERMIT_TABLE}) THEN RETURN NULL; END IF;
  RAISE EXCEPTION 'evidence: % is never emptied', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""


def _pg_table(table: str) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS evg_update ON "{table}"',
        f'CREATE TRIGGER evg_update BEFORE UPDATE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION evidence_refuse_update()",
        f'DROP TRIGGER IF EXISTS evg_delete ON "{table}"',
        f'CREATE TRIGGER evg_delete BEFORE DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION evidence_refuse_early_delete()",
        f'DROP TRIGGER IF EXISTS evg_truncate ON "{table}"',
        f'CREATE TRIGGER evg_truncate BEFORE TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_truncate()",
    ]


def _sqlite_table(table: str) -> list[str]:
    if table == LINK_TABLE:
        expired = "OLD.keep_until < date('now')"
    else:
        expired = (
            f"EXISTS (SELECT 1 FROM {LINK_TABLE} l WHERE l.table_name = '{table}'"
            " AND l.row_id = OLD.id AND l.keep_until < date('now'))"
        )
    return [
        f'CREATE TRIGGER IF NOT EXISTS "evg_update_{table}" BEFORE UPDATE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, 'evidence: rows of {table} are never changed'); END",
        f'CREATE TRIGGER IF NOT EXISTS "evg_delete_{table}" BEFORE DELETE ON "{table}" '
        f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE}) AND NOT ({expired}) "
        f"BEGIN SELECT RAISE(ABORT, 'evidence: rows of {table} are kept until their keep-until"
        " date'); END",
    ]


def statements(vendor: str, tables: list[str]) -> list[str]:
    """The SQL that guards `tables` on this database."""
    if vendor == "postgresql":
        return [_PG_FUNCTIONS, *(sql for table in tables for sql in _pg_table(table))]
    if vendor == "sqlite":
        return [sql for table in tables for sql in _sqlite_table(table)]
    return []


def evidence_tables() -> list[str]:
    from dairyhaccp.web.evidence.chain import evidence_models

    tables = []
    for model in evidence_models():
        if model._meta.pk is None or model._meta.pk.column != "id":
            raise RuntimeError(f"{model._meta.label}: evidence tables are keyed by 'id'")
        tables.append(model._meta.db_table)
    return tables


def install(connection: BaseDatabaseWrapper) -> list[str]:
    """Guard every evidence table that exists in this database; the tables guarded."""
    existing = set(connection.introspection.table_names())
    if PERMIT_TABLE not in existing or LINK_TABLE not in existing:
        return []
    tables = [t for t in evidence_tables() if t in existing]
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, tables):
            cursor.execute(sql)
    return tables


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The evidence tables that carry their guards now."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'evg_delete_%'"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = 'evg_delete'"
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}


def install_after_migrate(using: str = "default", **kwargs: Any) -> None:
    install(connections[using])
