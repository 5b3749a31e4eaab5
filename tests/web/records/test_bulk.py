"""Registrations in bulk: each judged as one registration is, all stored or none, a key each."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator, issue_api_token
from dairyhaccp.web.records.models import Batch, Deviation, IdempotencyKey, Registration, Room
from dairyhaccp.web.records.services import (
    BulkItem,
    BulkRefusedError,
    RegistrationInput,
    create_batch,
    create_room,
    judge_registrations,
    record_registration,
    record_registrations,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Dairy:
    operator: Operator
    owner: User
    milk: Batch
    cheese: Batch
    yoghurt: Batch
    cold_room: Room
    tank: Room


def _dairy(slug: str, give_plan: Callable[..., None], start: datetime) -> Dairy:
    operator = create_operator(f"Hoeve {slug}", slug=slug)
    owner = User.objects.create_user(f"eigenaar-{slug}")
    add_member(operator, owner, Role.OWNER)
    give_plan(operator, owner, home_made_starter=True)
    tank = create_room(operator, "Melktank", "milk_tank", product="raw_milk")
    cold_room = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    create_batch(operator, owner, "M-0", "raw_milk", started_at=start, room=tank)
    milk = create_batch(operator, owner, "M-1", "raw_milk", started_at=start + timedelta(hours=1))
    cheese = create_batch(
        operator, owner, "K-1", "Hoevekaas", started_at=start + timedelta(hours=3), made_from=[milk]
    )
    yoghurt = create_batch(
        operator, owner, "Y-1", "Roeryoghurt", started_at=start + timedelta(hours=4)
    )
    return Dairy(operator, owner, milk, cheese, yoghurt, cold_room, tank)


def _checks(dairy: Dairy, start: datetime) -> list[RegistrationInput]:
    """Checks whose values depend on what was stored before: starter uses in a row, the time
    since milking, processing and pasteurisation; and a deviation."""

    def at(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    starter = [
        RegistrationInput(
            "PVA 11", {"visual_ok": True}, measured_at=at(day * 24), industrial_starter=industrial
        )
        for day, industrial in enumerate([True, False, False, False, False, False])
    ]
    return [
        starter[0],
        RegistrationInput(
            "CCP 2", {"temperature_c": 4.0, "elapsed_min": 30}, measured_at=at(2), room=dairy.tank
        ),
        RegistrationInput(
            "CCP 2",
            {"temperature_c": 4.0, "elapsed_min": 30},
            measured_at=at(2.5),
            batch=dairy.milk,
        ),
        RegistrationInput(
            "CCP 9", {"temperature_c": 72.0, "hold_s": 20.0}, measured_at=at(5), batch=dairy.yoghurt
        ),
        RegistrationInput(
            "PVA 17", {"temperature_c": 5.0}, measured_at=at(6.5), batch=dairy.yoghurt
        ),
        *starter[1:4],
        RegistrationInput(
            "CCP 3", {"temperature_c": 11.0}, measured_at=at(80), room=dairy.cold_room
        ),
        *starter[4:],
    ]


def _outcome(registration: Registration) -> tuple[Any, ...]:
    return (
        registration.control_id,
        registration.verdict,
        registration.values,
        registration.derived,
        registration.findings,
    )


def test_a_bulk_run_judges_each_check_as_one_registration_at_a_time_would(
    give_plan: Callable[..., None],
) -> None:
    # given two identical dairies
    start = timezone.now() - timedelta(days=8)
    one_by_one, in_bulk = _dairy("een", give_plan, start), _dairy("bulk", give_plan, start)

    # when one registers its checks one at a time, the other in one bulk run
    single = [
        record_registration(one_by_one.operator, one_by_one.owner, data).registration
        for data in _checks(one_by_one, start)
    ]
    items = [BulkItem(f"k{i}", data) for i, data in enumerate(_checks(in_bulk, start))]
    bulk = [r.registration for r in record_registrations(in_bulk.operator, in_bulk.owner, items)]

    # then every verdict, value and derived value is the same
    assert [_outcome(r) for r in bulk] == [_outcome(r) for r in single]
    derived = {r.control_id: r.derived for r in bulk if r.derived}
    assert derived["PVA 17"] == {"elapsed_min": 90.0}
    assert bulk[-1].values["productions_since_industrial_starter"] == 5
    assert bulk[-1].verdict == "deviation"
    opened = Deviation.objects.filter(operator=in_bulk.operator)
    assert opened.count() == Deviation.objects.filter(operator=one_by_one.operator).count() == 2


def test_the_preview_of_a_run_stores_nothing_and_says_what_storing_would(
    give_plan: Callable[..., None],
) -> None:
    start = timezone.now() - timedelta(days=8)
    dairy = _dairy("preview", give_plan, start)

    previewed = judge_registrations(dairy.operator, _checks(dairy, start))
    assert not Registration.objects.filter(operator=dairy.operator).exists()
    items = [BulkItem(f"k{i}", data) for i, data in enumerate(_checks(dairy, start))]
    stored = record_registrations(dairy.operator, dairy.owner, items)

    assert [getattr(v, "verdict", None) for v in previewed] == [
        r.evaluation.verdict for r in stored
    ]
    assert [r.registration.verdict for r in stored][-3:] == ["deviation", "conform", "deviation"]


def test_one_check_refused_stores_none_and_names_the_item_and_field(
    planned: Operator, owner: User, yoghurt_batch: Batch
) -> None:
    items = [
        BulkItem(
            "a",
            RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 20}, batch=yoghurt_batch),
        ),
        BulkItem(
            "b",
            RegistrationInput("CCP 9", {"temperature_c": 950, "hold_s": 20}, batch=yoghurt_batch),
        ),
        BulkItem("c", RegistrationInput("CCP 15", {"ph": 5.0})),
    ]

    with pytest.raises(BulkRefusedError) as refused:
        record_registrations(planned, owner, items)

    assert [(p.index, p.key, p.field) for p in refused.value.problems] == [
        (1, "b", "temperature_c"),
        (2, "c", "control"),
    ]
    assert not refused.value.repeated
    assert not Registration.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_a_key_stored_before_refuses_the_whole_run(
    planned: Operator, owner: User, yoghurt_batch: Batch
) -> None:
    def check(hold: float) -> RegistrationInput:
        return RegistrationInput(
            "CCP 9", {"temperature_c": 72, "hold_s": hold}, batch=yoghurt_batch
        )

    first = record_registrations(planned, owner, [BulkItem("lijn-1", check(20))])

    with pytest.raises(BulkRefusedError) as refused:
        record_registrations(
            planned, owner, [BulkItem("lijn-2", check(21)), BulkItem("lijn-1", check(20))]
        )

    assert refused.value.repeated
    assert [(p.index, p.registration_id) for p in refused.value.problems] == [
        (1, first[0].registration.pk)
    ]
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("keys", "problem_at"),
    [(["x", "x"], 1), (["", "y"], 0), (["z" * 101, "y"], 0), (["a\x00b", "y"], 0)],
)
def test_keys_must_be_given_unique_short_and_plain(
    planned: Operator, owner: User, yoghurt_batch: Batch, keys: list[str], problem_at: int
) -> None:
    data = RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 20}, batch=yoghurt_batch)
    with pytest.raises(BulkRefusedError) as refused:
        record_registrations(planned, owner, [BulkItem(key, data) for key in keys])
    assert [(p.index, p.field) for p in refused.value.problems] == [(problem_at, "key")]
    assert not Registration.objects.exists()


# --- the API ------------------------------------------------------------------------------------


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def post_bulk(client: Client, items: list[dict[str, Any]], headers: dict[str, str]) -> Any:
    return client.post(
        "/api/registrations/bulk?lang=en",
        {"items": items},
        content_type="application/json",
        headers=headers,
    )


def pasteurisations(batch: Batch, holds: list[float]) -> list[dict[str, Any]]:
    return [
        {
            "key": f"p-{i}",
            "control": "CCP 9",
            "temperature_c": 72,
            "hold_s": hold,
            "batch_id": batch.pk,
        }
        for i, hold in enumerate(holds)
    ]


def test_the_api_stores_a_list_of_checks_each_judged(
    client: Client, owner: User, yoghurt_batch: Batch
) -> None:
    headers = bearer(owner, yoghurt_batch.operator)

    response = post_bulk(client, pasteurisations(yoghurt_batch, [20, 5, 30]), headers)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stored"], body["deviations"]) == (3, 1)
    assert [item["verdict"] for item in body["items"]] == ["conform", "deviation", "conform"]
    assert [item["key"] for item in body["items"]] == ["p-0", "p-1", "p-2"]
    assert "hold time" in body["items"][1]["reasons"][0]
    deviation = Deviation.objects.get()
    assert body["items"][1]["deviation_id"] == deviation.pk
    evaluated = client.post(
        "/api/evaluate",
        {"control": "CCP 9", "temperature_c": 72, "hold_s": 5, "batch_id": yoghurt_batch.pk},
        content_type="application/json",
        headers=headers,
    ).json()
    assert deviation.registration.findings == evaluated["findings"]


def test_the_api_stores_none_when_one_is_refused(
    client: Client, owner: User, yoghurt_batch: Batch
) -> None:
    items = [*pasteurisations(yoghurt_batch, [20]), {"key": "p-1", "control": "CCP 15", "ph": 5}]

    response = post_bulk(client, items, bearer(owner, yoghurt_batch.operator))

    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["index"], problem["key"], problem["field"]) == (1, "p-1", "control")
    assert not Registration.objects.exists()


def test_a_value_out_of_range_is_refused_by_the_schema_naming_the_item(
    client: Client, owner: User, yoghurt_batch: Batch
) -> None:
    items = pasteurisations(yoghurt_batch, [20, 20])
    items[1]["temperature_c"] = 950

    response = post_bulk(client, items, bearer(owner, yoghurt_batch.operator))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-3:] == ["items", 1, "temperature_c"]
    assert not Registration.objects.exists()


def test_the_api_refuses_a_repeat_with_409_naming_what_was_stored(
    client: Client, owner: User, yoghurt_batch: Batch
) -> None:
    headers = bearer(owner, yoghurt_batch.operator)
    first = post_bulk(client, pasteurisations(yoghurt_batch, [20]), headers).json()

    again = post_bulk(client, pasteurisations(yoghurt_batch, [20, 25]), headers)

    assert again.status_code == 409
    assert again.json()["problems"][0]["registration_id"] == first["items"][0]["id"]
    assert Registration.objects.count() == 1


def test_the_api_takes_at_most_1000_checks(
    client: Client, owner: User, yoghurt_batch: Batch
) -> None:
    items = pasteurisations(yoghurt_batch, [20.0] * 1001)

    response = post_bulk(client, items, bearer(owner, yoghurt_batch.operator))

    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_another_operators_batch_is_not_found_and_nothing_is_stored(
    client: Client, owner: User, yoghurt_batch: Batch, give_plan: Callable[..., None]
) -> None:
    other = create_operator("Andere hoeve", slug="andere")
    other_owner = User.objects.create_user("andere")
    add_member(other, other_owner, Role.OWNER)
    give_plan(other, other_owner)
    foreign = create_batch(other, other_owner, "V-1", "Roeryoghurt")
    items = [*pasteurisations(yoghurt_batch, [20]), *pasteurisations(foreign, [20])]
    items[1]["key"] = "vreemd"

    response = post_bulk(client, items, bearer(owner, yoghurt_batch.operator))

    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "batch_id"
    assert not Registration.objects.exists()


def test_an_auditor_may_not_store_in_bulk(
    client: Client, auditor: User, yoghurt_batch: Batch
) -> None:
    response = post_bulk(
        client, pasteurisations(yoghurt_batch, [20]), bearer(auditor, yoghurt_batch.operator)
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_bulk_without_a_token_is_refused(client: Client, yoghurt_batch: Batch) -> None:
    assert post_bulk(client, pasteurisations(yoghurt_batch, [20]), {}).status_code == 401


def test_a_bulk_item_with_an_unknown_field_is_refused_by_the_schema(
    client: Client, owner: User, yoghurt_batch: Batch
) -> None:
    items = pasteurisations(yoghurt_batch, [20])
    items[0]["colour"] = "red"
    response = post_bulk(client, items, bearer(owner, yoghurt_batch.operator))
    assert response.status_code == 422
    assert "colour" in str(response.json())


def test_every_registration_stored_in_bulk_is_in_the_evidence_chain(
    planned: Operator, owner: User, yoghurt_batch: Batch
) -> None:
    from dairyhaccp.web.evidence.chain import verify
    from dairyhaccp.web.evidence.models import EvidenceLink

    items = [
        BulkItem(
            f"k{hold}",
            RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": hold}, batch=yoghurt_batch),
        )
        for hold in (5, 20, 30)
    ]
    stored = record_registrations(planned, owner, items)

    chained = EvidenceLink.objects.filter(
        operator=planned, table_name=Registration._meta.db_table
    ).values_list("row_id", flat=True)
    assert {r.registration.pk for r in stored} <= set(chained)
    assert verify(planned).intact


def _opened(operator: Operator) -> list[tuple[Any, ...]]:
    return [
        (
            deviation.control_id,
            [lot.lot_code for lot in deviation.lots.all()],
            deviation.notification_required,
            deviation.notifications,
            [(event.kind, event.data) for event in deviation.events.all()],
        )
        for deviation in Deviation.objects.filter(operator=operator).order_by(
            "registration__measured_at"
        )
    ]


def test_a_bulk_run_opens_each_deviation_as_one_registration_at_a_time_would(
    give_plan: Callable[..., None],
) -> None:
    from dairyhaccp.web.evidence.chain import verify

    # given two identical dairies, yoghurt made from another and a batch kept in the cold room
    start = timezone.now() - timedelta(days=2)
    one_by_one, in_bulk = _dairy("een", give_plan, start), _dairy("bulk", give_plan, start)
    for dairy in (one_by_one, in_bulk):
        create_batch(
            dairy.operator,
            dairy.owner,
            "B-1",
            "Hoeveboter",
            started_at=start + timedelta(hours=5),
            room=dairy.cold_room,
        )
        create_batch(
            dairy.operator,
            dairy.owner,
            "Y-2",
            "Roeryoghurt",
            started_at=start + timedelta(hours=5),
            made_from=[dairy.yoghurt],
        )

    def checks(dairy: Dairy) -> list[RegistrationInput]:
        return [
            RegistrationInput(
                "CCP 3",
                {"temperature_c": 4.0},
                measured_at=start + timedelta(hours=7),
                room=dairy.cold_room,
            ),
            RegistrationInput(
                "CCP 9",
                {"temperature_c": 70.0, "hold_s": 5.0},
                measured_at=start + timedelta(hours=8),
                batch=dairy.yoghurt,
            ),
            RegistrationInput(
                "CCP 3",
                {"temperature_c": 12.0},
                measured_at=start + timedelta(hours=9),
                room=dairy.cold_room,
            ),
        ]

    # when one registers the checks one at a time, the other in one bulk run
    for data in checks(one_by_one):
        record_registration(one_by_one.operator, one_by_one.owner, data)
    items = [BulkItem(f"k{i}", data) for i, data in enumerate(checks(in_bulk))]
    recorded = record_registrations(in_bulk.operator, in_bulk.owner, items)

    # then the same deviations open, with the same lots, duties and first events
    opened = _opened(in_bulk.operator)
    assert opened == _opened(one_by_one.operator)
    assert [row[1] for row in opened] == [["Y-2", "Y-1"], ["B-1"]]
    assert [r.deviation is not None for r in recorded] == [False, True, True]
    assert all(r.deviation.registration == r.registration for r in recorded if r.deviation)
    assert verify(in_bulk.operator).intact


def test_the_garbage_collector_waits_for_a_run_and_is_back_after_it_stored_or_refused(
    planned: Operator, owner: User, yoghurt_batch: Batch, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting_while_stored: list[bool] = []
    insert = Registration.objects.bulk_create

    def noting(*args: Any, **kwargs: Any) -> Any:
        collecting_while_stored.append(gc.isenabled())
        return insert(*args, **kwargs)

    monkeypatch.setattr(Registration.objects, "bulk_create", noting)
    good = RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 20}, batch=yoghurt_batch)
    bad = RegistrationInput("CCP 9", {"temperature_c": 950, "hold_s": 20}, batch=yoghurt_batch)
    assert gc.isenabled()

    record_registrations(planned, owner, [BulkItem("a", good)])
    stored_then_collecting = gc.isenabled()
    with pytest.raises(BulkRefusedError):
        record_registrations(planned, owner, [BulkItem("b", good), BulkItem("c", bad)])
    refused_then_collecting = gc.isenabled()
    gc.disable()
    try:
        record_registrations(planned, owner, [BulkItem("d", good)])
        left_as_the_caller_had_it = not gc.isenabled()
    finally:
        gc.enable()

    assert collecting_while_stored == [False, False]
    assert stored_then_collecting and refused_then_collecting
    assert left_as_the_caller_had_it
    assert Registration.objects.count() == 2


def _lots_one_at_a_time(registration: Registration) -> list[Batch]:
    """The lots a deviation concerns, read batch by batch as the rule says."""
    if registration.batch is not None:
        found: dict[int, Batch] = {}
        todo = [registration.batch]
        while todo:
            batch = todo.pop()
            if batch.pk not in found:
                found[batch.pk] = batch
                todo.extend(batch.used_in.all())
        return [b for b in found.values() if b.destroyed_at is None]
    if registration.room is not None:
        return list(
            Batch.objects.filter(
                operator=registration.operator,
                room=registration.room,
                destroyed_at__isnull=True,
                started_at__lte=registration.measured_at,
            )
        )
    return []


def _lot_family(operator: Operator, owner: User, start: datetime, room: Room) -> list[Batch]:
    def batch(code: str, hours: float, *made_from: Batch, product: str = "Hoevekaas") -> Batch:
        return create_batch(
            operator,
            owner,
            code,
            product,
            started_at=start + timedelta(hours=hours),
            made_from=made_from,
            room=room if product != "raw_milk" else None,
        )

    m1 = batch("M-1", 0, product="raw_milk")
    m2 = batch("M-2", 0.5, product="raw_milk")
    k1 = batch("K-1", 3, m1, m2)
    k2 = batch("K-2", 3, m1)
    k3 = batch("K-3", 30, k1, k2)
    gone = batch("K-4", 4, m2)
    Batch.objects.filter(pk=gone.pk).update(destroyed_at=start + timedelta(hours=5))
    return [m1, m2, k1, k2, k3]


def test_the_deviations_of_a_run_block_the_lots_one_at_a_time_would_block(
    operator: Operator, owner: User, give_plan: Callable[..., None]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    give_plan(operator, owner)
    start = timezone.now() - timedelta(days=3)
    room = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    m1, m2, *_ = _lot_family(operator, owner, start, room)

    def milk_check(milk: Batch) -> RegistrationInput:
        return RegistrationInput(
            "CCP 2",
            {"temperature_c": 9, "elapsed_min": 60},
            batch=milk,
            measured_at=milk.started_at + timedelta(hours=1),
        )

    def room_check(hours: float) -> RegistrationInput:
        moment = start + timedelta(hours=hours)
        return RegistrationInput("CCP 3", {"temperature_c": 11.0}, room=room, measured_at=moment)

    checks = [milk_check(m1), room_check(3.5), milk_check(m2), room_check(40), room_check(1)]
    with CaptureQueriesContext(connection) as queries:
        recorded = record_registrations(
            operator, owner, [BulkItem(f"k-{i}", c) for i, c in enumerate(checks)]
        )

    deviations = [r.deviation for r in recorded]
    assert all(d is not None for d in deviations)
    expected = [_lots_one_at_a_time(r.registration) for r in recorded]
    assert [sorted(b.pk for b in d.lots.all()) for d in deviations if d] == [
        sorted(b.pk for b in lots) for lots in expected
    ]
    opened = [d.events.get().data["lots"] for d in deviations if d]
    assert opened == [[b.lot_code for b in lots] for lots in expected]
    assert opened[0] == ["M-1", "K-1", "K-3", "K-2"]
    assert opened[3] == ["K-3", "K-2", "K-1"]
    assert opened[4] == []
    batch_reads = [q for q in queries if 'FROM "records_batch' in q["sql"]]
    # one read of the stored facts, two a generation of lots made from lots, one of the room
    assert len(batch_reads) <= 7, [q["sql"][:150] for q in batch_reads]
