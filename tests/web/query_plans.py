"""The plan a database makes for a query, as the tests that hold pages to their indexes read it."""

from __future__ import annotations

from typing import Any

from django.db import connection


def plan_text(queryset: Any) -> str:
    """EXPLAIN of `queryset`; on PostgreSQL, with the few rows of a test, only what a table of
    years would decide: no scan of the whole table, no sort where an index gives the order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
    return str(queryset.explain())
