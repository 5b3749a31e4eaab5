"""The day in the dairy: the today page by place, production in one tap with the owner's lot
codes, a day confirmed "all in order" with the relaxations, keyed registrations."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.evidence.models import EvidenceLink
from dairyhaccp.web.farm.services import TreatmentInput, record_treatment
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import AppendOnlyError, Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import (
    Batch,
    DayConfirmation,
    IdempotencyKey,
    Registration,
)
from dairyhaccp.web.records.services import (
    RegistrationInput,
    create_batch,
    create_room,
    record_registration,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name: str, operator: Operator, **kwargs: object) -> str:
    return reverse(f"records:{name}", kwargs={"operator_slug": operator.slug, **kwargs})


def yymmdd() -> str:
    return timezone.localdate().strftime("%y%m%d")


# --- the today page by place ---------------------------------------------------------------


def test_the_today_page_starts_with_what_to_do_grouped_by_place(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")
    create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    batch = create_batch(planned, owner, "Y-1", "Roeryoghurt")
    html = owner_client.get(url("today", planned), **EN).content.decode()
    main = html.split('id="main"')[1]
    first_thing = main.index('id="do-now"')
    assert first_thing < main.index("relaxations")
    order = [
        main.index('id="place-production"'),
        main.index('id="place-ripening-cellar"'),
        main.index('id="place-cold-room"'),
    ]
    assert order == sorted(order)
    production = main.split('id="place-production"')[1].split("</section>")[0]
    assert f'id="batch-{batch.pk}"' in production and "Y-1 · Roeryoghurt" in production
    assert f"?batch={batch.pk}" in production
    cellar = main.split('id="place-ripening-cellar"')[1].split("</section>")[0]
    assert "Kelder" in cellar and "CCP 13" in cellar


def test_a_form_opened_from_the_today_page_knows_the_time_since_milking(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    milked = timezone.now() - timedelta(hours=2, minutes=5)
    milk = create_batch(planned, owner, "M-1", "raw_milk", started_at=milked)
    html = owner_client.get(
        url("register", planned, control="ccp-2") + f"?batch={milk.pk}", **EN
    ).content.decode()
    assert "Milked 2\xa0hours, 5\xa0minutes ago." in html
    assert 'name="idempotency_key"' in html and "data-offline-queue" in html


# --- production in one tap -------------------------------------------------------------------


def test_starting_production_makes_the_lot_code_from_the_pattern_and_shows_its_checks(
    owner_client: Client, planned: Operator
) -> None:
    response = owner_client.post(url("start-production", planned), {"product": "Roeryoghurt"})
    batch = Batch.objects.get()
    assert batch.lot_code == f"ROE-{yymmdd()}-1"
    assert response["Location"] == url("today", planned) + f"#batch-{batch.pk}"
    owner_client.post(url("start-production", planned), {"product": "Roeryoghurt"})
    owner_client.post(url("start-production", planned), {"product": "Hoevekaas"})
    codes = set(Batch.objects.values_list("lot_code", flat=True))
    assert codes == {f"ROE-{yymmdd()}-1", f"ROE-{yymmdd()}-2", f"HOE-{yymmdd()}-1"}
    html = owner_client.get(url("today", planned), **EN).content.decode()
    production = html.split('id="place-production"')[1].split("</section>")[0]
    assert f"ROE-{yymmdd()}-2" in production and "CCP 9" in production


def test_a_code_typed_by_hand_before_is_not_given_twice(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    create_batch(planned, owner, f"HOE-{yymmdd()}-1", "Hoeveboter")  # by hand, another product
    owner_client.post(url("start-production", planned), {"product": "Hoevekaas"})
    assert Batch.objects.filter(product="Hoevekaas").get().lot_code == f"HOE-{yymmdd()}-2"


def test_an_unknown_product_starts_nothing(owner_client: Client, planned: Operator) -> None:
    response = owner_client.post(
        url("start-production", planned), {"product": "Kaviaar"}, follow=True, **EN
    )
    assert "not a product of the plan" in response.content.decode()
    assert not Batch.objects.exists()


def test_an_auditor_cannot_start_production(
    client: Client, planned: Operator, auditor: User
) -> None:
    client.force_login(auditor)
    assert (
        client.post(url("start-production", planned), {"product": "Hoevekaas"}).status_code == 403
    )
    assert not Batch.objects.exists()


def test_the_owner_sets_the_pattern_with_a_preview_and_the_next_batch_follows_it(
    owner_client: Client, planned: Operator
) -> None:
    page = url("lot-codes", planned)
    form = {"pattern": "{product-code}{yyyymmdd}/{nn}", "code_0": "hk", "action": "preview"}
    preview = owner_client.post(page, form, **EN).content.decode()
    today = timezone.localdate().strftime("%Y%m%d")
    assert f"HK{today}/01" in preview and f"HK{today}/02" in preview
    assert owner_client.post(page, {**form, "action": "save"}).status_code == 302
    owner_client.post(url("start-production", planned), {"product": "Hoevekaas"})
    assert Batch.objects.get().lot_code == f"HK{today}/01"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{product}-{n}", "{product} is not a known placeholder"),
        ("{product-code}-{yymmdd}", "add {n}"),
        ("lot {n}", "is not allowed"),
    ],
)
def test_a_wrong_pattern_is_refused_next_to_the_field(
    owner_client: Client, planned: Operator, pattern: str, message: str
) -> None:
    response = owner_client.post(
        url("lot-codes", planned), {"pattern": pattern, "action": "save"}, **EN
    )
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'aria-invalid="true"' in html or "errorlist" in html


def test_the_settings_of_the_business_lead_to_the_lot_codes(
    owner_client: Client, planned: Operator
) -> None:
    settings = reverse("operators:settings", kwargs={"operator_slug": planned.slug})
    assert url("lot-codes", planned) in owner_client.get(settings).content.decode()


def test_only_the_owner_sets_the_lot_codes(client: Client, planned: Operator, staff: User) -> None:
    client.force_login(staff)
    assert client.get(url("lot-codes", planned)).status_code == 403


# --- production on its milk ------------------------------------------------------------------


def _milking(operator: Operator, owner: User, code: str, ago: timedelta) -> Batch:
    return create_batch(operator, owner, code, "raw_milk", started_at=timezone.now() - ago)


def _start(client: Client, operator: Operator, product: str) -> str:
    response = client.post(
        url("start-production", operator), {"product": product}, follow=True, **EN
    )
    return response.content.decode()


def _link_url(operator: Operator, batch: Batch) -> str:
    return reverse("lots:link-milk", kwargs={"operator_slug": operator.slug, "key": f"b{batch.pk}"})


def test_a_batch_started_in_one_tap_is_made_from_the_latest_milking_and_its_form_counts_from_it(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    # given the evening milking and this morning's, 2 h 5 min ago
    _milking(planned, owner, "M-EVENING", timedelta(hours=14))
    morning = _milking(planned, owner, "M-MORNING", timedelta(hours=2, minutes=5))

    # when the cheese is started in one tap
    html = _start(owner_client, planned, "Hoevekaas")

    # then it is made from this morning's milking, which the today page shows with its time
    cheese = Batch.objects.get(product="Hoevekaas")
    assert list(cheese.made_from.all()) == [morning]
    assert "started with milk M-MORNING, milked" in html
    group = html.split(f'id="batch-{cheese.pk}"')[1].split("</ul>")[0]
    assert "Milk M-MORNING, milked" in group
    # and its forms know the time since milking from the stored milking
    form = owner_client.get(
        url("register", planned, control="ccp-2") + f"?batch={cheese.pk}", **EN
    ).content.decode()
    assert "Milked 2\xa0hours, 5\xa0minutes ago." in form


@pytest.mark.parametrize("ago", [None, timedelta(hours=49)], ids=["no milking", "too old"])
def test_without_a_recent_milking_the_batch_starts_unlinked_and_says_where_to_link_it(
    owner_client: Client, planned: Operator, owner: User, ago: timedelta | None
) -> None:
    if ago is not None:
        _milking(planned, owner, "M-OLD", ago)

    html = _start(owner_client, planned, "Hoevekaas")

    cheese = Batch.objects.get(product="Hoevekaas")
    assert not cheese.made_from.exists()
    assert f"Batch {cheese.lot_code} of Hoevekaas started" in html
    assert "is not linked to milk. No milking was recorded in the last 48 hours." in html
    assert html.count(f'href="{_link_url(planned, cheese)}"') == 2  # the message, the batch
    assert "Not linked to milk." in html.split(f'id="batch-{cheese.pk}"')[1]


def test_a_blocked_milking_is_passed_over_for_the_one_before(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    evening = _milking(planned, owner, "M-EVENING", timedelta(hours=14))
    morning = _milking(planned, owner, "M-MORNING", timedelta(hours=3))
    warm = RegistrationInput("CCP 2", {"temperature_c": 9, "elapsed_min": 150}, batch=morning)
    assert record_registration(planned, owner, warm).deviation is not None  # blocks it

    _start(owner_client, planned, "Hoevekaas")

    assert list(Batch.objects.get(product="Hoevekaas").made_from.all()) == [evening]


def test_a_milking_during_a_withdrawal_without_confirmation_is_not_used(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    # given this morning's milking, and a treatment of a cow whose milk was withheld then
    _milking(planned, owner, "M-MORNING", timedelta(hours=2))
    treatment = TreatmentInput(
        animal="BE 5 0123 4567",
        last_dose_at=timezone.now() - timedelta(hours=12),
        indication="Mastitis",
        product="Mastiplan LC",
        active_substance="cefapirine, prednisolon",
        dose="1 injector per kwartier",
        route="intramammary",
        prescribing_vet="Dr. Peeters",
        withdrawal_milk_hours=Decimal(84),
        withdrawal_meat_days=4,
    )
    record_treatment(planned, owner, Role.OWNER, treatment)

    html = _start(owner_client, planned, "Hoevekaas")

    # then the batch is not made from it, and the message says why
    cheese = Batch.objects.get(product="Hoevekaas")
    assert not cheese.made_from.exists()
    assert (
        "is not linked to milk. Lot M-MORNING was milked while the milk of BE 5 0123 4567" in html
    )


def test_a_milking_and_a_product_of_bought_pasteurised_milk_are_not_linked_to_milk(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    _milking(planned, owner, "M-1", timedelta(hours=1))
    html = _start(owner_client, planned, "raw_milk")
    assert not Batch.objects.get(product="raw_milk", lot_code__startswith="RAW").made_from.exists()
    assert "not linked to milk" not in html

    # a dairy that buys its milk pasteurised
    save_profile(
        planned,
        owner,
        {
            "operator": {"name": "Zuivel Stad", "relaxations": True},
            "milk": {"own_animals": False, "buys_raw_milk": False},
            "products": [{"kind": "stirred_yoghurt", "name": "Roeryoghurt"}],
        },
    )
    html = _start(owner_client, planned, "Roeryoghurt")
    assert not Batch.objects.get(product="Roeryoghurt").made_from.exists()
    assert "not linked to milk" not in html.lower()


def test_the_batch_page_shows_its_milk_with_the_milking_time(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    milk = _milking(planned, owner, "M-1", timedelta(hours=1))
    linked = create_batch(planned, owner, "K-1", "Hoevekaas", made_from=[milk])
    unlinked = create_batch(planned, owner, "K-2", "Hoevekaas")

    page = owner_client.get(url("batch", planned, batch_id=linked.pk), **EN).content.decode()
    assert "Made from" in page and "M-1, milked" in page and "Not linked to milk" not in page
    assert "Link another milking" in page and _link_url(planned, linked) in page
    page = owner_client.get(url("batch", planned, batch_id=unlinked.pk), **EN).content.decode()
    assert "Not linked to milk." in page and _link_url(planned, unlinked) in page


# --- the day confirmed all in order ---------------------------------------------------------


def test_with_the_relaxations_a_day_is_confirmed_in_one_tap_as_evidence(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")
    before = owner_client.get(url("today", planned), **EN)
    open_now = before.context["open_now"]
    assert open_now > 0 and "All in order: confirm" in before.content.decode()
    owner_client.post(url("confirm-day", planned))
    confirmation = DayConfirmation.objects.get()
    assert confirmation.confirmed_by == owner and len(confirmation.duties) == open_now
    assert {"ccp13-temperature"} <= {d["key"] for d in confirmation.duties}
    assert EvidenceLink.objects.filter(table_name=DayConfirmation._meta.db_table).count() == 1
    after = owner_client.get(url("today", planned), **EN)
    assert after.context["open_now"] == 0
    assert "All in order: confirm" not in after.content.decode()
    with pytest.raises(AppendOnlyError):
        confirmation.save()


def test_without_the_relaxations_every_check_must_be_registered(
    owner_client: Client, strict: Operator
) -> None:
    create_room(strict, "Kelder", "ripening_room", product="Hoevekaas")
    html = owner_client.get(url("today", strict), **EN).content.decode()
    assert "All in order" not in html
    response = owner_client.post(url("confirm-day", strict), follow=True, **EN)
    assert "every check must be registered" in response.content.decode()
    assert not DayConfirmation.objects.exists()


def test_an_unconfirmed_production_check_expires_instead_of_piling_up(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    old = timezone.now() - timedelta(days=2)
    create_batch(planned, owner, "Y-OLD", "Roeryoghurt", started_at=old)
    response = owner_client.get(url("today", planned), **EN)
    html = response.content.decode()
    assert "Y-OLD" not in html.split('id="do-now"')[1].split('id="due-week"')[0]
    assert response.context["expired"] > 0 and "expired" in html


# --- registrations with a key ---------------------------------------------------------------


def _cold_check(room_id: int, key: str) -> dict[str, str]:
    return {
        "temperature_c": "4",
        "measured_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "room": str(room_id),
        "idempotency_key": key,
    }


def test_a_form_sent_twice_with_its_key_is_stored_once(
    owner_client: Client, planned: Operator
) -> None:
    room = create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    form = url("register", planned, control="ccp-3")
    first = owner_client.post(form, _cold_check(room.pk, "k-1"))
    second = owner_client.post(form, _cold_check(room.pk, "k-1"), **EN)
    assert first.status_code == 302 and second.status_code == 409
    assert "received before" in second.content.decode()
    assert Registration.objects.count() == 1 and IdempotencyKey.objects.get().key == "k-1"


def test_a_registration_from_the_waiting_list_gets_a_short_answer(
    owner_client: Client, planned: Operator
) -> None:
    room = create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    form = url("register", planned, control="ccp-3")
    queued = {"HTTP_X_OFFLINE_QUEUE": "1"}
    stored = owner_client.post(form, _cold_check(room.pk, "k-2"), **queued)
    again = owner_client.post(form, _cold_check(room.pk, "k-2"), **queued)
    bad = owner_client.post(
        form, {**_cold_check(room.pk, "k-3"), "temperature_c": "warm"}, **queued, **EN
    )
    assert stored.status_code == 201 and json.loads(stored.content)["status"] == "stored"
    assert again.status_code == 409 and json.loads(again.content)["status"] == "repeated"
    assert bad.status_code == 400 and "temperature_c" in json.loads(bad.content)["errors"]
    assert Registration.objects.count() == 1


# --- tasks without measurements with a key ---------------------------------------------------

DISINFECTION = "ghp-ripening-disinfection"


def _task_done(room_id: int, key: str) -> dict[str, str]:
    return {
        "done_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "room": str(room_id),
        "remark": "Kelder ontsmet",
        "idempotency_key": key,
    }


def test_a_task_form_carries_a_fresh_key_and_can_wait_offline(
    owner_client: Client, planned: Operator
) -> None:
    form = url("task", planned, task_id=DISINFECTION)
    first = owner_client.get(form).content.decode()
    second = owner_client.get(form).content.decode()
    assert "data-offline-queue" in first and 'id="offline-status"' in first
    key = first.split('name="idempotency_key" value="')[1].split('"')[0]
    assert len(key) == 32 and key not in second


def test_a_task_sent_twice_with_its_key_is_stored_once(
    owner_client: Client, planned: Operator
) -> None:
    room = create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")
    form = url("task", planned, task_id=DISINFECTION) + f"?room={room.pk}"
    first = owner_client.post(form, _task_done(room.pk, "t-1"))
    second = owner_client.post(form, _task_done(room.pk, "t-1"), **EN)
    assert first.status_code == 302 and second.status_code == 409
    assert "received before" in second.content.decode()
    task = Registration.objects.get()
    assert (task.task_id, task.room, task.remark) == (DISINFECTION, room, "Kelder ontsmet")
    assert IdempotencyKey.objects.get().registration == task


def test_a_task_from_the_waiting_list_gets_a_short_answer_and_is_stored_once(
    owner_client: Client, planned: Operator
) -> None:
    room = create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")
    form = url("task", planned, task_id=DISINFECTION) + f"?room={room.pk}"
    queued = {"HTTP_X_OFFLINE_QUEUE": "1"}
    stored = owner_client.post(form, _task_done(room.pk, "t-2"), **queued)
    again = owner_client.post(form, _task_done(room.pk, "t-2"), **queued)
    bad = owner_client.post(
        form, {**_task_done(room.pk, "t-3"), "done_at": "yesterday"}, **queued, **EN
    )
    task = Registration.objects.get()
    assert stored.status_code == 201 and json.loads(stored.content) == {
        "status": "stored",
        "url": url("registration", planned, registration_id=task.pk),
    }
    assert again.status_code == 409 and json.loads(again.content)["status"] == "repeated"
    assert json.loads(again.content)["url"] == url("registration", planned, registration_id=task.pk)
    assert bad.status_code == 400 and "done_at" in json.loads(bad.content)["errors"]
    assert Registration.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_a_task_under_a_key_a_check_used_is_refused(
    owner_client: Client, planned: Operator
) -> None:
    cold = create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    cellar = create_room(planned, "Kelder", "ripening_room", product="Hoevekaas")
    owner_client.post(url("register", planned, control="ccp-3"), _cold_check(cold.pk, "k-9"))
    refused = owner_client.post(
        url("task", planned, task_id=DISINFECTION), _task_done(cellar.pk, "k-9")
    )
    assert refused.status_code == 409
    assert list(Registration.objects.values_list("control_id", "task_id")) == [("CCP 3", "")]


def test_the_service_worker_is_served_from_the_root(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "addEventListener" in response.content.decode()


def test_a_head_of_the_service_worker_tells_the_server_answers(client: Client) -> None:
    # the offline pages ask it to know whether the server can be reached, not only a network
    head = client.head("/sw.js")
    assert head.status_code == 200 and head.content == b""
    assert head["Cache-Control"].startswith("max-age=0")
    assert client.post("/sw.js").status_code == 405


# --- tenancy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "methods"),
    [("lot-codes", ("get", "post")), ("start-production", ("post",)), ("confirm-day", ("post",))],
)
def test_another_operators_day_pages_do_not_exist(
    client: Client,
    tenancy,  # type: ignore[no-untyped-def]
    url_name: str,
    methods: tuple[str, ...],
) -> None:
    tenancy.assert_refused(client, f"records:{url_name}", methods=methods)
