"""Pasteuriser traces of a batch: import with a preview, lethality, the one judge, pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dairyhaccp.monitoring import check, measurement_from_dict
from dairyhaccp.web.loggers.models import PasteurisationTrace, TraceFile
from dairyhaccp.web.loggers.services import LoggerError, ReadSettings
from dairyhaccp.web.loggers.services.traces import preview_trace, store_trace, upload_trace
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch, Deviation, Registration
from dairyhaccp.web.records.selectors import operator_plan
from dairyhaccp.web.records.services import create_batch

from ..records.conftest import demo_profile
from ..tenancy import Tenancy
from .conftest import BRUSSELS, local

pytestmark = pytest.mark.django_db

NOW = local(2026, 1, 14, 12, 0)
EN = {"accept-language": "en"}
START = local(2026, 1, 14, 9, 0)


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"loggers:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def trace_csv(
    temperatures: Sequence[float], start: datetime = START, step: timedelta = timedelta(seconds=1)
) -> bytes:
    """A pasteuriser recorder's export: local times with seconds, decimal comma, semicolons."""
    lines = ["Tijd;Temperatuur (°C)"]
    moment = start.astimezone(ZoneInfo("UTC"))
    for value in temperatures:
        wall = moment.astimezone(BRUSSELS)
        lines.append(f"{wall:%d/%m/%Y %H:%M:%S};{value:.1f}".replace(".", ","))
        moment += step
    return ("\n".join(lines) + "\n").encode()


def held(temperature: float, seconds: int) -> list[float]:
    """Heated from 40 °C, held `seconds` at `temperature` (a reading a second), cooled."""
    return [40.0] * 5 + [temperature] * (seconds + 1) + [40.0] * 5


def dipped() -> list[float]:
    """15 s at 72 °C, but 5 of them at 68 °C."""
    values = held(72.0, 15)
    values[10:15] = [68.0] * 5
    return values


@pytest.fixture
def planned(operator: Operator, owner: User) -> Operator:
    save_profile(operator, owner, demo_profile())
    return operator


@pytest.fixture
def yoghurt(planned: Operator, owner: User) -> Batch:
    return create_batch(planned, owner, "Y-1", "Roeryoghurt", started_at=START)


@pytest.fixture
def butter(planned: Operator, owner: User) -> Batch:
    return create_batch(planned, owner, "B-1", "Hoeveboter", started_at=START)


def _store(batch: Batch, user: User, values: Sequence[float]) -> PasteurisationTrace:
    with time_machine.travel(NOW, tick=False):
        file = upload_trace(batch, user, "run.csv", trace_csv(values))
        return store_trace(file, ReadSettings(), user)


def _parity(trace: PasteurisationTrace) -> str:
    """The verdict of the one judge on the registration's own values, asked directly."""
    registration = trace.registration
    assert registration is not None
    current = operator_plan(registration.operator)
    assert current is not None
    measurement = measurement_from_dict(
        {
            "control": registration.control_id,
            "product": registration.product,
            **registration.values,
        },
        current.guide,
    )
    return check(measurement, current.guide, current.plan).verdict.value


def test_milk_held_15_s_at_72_c_is_conform_and_registered_for_the_batch(
    yoghurt: Batch, owner: User
) -> None:
    trace = _store(yoghurt, owner, held(72.0, 15))

    registration = Registration.objects.get()
    assert trace.registration == registration
    assert registration.batch == yoghurt
    assert registration.verdict == "conform"
    assert trace.medium == "milk" and trace.reference_c == 71.7
    assert registration.values["temperature_c"] == 71.7
    assert 15 < registration.values["hold_s"] <= trace.equivalent_s
    assert trace.hold_minimum_c == 72.0 and trace.seconds_below == 0.0
    assert trace.outcome == "pasteurisation_sufficient"
    assert _parity(trace) == registration.verdict
    times, temperatures, _humidity = trace.arrays()
    assert times.size == trace.readings == 26 and temperatures.max() == 72.0


def test_a_trace_that_dips_below_is_a_deviation_with_the_dip_as_evidence(
    yoghurt: Batch, owner: User
) -> None:
    trace = _store(yoghurt, owner, dipped())

    registration = Registration.objects.get()
    assert registration.verdict == "deviation"
    assert Deviation.objects.filter(registration=registration).exists()
    assert trace.equivalent_s < 15
    assert trace.hold_minimum_c == 68.0
    assert trace.seconds_below is not None and trace.seconds_below > 4
    assert trace.outcome == "pasteurisation_insufficient"
    assert _parity(trace) == registration.verdict


