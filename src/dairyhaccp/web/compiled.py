"""Queries whose SQL is made once per process for the inputs it is made from.

Building a queryset (its filters and subqueries) and compiling it to SQL took more of a page's
time than the database did for the small reads a page makes. A query asked again with the same
inputs (the agenda's registrations between two writes, a schedule's results of the same days,
a page of a list) is here only run: its SQL, parameters and compiler are kept, and its rows go
through the compiler's converters, and become instances, exactly as Django's own reading does.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# Enough for every query shape of a few busy days of a few hundred operators; emptied when full.
KEPT = 2_000
ALIAS = "default"

_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    compiler: SQLCompiler
    prefetch: tuple[Any, ...]


# None: a filter on an empty list, that nothing can match.
_kept: dict[tuple[str, Hashable], _Compiled | None] = {}


def _values_list(queryset: QuerySet[Any]) -> None:
    query = queryset.query
    selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    if (
        queryset._iterable_class is not ValuesListIterable
        or list(getattr(queryset, "_fields", ())) != selected
    ):
        # Django would reorder, flatten or name the columns: rows are read as selected only.
        raise ValueError("a values_list() of its columns in the order they are selected")


def _models(queryset: QuerySet[Any]) -> None:
    if queryset._iterable_class is not ModelIterable or cast(Any, queryset)._known_related_objects:
        raise ValueError("a queryset of instances, not of a related manager")


def _compile(queryset: QuerySet[Any], kind: Callable[[QuerySet[Any]], None]) -> _Compiled | None:
    if queryset.db != ALIAS:
        raise ValueError(f"a query of {queryset.db!r} asked for as one of {ALIAS!r}")
    kind(queryset)
    compiler = queryset.query.get_compiler(using=ALIAS)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return _Compiled(
        sql, tuple(params), compiler, tuple(cast(Any, queryset)._prefetch_related_lookups)
    )


def _kept_for(
    key: Hashable, make: Callable[[], QuerySet[Any]], kind: Callable[[QuerySet[Any]], None]
) -> _Compiled | None:
    entry = (kind.__name__, key)
    try:
        compiled = _kept[entry]
    except KeyError:
        if len(_kept) >= KEPT:
            _kept.clear()
        compiled = _kept[entry] = _compile(make(), kind)
    else:
        if settings.CHECK_KEPT_QUERIES:
            _check_kept(key, compiled, _compile(make(), kind))
    return compiled


def _fetched(compiled: _Compiled) -> list[Any]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        fetched: list[Any] = cursor.fetchall()
    return fetched


def rows(key: Hashable, make: Callable[[], QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of the `values_list()` queryset that `make` builds, as tuples.

    `key` must name everything the query is made from (the operator, the days, the ids in it):
    the first call for a key builds and compiles the query, later ones only run it. Under test,
    every later call builds it again and holds the kept SQL to it, so a key that leaves out an
    input fails a test instead of reading another query's rows (`CHECK_KEPT_QUERIES`).
    """
    compiled = _kept_for(key, make, _values_list)
    if compiled is None:
        return []
    fetched = _fetched(compiled)
    return [tuple(row) for row in compiled.compiler.results_iter(results=[fetched])]


def instances(key: Hashable, make: Callable[[], QuerySet[_M]]) -> list[_M]:
    """The instances of the queryset that `make` builds (with what it selects and prefetches
    related), as `list(make())` gives them; `key` as for `rows`."""
    compiled = _kept_for(key, make, _models)
    if compiled is None:
        return []
    fetched = _fetched(compiled)
    compiler = compiled.compiler
    select, klass_info = compiler.select, compiler.klass_info
    assert klass_info is not None
    model = klass_info["model"]
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    # Django 5.2's signature (the stubs follow a later one).
    related = cast(Any, get_related_populators)(klass_info, select, ALIAS)
    annotations = compiler.annotation_col_map or {}
    found = []
    for row in compiler.results_iter(results=[fetched]):
        instance = model.from_db(ALIAS, attnames, row[start:end])
        for populator in related:
            populator.populate(row, instance)
        for name, position in annotations.items():
            setattr(instance, name, row[position])
        found.append(instance)
    if compiled.prefetch and found:
        prefetch_related_objects(found, *compiled.prefetch)
    return found


def _check_kept(key: Hashable, kept: _Compiled | None, made: _Compiled | None) -> None:
    same = (kept.sql, kept.params, kept.prefetch) if kept else None
    if same != ((made.sql, made.params, made.prefetch) if made else None):
        raise AssertionError(f"the key {key!r} does not name everything its query is made from")
