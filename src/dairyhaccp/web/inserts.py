"""New rows of one table inserted in a few statements, their ids read back.

Each value is prepared by its field exactly as `QuerySet.bulk_create` prepares it (`pre_save`,
then `get_db_prep_save`), except a text, number, truth value or id that its plain field would
give back unchanged; what is left out is the query compiler's work around each value (about a
quarter of an insert's time on SQLite). Rows this cannot insert as `bulk_create` would (an id
given, an expression as a value, a database default, a table inherited from another) go through
`bulk_create` itself. On PostgreSQL the rows of a table go in one statement, one array a
column (`INSERT … SELECT * FROM UNNEST(…)`, as `bulk_create` does there), bound by the server;
elsewhere in multi-row `VALUES` statements.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models.fields import NOT_PROVIDED

M = TypeVar("M", bound=models.Model)

# Rows per statement at most, where the database sets no lower limit on bound parameters.
ROWS_PER_STATEMENT = 500

# Fields that store a value of this exact type as it is: their preparation gives it back.
_STORED_AS_GIVEN: dict[type[models.Field[Any, Any]], type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
}
_PROBES: dict[type, Any] = {str: "probe", int: 7, bool: True}
_PREPARED_ONCE = frozenset({datetime.datetime, datetime.date})
_AUTO_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField)
_RELATIONS = (models.ForeignKey, models.OneToOneField)


def _plain_fields(model: type[models.Model]) -> list[models.Field[Any, Any]] | None:
    """The columns an insert names, or None when one needs Django's own handling."""
    opts = model._meta
    if opts.parents:
        return None
    fields = []
    for field in opts.concrete_fields:
        if field.db_default is not NOT_PROVIDED or field.generated:
            return None
        if field is opts.pk:
            if not isinstance(field, models.AutoField | models.BigAutoField):
                return None
            continue
        fields.append(field)
    return fields


def _given_type(field: models.Field[Any, Any], connection: Any) -> type | None:
    """The type of value `field` stores exactly as given on `connection`, or None when it
    prepares every value (a moment, a decimal, JSON, a number PostgreSQL's driver is told the
    size of, a field of its own kind)."""
    if type(field).pre_save is not models.Field.pre_save:
        return None
    given: type | None
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        given = int if type(target) in _AUTO_KEYS and type(field) in _RELATIONS else None
    else:
        given = _STORED_AS_GIVEN.get(type(field))
    if given is None:
        return None
    probe = _PROBES[given]
    prepared = field.get_db_prep_save(probe, connection)
    return given if type(prepared) is given and prepared == probe else None


def prepared_row(
    obj: models.Model,
    fields: Sequence[tuple[models.Field[Any, Any], type | None]],
    connection: Any,
) -> list[Any] | None:
    """The values of `obj` for an insert, as `bulk_create` prepares them; None when one is an
    expression (left to Django)."""
    row = []
    for field, given in fields:
        if given is not None:
            value = getattr(obj, field.attname)
            if value is None or type(value) is given:
                row.append(value)
                continue
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            return None
        row.append(field.get_db_prep_save(value, connection))
    return row


def insert_rows(
    model: type[M],
    objs: Sequence[M],
    using: str | None = None,
    fallback: Callable[[Sequence[M]], list[M]] | None = None,
    returned: list[tuple[Any, ...]] | None = None,
) -> list[M]:
    """Insert `objs` (all new, of `model`), set their ids, return them in order.

    `fallback` stores rows this function leaves to Django; `model.objects.bulk_create` when
    not given. `returned`, when given and the database can, receives each inserted row as the
    database returned it: every concrete column in the model's order, unconverted (nothing when
    the rows went to `fallback`)."""
    objs = list(objs)
    if not objs:
        return objs
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    fields = _plain_fields(model)
    pk = model._meta.pk
    if (
        fields is None
        or pk is None
        or not connection.features.can_return_rows_from_bulk_insert
        or any(obj.pk is not None for obj in objs)
    ):
        return (fallback or model._default_manager.db_manager(alias).bulk_create)(objs)
    typed = [(field, _given_type(field, connection)) for field in fields]
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        row = prepared_row(obj, typed, connection)
        if row is None:
            return (fallback or model._default_manager.db_manager(alias).bulk_create)(objs)
        rows.append(row)
    every_column = returned is not None and connection.features.can_return_columns_from_insert
    returning = list(model._meta.concrete_fields) if every_column else [pk]
    at = returning.index(pk)
    found = _insert(connection, model, fields, rows, returning)
    ids = [values[at] for values in found]
    if every_column and returned is not None:
        returned.extend(tuple(values) for values in found)
    if len(ids) != len(objs):
        raise RuntimeError(f"{len(objs)} rows inserted into {model._meta.db_table}, {len(ids)} ids")
    for obj, row_id in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk.to_python(row_id))
        obj._state.adding = False
        obj._state.db = alias
    return objs


