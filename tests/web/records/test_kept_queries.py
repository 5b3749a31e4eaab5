"""Queries kept compiled: the same rows as Django reads, and a key that names every input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.test import override_settings
from django.utils import timezone

from dairyhaccp.web import compiled
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.services import RegistrationInput, create_room, record_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(strict: Operator, owner: User) -> Operator:
    room = create_room(strict, "Koelcel", "cold_room", storage_category="dairy_chilled")
    now = timezone.now()
    for hours, temperature in ((1, 3.5), (30, 9.0), (50, 4.25)):
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
