"""A logger's day and the registration it becomes are judged alike: the registration carries the
day's peak and longest excursion to the one judge, whose verdict must be the series' own."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User

from dairyhaccp.web.loggers.models import DayJudgement, Device
from dairyhaccp.web.loggers.services import ReadSettings, store_file, upload_file
from dairyhaccp.web.records.models import Deviation

from .conftest import day_of, local, series_csv

pytestmark = pytest.mark.django_db

# Peaks around the 7 °C maximum and the 10 °C ceiling of chilled dairy; lengths around the
# 30 allowed minutes (readings every 5 minutes: n readings above last 5·n minutes).
PEAKS = (7.0, 7.1, 9.9, 10.0, 10.1, 12.0)
READINGS_ABOVE = (1, 5, 6, 7, 30)
CASES = list(itertools.product(PEAKS, READINGS_ABOVE))


def test_every_day_registers_with_the_verdict_of_its_series(device: Device, owner: User) -> None:
    per_day = 288  # every 5 minutes
    temperatures: list[float] = []
    for peak, above in CASES:
        day = day_of(4.0, per_day)
        day[100 : 100 + above] = [peak] * above
        temperatures.extend(day)
    start = local(2026, 1, 1)
    with time_machine.travel(start + timedelta(days=len(CASES) + 2), tick=False):
        content = series_csv(start, temperatures, timedelta(minutes=5))
        store_file(upload_file(device, owner, "cases.csv", content), ReadSettings(), owner)

    judgements = list(DayJudgement.objects.filter(device=device).order_by("day"))
    assert len(judgements) == len(CASES)
    for (peak, above), judgement in zip(CASES, judgements, strict=True):
        registration = judgement.registration
        assert registration is not None, (peak, above)
        assert registration.verdict == judgement.verdict, (peak, above, judgement.excursions)
        expected = "conform"
        if peak > 7.0:
            expected = "deviation" if peak > 10.0 or above * 5 > 30 else "warning"
        assert judgement.verdict == expected, (peak, above)
        has_deviation = Deviation.objects.filter(registration=registration).exists()
        assert has_deviation == (expected == "deviation")