def test_cream_at_75_c_for_15_s_is_a_deviation(butter: Batch, owner: User) -> None:
    trace = _store(butter, owner, held(75.0, 15))

    assert trace.medium == "cream" and trace.reference_c == 80.0
    assert trace.registration is not None
    assert trace.registration.verdict == "deviation"
    assert trace.registration.values["temperature_c"] == 80.0
    assert trace.hold_minimum_c is None  # never at 80 °C
    assert _parity(trace) == "deviation"


def test_cream_at_80_c_for_15_s_is_conform(butter: Batch, owner: User) -> None:
    trace = _store(butter, owner, held(80.0, 15))

    assert trace.registration is not None
    assert trace.registration.verdict == "conform"
    assert _parity(trace) == "conform"


@time_machine.travel(NOW, tick=False)
def test_a_preview_stores_nothing_and_the_same_file_is_stored_once(
    yoghurt: Batch, owner: User
) -> None:
    file = upload_trace(yoghurt, owner, "run.csv", trace_csv(held(72.0, 15)))

    preview = preview_trace(file, ReadSettings())

    assert preview.evaluation is not None and preview.evaluation.verdict.value == "conform"
    assert not PasteurisationTrace.objects.exists() and not Registration.objects.exists()
    store_trace(file, ReadSettings(), owner)
    again = upload_trace(yoghurt, owner, "copy.csv", trace_csv(held(72.0, 15)))
    with pytest.raises(LoggerError) as error:
        store_trace(again, ReadSettings(), owner)
    assert error.value.field == "file"
    assert PasteurisationTrace.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_raw_milk_batch_has_no_pasteurisation_to_register(planned: Operator, owner: User) -> None:
    cheese = create_batch(planned, owner, "K-1", "Hoevekaas", started_at=START)
    file = upload_trace(cheese, owner, "run.csv", trace_csv(held(72.0, 15)))

    with translation.override("en"):
        preview = preview_trace(file, ReadSettings())
        with pytest.raises(LoggerError) as error:
            store_trace(file, ReadSettings(), owner)

    assert preview.evaluation is None
    assert "no pasteurisation" in preview.not_judged
    assert error.value.field == "batch"
    assert not Registration.objects.exists()


# Pages


def _upload(client: Client, batch: Batch, content: bytes, name: str = "run.csv") -> Any:
    return client.post(
        url("trace-upload", batch.operator, batch_id=batch.pk),
        {"file": SimpleUploadedFile(name, content)},
        headers=EN,
    )


@time_machine.travel(NOW, tick=False)
def test_an_upload_is_previewed_with_its_verdict_then_stored(
    client: Client, owner: User, yoghurt: Batch
) -> None:
    client.force_login(owner)
    batch_page = client.get(
        reverse(
            "records:batch", kwargs={"operator_slug": yoghurt.operator.slug, "batch_id": yoghurt.pk}
        ),
        headers=EN,
    ).content.decode()
    assert url("batch-traces", yoghurt.operator, batch_id=yoghurt.pk) in batch_page

    response = _upload(client, yoghurt, trace_csv(dipped()))

    file = TraceFile.objects.get()
    assert response["Location"] == url("trace-preview", yoghurt.operator, file_id=file.pk)
    html = client.get(response["Location"], headers=EN).content.decode()
    assert "26 readings read" in html
    assert "badge-deviation" in html
    assert "<svg" in html and "reference 71.7 °C" in html
    assert "Lowest in the hold" in html and "68" in html
    assert not PasteurisationTrace.objects.exists()

    stored = client.post(response["Location"], headers=EN)

    trace = PasteurisationTrace.objects.get()
    assert stored["Location"] == url("trace", yoghurt.operator, trace_id=trace.pk)
    page = client.get(stored["Location"], headers=EN).content.decode()
    assert "badge-deviation" in page
    assert "<svg" in page and 'class="limit"' in page
    assert "pasteurisation registration" in page
    listing = client.get(url("batch-traces", yoghurt.operator, batch_id=yoghurt.pk), headers=EN)
    assert url("trace", yoghurt.operator, trace_id=trace.pk) in listing.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_malformed_trace_names_the_line_and_the_column(
    client: Client, owner: User, yoghurt: Batch
) -> None:
    client.force_login(owner)
    content = trace_csv(held(72.0, 15)).decode().replace(";72,0\n", ";72,x\n", 1).encode()
    _upload(client, yoghurt, content)
    file = TraceFile.objects.get()

    page = client.get(url("trace-preview", yoghurt.operator, file_id=file.pk), headers=EN)
    stored = client.post(url("trace-preview", yoghurt.operator, file_id=file.pk), headers=EN)

    html = page.content.decode()
    assert page.status_code == 200
    assert "line 7" in html.lower() and "Temperatuur" in html
    assert stored.status_code == 200
    assert not PasteurisationTrace.objects.exists() and not Registration.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_empty_upload_is_refused_next_to_the_field(
    client: Client, owner: User, yoghurt: Batch
) -> None:
    client.force_login(owner)

    response = _upload(client, yoghurt, b"")

    assert response.status_code == 200
    assert not TraceFile.objects.exists()


