"""Queries kept compiled: the same rows as Django reads, and a key that names every input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import F, QuerySet
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dairyhaccp.web import compiled
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Deviation, Registration
from dairyhaccp.web.records.services import RegistrationInput, create_room, record_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(strict: Operator, owner: User) -> Operator:
    room = create_room(strict, "Koelcel", "cold_room", storage_category="dairy_chilled")
    now = timezone.now()
    for hours, temperature in ((1, 3.5), (30, 12.0), (50, 4.25)):
        record_registration(
            strict,
            owner,
            RegistrationInput(
                "CCP 3",
                {"temperature_c": temperature},
                measured_at=now - timedelta(hours=hours),
                room=room,
            ),
        )
    return strict


def _read(operator: Operator, since_hours: int) -> QuerySet[Any]:
    return (
        Registration.objects.filter(
            operator=operator, measured_at__gte=timezone.now() - timedelta(hours=since_hours)
        )
        .order_by("measured_at")
        .values_list("pk", "measured_at", "values", "room__kind", "verdict")
    )


def test_the_rows_are_those_django_reads(stored: Operator) -> None:
    # the SQL is made of the moment; the key names it
    moment = timezone.now() - timedelta(hours=40)

    def make() -> QuerySet[Any]:
        return (
            Registration.objects.filter(operator=stored, measured_at__gte=moment)
            .order_by("measured_at")
            .values_list("pk", "measured_at", "values", "room__kind", "verdict")
        )

    expected = list(make())
    assert len(expected) == 2
    assert compiled.rows(("test rows", stored.pk, moment), make) == expected
    assert compiled.rows(("test rows", stored.pk, moment), make) == expected
    first = expected[0]
    assert first[1].tzinfo is not None and isinstance(first[2], dict)


@override_settings(CHECK_KEPT_QUERIES=False)
def test_a_kept_query_is_run_without_being_built_again(stored: Operator) -> None:
    built = []
    moment = timezone.now() - timedelta(hours=100)

    def make() -> QuerySet[Any]:
        built.append(1)
        return Registration.objects.filter(operator=stored, measured_at__gte=moment).values_list(
            "pk"
        )

    key = ("test built once", stored.pk, moment)
    assert len(compiled.rows(key, make)) == 3
    assert len(compiled.rows(key, make)) == 3
    assert built == [1]


def test_a_key_that_leaves_out_an_input_fails_under_test(stored: Operator) -> None:
    key = ("test bad key", stored.pk)
    assert len(compiled.rows(key, lambda: _read(stored, 40))) == 2
    with pytest.raises(AssertionError, match="does not name everything"):
        compiled.rows(key, lambda: _read(stored, 100))


def test_a_filter_on_no_ids_reads_nothing(stored: Operator) -> None:
    def make() -> QuerySet[Any]:
        return Registration.objects.filter(pk__in=[]).values_list("pk")

    assert compiled.rows(("test no ids",), make) == []
    assert compiled.rows(("test no ids",), make) == []


def _described(registration: Registration) -> tuple[Any, ...]:
    """What a page reads of a registration: its fields, its room and the deviation's lots."""
    loaded = registration.get_deferred_fields()
    own = tuple(
        (field.attname, getattr(registration, field.attname))
        for field in Registration._meta.concrete_fields
        if field.attname not in loaded
    )
    room = registration.room
    try:
        deviation: Deviation | None = registration.deviation
    except Deviation.DoesNotExist:
        deviation = None
    return (
        own,
        sorted(loaded),
        (room.pk, room.name, room.kind) if room else None,
        getattr(registration, "hour", None),
        deviation and (deviation.pk, deviation.status, [b.pk for b in deviation.lots.all()]),
    )


