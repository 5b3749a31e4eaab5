"""Storing, judging and registering logger days through the services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import translation

from dairyhaccp.web.loggers.models import DayJudgement, DaySeries, Device, LoggerFile
from dairyhaccp.web.loggers.services import (
    LoggerError,
    ReadSettings,
    preview_file,
    store_file,
    upload_file,
)
from dairyhaccp.web.records.models import Deviation, Registration

from .conftest import day_of, local, series_csv

pytestmark = pytest.mark.django_db

NOW = local(2026, 1, 14, 12, 0)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages asserted here are the English source texts."""
    with translation.override("en"):
        yield


def _import(device: Device, user: User, content: bytes, name: str = "koelcel.csv") -> LoggerFile:
    file = upload_file(device, user, name, content)
    store_file(file, ReadSettings(), user)
    return file


@time_machine.travel(NOW, tick=False)
def test_a_cold_day_becomes_a_conform_registration_of_the_room(device: Device, owner: User) -> None:
    # given a day of readings every 10 minutes at 4 °C
    content = series_csv(local(2026, 1, 12), day_of(4.0))

    # when the file is imported
    _import(device, owner, content)

    # then the day is stored once, judged conform and registered for the room
    series = DaySeries.objects.get(device=device)
    assert (series.day, series.version, series.readings) == (date(2026, 1, 12), 1, 144)
    judgement = DayJudgement.objects.get(device=device)
    assert judgement.verdict == "conform"
    registration = judgement.registration
    assert registration is not None
    assert registration.room == device.room
    assert registration.verdict == "conform"
    assert registration.values == {"temperature_c": 4.0, "excursion_min": 0.0}
    assert registration.control_id == judgement.control_id


def _with_excursion(value: float, readings: int, at: int = 60) -> list[float]:
    temperatures = day_of(4.0)
    temperatures[at : at + readings] = [value] * readings
    return temperatures


@time_machine.travel(NOW, tick=False)
def test_a_short_fluctuation_is_a_warning_with_the_excursion_in_the_remark(
    device: Device, owner: User
) -> None:
    # 10:00 to 10:20 at 9 °C: 20 minutes, below the 10 °C ceiling of chilled dairy
    _import(device, owner, series_csv(local(2026, 1, 12), _with_excursion(9.0, 2)))

    judgement = DayJudgement.objects.get(device=device)
    assert judgement.verdict == "warning"
    assert (judgement.maximum_c, judgement.ceiling_c) == (7.0, 10.0)
    [excursion] = judgement.excursions
    assert excursion["start_s"] == int(local(2026, 1, 12, 10, 0).timestamp())
    assert excursion["end_s"] == int(local(2026, 1, 12, 10, 20).timestamp())
    assert (excursion["peak_c"], excursion["duration_s"]) == (9.0, 1200)
    registration = judgement.registration
    assert registration is not None and registration.verdict == "warning"
    assert registration.values == {"temperature_c": 9.0, "excursion_min": 20.0}
    assert "10:00" in registration.remark and "10:20" in registration.remark
    assert not Deviation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_long_excursion_opens_a_deviation_with_the_corrective_actions(
    device: Device, owner: User
) -> None:
    # 40 minutes at 8 °C: longer than the allowed short fluctuation
    _import(device, owner, series_csv(local(2026, 1, 12), _with_excursion(8.0, 4)))

    judgement = DayJudgement.objects.get(device=device)
    assert judgement.verdict == "deviation"
    assert judgement.longest_excursion_min == 40
    registration = judgement.registration
    assert registration is not None and registration.verdict == "deviation"
    deviation = Deviation.objects.get(registration=registration)
    assert deviation.is_open and deviation.control_id == judgement.control_id


@time_machine.travel(NOW, tick=False)
def test_a_peak_above_the_ceiling_is_a_deviation_however_short(device: Device, owner: User) -> None:
    _import(device, owner, series_csv(local(2026, 1, 12), _with_excursion(10.5, 1)))

    judgement = DayJudgement.objects.get(device=device)
    assert judgement.verdict == "deviation"
    assert judgement.excursions[0]["above_ceiling"] is True
    assert judgement.registration is not None
    assert judgement.registration.values["temperature_c"] == 10.5


