"""The heads of the operators' evidence chains, read from a copy or from the live database."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper

EVIDENCE_APP = "dairyhaccp.web.evidence"


@dataclass(frozen=True)
class ChainHeadQuery:
    """SQL giving (operator slug, head hash) for every operator whose chain has begun."""

    table: str
    sql: str


def chain_head_query() -> ChainHeadQuery | None:
    """The query, where the evidence chain is installed; the same SQL on SQLite and PostgreSQL."""
    if not apps.is_installed(EVIDENCE_APP):
        return None
    head = apps.get_model("evidence", "ChainHead")
    operator = apps.get_model("operators", "Operator")
    return ChainHeadQuery(
        head._meta.db_table,
        f'SELECT o.slug, h.head_hash FROM "{head._meta.db_table}" h'
        f' JOIN "{operator._meta.db_table}" o ON o.id = h.operator_id ORDER BY o.slug',
    )


def live_chain_heads(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The chain heads in the database as it is now."""
    query = chain_head_query()
    if query is None or query.table not in connection.introspection.table_names():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(query.sql)
        return {slug: head for slug, head in cursor.fetchall()}