def _batch_kwargs(operator: Operator) -> Mapping[str, Any]:
    user = get_user_model().objects.create_user(f"maker-{operator.slug}")
    save_profile(operator, user, demo_profile())
    batch = create_batch(operator, user, f"L-{operator.slug}", "Roeryoghurt", started_at=START)
    return {"batch_id": batch.pk}


def _file_kwargs(operator: Operator) -> Mapping[str, Any]:
    batch = Batch.objects.get(pk=_batch_kwargs(operator)["batch_id"])
    file = upload_trace(batch, batch.created_by, "x.csv", trace_csv(held(72.0, 15)))
    return {"file_id": file.pk}


def _trace_kwargs(operator: Operator) -> Mapping[str, Any]:
    batch = Batch.objects.get(pk=_batch_kwargs(operator)["batch_id"])
    return {"trace_id": _store(batch, batch.created_by, held(72.0, 15)).pk}


ROUTES: list[tuple[str, Callable[[Operator], Mapping[str, Any]], tuple[str, ...]]] = [
    ("batch-traces", _batch_kwargs, ("get",)),
    ("trace-upload", _batch_kwargs, ("get", "post")),
    ("trace-preview", _file_kwargs, ("get", "post")),
    ("trace", _trace_kwargs, ("get",)),
]


@pytest.mark.parametrize(("name", "kwargs", "methods"), ROUTES)
def test_every_trace_page_refuses_another_operator(
    client: Client,
    tenancy: Tenancy,
    name: str,
    kwargs: Callable[[Operator], Mapping[str, Any]],
    methods: tuple[str, ...],
) -> None:
    tenancy.assert_refused(client, f"loggers:{name}", object_kwargs=kwargs, methods=methods)


@time_machine.travel(NOW, tick=False)
def test_an_auditor_reads_the_traces_but_may_not_import(
    client: Client, auditor: User, owner: User, yoghurt: Batch
) -> None:
    trace = _store(yoghurt, owner, held(72.0, 15))
    file = upload_trace(yoghurt, owner, "y.csv", trace_csv(held(73.0, 15)))
    client.force_login(auditor)

    for name, kwargs in (
        ("batch-traces", {"batch_id": yoghurt.pk}),
        ("trace", {"trace_id": trace.pk}),
    ):
        page = client.get(url(name, yoghurt.operator, **kwargs), headers=EN)
        assert page.status_code == 200, name
        assert "Import a pasteuriser trace" not in page.content.decode()
    for name, kwargs in (
        ("trace-upload", {"batch_id": yoghurt.pk}),
        ("trace-preview", {"file_id": file.pk}),
    ):
        assert client.get(url(name, yoghurt.operator, **kwargs)).status_code == 403
        assert client.post(url(name, yoghurt.operator, **kwargs)).status_code == 403
    assert PasteurisationTrace.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_staff_may_import_a_trace(client: Client, staff: User, yoghurt: Batch) -> None:
    client.force_login(staff)

    assert client.get(url("trace-upload", yoghurt.operator, batch_id=yoghurt.pk)).status_code == 200
    _upload(client, yoghurt, trace_csv(held(72.0, 15)))
    file = TraceFile.objects.get()
    stored = client.post(url("trace-preview", yoghurt.operator, file_id=file.pk), headers=EN)

    assert stored.status_code == 302
    assert PasteurisationTrace.objects.get().stored_by == staff


def test_the_trace_pages_need_a_login(client: Client, yoghurt: Batch) -> None:
    response = client.get(url("batch-traces", yoghurt.operator, batch_id=yoghurt.pk))
    assert response.status_code == 302 and "login" in response["Location"]
