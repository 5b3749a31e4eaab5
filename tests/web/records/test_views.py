"""Web pages of the daily self-check: forms judge at once, deviations stay visible, roles hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch, Deviation, Registration, Room
from dairyhaccp.web.records.services import (
    RegistrationInput,
    create_batch,
    create_room,
    record_registration,
)

from .conftest import demo_profile

pytestmark = pytest.mark.django_db


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"records:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_pasteurisation_form_asks_temperature_and_hold_with_a_numeric_keypad(
    owner_client: Client, yoghurt_batch: Batch
) -> None:
    response = owner_client.get(
        url("register", yoghurt_batch.operator, control="ccp-9") + f"?batch={yoghurt_batch.pk}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="temperature_c"' in html and 'name="hold_s"' in html
    assert 'inputmode="decimal"' in html
    assert (
        "hx-get" in html
        and reverse("records:hold-time", kwargs={"operator_slug": "de-wei"}) in html
    )
    assert f'<option value="{yoghurt_batch.pk}" selected>' in html


def test_the_form_tells_the_required_hold_time_at_the_typed_temperature(
    owner_client: Client, planned: Operator
) -> None:
    response = owner_client.get(
        url("hold-time", planned),
        {"control": "ccp-9", "product": "Roeryoghurt", "temperature_c": "70"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "70" in text and "37" in text


def test_the_hold_time_below_the_table_is_not_validated(
    owner_client: Client, planned: Operator
) -> None:
    response = owner_client.get(
        url("hold-time", planned),
        {"control": "ccp-9", "product": "Roeryoghurt", "temperature_c": "60"},
        headers={"accept-language": "en"},
    )
    assert "not validated" in response.content.decode()


def test_posting_a_deviating_pasteurisation_shows_the_deviation_and_opens_it(
    owner_client: Client, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    response = owner_client.post(
        url("register", operator, control="ccp-9"),
        {
            "temperature_c": "70",
            "hold_s": "20",
            "measured_at": local_now(),
            "batch": yoghurt_batch.pk,
            "product": "Roeryoghurt",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.verdict == "deviation"
    assert "verdict-deviation" in html
    deviation = Deviation.objects.get()
    assert url("deviation", operator, deviation_id=deviation.pk) in html


def test_a_comma_is_a_decimal_separator(owner_client: Client, yoghurt_batch: Batch) -> None:
    owner_client.post(
        url("register", yoghurt_batch.operator, control="ccp-9"),
        {
            "temperature_c": "72,5",
            "hold_s": "15",
            "measured_at": local_now(),
            "batch": yoghurt_batch.pk,
        },
    )
    assert Registration.objects.get().values["temperature_c"] == 72.5


def test_a_bad_value_is_shown_on_its_field_and_nothing_is_stored(
    owner_client: Client, yoghurt_batch: Batch
) -> None:
    response = owner_client.post(
        url("register", yoghurt_batch.operator, control="ccp-9"),
        {
            "temperature_c": "950",
            "hold_s": "15",
            "measured_at": local_now(),
            "batch": yoghurt_batch.pk,
        },
    )
    assert response.status_code == 200
    assert "field-invalid" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_last_values_of_a_room_are_filled_in(
    owner: User, owner_client: Client, ripening_room: Room
) -> None:
    record_registration(
        ripening_room.operator,
        owner,
        RegistrationInput("CCP 13", {"temperature_c": 13.5}, room=ripening_room),
    )
    response = owner_client.get(
        url("register", ripening_room.operator, control="ccp-13") + f"?room={ripening_room.pk}"
    )
    assert 'value="13.5"' in response.content.decode()


def test_open_deviations_stay_on_today_until_closed(
    owner: User, owner_client: Client, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    recorded = record_registration(
        operator,
        owner,
        RegistrationInput("CCP 9", {"temperature_c": 70, "hold_s": 20}, batch=yoghurt_batch),
    )
    deviation_url = url("deviation", operator, deviation_id=recorded.deviation.pk)  # type: ignore[union-attr]

    assert deviation_url in owner_client.get(url("today", operator)).content.decode()

    response = owner_client.post(
        url("handle-deviation", operator, deviation_id=recorded.deviation.pk),  # type: ignore[union-attr]
        {"actions": ["ccp9-repasteurise"], "outcome": "repasteurised", "close": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert Deviation.objects.get().status == "closed"
    assert deviation_url not in owner_client.get(url("today", operator)).content.decode()


def test_closing_without_an_action_shows_the_error_and_stays_open(
    owner: User, owner_client: Client, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    recorded = record_registration(
        operator,
        owner,
        RegistrationInput("CCP 9", {"temperature_c": 70, "hold_s": 20}, batch=yoghurt_batch),
    )
    response = owner_client.post(
        url("handle-deviation", operator, deviation_id=recorded.deviation.pk),  # type: ignore[union-attr]
        {"outcome": "repasteurised", "close": "1"},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode() or "alert-error" in response.content.decode()
    assert Deviation.objects.get().status == "open"


def test_without_relaxations_a_missed_check_is_shown_overdue_in_red(
    owner_client: Client, strict: Operator
) -> None:
    room = create_room(strict, "Kelder", "ripening_room", product="Hoevekaas")
    Room.objects.filter(pk=room.pk).update(created_at=timezone.now() - timedelta(days=3))
    Operator.objects.filter(pk=strict.pk).update(created_at=timezone.now() - timedelta(days=3))
    html = owner_client.get(url("today", strict)).content.decode()
    assert "duty-overdue" in html


def test_with_relaxations_nothing_turns_overdue(owner_client: Client, planned: Operator) -> None:
    room = create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")
    Room.objects.filter(pk=room.pk).update(created_at=timezone.now() - timedelta(days=3))
    html = owner_client.get(url("today", planned)).content.decode()
    assert "duty-overdue" not in html
    assert "duty-due" in html


def test_history_plots_the_values_against_the_limits(
    owner: User, owner_client: Client, planned: Operator
) -> None:
    cold_room = create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    for temperature in (4, 6, 11):
        record_registration(
            planned,
            owner,
            RegistrationInput("CCP 3", {"temperature_c": temperature}, room=cold_room),
        )
    html = owner_client.get(url("history", planned, control="ccp-3")).content.decode()
    assert "<svg" in html and html.count('class="point point-') == 3
    assert "point-deviation" in html


def test_a_correction_keeps_the_old_value_visible(
    owner: User, owner_client: Client, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    first = record_registration(
        operator,
        owner,
        RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 15}, batch=yoghurt_batch),
    ).registration
    response = owner_client.post(
        url("correct", operator, registration_id=first.pk),
        {
            "temperature_c": "72",
            "hold_s": "51",
            "measured_at": local_now(),
            "batch": yoghurt_batch.pk,
            "reason": "typed 15 for 51",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "typed 15 for 51" in html
    assert "51 s" in html and "15 s" in html
    assert Registration.objects.count() == 2


def test_without_a_plan_the_pages_say_to_make_it(owner_client: Client, operator: Operator) -> None:
    response = owner_client.get(url("today", operator))
    assert (
        reverse("plans:plan", kwargs={"operator_slug": operator.slug}) in response.content.decode()
    )


def test_a_batch_page_lists_its_production_checks(
    owner_client: Client, yoghurt_batch: Batch
) -> None:
    html = owner_client.get(
        url("batch", yoghurt_batch.operator, batch_id=yoghurt_batch.pk)
    ).content.decode()
    assert "CCP 9" in html and "PVA 18" in html


def test_rooms_and_batches_are_created_through_the_forms(
    owner_client: Client, planned: Operator
) -> None:
    owner_client.post(
        url("room-new", planned), {"name": "Pekelbad", "kind": "brine_bath", "active": "on"}
    )
    owner_client.post(
        url("batch-new", planned),
        {"lot_code": "K-7", "product": "Hoevekaas", "started_at": local_now()},
    )
    assert Room.objects.get().name == "Pekelbad"
    assert Batch.objects.get().lot_code == "K-7"


# --- tenancy and roles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["today", "checks", "deviations", "rooms", "batches", "room-new", "batch-new", "hold-time"],
)
def test_another_operators_pages_do_not_exist(client: Client, tenancy, url_name: str) -> None:  # type: ignore[no-untyped-def]
    tenancy.assert_refused(client, f"records:{url_name}", methods=("get",))


def _foreign_registration(operator: Operator) -> dict[str, Any]:
    user = User.objects.create_user(f"u-{operator.slug}")
    save_profile(operator, user, demo_profile())
    started = timezone.now() - timedelta(hours=1)
    batch = create_batch(operator, user, "F-1", "Roeryoghurt", started_at=started)
    recorded = record_registration(
        operator, user, RegistrationInput("CCP 9", {"temperature_c": 70, "hold_s": 20}, batch=batch)
    )
    return {"registration": recorded.registration, "deviation": recorded.deviation, "batch": batch}


@pytest.mark.parametrize(
    ("url_name", "key", "kwarg"),
    [
        ("registration", "registration", "registration_id"),
        ("correct", "registration", "registration_id"),
        ("deviation", "deviation", "deviation_id"),
        ("handle-deviation", "deviation", "deviation_id"),
        ("batch", "batch", "batch_id"),
    ],
)
def test_another_operators_objects_do_not_exist(
    client: Client, tenancy, url_name: str, key: str, kwarg: str
) -> None:  # type: ignore[no-untyped-def]
    tenancy.assert_refused(
        client,
        f"records:{url_name}",
        object_kwargs=lambda op: {kwarg: _foreign_registration(op)[key].pk},  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("register", {"control": "ccp-9"}),
        ("room-new", {}),
        ("batch-new", {}),
        ("task", {"task_id": "ghp-ripening-disinfection"}),
    ],
)
def test_auditors_may_not_write(
    client: Client, auditor: User, planned: Operator, url_name: str, kwargs: dict[str, str]
) -> None:
    client.force_login(auditor)
    assert client.get(url(url_name, planned, **kwargs)).status_code == 403
    assert client.post(url(url_name, planned, **kwargs), {}).status_code == 403


def test_auditors_read_but_may_not_close_a_deviation(
    client: Client, owner: User, auditor: User, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    recorded = record_registration(
        operator,
        owner,
        RegistrationInput("CCP 9", {"temperature_c": 70, "hold_s": 20}, batch=yoghurt_batch),
    )
    assert recorded.deviation is not None
    client.force_login(auditor)
    detail = client.get(url("deviation", operator, deviation_id=recorded.deviation.pk))
    assert detail.status_code == 200
    handle_url = url("handle-deviation", operator, deviation_id=recorded.deviation.pk)
    assert handle_url not in detail.content.decode()
    response = client.post(
        url("handle-deviation", operator, deviation_id=recorded.deviation.pk),
        {"actions": ["ccp9-repasteurise"], "outcome": "repasteurised", "close": "1"},
    )
    assert response.status_code == 403
    assert Deviation.objects.get().status == "open"


def test_auditors_see_the_agenda_without_links_to_forms(
    client: Client, auditor: User, yoghurt_batch: Batch
) -> None:
    client.force_login(auditor)
    html = client.get(url("today", yoghurt_batch.operator)).content.decode()
    assert "CCP 9" in html
    assert url("register", yoghurt_batch.operator, control="ccp-9") not in html


def test_the_short_today_address_leads_to_the_today_page(
    owner_client: Client, operator: Operator
) -> None:
    response = owner_client.get(f"/{operator.slug}/today/")
    assert response.status_code == 302
    assert response["Location"] == url("today", operator)


def test_today_shows_the_lab_analyses_due_with_a_link_to_them(
    owner_client: Client, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    response = owner_client.get(url("today", operator), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert reverse("lab:index", kwargs={"operator_slug": operator.slug}) in page
    assert response.context["analyses_due"] + response.context["analyses_overdue"] > 0
    assert f"{response.context['analyses_overdue']} overdue" in page


def test_a_check_typed_in_the_repeated_autumn_hour_is_stored_as_the_hour_that_passed(
    owner: User, owner_client: Client, planned: Operator
) -> None:
    operator = planned
    with time_machine.travel(datetime(2027, 10, 31, 1, 45, tzinfo=UTC)):  # 02:45 winter time
        yoghurt_batch = create_batch(
            operator, owner, "Y-999", "Roeryoghurt", started_at=timezone.now() - timedelta(hours=3)
        )
        owner_client.force_login(owner)
        response = owner_client.post(
            url("register", operator, control="ccp-9"),
            {
                "temperature_c": "72",
                "hold_s": "15",
                "measured_at": "2027-10-31T02:30",
                "batch": yoghurt_batch.pk,
                "product": "Roeryoghurt",
            },
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.measured_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)


def test_the_start_page_shows_open_deviations_in_one_glance(
    owner: User, owner_client: Client, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    start = reverse("operators:dashboard", kwargs={"operator_slug": operator.slug})
    assert (
        "No open deviations" in owner_client.get(start, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )

    record_registration(
        operator,
        owner,
        RegistrationInput("CCP 9", {"temperature_c": 70, "hold_s": 20}, batch=yoghurt_batch),
    )

    page = owner_client.get(start, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 open deviation" in page
    assert "today-summary-alert" in page
