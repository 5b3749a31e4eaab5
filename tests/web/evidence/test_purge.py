"""Records go only once their keep-until date has passed, with a log that is kept."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.evidence.models import EvidenceLink, PurgeLog
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.services import RegistrationInput, record_registration

from ..records.conftest import demo_profile


@pytest.fixture
def planned(operator: Operator, owner: User) -> Operator:
    save_profile(operator, owner, demo_profile(relaxations=True))
    return operator


def _register(operator: Operator, user: User, year: int | None = None) -> Registration:
    now = timezone.now()
    moment = now.replace(year=year, month=3, day=10) if year else now - timedelta(days=1)
    data = RegistrationInput(control_id="PVA 1", values={"visual_ok": True}, measured_at=moment)
    return record_registration(operator, user, data).registration


def test_only_what_is_past_its_date_is_removed_and_the_chain_still_verifies(
    planned: Operator, owner: User
) -> None:
    old = [_register(planned, owner, 2021) for _ in range(2)]
    recent = _register(planned, owner)
    out = StringIO()
    call_command("purge_expired", planned.slug, "--yes", stdout=out)
    assert "2 removed" in out.getvalue()
    assert not Registration.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert Registration.objects.filter(pk=recent.pk).exists()
    log = PurgeLog.objects.get(operator=planned)
    assert log.summary[0]["table"] == "records_registration"
    assert log.summary[0]["count"] == 2
    assert "purge_expired" in log.purged_by
    result = verify(planned)
    assert result.intact, result.broken
    # the log itself is evidence: chained and guarded
    assert EvidenceLink.objects.filter(table_name="evidence_purgelog", row_id=log.pk).exists()


def test_without_yes_it_asks_and_a_no_removes_nothing(
    planned: Operator, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _register(planned, owner, 2021)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "nothing removed" in out.getvalue()
    assert Registration.objects.filter(pk=old.pk).exists()
    assert not PurgeLog.objects.exists()


def test_nothing_to_remove_is_said(planned: Operator, owner: User) -> None:
    _register(planned, owner)
    out = StringIO()
    call_command("purge_expired", "--yes", stdout=out)
    assert "nothing past its keep-until date" in out.getvalue()