def insert_values(
    model: type[models.Model],
    field_names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    using: str | None = None,
) -> int:
    """Insert rows given as values of `field_names` (attribute names, ids for relations), each
    prepared by its field as `insert_rows` prepares it but with no default nor `pre_save`:
    every value is given. No instances are made and no ids read back; how many rows."""
    if not rows:
        return 0
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    fields = [_concrete(model, name) for name in field_names]
    typed = [(field, _given_type(field, connection)) for field in fields]
    # A moment or a day repeated down a column is prepared once.
    known: list[dict[tuple[type, Any], Any]] = [{} for _ in fields]
    prepared: list[list[Any]] = []
    for values in rows:
        row: list[Any] = []
        for (field, given), value, done in zip(typed, values, known, strict=True):
            if value is None or (given is not None and type(value) is given):
                row.append(value)
            elif type(value) in _PREPARED_ONCE:
                key = (type(value), value)
                if key not in done:
                    done[key] = field.get_db_prep_save(value, connection)
                row.append(done[key])
            else:
                row.append(field.get_db_prep_save(value, connection))
        prepared.append(row)
    _insert(connection, model, fields, prepared, [])
    return len(prepared)


def _unnested(connection: Any, fields: Sequence[models.Field[Any, Any]]) -> list[str] | None:
    """The array type of each column, where PostgreSQL can take the rows as one array a column
    (a short statement, parsed once, whatever the number of rows), as Django's `bulk_create`
    does; else None."""
    if connection.vendor != "postgresql":
        return None
    types = []
    for field in fields:
        target = getattr(field, "target_field", field) if field.is_relation else field
        kind = target.get_internal_type()
        if hasattr(field, "get_placeholder") or kind not in connection.data_types:
            return None
        types.append(str(field.db_type(connection)).split("(")[0])
    return types


def _bound_by_server(connection: Any, cursor: Any) -> Any:
    """A cursor beside `cursor` whose parameters the server binds, sent in binary: an array
    goes as it is, not quoted into the statement as text (Django's default cursor does that)."""
    import psycopg

    raw = psycopg.Cursor(cursor.cursor.connection)
    return (connection.make_debug_cursor if connection.queries_logged else connection.make_cursor)(
        raw
    )


def _insert(
    connection: Any,
    model: type[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[models.Field[Any, Any]],
) -> list[tuple[Any, ...]]:
    """Run the inserts of prepared rows; the `returning` columns of each row, in order."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    tail = ""
    if returning:
        tail = " RETURNING " + ", ".join(f"{table}.{quote(str(f.column))}" for f in returning)
    found: list[tuple[Any, ...]] = []
    types = _unnested(connection, fields)
    with connection.cursor() as cursor:
        if types is not None:
            arrays = ", ".join(f"(%b)::{kind}[]" for kind in types)
            with _bound_by_server(connection, cursor) as bound:
                bound.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}){tail}",
                    [list(column) for column in zip(*rows, strict=True)],
                )
                return list(bound.fetchall()) if returning else found
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(
            1, min(ROWS_PER_STATEMENT, connection.ops.bulk_batch_size(fields, rows) or len(rows))
        )
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(batch))}{tail}",
                [value for row in batch for value in row],
            )
            if returning:
                found.extend(cursor.fetchall())
    return found


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
