"""Rows inserted by `insert_rows` are stored exactly as Django's `bulk_create` stores them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.utils import timezone

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.evidence.models import EvidenceLink
from dairyhaccp.web.inserts import ROWS_PER_STATEMENT, insert_rows
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import IdempotencyKey, Registration
from dairyhaccp.web.records.services import RegistrationInput, record_registration

pytestmark = pytest.mark.django_db


NOW = timezone.now()


def _links(operator: Operator, count: int, first_row: int) -> list[EvidenceLink]:
    return [
        EvidenceLink(
            operator=operator,
            seq=first_row + n,
            table_name="test_table",
            row_id=first_row + n,
            row_hash=f"{n:064x}",
            previous_hash="0" * 64,
            link_hash=f"{n + 1:064x}",
            keep_until=date(2031, 1, 1) + timedelta(days=n),
            made_by_id=None if n % 2 else n,
            made_by_name="Anaïs ☃" if n % 3 else "",
            made_at=NOW - timedelta(microseconds=n),
        )
        for n in range(count)
    ]


def _stored(model: type[models.Model], ids: Sequence[int], *left_out: str) -> list[dict[str, Any]]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", *left_out)]
    rows = {row["id"]: row for row in model.objects.filter(pk__in=ids).values("id", *names)}
    return [{name: rows[i][name] for name in names} for i in ids]


def test_each_row_gets_its_own_id_across_many_statements(operator: Operator) -> None:
    links = _links(operator, 2 * ROWS_PER_STATEMENT + 7, first_row=1)

    returned = insert_rows(EvidenceLink, links)

    assert returned == links
    assert all(link.pk is not None and not link._state.adding for link in links)
    assert len({link.pk for link in links}) == len(links)
    stored = dict(EvidenceLink.objects.filter(operator=operator).values_list("pk", "seq"))
    assert stored == {link.pk: link.seq for link in links}


def test_rows_are_stored_as_bulk_create_stores_them(operator: Operator) -> None:
    ours = insert_rows(EvidenceLink, _links(operator, 50, first_row=1))
    django = EvidenceLink.objects.bulk_create(_links(operator, 50, first_row=1001))

    left_out = ("seq", "row_id")
    assert _stored(EvidenceLink, [r.pk for r in ours], *left_out) == _stored(
        EvidenceLink, [r.pk for r in django], *left_out
    )


def test_a_registration_is_stored_as_bulk_create_stores_it(
    planned: Operator, owner: User, ripening_room: Any
) -> None:
    # given a stored registration with values, findings and limits checked
    made = _ripening_check(planned, owner, ripening_room)
    assert made.findings and made.checked_limits

    def copies() -> list[Registration]:
        fields = [f for f in Registration._meta.concrete_fields if not f.primary_key]
        copied = [Registration(**{f.attname: getattr(made, f.attname) for f in fields})]
        copied[0].chain = uuid.uuid4()
        return copied

    # when a copy is inserted each way (the evidence chain left aside)
    ours = insert_rows(Registration, copies())
    django = models.QuerySet.bulk_create(Registration.objects.all(), copies())

    # then both are stored alike, to the last column
    assert _stored(Registration, [ours[0].pk], "chain") == _stored(
        Registration, [django[0].pk], "chain"
    )


def test_rows_it_cannot_insert_as_bulk_create_would_go_to_the_fallback(
    operator: Operator,
) -> None:
    given_ids = _links(operator, 2, first_row=1)
    given_ids[0].pk = 10_000
    expression = _links(operator, 2, first_row=11)
    expression[1].made_at = Now()  # type: ignore[assignment]
    handed_over: list[list[EvidenceLink]] = []

    def fallback(objs: Sequence[EvidenceLink]) -> list[EvidenceLink]:
        handed_over.append(list(objs))
        return EvidenceLink.objects.bulk_create(objs)

    insert_rows(EvidenceLink, given_ids, fallback=fallback)
    insert_rows(EvidenceLink, expression, fallback=fallback)

    assert handed_over == [given_ids, expression]
    assert EvidenceLink.objects.filter(operator=operator).count() == 4
    assert EvidenceLink.objects.filter(pk=10_000).exists()


def _ripening_check(operator: Operator, owner: User, room: Any) -> Registration:
    check = RegistrationInput("CCP 13", {"temperature_c": 19.5}, room=room)
    return record_registration(operator, owner, check).registration


def test_a_key_stored_twice_is_refused_by_the_database(
    planned: Operator, owner: User, ripening_room: Any
) -> None:
    made = _ripening_check(planned, owner, ripening_room)
    insert_rows(IdempotencyKey, [IdempotencyKey(operator=planned, key="k", registration=made)])

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(IdempotencyKey, [IdempotencyKey(operator=planned, key="k", registration=made)])

    assert IdempotencyKey.objects.filter(operator=planned).count() == 1


def test_records_added_in_bulk_are_chained_in_their_order(
    planned: Operator, owner: User, ripening_room: Any
) -> None:
    made = _ripening_check(planned, owner, ripening_room)
    fields = [f for f in Registration._meta.concrete_fields if not f.primary_key]
    copies = []
    for _ in range(3):
        copy = Registration(**{f.attname: getattr(made, f.attname) for f in fields})
        copy.chain = uuid.uuid4()
        copies.append(copy)

    Registration.objects.bulk_create(copies)

    chained = list(
        EvidenceLink.objects.filter(operator=planned, table_name="records_registration")
        .order_by("seq")
        .values_list("row_id", flat=True)
    )
    assert chained == [made.pk, *(c.pk for c in copies)]
    assert verify(planned).intact


def test_values_passed_as_given_are_those_their_fields_would_give_back(
    planned: Operator, owner: User, ripening_room: Any
) -> None:
    """Text, numbers, truth values and ids skip their field's preparation: the result must be
    what the preparation returns, value by value, on this database."""
    from django.db import connection

    from dairyhaccp.web.inserts import _given_type, prepared_row
    from dairyhaccp.web.records.choices import Verdict

    made = _ripening_check(planned, owner, ripening_room)
    copy = Registration(
        **{
            f.attname: getattr(made, f.attname)
            for f in Registration._meta.concrete_fields
            if not f.primary_key
        }
    )
    copy.verdict = Verdict.WARNING  # a str subclass: prepared by its field
    copy.version = True  # a bool where a number goes: prepared by its field
    objs: list[models.Model] = [
        copy,
        *_links(planned, 3, first_row=1),
        IdempotencyKey(operator=planned, key="k-1", registration=made),
    ]
    skipped = 0
    for obj in objs:
        fields = [f for f in type(obj)._meta.concrete_fields if not f.primary_key]
        typed = [(f, _given_type(f, connection)) for f in fields]
        expected = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        row = prepared_row(obj, typed, connection)
        assert row is not None
        assert [_comparable(v) for v in row] == [_comparable(v) for v in expected]
        assert [type(v) for v in row] == [type(v) for v in expected], type(obj).__name__
        skipped += sum(given is not None for _, given in typed)
    assert skipped >= 10
    assert _given_type(Registration._meta.get_field("measured_at"), connection) is None
    assert _given_type(Registration._meta.get_field("values"), connection) is None
    assert _given_type(EvidenceLink._meta.get_field("operator"), connection) is int


def _comparable(value: Any) -> Any:
    """A prepared value as compared: PostgreSQL's JSON adapter wraps the data without equality."""
    return ("json", value.obj) if type(value).__name__ == "Jsonb" else value


