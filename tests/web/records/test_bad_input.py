"""Bad input is refused naming the field, on every path, and nothing is stored."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.records.models import Batch, Registration, Room
from dairyhaccp.web.records.services import (
    RegistrationError,
    RegistrationInput,
    create_batch,
    create_room,
    record_registration,
)


def _api(client: Client, owner: User, operator: Operator, path: str, data: Any) -> Any:
    token = issue_api_token(owner, operator).clear_token
    return client.post(
        path, data, content_type="application/json", headers={"authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize(
    "measured_at",
    ["0001-01-01T00:00:00+14:00", "1999-12-31T23:59:00+01:00", "2999-01-01T00:00:00+01:00"],
)
def test_a_registration_dated_out_of_bounds_is_refused_on_both_databases(
    client: Client, owner: User, planned: Operator, measured_at: str
) -> None:
    response = _api(
        client,
        owner,
        planned,
        "/api/registrations",
        {"control": "PVA 1", "visual_ok": True, "measured_at": measured_at},
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith("measured_at:")
    assert not Registration.objects.exists()
    # the list still answers afterwards
    token = issue_api_token(owner, planned).clear_token
    listing = client.get("/api/registrations", headers={"authorization": f"Bearer {token}"})
    assert listing.status_code == 200


def test_a_batch_from_year_one_is_refused(planned: Operator, owner: User) -> None:
    from datetime import UTC

    with pytest.raises(RegistrationError) as caught:
        create_batch(planned, owner, "K-1", "Hoevekaas", started_at=datetime(1, 1, 1, tzinfo=UTC))
    assert caught.value.field == "started_at"
    assert not Batch.objects.exists()


def test_a_lot_code_longer_than_its_column_is_refused_also_on_sqlite(
    planned: Operator, owner: User
) -> None:
    with pytest.raises(RegistrationError) as caught:
        create_batch(planned, owner, "K" * 61, "Hoevekaas")
    assert caught.value.field == "lot_code"
    assert not Batch.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("remark", "a\x00b"), ("delivery", "x" * 201)])
def test_text_that_its_column_cannot_hold_is_refused_by_the_service(
    planned: Operator, owner: User, field: str, value: str
) -> None:
    data = RegistrationInput(control_id="PVA 1", values={"visual_ok": True}, **{field: value})
    with pytest.raises(RegistrationError) as caught:
        record_registration(planned, owner, data)
    assert caught.value.field == field
    assert not Registration.objects.exists()


def test_a_room_name_with_a_nul_is_refused(planned: Operator) -> None:
    with pytest.raises(RegistrationError) as caught:
        create_room(planned, "Kelder\x00", "ripening_room")
    assert caught.value.field == "name"
    assert not Room.objects.exists()


def test_the_form_puts_the_message_beside_the_field_and_the_cursor_in_it(
    owner_client: Client, planned: Operator
) -> None:
    url = reverse("records:register", kwargs={"operator_slug": planned.slug, "control": "ccp-13"})
    too_early = (timezone.now() - timedelta(days=365 * 30)).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        url,
        {"measured_at": too_early, "temperature_c": "12", "product": "Hoevekaas"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["measured_at"] == ["lies before the year 2000"]
    assert form.fields["measured_at"].widget.attrs.get("autofocus") is True
    assert "autofocus" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_implausible_value_is_refused_next_to_its_field(
    owner_client: Client, planned: Operator
) -> None:
    url = reverse("records:register", kwargs={"operator_slug": planned.slug, "control": "ccp-13"})
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        url, {"measured_at": now, "temperature_c": "1e300", "product": "Hoevekaas"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "temperature_c" in form.errors
    assert form.fields["temperature_c"].widget.attrs.get("autofocus") is True
    assert not Registration.objects.exists()


def _started(operator: Operator, days_ago: int) -> date:
    operator.active_since = timezone.localdate() - timedelta(days=days_ago)
    operator.save(update_fields=["active_since"])
    return operator.active_since


def test_a_registration_dated_before_the_business_started_is_refused(
    planned: Operator, owner: User
) -> None:
    started = _started(planned, 30)
    before = timezone.make_aware(datetime.combine(started - timedelta(days=1), time(12)))
    with translation.override("en"), pytest.raises(RegistrationError) as caught:
        record_registration(
            planned,
            owner,
            RegistrationInput(control_id="PVA 1", values={"visual_ok": True}, measured_at=before),
        )
    assert caught.value.field == "measured_at"
    assert "before the business started" in caught.value.problem
    assert not Registration.objects.exists()
    on_the_day = timezone.make_aware(datetime.combine(started, time(0, 5)))
    record_registration(
        planned,
        owner,
        RegistrationInput(control_id="PVA 1", values={"visual_ok": True}, measured_at=on_the_day),
    )
    assert Registration.objects.count() == 1


def test_a_batch_started_before_the_business_is_refused(planned: Operator, owner: User) -> None:
    started = _started(planned, 10)
    before = timezone.make_aware(datetime.combine(started - timedelta(days=1), time(23, 0)))
    with pytest.raises(RegistrationError) as caught:
        create_batch(planned, owner, "K-1", "Hoevekaas", started_at=before)
    assert caught.value.field == "started_at"
    assert not Batch.objects.exists()


def test_without_a_start_date_only_the_year_2000_bounds_a_record(
    planned: Operator, owner: User
) -> None:
    assert planned.active_since is None
    long_ago = timezone.make_aware(datetime(2001, 5, 1, 9, 0))
    record_registration(
        planned,
        owner,
        RegistrationInput(control_id="PVA 1", values={"visual_ok": True}, measured_at=long_ago),
    )
    assert Registration.objects.count() == 1


def test_the_form_names_the_start_of_the_business_beside_the_field(
    owner_client: Client, planned: Operator
) -> None:
    started = _started(planned, 5)
    url = reverse("records:register", kwargs={"operator_slug": planned.slug, "control": "ccp-13"})
    before = datetime.combine(started - timedelta(days=2), time(9)).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        url,
        {"measured_at": before, "temperature_c": "4", "product": "Hoevekaas"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["measured_at"]
    assert len(errors) == 1 and errors[0].startswith("lies before the business started")
    assert not Registration.objects.exists()