@time_machine.travel(NOW, tick=False)
def test_a_freezer_is_judged_at_minus_18_with_a_ceiling_of_minus_15(
    freezer_device: Device, owner: User
) -> None:
    temperatures = day_of(-20.0)
    temperatures[30:32] = [-16.0, -16.5]
    _import(freezer_device, owner, series_csv(local(2026, 1, 12), temperatures))

    judgement = DayJudgement.objects.get(device=freezer_device)
    assert (judgement.maximum_c, judgement.ceiling_c) == (-18.0, -15.0)
    assert judgement.verdict == "warning"
    assert judgement.registration is not None and judgement.registration.verdict == "warning"


@time_machine.travel(NOW, tick=False)
def test_importing_the_same_file_again_changes_nothing(device: Device, owner: User) -> None:
    content = series_csv(local(2026, 1, 12), day_of(4.0))
    _import(device, owner, content)

    _import(device, owner, content)

    assert DaySeries.objects.filter(device=device).count() == 1
    assert DayJudgement.objects.filter(device=device).count() == 1
    assert Registration.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_more_readings_of_a_day_make_a_new_version_and_correct_the_registration(
    device: Device, owner: User
) -> None:
    # given the morning of a day, imported
    _import(device, owner, series_csv(local(2026, 1, 12), day_of(4.0, 72)))
    first = DayJudgement.objects.get(device=device)
    assert first.verdict == "incomplete"  # the afternoon is missing

    # when the whole day comes, with a warm afternoon
    temperatures = day_of(4.0)
    temperatures[100:102] = [8.0, 8.0]
    _import(device, owner, series_csv(local(2026, 1, 12), temperatures))

    # then the day has a second version holding every reading, and the registration a correction
    versions = list(DaySeries.objects.filter(device=device).order_by("version"))
    assert [(v.version, v.readings, v.added) for v in versions] == [(1, 72, 72), (2, 144, 72)]
    times, _values, _humidity = versions[1].arrays()
    assert times.size == 144 and np.all(np.diff(times) == 600)
    second = DayJudgement.objects.filter(device=device).order_by("-pk").first()
    assert second is not None and second.verdict == "warning"
    assert second.registration is not None and first.registration is not None
    assert second.registration.chain == first.registration.chain
    assert second.registration.version == 2
    assert second.registration.corrects_id == first.registration.pk
    assert second.registration.correction_reason


@time_machine.travel(NOW, tick=False)
def test_a_reading_that_contradicts_a_stored_one_refuses_the_file(
    device: Device, owner: User
) -> None:
    _import(device, owner, series_csv(local(2026, 1, 12), day_of(4.0)))
    changed = day_of(4.0)
    changed[5] = 5.0
    file = upload_file(device, owner, "again.csv", series_csv(local(2026, 1, 12), changed))

    with pytest.raises(LoggerError) as refused:
        store_file(file, ReadSettings(), owner)

    assert "never changed" in refused.value.problem
    assert DaySeries.objects.filter(device=device).count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_day_in_progress_is_stored_and_judged_once_it_is_over(
    device: Device, owner: User
) -> None:
    from dairyhaccp.web.loggers.services import close_days

    _import(device, owner, series_csv(local(2026, 1, 14), day_of(4.0, 60)))
    assert DaySeries.objects.filter(device=device, day=date(2026, 1, 14)).exists()
    assert not DayJudgement.objects.exists()

    with time_machine.travel(local(2026, 1, 15, 0, 5), tick=False):
        judged = close_days(device, owner)

    assert [j.day for j in judged] == [date(2026, 1, 14)]
    assert judged[0].verdict == "incomplete"  # nothing after 09:50
    assert judged[0].registration is not None


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 1, 12), 24)]
)
def test_a_day_the_clocks_change_has_its_own_length(
    device: Device, owner: User, day: date, hours: int
) -> None:
    with time_machine.travel(local(2026, 11, 2, 12, 0), tick=False):
        start = local(day.year, day.month, day.day)
        _import(device, owner, series_csv(start, day_of(4.0, hours * 6)))

        series = DaySeries.objects.get(device=device)
        judgement = DayJudgement.objects.get(device=device)
    assert series.day == day
    assert series.readings == hours * 6
    assert judgement.readings == hours * 6
    assert judgement.verdict == "conform"
    assert judgement.gaps == []


