"""Pages of the loggers: import with a preview, the day page, roles and tenancy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dairyhaccp.web.loggers.models import DayJudgement, DaySeries, Device, LoggerFile
from dairyhaccp.web.loggers.services import (
    DeviceSettings,
    ReadSettings,
    create_device,
    store_file,
    upload_file,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.services import create_room

from ..tenancy import Tenancy
from .conftest import day_of, local, series_csv

pytestmark = pytest.mark.django_db

NOW = local(2026, 1, 14, 12, 0)
EN = {"accept-language": "en"}


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"loggers:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def _upload(client: Client, device: Device, content: bytes, name: str = "koelcel.csv") -> Any:
    return client.post(
        url("upload", device.operator),
        {"device": device.pk, "file": SimpleUploadedFile(name, content)},
        headers=EN,
    )


def _warm_day() -> bytes:
    temperatures = day_of(4.0)
    temperatures[60:64] = [8.5] * 4
    return series_csv(local(2026, 1, 12), temperatures)


@time_machine.travel(NOW, tick=False)
def test_an_upload_is_previewed_with_each_day_judged_before_anything_is_stored(
    client: Client, owner: User, device: Device
) -> None:
    client.force_login(owner)

    response = _upload(client, device, _warm_day())

    file = LoggerFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("preview", device.operator, file_id=file.pk)
    page = client.get(response["Location"], headers=EN)
    html = page.content.decode()
    assert page.status_code == 200
    assert "144 readings read" in html
    assert "Read as a generic CSV export" in html
    assert "badge-deviation" in html
    assert "10:00" in html and "10:40" in html  # the excursion
    assert "<svg" in html
    assert "Store 144 new readings" in html
    assert not DaySeries.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_storing_the_preview_stores_the_days_and_registers_them(
    client: Client, owner: User, device: Device
) -> None:
    client.force_login(owner)
    _upload(client, device, _warm_day())
    file = LoggerFile.objects.get()

    response = client.post(url("preview", device.operator, file_id=file.pk), headers=EN)

    assert response.status_code == 302
    assert response["Location"] == url("device", device.operator, device_id=device.pk)
    judgement = DayJudgement.objects.get()
    assert judgement.verdict == "deviation"
    assert Registration.objects.get().verdict == "deviation"
    page = client.get(response["Location"], headers=EN)
    assert "1 day stored from koelcel.csv" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_file_without_known_headings_asks_for_the_columns_and_reads_with_them(
    client: Client, owner: User, device: Device
) -> None:
    client.force_login(owner)
    content = "Wanneer;Koelcel 2;Deur\n12/01/2026 00:00;4,5;dicht\n12/01/2026 00:10;4,6;dicht\n"
    _upload(client, device, content.encode())
    file = LoggerFile.objects.get()

    first = client.get(url("preview", device.operator, file_id=file.pk), headers=EN)
    mapped = client.get(
        url("preview", device.operator, file_id=file.pk),
        {"time_column": "Wanneer", "temperature_column": "2", "zone": "Europe/Brussels"},
        headers=EN,
    )

    assert "choose the columns below" in first.content.decode()
    assert '<details class="loggers-read" open>' in first.content.decode()
    html = mapped.content.decode()
    assert "2 readings read" in html
    assert 'name="time_column" value="Wanneer"' in html  # kept for storing


@time_machine.travel(NOW, tick=False)
def test_a_bad_cell_is_named_with_its_line_and_column_in_the_page_language(
    client: Client, owner: User, device: Device
) -> None:
    client.force_login(owner)
    _upload(client, device, b"Tijd;Temperatuur\n12/01/2026 00:00;4,5\n12/01/2026 00:10;warm\n")
    file = LoggerFile.objects.get()

    page = client.get(url("preview", device.operator, file_id=file.pk), headers=EN)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Line 3, column" in html and "“warm” is not a number" in html
    assert "Store" not in html


@time_machine.travel(NOW, tick=False)
def test_columns_without_a_heading_line_must_be_numbers(
    client: Client, owner: User, device: Device
) -> None:
    client.force_login(owner)
    _upload(client, device, b"12/01/2026 00:00;4,5\n12/01/2026 00:10;4,6\n")
    file = LoggerFile.objects.get()

    refused = client.get(
        url("preview", device.operator, file_id=file.pk),
        {"time_column": "Tijd", "temperature_column": "2", "no_header": "on"},
        headers=EN,
    )
    read = client.get(
        url("preview", device.operator, file_id=file.pk),
        {"time_column": "1", "temperature_column": "2", "no_header": "on"},
        headers=EN,
    )

    assert "give the column&#x27;s number" in refused.content.decode()
    assert "2 readings read" in read.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"\x00\x01\x02binary", "NUL"),
        (b"a;b\n1;2\n", "names a time and a temperature"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_files_get_a_clear_message_never_a_500(
    client: Client, owner: User, device: Device, content: bytes, message: str
) -> None:
    client.force_login(owner)
    response = _upload(client, device, content)
    if response.status_code == 302:
        response = client.get(response["Location"], headers=EN)
    assert response.status_code == 200
    assert message in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_day_page_plots_the_series_with_its_limits_and_excursions(
    client: Client, owner: User, device: Device
) -> None:
    file = upload_file(device, owner, "k.csv", _warm_day())
    store_file(file, ReadSettings(), owner)
    client.force_login(owner)

    page = client.get(
        url("day", device.operator, device_id=device.pk, day="2026-01-12"), headers=EN
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="loggers-plot"' in html and 'class="limit"' in html
    assert "band-deviation" in html
    assert "max. 7 °C" in html and "up to 10 °C" in html
    assert "The day lasts 24 hours" in html
    assert "The room's registration for this day" in html
    assert "Deviation" in html


@pytest.mark.parametrize(("day", "hours"), [("2026-03-29", 23), ("2026-10-25", 25)])
def test_the_day_page_of_a_clock_change_tells_its_length(
    client: Client, owner: User, device: Device, day: str, hours: int
) -> None:
    with time_machine.travel(local(2026, 11, 2, 12, 0), tick=False):
        when = date.fromisoformat(day)
        content = series_csv(local(when.year, when.month, when.day), day_of(4.0, hours * 6))
        store_file(upload_file(device, owner, "d.csv", content), ReadSettings(), owner)
        client.force_login(owner)
        page = client.get(url("day", device.operator, device_id=device.pk, day=day), headers=EN)
    html = page.content.decode()
    assert f"The day lasts {hours} hours" in html
    assert f"{hours * 6} readings" in html
    assert "badge-conform" in html


def test_a_day_without_readings_or_not_a_day_is_404(
    client: Client, owner: User, device: Device
) -> None:
    client.force_login(owner)
    for day in ("2026-01-12", "2026-13-40", "1999-12-31", "x"):
        page = client.get(url("day", device.operator, device_id=device.pk, day=day))
        assert page.status_code == 404


def test_adding_a_logger_to_a_room(client: Client, owner: User, cold_room: Any) -> None:
    client.force_login(owner)

    response = client.post(
        url("device-new", cold_room.operator),
        {"name": "Logger 2", "room": cold_room.pk, "serial": "X1", "max_interval_min": "10"},
    )

    device = Device.objects.get(name="Logger 2")
    assert response.status_code == 302
    assert (device.room, device.max_interval_min, device.created_by) == (cold_room, 10, owner)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "max_interval_min": "10"}, "name"),
        ({"name": "a\x00b", "max_interval_min": "10"}, "name"),
        ({"name": "x" * 101, "max_interval_min": "10"}, "name"),
        ({"name": "L", "max_interval_min": "0"}, "max_interval_min"),
        ({"name": "L", "max_interval_min": "1e300"}, "max_interval_min"),
    ],
)
def test_a_bad_logger_is_refused_next_to_the_field(
    client: Client, owner: User, cold_room: Any, data: dict[str, str], field: str
) -> None:
    client.force_login(owner)
    response = client.post(url("device-new", cold_room.operator), {"room": cold_room.pk, **data})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Device.objects.exists()


def test_another_room_of_another_operator_cannot_be_chosen(
    client: Client, owner: User, planned: Operator, tenancy: Tenancy
) -> None:
    foreign_room = create_room(tenancy.foreign_operator, "Vreemd", "cold_room")
    client.force_login(owner)
    response = client.post(
        url("device-new", planned), {"name": "L", "room": foreign_room.pk, "max_interval_min": "10"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["room"]


def test_a_token_is_shown_once_and_works(client: Client, owner: User, device: Device) -> None:
    client.force_login(owner)

    page = client.post(url("device-token", device.operator, device_id=device.pk), headers=EN)

    html = page.content.decode()
    assert "shown only this once" in html
    token = html.split('class="loggers-secret">')[1].split("<")[0]
    device.refresh_from_db()
    assert token.startswith("dhl_") and device.token_hash and token not in device.token_hash
    assert f"/api/loggers/devices/{device.pk}/readings" in html


# Tenancy and roles: every page of the loggers.


def _device_kwargs(operator: Operator) -> Mapping[str, Any]:
    from django.contrib.auth.models import User as UserModel

    user = UserModel.objects.create_user(f"maker-{operator.slug}")
    room = create_room(
        operator, f"Cel {operator.slug}", "cold_room", storage_category="dairy_chilled"
    )
    return {"device_id": create_device(operator, user, DeviceSettings("L", room)).pk}


def _day_kwargs(operator: Operator) -> Mapping[str, Any]:
    kwargs = _device_kwargs(operator)
    device = Device.objects.get(pk=kwargs["device_id"])
    with time_machine.travel(NOW, tick=False):
        store_file(
            upload_file(
                device, device.created_by, "x.csv", series_csv(local(2026, 1, 12), day_of(4, 6))
            ),
            ReadSettings(),
            device.created_by,
        )
    return {**kwargs, "day": "2026-01-12"}


def _file_kwargs(operator: Operator) -> Mapping[str, Any]:
    device = Device.objects.get(pk=_device_kwargs(operator)["device_id"])
    file = upload_file(device, device.created_by, "x.csv", b"Time,Temperature\n")
    return {"file_id": file.pk}


ROUTES: list[tuple[str, Callable[[Operator], Mapping[str, Any]] | None, tuple[str, ...]]] = [
    ("index", None, ("get",)),
    ("device-new", None, ("get", "post")),
    ("upload", None, ("get", "post")),
    ("device", _device_kwargs, ("get",)),
    ("device-edit", _device_kwargs, ("get", "post")),
    ("device-token", _device_kwargs, ("post",)),
    ("day", _day_kwargs, ("get",)),
    ("preview", _file_kwargs, ("get", "post")),
]


@pytest.mark.parametrize(("name", "kwargs", "methods"), ROUTES)
def test_every_page_refuses_another_operator(
    client: Client,
    tenancy: Tenancy,
    name: str,
    kwargs: Callable[[Operator], Mapping[str, Any]] | None,
    methods: tuple[str, ...],
) -> None:
    tenancy.assert_refused(client, f"loggers:{name}", object_kwargs=kwargs, methods=methods)


WRITES = ["device-new", "upload", "device-edit", "device-token", "preview"]


@pytest.mark.parametrize("name", WRITES)
def test_an_auditor_may_not_write(
    client: Client, auditor: User, device: Device, owner: User, name: str
) -> None:
    file = upload_file(device, owner, "x.csv", b"Time,Temperature\n")
    kwargs = {
        "device-edit": {"device_id": device.pk},
        "device-token": {"device_id": device.pk},
        "preview": {"file_id": file.pk},
    }.get(name, {})
    client.force_login(auditor)

    assert client.post(url(name, device.operator, **kwargs)).status_code == 403
    assert client.get(url(name, device.operator, **kwargs)).status_code in (403, 405)
    device.refresh_from_db()
    assert device.token_hash is None


@time_machine.travel(NOW, tick=False)
def test_an_auditor_reads_every_page(
    client: Client, auditor: User, device: Device, owner: User
) -> None:
    store_file(upload_file(device, owner, "x.csv", _warm_day()), ReadSettings(), owner)
    client.force_login(auditor)
    for name, kwargs in (
        ("index", {}),
        ("device", {"device_id": device.pk}),
        ("day", {"device_id": device.pk, "day": "2026-01-12"}),
    ):
        page = client.get(url(name, device.operator, **kwargs), headers=EN)
        assert page.status_code == 200, name
        assert "Import a file" not in page.content.decode()


@pytest.mark.parametrize("name", ["device-new", "upload"])
def test_staff_may_write(client: Client, staff: User, planned: Operator, name: str) -> None:
    client.force_login(staff)
    assert client.get(url(name, planned)).status_code == 200


def test_the_pages_need_a_login(client: Client, device: Device) -> None:
    response = client.get(url("index", device.operator))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "params",
    [
        {"time_column": "Tijd\x00", "temperature_column": "2"},
        {"time_column": "x" * 300, "temperature_column": "2"},
        {"time_column": "99999999999999999999", "temperature_column": "2"},
        {"zone": "Mars/Olympus"},
        {"layout": "excel"},
        {"temperature_column": "2"},
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_reading_settings_are_refused_next_to_the_field(
    client: Client, owner: User, device: Device, params: dict[str, str]
) -> None:
    client.force_login(owner)
    file = upload_file(device, owner, "k.csv", series_csv(local(2026, 1, 12), day_of(4.0, 3)))

    page = client.get(url("preview", device.operator, file_id=file.pk), params, headers=EN)

    assert page.status_code == 200
    assert page.context["form"].errors
    assert page.context["preview"] is None
    assert 'class="field-error"' in page.content.decode()
