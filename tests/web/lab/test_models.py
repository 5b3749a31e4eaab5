"""Lab records are append-only: a correction is a new version, nothing is overwritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from dairyhaccp.web.lab.models import RawMilkResult
from dairyhaccp.web.lab.services import (
    RawMilkInput,
    correct_raw_milk_result,
    withdraw_raw_milk_result,
)
from dairyhaccp.web.operators.models import AppendOnlyError, Operator

from .conftest import COW

pytestmark = pytest.mark.django_db


def test_a_stored_result_cannot_be_changed_or_deleted(
    farm: Operator, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    result = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 80_000)

    result.count = 10
    with pytest.raises(AppendOnlyError):
        result.save()
    with pytest.raises(AppendOnlyError):
        result.delete()
    with pytest.raises(AppendOnlyError):
        RawMilkResult.objects.filter(pk=result.pk).update(count=10)
    with pytest.raises(AppendOnlyError):
        RawMilkResult.objects.filter(pk=result.pk).delete()


def test_a_correction_is_a_new_version_with_who_when_and_why(
    farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    first = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 800_000)

    data = RawMilkInput(*COW, "plate_count", date(2026, 1, 5), 80_000)
    second = correct_raw_milk_result(farm, owner, first.entry, data, "typo: one zero too many")

    versions = RawMilkResult.objects.filter(entry=first.entry).order_by("version")
    assert [(v.version, v.count) for v in versions] == [(1, 800_000), (2, 80_000)]
    assert second.reason == "typo: one zero too many"
    assert second.recorded_by == owner
    assert list(RawMilkResult.objects.for_operator(farm).current()) == [second]


def test_a_correction_needs_a_reason(
    farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    first = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 800_000)
    data = RawMilkInput(*COW, "plate_count", date(2026, 1, 5), 80_000)

    with pytest.raises(ValidationError) as refused:
        correct_raw_milk_result(farm, owner, first.entry, data, " ")

    assert "reason" in refused.value.message_dict
    assert RawMilkResult.objects.filter(entry=first.entry).count() == 1


def test_a_withdrawn_result_no_longer_counts_but_stays_in_the_history(
    farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    result = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 80_000)

    withdraw_raw_milk_result(farm, owner, result.entry, "sample of the neighbour's tank")

    assert not RawMilkResult.objects.for_operator(farm).current().exists()
    latest = RawMilkResult.objects.get(entry=result.entry, version=2)
    assert latest.withdrawn and latest.count == 80_000
    with pytest.raises(ValidationError) as refused:
        withdraw_raw_milk_result(farm, owner, result.entry, "once more, by mistake")
    assert refused.value.code == "withdrawn"
