"""A record's `get_<field>_display()` gives Django's label in the active language."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from dairyhaccp.web.operators.models import TenantModel
from dairyhaccp.web.records.models import Deviation

pytestmark = pytest.mark.django_db


def _choice_fields() -> list[tuple[type[models.Model], models.Field]]:  # type: ignore[type-arg]
    return [
        (model, field)
        for model in apps.get_models()
        if issubclass(model, TenantModel)
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_every_label_in_every_language_is_djangos() -> None:
    fields = _choice_fields()
    assert len(fields) > 10
    for language in ("nl", "fr", "en", "nl"):
        with translation.override(language):
            for model, field in fields:
                for value in [choice for choice, _ in field.flatchoices] + ["not-a-choice", ""]:
                    record = model(**{field.attname: value})
                    expected = models.Model._get_FIELD_display(record, field)  # type: ignore[attr-defined]
                    assert getattr(record, f"get_{field.name}_display")() == expected


def test_the_label_follows_the_language_switched_to() -> None:
    deviation = Deviation(status="closed")
    labels = []
    for language in ("en", "nl", "fr", "en"):
        with translation.override(language):
            labels.append(deviation.get_status_display())
    assert labels == ["Closed", "Afgesloten", "Clôturé", "Closed"]