def test_rows_given_as_values_are_stored_as_bulk_create_stores_them(operator: Operator) -> None:
    from dairyhaccp.web.inserts import insert_values

    names = [f.attname for f in EvidenceLink._meta.concrete_fields if not f.primary_key]
    given = _links(operator, ROWS_PER_STATEMENT + 3, first_row=1)

    rows = [[getattr(link, n) for n in names] for link in given]
    count = insert_values(EvidenceLink, names, rows)
    django = EvidenceLink.objects.bulk_create(_links(operator, len(given), first_row=5001))

    assert count == len(given)
    ours = list(
        EvidenceLink.objects.filter(operator=operator, seq__lt=5001)
        .order_by("seq")
        .values_list("pk", flat=True)
    )
    left_out = ("seq", "row_id")
    assert _stored(EvidenceLink, ours, *left_out) == _stored(
        EvidenceLink, [r.pk for r in django], *left_out
    )


def _copies(made: Registration, count: int) -> list[Registration]:
    fields = [f for f in Registration._meta.concrete_fields if not f.primary_key]
    copies = []
    for n in range(count):
        copy = Registration(**{f.attname: getattr(made, f.attname) for f in fields})
        copy.chain = uuid.uuid4()
        copy.remark = f"kopie {n} — Anaïs ☃"
        copy.measured_at = made.measured_at - timedelta(microseconds=n)
        copy.values = {"temperature_c": 19.5 + n / 10, "nested": {"b": [1, 2.0], "a": None}}
        copies.append(copy)
    return copies


def test_the_columns_an_insert_returns_are_the_row_as_read_back(
    planned: Operator, owner: User, ripening_room: Any
) -> None:
    from django.db import connection

    from dairyhaccp.web.evidence.canonical import returned_data, rows_data

    made = _ripening_check(planned, owner, ripening_room)
    returned: list[tuple[Any, ...]] = []

    ours = insert_rows(Registration, _copies(made, 5), returned=returned)

    assert len(returned) == 5
    ids = [r.pk for r in ours]
    assert returned_data(Registration, connection, returned) == rows_data(Registration, ids)


def test_records_added_in_bulk_are_hashed_from_what_the_insert_returned(
    planned: Operator, owner: User, ripening_room: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = _ripening_check(planned, owner, ripening_room)

    with CaptureQueriesContext(connection) as queries:
        copies = Registration.objects.bulk_create(_copies(made, 4))

    read_back = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in read_back if "records_registration" in sql]
    assert EvidenceLink.objects.filter(row_id__in=[c.pk for c in copies]).count() == 4
    assert verify(planned).intact


def test_a_real_column_is_read_back_where_sqlite_may_return_it_otherwise() -> None:
    from django.db import connection

    from dairyhaccp.web.evidence.canonical import returned_is_stored
    from dairyhaccp.web.loggers.models import DayJudgement

    assert returned_is_stored(Registration, connection)
    assert returned_is_stored(DayJudgement, connection) is (connection.vendor == "postgresql")
