"""What the evidence chain hashes of a row: read back the same way by its fast path and by the
plain rule value by value, so chains made before keep verifying."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from dairyhaccp.web.evidence.canonical import _plain, rows_data
from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import AppendOnlyModel, Operator
from dairyhaccp.web.records.services import RegistrationInput, create_batch, record_registration

pytestmark = pytest.mark.django_db


def _value_by_value(model: type[models.Model], ids: list[int]) -> dict[int, dict[str, Any]]:
    fields = list(model._meta.concrete_fields)
    rows = model._base_manager.filter(pk__in=ids).values(*[f.attname for f in fields])
    return {row["id"]: {str(f.column): _plain(row[f.attname], f) for f in fields} for row in rows}


def test_every_chained_table_is_read_back_as_the_plain_rule_reads_it() -> None:
    call_command("load_demo", stdout=StringIO())
    operator = Operator.objects.get(slug="hoeve-voorbeeld")
    owner = operator.memberships.get(role=Role.OWNER).user
    batch = create_batch(
        operator, owner, "Y-9", "Roeryoghurt", started_at=timezone.now() - timedelta(hours=1)
    )
    for hold in (20.0, 5.0):
        record_registration(
            operator,
            owner,
            RegistrationInput("CCP 9", {"temperature_c": 72.0, "hold_s": hold}, batch=batch),
        )
    compared = set()
    for model in apps.get_models():
        if not issubclass(model, AppendOnlyModel):
            continue
        ids = list(model._base_manager.filter(operator=operator).values_list("pk", flat=True))
        if not ids:
            continue
        assert rows_data(model, ids) == _value_by_value(model, ids), model.__name__
        compared.add(model.__name__)
    # text, numbers, dates and times, decimals, UUIDs and JSON among them
    assert {"Registration", "InputLot", "Movement", "DeviationEvent"} <= compared
    assert verify(operator).intact


@pytest.mark.parametrize("text", ["not json", "12", '{"a": 1}', ""])
def test_a_json_value_that_is_text_is_hashed_as_that_text(text: str) -> None:
    # The database layer gives JSON back decoded: a value that is text stays text.
    assert _plain(text, models.JSONField()) == text
