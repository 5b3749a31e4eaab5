"""Every table carries the operator it belongs to, the lots of a deviation and the sources of a
batch included."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.records.models import Batch, BatchSource, Deviation, DeviationLot
from dairyhaccp.web.records.services import RegistrationInput, create_batch, record_registration

pytestmark = pytest.mark.django_db

# The tenant itself; the other tables without an operator are Django's own (users, groups).
NOT_A_TENANT_TABLE = {"operators.Operator"}

fill_operator = importlib.import_module(
    "dairyhaccp.web.records.migrations.0006_join_tables_carry_the_operator"
).fill_operator


def test_every_table_of_the_project_carries_its_operator() -> None:
    without = [
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("dairyhaccp.")
        if not any(field.name == "operator" for field in model._meta.concrete_fields)
    ]
    assert without == list(NOT_A_TENANT_TABLE)


def _milk_and_cheese_with_a_deviation(operator: Operator, owner: User) -> None:
    milked = timezone.now() - timedelta(hours=5)
    milk = create_batch(operator, owner, "M-1", "raw_milk", started_at=milked)
    create_batch(
        operator,
        owner,
        "K-1",
        "Hoevekaas",
        started_at=milked + timedelta(hours=3),
        made_from=[milk],
    )
    warm = RegistrationInput(
        control_id="CCP 2", values={"temperature_c": 9, "elapsed_min": 60}, batch=milk
    )
    assert record_registration(operator, owner, warm).deviation is not None


@pytest.fixture
def other(give_plan: Callable[..., None], make_member: Callable[..., User]) -> Operator:
    """A second dairy with the demo plan, its owner a member."""
    dairy = create_operator("Hoeve Ter Beek", slug="ter-beek")
    give_plan(dairy, make_member(dairy))
    return dairy


def test_a_batchs_sources_and_a_deviations_lots_carry_their_operator(
    planned: Operator, owner: User, other: Operator
) -> None:
    _milk_and_cheese_with_a_deviation(planned, owner)
    _milk_and_cheese_with_a_deviation(other, other.memberships.get().user)

    for operator in (planned, other):
        sources = BatchSource.objects.filter(operator=operator)
        assert [(s.from_batch.lot_code, s.to_batch.lot_code) for s in sources] == [("K-1", "M-1")]
        assert {s.from_batch.operator for s in sources} == {operator}
        lots = DeviationLot.objects.filter(operator=operator)
        assert sorted(lot.batch.lot_code for lot in lots) == ["K-1", "M-1"]
        assert {lot.deviation.operator for lot in lots} == {operator}


def test_a_join_row_without_its_operator_is_refused(planned: Operator, owner: User) -> None:
    milk = create_batch(planned, owner, "M-1", "raw_milk", started_at=timezone.now())
    cheese = create_batch(planned, owner, "K-1", "Hoevekaas", started_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        cheese.made_from.add(milk)


def test_the_migration_gives_each_join_row_the_operator_of_its_batch_or_deviation(
    planned: Operator, owner: User, other: Operator
) -> None:
    _milk_and_cheese_with_a_deviation(planned, owner)
    BatchSource.objects.update(operator=other)
    DeviationLot.objects.update(operator=other)

    fill_operator(apps, None)

    assert set(BatchSource.objects.values_list("operator", flat=True)) == {planned.pk}
    assert set(DeviationLot.objects.values_list("operator", flat=True)) == {planned.pk}
    assert DeviationLot.objects.count() == 2


def test_the_back_office_shows_a_batchs_sources_and_a_deviations_lots(
    planned: Operator, owner: User, admin_client: Client
) -> None:
    _milk_and_cheese_with_a_deviation(planned, owner)
    cheese = Batch.objects.get(lot_code="K-1")
    deviation = Deviation.objects.get()

    batch_page = admin_client.get(reverse("admin:records_batch_change", args=[cheese.pk]))
    deviation_page = admin_client.get(
        reverse("admin:records_deviation_change", args=[deviation.pk])
    )

    assert batch_page.status_code == deviation_page.status_code == 200
    assert "M-1" in batch_page.text
    assert "K-1" in deviation_page.text and "M-1" in deviation_page.text
