"""Pages and lists cost what they show, not the history behind them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import issue_api_token
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.models import Deviation, Registration, Room
from dairyhaccp.web.records.services import (
    BulkItem,
    RegistrationInput,
    correct_registration,
    create_batch,
    create_room,
    record_registration,
    record_registrations,
    record_task,
)
from dairyhaccp.web.records.views import registrations as registration_views

from ..query_plans import plan_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(strict: Operator) -> dict[str, Room]:
    return {
        "cold": create_room(strict, "Koelcel", "cold_room", storage_category="dairy_chilled"),
        "cellar": create_room(strict, "Kelder", "ripening_room", product="Hoevekaas"),
        "brine": create_room(strict, "Pekelbad", "brine_bath", product="Hoevekaas"),
    }


def _days(first: int, last: int) -> Iterator[datetime]:
    today = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    for back in range(last, first - 1, -1):
        yield today - timedelta(days=back)


def add_history(
    operator: Operator, owner: User, rooms: dict[str, Room], first: int, last: int
) -> None:
    """Days `last` to `first` ago of daily, weekly and batch checks, 1 in 5 cold-room checks
    a deviation."""
    items = []
    for day in _days(first, last):
        key = f"{day:%Y%m%d}"
        cold = 12.0 if day.day % 5 == 0 else 4.0
        items += [
            BulkItem(
                f"{key}-cold",
                RegistrationInput(
                    "CCP 3", {"temperature_c": cold}, measured_at=day, room=rooms["cold"]
                ),
            ),
            BulkItem(
                f"{key}-cellar",
                RegistrationInput(
                    "CCP 13", {"temperature_c": 13.0}, measured_at=day, room=rooms["cellar"]
                ),
            ),
        ]
        if day.weekday() == 0:
            items.append(
                BulkItem(
                    f"{key}-brine",
                    RegistrationInput(
                        "PVA 14",
                        {"baume": 20.0, "salt_on_bottom": True},
                        measured_at=day,
                        room=rooms["brine"],
                    ),
                )
            )
        if day.day % 3 == 0:
            batch = create_batch(operator, owner, f"Y-{key}", "Roeryoghurt", started_at=day)
            items.append(
                BulkItem(
                    f"{key}-y",
                    RegistrationInput(
                        "CCP 9",
                        {"temperature_c": 72.0, "hold_s": 20.0},
                        measured_at=day + timedelta(minutes=30),
                        batch=batch,
                    ),
                )
            )
    record_registrations(operator, owner, items)


def _queries(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def _urls(slug: str) -> dict[str, str]:
    return {
        "dashboard": f"/{slug}/",
        "today": f"/{slug}/records/today/",
        "deviations": f"/{slug}/records/deviations/",
        "history": f"/{slug}/records/history/ccp-3/",
        "batches": f"/{slug}/records/batches/",
        "api registrations": "/api/registrations?limit=50",
        "api deviations": "/api/deviations",
        "api agenda": "/api/agenda",
    }


def test_pages_and_lists_do_not_ask_more_queries_as_the_history_grows(
    client: Client, strict: Operator, owner: User, rooms: dict[str, Room]
) -> None:
    # given a dairy with ten days of records
    add_history(strict, owner, rooms, 1, 10)
    client.force_login(owner)
    api = Client()
    bearer = {"Authorization": f"Bearer {issue_api_token(owner, strict).clear_token}"}

    def counts() -> dict[str, int]:
        return {
            name: _queries(
                api if name.startswith("api") else client,
                url,
                bearer if name.startswith("api") else None,
            )
            for name, url in _urls(strict.slug).items()
        }

    for name, url in _urls(strict.slug).items():  # the first request loads what is cached
        (api if name.startswith("api") else client).get(
            url, headers=bearer if name.startswith("api") else {}
        )
    before = counts()
    # when fifty more days are stored, with more deviations, batches and a correction
    add_history(strict, owner, rooms, 11, 60)
    registration = Registration.objects.filter(operator=strict, control_id="CCP 13").first()
    assert registration is not None
    correct_registration(
        registration, owner, RegistrationInput("CCP 13", {"temperature_c": 12.5}), "typing error"
    )
    after = counts()

    # then every page and list asks as many queries as before
    assert Deviation.objects.filter(operator=strict).count() >= 10
    assert after == before


def test_an_api_list_of_500_asks_a_fixed_number_of_queries(
    client: Client, strict: Operator, owner: User, rooms: dict[str, Room]
) -> None:
    add_history(strict, owner, rooms, 1, 30)
    bearer = {"Authorization": f"Bearer {issue_api_token(owner, strict).clear_token}"}
    client.get("/api/me", headers=bearer)  # the token's use is written once a minute
    small = _queries(client, "/api/registrations?limit=5", bearer)
    large = _queries(client, "/api/registrations?limit=500", bearer)
    assert large == small
    assert len(client.get("/api/registrations?limit=500", headers=bearer).json()) > 60
    assert _queries(client, "/api/deviations?limit=2", bearer) == _queries(
        client, "/api/deviations?limit=500", bearer
    )


def _every_registration_counts(plan: Any, now: datetime, batch_ids: Any) -> list[Any]:
    every_control = Registration.objects.values_list("control_id", flat=True).distinct()
    since_year_one = datetime(1, 1, 1, tzinfo=UTC)
    return [selectors._ControlsFrom(tuple(sorted(every_control)), None, since_year_one)]


@pytest.mark.parametrize("days_back", [0, 3, 9, 23])
def test_the_agenda_from_its_windows_is_the_agenda_from_the_whole_history(
    monkeypatch: pytest.MonkeyPatch,
    strict: Operator,
    owner: User,
    rooms: dict[str, Room],
    days_back: int,
) -> None:
    # given two months of checks, yearly brine renewals, a monthly business check
    add_history(strict, owner, rooms, 1, 60)
    old = timezone.now() - timedelta(days=400)
    Operator.objects.filter(pk=strict.pk).update(created_at=old)
    Room.objects.filter(operator=strict).update(created_at=old)
    strict.refresh_from_db()
    for back in (380, 20):
        record_task(
            strict,
            owner,
            "pva14-renew-brine",
            room=rooms["brine"],
            done_at=timezone.now() - timedelta(days=back),
        )
    record_registrations(
        strict,
        owner,
        [
            BulkItem(
                "ph",
                RegistrationInput(
                    "CCP 14",
                    {"ph": 4.5},
                    product="Hoeveboter",
                    measured_at=timezone.now() - timedelta(days=35),
                ),
            ),
        ],
    )
    current = selectors.operator_plan(strict)
    assert current is not None
    now = timezone.now() - timedelta(days=days_back)

    # when the agenda is built from its windows, and from every registration stored
    windowed = selectors.agenda(strict, current.plan, now)
    monkeypatch.setattr(selectors, "_agenda_scopes", _every_registration_counts)
    whole = selectors.agenda(strict, current.plan, now)

    # then both say the same of every duty
    assert len(whole.duties) > 10
    assert windowed == whole
    statuses = {d.status.value for d in windowed.duties}
    assert "done" in statuses


def test_the_list_of_current_registrations_walks_the_operator_date_index(
    strict: Operator, owner: User, rooms: dict[str, Room]
) -> None:
    add_history(strict, owner, rooms, 1, 5)
    listed = selectors.current_registrations(strict).order_by("-measured_at", "-pk")[:50]
    history = (
        selectors.current_registrations(strict)
        .filter(control_id="CCP 3", task_id="")
        .order_by("-measured_at", "-pk")[:61]
    )

    list_plan, history_plan = plan_text(listed), plan_text(history)

    assert "records_reg_op_measured" in list_plan
    if connection.vendor == "postgresql":
        # NOT EXISTS is planned as an anti-join on the unique index of corrections; with the
        # few rows of a test the planner may pick any index for one control (the bench shows
        # the plans with two years of records)
        assert "Anti Join" in list_plan and "Anti Join" in history_plan
        assert "Seq Scan on records_registration" not in history_plan
    else:
        assert "records_reg_op_control" in history_plan


def test_the_agenda_finds_corrections_by_their_unique_index(
    strict: Operator, owner: User, rooms: dict[str, Room]
) -> None:
    # given a history where almost no registration was corrected, with the database's statistics
    add_history(strict, owner, rooms, 1, 20)
    registration = Registration.objects.filter(operator=strict, control_id="CCP 13").last()
    assert registration is not None
    correct_registration(
        registration, owner, RegistrationInput("CCP 13", {"temperature_c": 12.5}), "typing error"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    current = selectors.operator_plan(strict)
    assert current is not None

    # when the agenda reads what it counts
    with CaptureQueriesContext(connection) as captured:
        selectors.agenda_done(strict, current.plan, timezone.now(), [])

    # then the corrections are looked up on the index of `corrects`, not the operator's rows
    lookups = [q["sql"] for q in captured.captured_queries if "corrects_id" in q["sql"]]
    assert len(lookups) == 1, lookups
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + lookups[0]
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "operator" not in plan
    assert "corrects" in plan, lookups[0]


def test_the_agenda_reads_each_scope_from_an_index_of_the_operators_rows(
    strict: Operator, owner: User, rooms: dict[str, Room]
) -> None:
    # given two years of history, and other dairies' registrations of the same controls
    add_history(strict, owner, rooms, 1, 20)
    other = Operator.objects.create(name="Andere hoeve", slug="andere-hoeve")
    Registration.objects.bulk_create(
        Registration(
            operator=other,
            control_id="CCP 3",
            category="dairy_chilled",
            measured_at=timezone.now() - timedelta(hours=hours),
            values={"temperature_c": 4.0},
            verdict="conform",
            guide_version="zuivel-1",
            recorded_by=owner,
        )
        for hours in range(1, 400)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    current = selectors.operator_plan(strict)
    assert current is not None
    batch = selectors.batches(strict).first()
    assert batch is not None

    # when the agenda reads what it counts
    with CaptureQueriesContext(connection) as captured:
        done = selectors.agenda_done(strict, current.plan, timezone.now(), [batch.pk])

    # then each scope is a range of an index that starts with the operator
    assert done and len({(d.at, d.control_id, d.batch, d.task) for d in done}) == len(done)
    read = captured.captured_queries[0]["sql"]
    assert read.count("UNION ALL") >= 2
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + read
        )
        plan = [str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor]
    scans = [
        line
        for line in plan
        if "records_registration" in line and ("SCAN" in line.upper() or "SEARCH" in line)
    ]
    assert scans, plan
    if connection.vendor == "sqlite":
        assert all("USING INDEX records_reg_op_" in line for line in scans), plan
    else:
        # the condition of each index read of records_registration, on the line after it
        conditions = [
            plan[index + 1]
            for index, line in enumerate(plan[:-1])
            if "Index" in line and " on records_registration" in line
        ]
        # with the few rows of a test any selective index may do; never the operator's rows
        # read whole and filtered, as the one WHERE of OR terms was with thousands of tenants
        assert conditions, plan
        for condition in conditions:
            assert "Index Cond" in condition, plan
            assert not re.fullmatch(r"\s*Index Cond: \(operator_id = \d+\)", condition), plan


def test_registrations_have_no_index_of_the_operator_alone() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "records_registration")
    indexed = [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]
    assert ["operator_id"] not in indexed
    assert ["operator_id", "measured_at", "id"] in indexed


@pytest.mark.parametrize("table", ["records_registration", "records_deviation"])
def test_no_index_holds_every_tenants_rows_of_a_control(table: str) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    leading = [c["columns"][0] for c in constraints.values() if c["index"] and c["columns"]]
    assert "control_id" not in leading
    assert "operator_id" in leading


# --- pages --------------------------------------------------------------------------------------


def test_the_deviation_list_is_shown_a_page_at_a_time(
    owner_client: Client,
    strict: Operator,
    owner: User,
    rooms: dict[str, Room],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dairyhaccp.web.records.views import deviations

    monkeypatch.setattr(deviations, "LIST_PAGE", 3)
    add_history(strict, owner, rooms, 1, 30)
    url = f"/{strict.slug}/records/deviations/"
    total = Deviation.objects.filter(operator=strict).count()
    assert total > 3

    first = owner_client.get(url, headers={"accept-language": "en"}).content.decode()
    second = owner_client.get(f"{url}?page=2").content.decode()
    nonsense = owner_client.get(f"{url}?page=abc").content.decode()
    far = owner_client.get(f"{url}?page=9999999999")

    ids = {d.pk for d in Deviation.objects.filter(operator=strict)}
    shown_first = {pk for pk in ids if f"/deviations/{pk}/" in first}
    shown_second = {pk for pk in ids if f"/deviations/{pk}/" in second}
    assert len(shown_first) == 3
    assert shown_second and not shown_first & shown_second
    assert 'rel="next"' in first and "?page=2" in first
    assert {pk for pk in ids if f"/deviations/{pk}/" in nonsense} == shown_first
    assert far.status_code == 200


def test_the_history_of_a_control_is_shown_a_page_at_a_time(
    owner_client: Client,
    strict: Operator,
    owner: User,
    rooms: dict[str, Room],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registration_views, "HISTORY_LENGTH", 5)
    add_history(strict, owner, rooms, 1, 12)
    url = f"/{strict.slug}/records/history/ccp-3/"
    newest = Registration.objects.filter(operator=strict, control_id="CCP 3").order_by(
        "-measured_at"
    )
    first = owner_client.get(url).content.decode()
    third = owner_client.get(f"{url}?page=3").content.decode()

    assert f"/registrations/{newest[0].pk}/" in first
    assert f"/registrations/{newest[5].pk}/" not in first
    assert f"/registrations/{newest[10].pk}/" in third
    assert 'rel="prev"' in third


def test_the_api_deviation_list_takes_limit_and_offset(
    client: Client, strict: Operator, owner: User, rooms: dict[str, Room]
) -> None:
    add_history(strict, owner, rooms, 1, 30)
    bearer = {"Authorization": f"Bearer {issue_api_token(owner, strict).clear_token}"}
    every = client.get("/api/deviations?limit=500", headers=bearer).json()
    page = client.get("/api/deviations?limit=2&offset=1", headers=bearer).json()
    assert [d["id"] for d in page] == [d["id"] for d in every[1:3]]
    assert client.get("/api/deviations?limit=0", headers=bearer).status_code == 422
    assert client.get("/api/deviations?limit=501", headers=bearer).status_code == 422


def test_a_plan_is_built_once_per_version(strict: Operator, owner: User) -> None:
    first = selectors.operator_plan(strict)
    second = selectors.operator_plan(strict)
    assert first is not None and second is not None
    assert first.plan is second.plan
    from dairyhaccp.web.plans.services import save_profile

    from .conftest import demo_profile

    save_profile(strict, owner, demo_profile(relaxations=True), "relaxations apply now")
    third = selectors.operator_plan(strict)
    assert third is not None
    assert third.plan is not first.plan
    assert third.plan.registration_mode != first.plan.registration_mode


def test_an_empty_list_page_asks_the_session_user_membership_plan_and_rows_only(
    owner_client: Client, strict: Operator
) -> None:
    page = f"/{strict.slug}/records/deviations/?page=99"
    owner_client.get(page)  # the first request loads what is cached

    with CaptureQueriesContext(connection) as captured:
        response = owner_client.get(page)

    assert response.status_code == 200
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in captured]
    assert tables == [
        '"django_session"',
        '"auth_user"',
        '"operators_membership"',
        '"plans_planversion"',
        '"records_deviation"',
    ]
    membership = captured[2]["sql"]
    # the operator comes with the membership; nothing sorts the one row or joins the users
    assert '"operators_operator"' in membership
    assert '"auth_user"' not in membership
    assert "ORDER BY" not in membership
    # the plan is built from its version's profile: who made that version is not read
    assert '"auth_user"' not in captured[3]["sql"]


def test_the_blocked_lots_are_read_from_what_is_open_not_from_every_batch(
    strict: Operator, owner: User
) -> None:
    # given batches over many days, one of them pasteurised too briefly (an open deviation)
    batches = [
        create_batch(strict, owner, f"Y-{day}", "Roeryoghurt", started_at=moment)
        for day, moment in enumerate(_days(1, 30))
    ]
    record_registration(
        strict,
        owner,
        RegistrationInput("CCP 9", {"temperature_c": 72.0, "hold_s": 5.0}, batch=batches[3]),
    )

    # when the blocked lots are looked up
    blocked = selectors.blocked_lots(strict)

    # then that one lot is found among the lots of what is open, not by joining every batch
    # with its deviations and recalls
    assert list(blocked) == [batches[3]]
    sql = str(blocked.query)
    assert "DISTINCT" not in sql
    assert 'JOIN "records_deviation_lots" ON ("records_batch"' not in sql
    assert "UNION" in sql
