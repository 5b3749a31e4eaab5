"""Queries whose SQL is made once per process for the inputs it is made from.

Building a queryset (its filters and subqueries) and compiling it to SQL took more of a page's
time than the database did for the small reads a page makes. A query asked again with the same
inputs (the agenda's registrations between two writes, a schedule's results of the same days)
is here only run: its SQL, parameters and the converters of its columns are kept, and its rows
go through the converters exactly as Django's own reading of them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

# Enough for every query shape of a few busy days of a few hundred operators; emptied when full.
KEPT = 2_000

_Compiled = tuple[str, tuple[Any, ...], SQLCompiler] | None
_kept: dict[tuple[str, Hashable], _Compiled] = {}


def _compile(queryset: QuerySet[Any], alias: str) -> _Compiled:
    if queryset.db != alias:
        raise ValueError(f"a query of {queryset.db!r} asked for as one of {alias!r}")
    query = queryset.query
    selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    if (
        queryset._iterable_class is not ValuesListIterable
        or list(getattr(queryset, "_fields", ())) != selected
    ):
        # Django would reorder, flatten or name the columns: rows are read as selected only.
        raise ValueError("a values_list() of its columns in the order they are selected")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None  # a filter on an empty list: nothing can match
    return sql, tuple(params), compiler


def rows(key: Hashable, make: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of the `values_list()` queryset that `make` builds, as tuples.

    `key` must name everything the query is made from (the operator, the days, the ids in it):
    the first call for a key builds and compiles the query, later ones only run it. Under test,
    every later call builds it again and holds the kept SQL to it, so a key that leaves out an
    input fails a test instead of reading another query's rows (`CHECK_KEPT_QUERIES`).
    """
    alias = "default"
    entry = (alias, key)
    try:
        compiled = _kept[entry]
    except KeyError:
        if len(_kept) >= KEPT:
            _kept.clear()
        compiled = _kept[entry] = _compile(make(), alias)
    else:
        if settings.CHECK_KEPT_QUERIES:
            _check_kept(key, compiled, _compile(make(), alias))
    if compiled is None:
        return []
    sql, params, compiler = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [tuple(row) for row in compiler.results_iter(results=[fetched])]


def _check_kept(key: Hashable, kept: _Compiled, made: _Compiled) -> None:
    if (kept and kept[:2]) != (made and made[:2]):
        raise AssertionError(f"the key {key!r} does not name everything its query is made from")
