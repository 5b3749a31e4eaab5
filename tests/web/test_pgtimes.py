"""Moments read from PostgreSQL by psycopg's compiled loader: the same values, in the same
time zone object, as Django's own loader gives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg.types.datetime import TimestamptzLoader

from dairyhaccp.web.records.models import Registration

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a loader of PostgreSQL's"),
]

MOMENTS = (
    "2026-03-29 00:59:59.999999+00",
    "2026-03-29 01:00:00+00",
    "2026-10-25 00:30:00.5+01",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2024-02-29 12:00:00-09:30",
)


def _read(sql: str, params: list[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def test_new_connections_read_moments_with_the_compiled_loader() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, 0
    )
    assert loader.__name__ == "UtcTimestamptzLoader"
    assert loader.timezone is UTC
    if psycopg.pq.__impl__ == "binary":
        reading = loader(1184, connection.connection).load
        assert type(getattr(reading, "__self__", None)).__module__.startswith("psycopg_binary")


@pytest.mark.parametrize("text", MOMENTS)
def test_each_moment_reads_as_djangos_loader_reads_it(text: str) -> None:
    found = _read("SELECT %s::timestamptz", [text])[0]
    expected = TimestamptzLoader(1184).load(text.encode()).replace(tzinfo=UTC)
    assert (found, found.tzinfo) == (expected, UTC)
    assert found.tzinfo is UTC


def test_stored_registrations_read_back_the_moments_they_were_stored_with(
    owner: Any, operator: Any
) -> None:
    moment = datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)
    made = Registration.objects.create(
        operator=operator,
        control_id="CCP 3",
        measured_at=moment,
        verdict="conform",
        recorded_by=owner,
    )
    read = Registration.objects.get(pk=made.pk)
    assert read.measured_at == moment and read.measured_at.tzinfo is UTC
    assert read.recorded_at.tzinfo is UTC
