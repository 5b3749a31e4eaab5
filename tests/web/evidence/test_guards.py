"""Evidence is guarded by the database itself and chained per operator (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.evidence.chain import author_name, evidence_models, verify
from dairyhaccp.web.evidence.guards import PERMIT_TABLE, evidence_tables, installed
from dairyhaccp.web.evidence.models import ChainHead, EvidenceLink
from dairyhaccp.web.operators.models import AppendOnlyError, Operator
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.services import RegistrationInput, record_registration

from ..records.conftest import demo_profile

REFUSED = (IntegrityError, DatabaseError)


@pytest.fixture
def planned(operator: Operator, owner: User) -> Operator:
    save_profile(operator, owner, demo_profile(relaxations=True))
    return operator


def _register(operator: Operator, user: User, **kwargs: object) -> Registration:
    data = RegistrationInput(control_id="PVA 1", values={"visual_ok": True}, **kwargs)  # type: ignore[arg-type]
    return record_registration(operator, user, data).registration


def _refused(action: Callable[[], object]) -> None:
    with pytest.raises(REFUSED), transaction.atomic():
        action()


def _stored_remark(registration: Registration) -> str:
    return str(Registration.objects.values_list("remark", flat=True).get(pk=registration.pk))


@pytest.mark.django_db
def test_the_guards_stand_on_every_evidence_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {PERMIT_TABLE}")
        assert cursor.fetchone()[0] == 0
    tables = set(evidence_tables())
    assert {"records_registration", "plans_planversion", "evidence_evidencelink"} <= tables
    assert tables <= installed(connection)


def test_every_orm_path_and_raw_sql_that_would_change_a_record_is_refused(
    planned: Operator, owner: User
) -> None:
    registration = _register(planned, owner, remark="as made")
    pk = registration.pk

    def save_over() -> None:
        copy = Registration.objects.get(pk=pk)
        copy._state.adding = True
        copy.remark = "changed"
        copy.save()

    def save_with_existing_pk() -> None:
        row = Registration.objects.get(pk=pk)
        fresh = Registration(**{f.attname: getattr(row, f.attname) for f in row._meta.fields})
        fresh.remark = "changed"
        Registration.save_base(fresh)  # what loaddata does: an UPDATE of the existing row

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE records_registration SET remark = 'changed' WHERE id = %s", [pk])

    actions: list[Callable[[], object]] = [
        save_over,
        save_with_existing_pk,
        lambda: Registration._base_manager.filter(pk=pk).update(remark="changed"),
        lambda: QuerySet(Registration).filter(pk=pk).update(remark="changed"),
        lambda: QuerySet(Registration).bulk_create(
            [Registration(**{**_fields(pk), "remark": "changed"})],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["remark"],
        ),
        raw_update,
    ]
    for action in actions:
        _refused(action)
    assert _stored_remark(registration) == "as made"
    with pytest.raises(AppendOnlyError):
        Registration.objects.filter(pk=pk).update(remark="changed")
    with pytest.raises(AppendOnlyError):
        Registration.objects.bulk_create([Registration(**_fields(pk))], update_conflicts=True)


def _fields(pk: int) -> dict[str, object]:
    row = Registration.objects.get(pk=pk)
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def test_a_record_is_not_deleted_before_its_keep_until_date(planned: Operator, owner: User) -> None:
    registration = _register(planned, owner)
    pk = registration.pk

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM records_registration WHERE id = %s", [pk])

    _refused(lambda: QuerySet(Registration).filter(pk=pk).delete())
    _refused(raw_delete)
    _refused(lambda: EvidenceLink.objects.filter(row_id=pk).delete())
    assert Registration.objects.filter(pk=pk).exists()


def test_a_record_past_its_keep_until_date_may_be_deleted(planned: Operator, owner: User) -> None:
    # With the relaxations a check of 2020 is kept 6 months: long past.
    # At noon, local time: the day is 15 January whatever the hour the test runs.
    noon = timezone.make_aware(datetime(2020, 1, 15, 12, 0))
    old = _register(planned, owner, measured_at=noon)
    link = EvidenceLink.objects.get(table_name="records_registration", row_id=old.pk)
    assert link.keep_until.isoformat() == "2020-07-15"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_registration WHERE id = %s", [old.pk])
    assert not Registration.objects.filter(pk=old.pk).exists()


def test_without_the_relaxations_records_are_kept_two_years(
    operator: Operator, owner: User
) -> None:
    save_profile(operator, owner, demo_profile(relaxations=False))
    measured = timezone.now() - timedelta(days=10)
    registration = _register(operator, owner, measured_at=measured)
    link = EvidenceLink.objects.get(table_name="records_registration", row_id=registration.pk)
    expected = timezone.localtime(measured).date()
    assert link.keep_until.year == expected.year + 2


def test_a_loaddata_of_a_changed_record_is_refused(
    planned: Operator, owner: User, tmp_path: Path
) -> None:
    registration = _register(planned, owner, remark="as made")
    out = StringIO()
    call_command("dumpdata", "records.registration", stdout=out)
    fixture = json.loads(out.getvalue())
    fixture[0]["fields"]["remark"] = "changed in a fixture"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(fixture), encoding="utf-8")
    with pytest.raises(REFUSED), transaction.atomic():
        call_command("loaddata", str(path), verbosity=0)
    assert _stored_remark(registration) == "as made"


def test_every_record_is_chained_and_the_chain_verifies(planned: Operator, owner: User) -> None:
    for _ in range(3):
        _register(planned, owner)
    result = verify(planned)
    assert result.intact, result.broken
    head = ChainHead.objects.get(operator=planned)
    # the plan version and the three registrations
    assert result.links == head.seq == 4
    assert result.head_hash == head.head_hash


def test_rows_added_in_bulk_are_chained(planned: Operator, owner: User) -> None:
    first = _register(planned, owner)
    rows = [Registration(**{**_fields(first.pk), "id": None, "chain": uuid.uuid4()}) for _ in "ab"]
    Registration.objects.bulk_create(rows)
    assert verify(planned).intact
    assert EvidenceLink.objects.filter(operator=planned).count() == 4


def test_a_row_changed_behind_the_guards_is_found(planned: Operator, owner: User) -> None:
    _register(planned, owner)
    target = _register(planned, owner, remark="as made")
    _register(planned, owner)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute('DROP TRIGGER "evg_update_records_registration"')
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE records_registration DISABLE TRIGGER evg_update")
        cursor.execute(
            "UPDATE records_registration SET remark = 'rewritten' WHERE id = %s", [target.pk]
        )
    result = verify(planned)
    assert not result.intact
    assert result.broken is not None
    assert result.broken.row_id == target.pk
    assert result.broken.table == "records_registration"
    assert "changed" in result.broken.problem
    with pytest.raises(CommandError):
        call_command("verify_evidence", planned.slug, stdout=StringIO(), stderr=StringIO())


def test_a_row_added_behind_the_chain_is_found(planned: Operator, owner: User) -> None:
    registration = _register(planned, owner)
    copy = {**_fields(registration.pk), "id": None, "chain": uuid.uuid4()}
    QuerySet(Registration).bulk_create([Registration(**copy)])
    result = verify(planned)
    assert result.broken is not None
    assert "not in the chain" in result.broken.problem


def test_renaming_a_user_changes_no_past_record(planned: Operator, owner: User) -> None:
    owner.first_name, owner.last_name = "An", "Peeters"
    owner.save()
    registration = _register(planned, owner)
    owner.first_name, owner.last_name = "Anna", "Janssens"
    owner.save()
    assert author_name(registration) == "An Peeters"
    version = PlanVersion.objects.filter(operator=planned).first()
    assert version is not None
    assert author_name(version) == owner.get_username()


def test_verify_evidence_reports_each_operator(planned: Operator, owner: User) -> None:
    _register(planned, owner)
    out = StringIO()
    call_command("verify_evidence", stdout=out)
    assert f"{planned.slug}: intact, 2 records" in out.getvalue()


def test_the_owner_downloads_the_days_receipt(
    owner_client: Client, planned: Operator, owner: User
) -> None:
    _register(planned, owner)
    response = owner_client.get(
        reverse("evidence:receipt", kwargs={"operator_slug": planned.slug}),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    head = ChainHead.objects.get(operator=planned)
    assert head.head_hash in text
    assert "Records in the chain: 2" in text
    assert "attachment" in response["Content-Disposition"]


def test_only_the_owner_gets_a_receipt(
    client: Client, planned: Operator, make_member: Callable[..., User]
) -> None:
    from dairyhaccp.web.operators.choices import Role

    auditor = make_member(planned, Role.AUDITOR)
    client.force_login(auditor)
    response = client.get(reverse("evidence:receipt", kwargs={"operator_slug": planned.slug}))
    assert response.status_code == 403


def test_the_append_only_models_are_all_known() -> None:
    names = {model._meta.label for model in evidence_models()}
    assert {"records.Registration", "records.DeviationEvent", "plans.PlanVersion"} <= names
