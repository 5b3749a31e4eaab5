"""A stored row as canonical JSON, read back from the database so that what is hashed is what
is kept: the same bytes on SQLite and PostgreSQL, today and after a backup is restored."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

from django.db import models

GENESIS = "0" * 64


def _plain(value: Any, field: models.Field[Any, Any]) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        quantum = Decimal(1).scaleb(-places) if isinstance(places, int) else None
        return str(value.quantize(quantum) if quantum is not None else value.normalize())
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# Fields whose values _plain gives back as they are (text, numbers, truth values).
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BooleanField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "FloatField",
    }
)


def _kind(field: models.Field[Any, Any]) -> str:
    target = getattr(field, "target_field", None) if field.is_relation else None
    return str((target or field).get_internal_type())


# Kinds SQLite may give back differently from an insert's RETURNING than from a later read
# (a REAL column gives back an integer written to it as an integer, then reads it as a float).
_READ_DIFFERS_FROM_RETURNED = frozenset({"FloatField", "DecimalField"})


def returned_is_stored(model: type[models.Model], connection: Any) -> bool:
    """Whether the columns an insert returns are the values a later read gives, so that the row
    can be hashed from them without reading it back."""
    if not connection.features.can_return_columns_from_insert:
        return False
    if connection.vendor == "postgresql":
        return True
    return all(_kind(f) not in _READ_DIFFERS_FROM_RETURNED for f in model._meta.concrete_fields)


def returned_data(
    model: type[models.Model], connection: Any, rows: list[tuple[Any, ...]]
) -> dict[int, dict[str, Any]]:
    """Rows as an insert returned them (every concrete column, in the model's order), by id,
    converted as a read converts them; see `returned_is_stored`."""
    fields = list(model._meta.concrete_fields)
    table = model._meta.db_table
    columns = [str(f.column) for f in fields]
    pk_name = model._meta.pk.attname if model._meta.pk is not None else "id"
    at = [f.attname for f in fields].index(pk_name)
    steps = []
    for i, field in enumerate(fields):
        col = field.get_col(table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        plain = _kind(field) not in _AS_IS
        if converters or plain:
            steps.append((i, field, col, converters, plain))
    found: dict[int, dict[str, Any]] = {}
    for values in rows:
        row = list(values)
        for i, field, col, converters, plain in steps:
            value = row[i]
            for converter in converters:
                value = converter(value, col, connection)
            row[i] = _plain(value, field) if plain else value
        found[row[at]] = dict(zip(columns, row, strict=True))
    return found


def rows_data(model: type[models.Model], row_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Several rows as stored, by id, in one query."""
    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    pk_name = model._meta.pk.attname if model._meta.pk is not None else "id"
    at = names.index(pk_name)
    columns = [str(f.column) for f in fields]
    converted = [(i, f) for i, f in enumerate(fields) if _kind(f) not in _AS_IS]
    found: dict[int, dict[str, Any]] = {}
    for values in model._base_manager.filter(pk__in=row_ids).values_list(*names):
        row = list(values)
        for i, field in converted:
            row[i] = _plain(row[i], field)
        found[values[at]] = dict(zip(columns, row, strict=True))
    return found


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(table: str, data: dict[str, Any]) -> str:
    text = _CANONICAL.encode({"table": table, "row": data})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_hash(previous: str, seq: int, table: str, row_id: int, row: str, keep_until: str) -> str:
    text = f"{previous}|{seq}|{table}|{row_id}|{row}|{keep_until}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
