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


def sql_plan_text(sql: str) -> str:
    """EXPLAIN of a query as Django logged it (its values written in), read as `plan_text`."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql.replace("%", "%%"))
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("%", "%%"))
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


# What a `__date` lookup makes of a column: a function of every row, which no index serves.
_DAY_OF_A_COLUMN = ("django_datetime_cast_date(", "AT TIME ZONE")


def days_read_from_each_row(sql: list[str]) -> list[str]:
    """The queries that take the local day of a moment column row by row instead of comparing
    the column with the bounds of the days."""
    return [query for query in sql if any(marker in query for marker in _DAY_OF_A_COLUMN)]
