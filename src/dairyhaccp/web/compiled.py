"""Queries whose SQL is made once per process for the inputs it is made from.

Building a queryset (its filters and subqueries) and compiling it to SQL took more of a page's
time than the database did for the small reads a page makes. A query asked again with the same
inputs (the agenda's registrations between two writes, a schedule's results of the same days,
a page of a list) is here only run: its SQL, its parameters, the converters of its columns and
how a row becomes an instance are kept (not the query itself), and its rows go through them
exactly as Django's own reading does.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

from dairyhaccp.web.jsontext import faster_converter

# The queries of a day of some thirty busy operators, about 6 kB each; all dropped when full.
KEPT = 1_000
ALIAS = "default"

_M = TypeVar("_M", bound=Model)


# A column's position in a row, the converters of its value, and its expression.
_Converters = list[tuple[int, tuple[list[Any], Any]]]


@dataclass(frozen=True)
class _Compiled:
    """What running a query again needs, and nothing of the query itself (a query's tree took
    some 30 kB a query kept)."""

    sql: str
    params: tuple[Any, ...]
    converters: _Converters
    prefetch: tuple[Any, ...]
    # For instances: the model, its columns in the row, and the populators of related objects.
    model: Any = None
    attnames: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    related: tuple[Any, ...] = ()
    annotations: tuple[tuple[str, int], ...] = ()


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
    columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(columns):
        raise ValueError("a query without composite fields")
    compiled = _Compiled(
        sql,
        tuple(params),
        [
            (position, ([faster_converter(f) for f in functions], expression))
            for position, (functions, expression) in compiler.get_converters(columns).items()
        ],
        tuple(cast(Any, queryset)._prefetch_related_lookups),
    )
    if kind is not _models:
        return compiled
    select, klass_info = compiler.select, compiler.klass_info
    assert klass_info is not None
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return replace(
        compiled,
        model=klass_info["model"],
        attnames=tuple(column[0].target.attname for column in select[start:end]),
        start=start,
        end=end,
        # Django 5.2's signature (the stubs follow a later one).
        related=tuple(cast(Any, get_related_populators)(klass_info, select, ALIAS)),
        annotations=tuple((compiler.annotation_col_map or {}).items()),
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


def _fetched(compiled: _Compiled) -> list[list[Any]]:
    """The rows of the query, each value through its column's converters as Django's own
    reading does (JSON read by orjson first)."""
    connection = connections[ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        fetched = cursor.fetchall()
    converters = compiled.converters
    rows = []
    for row in map(list, fetched):
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        rows.append(row)
    return rows


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
    return [tuple(row) for row in _fetched(compiled)]


def instances(key: Hashable, make: Callable[[], QuerySet[_M]]) -> list[_M]:
    """The instances of the queryset that `make` builds (with what it selects and prefetches
    related), as `list(make())` gives them; `key` as for `rows`."""
    compiled = _kept_for(key, make, _models)
    if compiled is None:
        return []
    model, attnames, start, end = compiled.model, compiled.attnames, compiled.start, compiled.end
    found = []
    for row in _fetched(compiled):
        instance = model.from_db(ALIAS, attnames, row[start:end])
        for populator in compiled.related:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        found.append(instance)
    if compiled.prefetch and found:
        prefetch_related_objects(found, *compiled.prefetch)
    return found


def first(key: Hashable, make: Callable[[], QuerySet[_M]]) -> _M | None:
    """The first of `instances(key, make)`, or None (`make` gives one row at most)."""
    found = instances(key, make)
    return found[0] if found else None


def _check_kept(key: Hashable, kept: _Compiled | None, made: _Compiled | None) -> None:
    same = (kept.sql, kept.params, kept.prefetch) if kept else None
    if same != ((made.sql, made.params, made.prefetch) if made else None):
        raise AssertionError(f"the key {key!r} does not name everything its query is made from")