def test_instances_are_those_django_makes(stored: Operator) -> None:
    def make() -> QuerySet[Registration]:
        return (
            Registration.objects.filter(operator=stored)
            .select_related("room")
            .only("pk", "measured_at", "values", "verdict", "room__name", "room__kind")
            .annotate(hour=F("measured_at"))
            .prefetch_related("deviation__lots")
            .order_by("-measured_at")[:2]
        )

    with CaptureQueriesContext(connection) as django_reads:
        expected = [_described(registration) for registration in make()]
    assert len(expected) == 2 and expected[0][2] is not None
    assert any(described[4] for described in expected)  # a deviation, with its lots
    with CaptureQueriesContext(connection) as first:
        assert [_described(r) for r in compiled.instances(("test", stored.pk), make)] == expected
    with CaptureQueriesContext(connection) as again:
        assert [_described(r) for r in compiled.instances(("test", stored.pk), make)] == expected
    # the deviation and its lots prefetched with the registrations, not read one by one
    assert len(first.captured_queries) == len(django_reads.captured_queries) == 3
    assert len(again.captured_queries) == 3


def test_instances_of_a_related_manager_are_refused(stored: Operator) -> None:
    with pytest.raises(ValueError, match="not of a related manager"):
        compiled.instances(("test refused manager",), lambda: stored.records_room_set.all())
    with pytest.raises(ValueError, match="not of a related manager"):
        compiled.instances(("test refused values",), lambda: Registration.objects.values("pk"))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Registration.objects.values_list("pk", flat=True),
        lambda: Registration.objects.values_list("pk", named=True),
        lambda: Registration.objects.values("pk"),
        lambda: Registration.objects.all(),
        # Django puts the annotation after the columns, and reorders each row to this order
        lambda: Registration.objects.annotate(moment=F("measured_at")).values_list("moment", "pk"),
    ],
)
def test_only_rows_read_as_selected_are_kept(make: Any) -> None:
    with pytest.raises(ValueError, match="in the order they are selected"):
        compiled.rows(("test refused", str(make().query)), make)


def test_the_agenda_asks_for_the_batches_the_recent_batch_query_gives(
    planned: Operator, owner: User
) -> None:
    from datetime import UTC, datetime

    from dairyhaccp.web.records import selectors
    from dairyhaccp.web.records.constants import RECENT_BATCHES
    from dairyhaccp.web.records.services import create_batch

    now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night clocks change in Brussels
    for n, offset in enumerate(
        (
            timedelta(0),
            timedelta(minutes=1),
            -timedelta(minutes=1),
            RECENT_BATCHES,
            RECENT_BATCHES + timedelta(seconds=1),
            RECENT_BATCHES - timedelta(hours=3),
            timedelta(hours=20),
        )
    ):
        create_batch(planned, owner, f"Y-{n}", "Roeryoghurt", started_at=now - offset)
    gone = create_batch(planned, owner, "Y-gone", "Roeryoghurt", started_at=now)
    type(gone).objects.filter(pk=gone.pk).update(destroyed_at=now)
    plan = selectors.operator_plan(planned)
    assert plan is not None

    for moment in (now, now + timedelta(hours=5), now + timedelta(days=1)):
        _agenda, products = selectors.agenda_with_batches(planned, plan.plan, moment)
        expected = selectors.recent_batches(planned, moment).values_list("pk", flat=True)
        assert sorted(products) == sorted(expected)
        assert products


def test_the_open_deviation_count_is_the_open_deviations_counted(
    stored: Operator, owner: User, tenancy: Any
) -> None:
    from dairyhaccp.web.records import selectors
    from dairyhaccp.web.records.models import Room

    room = Room.objects.get(operator=stored)
    assert selectors.open_deviation_count(stored) == selectors.open_deviations(stored).count() == 1
    assert selectors.open_deviation_count(tenancy.foreign_operator) == 0
    record_registration(
        stored, owner, RegistrationInput("CCP 3", {"temperature_c": 11.0}, room=room)
    )
    assert selectors.open_deviation_count(stored) == 2
    Deviation.objects.filter(operator=stored).update(
        status="closed", closed_at=timezone.now(), closed_by=owner, outcome="destroyed"
    )
    assert selectors.open_deviation_count(stored) == 0