@time_machine.travel(NOW, tick=False)
def test_an_excursion_across_midnight_is_measured_whole_on_both_days(
    device: Device, owner: User
) -> None:
    # 23:30 to 00:30 at 8 °C: one hour, across midnight
    temperatures = day_of(4.0, 288)
    temperatures[141:147] = [8.0] * 6
    _import(device, owner, series_csv(local(2026, 1, 12), temperatures))

    for day in (date(2026, 1, 12), date(2026, 1, 13)):
        judgement = DayJudgement.objects.get(device=device, day=day)
        assert judgement.verdict == "deviation"
        assert judgement.excursions[0]["duration_s"] == 3600


@time_machine.travel(NOW, tick=False)
def test_the_next_day_arriving_later_judges_the_day_before_again(
    device: Device, owner: User
) -> None:
    # the 12th ends warm: its excursion is open at the end, 20 minutes so far
    first_day = day_of(4.0)
    first_day[142:] = [8.0, 8.0]
    _import(device, owner, series_csv(local(2026, 1, 12), first_day))
    assert DayJudgement.objects.get(device=device, day=date(2026, 1, 12)).verdict == "warning"

    # the 13th starts warm: the excursion lasted 60 minutes in all
    second_day = day_of(4.0)
    second_day[:4] = [8.0] * 4
    _import(device, owner, series_csv(local(2026, 1, 13), second_day))

    latest = DayJudgement.objects.filter(device=device, day=date(2026, 1, 12)).order_by("-pk")
    assert latest[0].verdict == "deviation"
    assert latest[0].registration is not None and latest[0].registration.version == 2


@time_machine.travel(NOW, tick=False)
def test_the_preview_stores_nothing_and_tells_each_day(device: Device, owner: User) -> None:
    file = upload_file(device, owner, "k.csv", series_csv(local(2026, 1, 12), day_of(4.0, 200)))

    preview = preview_file(file, ReadSettings())

    assert [(d.day, d.in_file, d.added, d.version) for d in preview.days] == [
        (date(2026, 1, 12), 144, 144, 1),
        (date(2026, 1, 13), 56, 56, 1),
    ]
    assert preview.days[0].summary is not None
    assert preview.days[0].summary.verdict == "conform"
    assert not DaySeries.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_without_a_plan_days_are_stored_and_judged_once_there_is_one(operator, owner: User) -> None:
    from dairyhaccp.web.loggers.services import DeviceSettings, close_days, create_device
    from dairyhaccp.web.plans.services import save_profile
    from dairyhaccp.web.records.services import create_room

    from ..records.conftest import demo_profile

    room = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    device = create_device(operator, owner, DeviceSettings("L1", room))
    _import(device, owner, series_csv(local(2026, 1, 12), day_of(4.0)))
    assert DaySeries.objects.count() == 1 and not DayJudgement.objects.exists()

    save_profile(operator, owner, demo_profile())
    close_days(device, owner)

    assert DayJudgement.objects.get(device=device).verdict == "conform"


@time_machine.travel(NOW, tick=False)
def test_times_before_2000_are_refused(device: Device, owner: User) -> None:
    content = b"Time,Temperature\n1999-12-31 23:50,4.0\n2000-01-01 00:00,4.0\n"
    file = upload_file(device, owner, "old.csv", content)

    with pytest.raises(LoggerError) as refused:
        preview_file(file, ReadSettings())

    assert "Line 2" in refused.value.problem and "2000" in refused.value.problem


def test_readings_in_the_future_are_refused(device: Device, owner: User) -> None:
    with time_machine.travel(local(2026, 1, 12, 12, 0), tick=False):
        content = series_csv(local(2026, 1, 12, 11, 0), day_of(4.0, 12))
        file = upload_file(device, owner, "f.csv", content)
        with pytest.raises(LoggerError) as refused:
            preview_file(file, ReadSettings())
    assert "future" in refused.value.problem


def test_a_whole_day_of_a_minute_logger_takes_little_room(device: Device, owner: User) -> None:
    with time_machine.travel(NOW, tick=False):
        rng = np.random.default_rng(7)
        temperatures = list(np.round(4 + rng.normal(0, 0.3, 1440), 1))
        _import(device, owner, series_csv(local(2026, 1, 12), temperatures, timedelta(minutes=1)))
    series = DaySeries.objects.get(device=device)
    assert series.readings == 1440
    assert len(bytes(series.data)) < 3000
