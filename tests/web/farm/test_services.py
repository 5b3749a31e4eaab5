"""The farm's services: what they store, what they refuse, and that records are never changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.models import FarmProfile, Treatment
from dairyhaccp.web.farm.services import (
    AnswerInput,
    AuditInput,
    ClosureInput,
    FarmInputError,
    FindingInput,
    NotificationInput,
    answer_criterion,
    close_finding,
    correct_treatment,
    follow_up_notification,
    record_audit,
    record_initiatives,
    record_notification,
    record_treatment,
    save_profile,
    store_evidence_file,
    withdraw_treatment,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import AppendOnlyError

from .conftest import Sector, aware, profile_input, treatment_input

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Refusals read in English here (the services word them in the active language)."""
    with translation.override("en"):
        yield


def local(moment: object) -> str:
    assert hasattr(moment, "astimezone")
    return moment.astimezone(BRUSSELS).isoformat(timespec="minutes")  # type: ignore[union-attr]


# Antibiotics register


@time_machine.travel(aware(2026, 3, 10, 12), tick=False)
def test_milk_is_usable_84_hours_after_the_last_dose_and_delivered_from_the_next_milking(
    world: Sector,
) -> None:
    # given
    treated = record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(last_dose_at=aware(2026, 3, 2, 7, 30)),
    )

    # then: the core's elapsed 84 h, and the first milking at or after it (06:00, 17:30)
    assert local(treated.milk_usable_from) == "2026-03-05T19:30+01:00"
    first = selectors.first_usable_milking(treated, selectors.current_profile(world.farm))
    assert first is not None
    assert local(first) == "2026-03-06T06:00+01:00"


@time_machine.travel(aware(2026, 4, 2, 12), tick=False)
def test_a_withdrawal_across_the_spring_clock_change_runs_in_elapsed_hours(world: Sector) -> None:
    treated = record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(last_dose_at=aware(2026, 3, 28, 20, 0), withdrawal_milk_hours=24),
    )

    # 24 elapsed hours from 20:00 winter time end at 21:00 summer time
    assert local(treated.milk_usable_from) == "2026-03-29T21:00+02:00"


@time_machine.travel(aware(2026, 3, 10, 12), tick=False)
def test_today_lists_each_animal_once_with_its_longest_withdrawal(world: Sector) -> None:
    # given two treatments of one cow and one whose withdrawal has ended
    for hours, last in ((24, aware(2026, 3, 10, 6)), (72, aware(2026, 3, 9, 6))):
        record_treatment(
            world.farm,
            world.owner,
            Role.OWNER,
            treatment_input(last_dose_at=last, withdrawal_milk_hours=hours),
        )
    record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(animal="BE 9", last_dose_at=aware(2026, 3, 1, 6)),
    )

    # when
    rows = selectors.withheld(world.farm)

    # then
    assert [row.animal for row in rows] == ["BE 5 0123 4567"]
    assert local(rows[0].until) == "2026-03-12T06:00+01:00"
    assert rows[0].first_milking is not None
    assert local(rows[0].first_milking) == "2026-03-12T06:00+01:00"


def test_a_milking_robot_farm_sees_only_the_end_of_the_withdrawal(world: Sector) -> None:
    save_profile(world.farm, world.owner, profile_input(world.body_a, milking_times=()))
    record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())

    [row] = selectors.withheld(world.farm)

    assert row.first_milking is None


def test_a_withdrawal_in_days_ends_24_hours_a_day_later(world: Sector) -> None:
    last = timezone.now() - timedelta(hours=2)
    treated = record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(last_dose_at=last, withdrawal_milk_hours=Decimal("3.5") * 24),
    )
    assert treated.milk_usable_from == last + timedelta(hours=84)


def test_a_correction_is_a_new_version_and_the_first_stays(world: Sector) -> None:
    first = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())

    corrected = correct_treatment(
        first, world.vet, Role.VET, treatment_input(withdrawal_milk_hours=120), "wrong product"
    )

    assert (corrected.version, corrected.chain, corrected.recorded_as) == (2, first.chain, "vet")
    assert Treatment.objects.get(pk=first.pk).withdrawal_milk_hours == Decimal(84)
    assert list(selectors.current_treatments(world.farm)) == [corrected]
    with pytest.raises(FarmInputError, match="latest version"):
        correct_treatment(first, world.owner, Role.OWNER, treatment_input(), "again please")


def test_a_correction_needs_a_reason(world: Sector) -> None:
    first = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    with pytest.raises(FarmInputError) as refused:
        correct_treatment(first, world.owner, Role.OWNER, treatment_input(), " ok ")
    assert refused.value.field == "reason"


def test_a_withdrawn_treatment_withholds_no_milk_and_stays_in_the_register(world: Sector) -> None:
    first = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())

    withdrawn = withdraw_treatment(first, world.owner, Role.OWNER, "entered for the wrong farm")

    assert withdrawn.withdrawn and withdrawn.version == 2
    assert selectors.withheld(world.farm) == []
    assert list(selectors.current_treatments(world.farm)) == [withdrawn]
    assert list(selectors.register(world.farm)) == []


def test_stored_treatments_are_never_changed_or_deleted(world: Sector) -> None:
    stored = record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    stored.dose = "double"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    with pytest.raises(AppendOnlyError):
        Treatment.objects.filter(pk=stored.pk).update(dose="x")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_dose_at": aware(1999, 12, 31, 23)}, "last_dose_at"),
        ({"animal": "BE\x001"}, "animal"),
        ({"animal": "   "}, "animal"),
        ({"indication": "x" * 201}, "indication"),
        ({"withdrawal_milk_hours": -1}, "withdrawal_milk"),
        ({"withdrawal_milk_hours": 24 * 367}, "withdrawal_milk"),
        ({"withdrawal_milk_hours": float("nan")}, "withdrawal_milk"),
        ({"withdrawal_meat_days": 1001}, "withdrawal_meat"),
        ({"route": "nasal"}, "route"),
        ({"animals": 3}, "animals"),
        ({"is_group": True, "animals": 0}, "animals"),
        ({"first_dose_on": date(2099, 1, 1)}, "first_dose_on"),
    ],
)
def test_bad_treatments_are_refused_naming_the_field(
    world: Sector, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(FarmInputError) as refused:
        record_treatment(world.farm, world.owner, Role.OWNER, treatment_input(**changes))
    assert refused.value.field == field
    assert not Treatment.objects.exists()


def test_a_last_dose_more_than_ten_minutes_ahead_is_refused(world: Sector) -> None:
    with pytest.raises(FarmInputError, match="future"):
        record_treatment(
            world.farm,
            world.owner,
            Role.OWNER,
            treatment_input(last_dose_at=timezone.now() + timedelta(minutes=11)),
        )
    record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(last_dose_at=timezone.now() + timedelta(minutes=9)),
    )


def test_the_first_dose_comes_before_the_last(world: Sector) -> None:
    last = timezone.now() - timedelta(days=2)
    with pytest.raises(FarmInputError) as refused:
        record_treatment(
            world.farm,
            world.owner,
            Role.OWNER,
            treatment_input(last_dose_at=last, first_dose_on=timezone.localdate()),
        )
    assert refused.value.field == "first_dose_on"


# Profile


def test_each_profile_change_is_a_new_version(world: Sector) -> None:
    save_profile(world.farm, world.owner, profile_input(world.body_b, animals_in_milk=95))

    versions = list(selectors.profile_versions(world.farm))

    assert [v.version for v in versions] == [2, 1]
    assert versions[0].animals_in_milk == 95
    assert versions[1].animals_in_milk == 80
    assert selectors.current_profile(world.farm) == versions[0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sanitel_number": "BE<script>"}, "sanitel_number"),
        ({"sanitel_number": ""}, "sanitel_number"),
        ({"milking_times": ("6 uur",)}, "milking_times"),
        ({"milking_times": ("24:00",)}, "milking_times"),
        ({"animals_in_milk": 0}, "animals_in_milk"),
        ({"species": "camel"}, "species"),
        ({"herd_vet_contract_from": date(1990, 1, 1)}, "herd_vet_contract_from"),
        ({"milk_buyer": "\x00"}, "milk_buyer"),
    ],
)
def test_bad_profiles_are_refused_naming_the_field(
    world: Sector, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(FarmInputError) as refused:
        save_profile(world.farm, world.owner, profile_input(**changes))
    assert refused.value.field == field
    assert FarmProfile.objects.for_operator(world.farm).count() == 1


# Self-assessment and evidence files


def test_a_changed_answer_is_a_new_version(world: Sector) -> None:
    answer_criterion(world.farm, world.owner, AnswerInput("A-daily-health-check", "not_met"))
    second = answer_criterion(
        world.farm,
        world.staff,
        AnswerInput("A-daily-health-check", "met", evidence_note="Dagelijkse ronde"),
    )

    versions = list(selectors.answer_versions(world.farm, "A-daily-health-check"))

    assert [(v.version, v.answer) for v in versions] == [(2, "met"), (1, "not_met")]
    assert selectors.latest_answers(world.farm)["A-daily-health-check"] == second


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (AnswerInput("A-bestaat-niet", "met"), "criterion"),
        (AnswerInput("A-daily-health-check", "maybe"), "answer"),
        (AnswerInput("A-daily-health-check", "met", evidence_link="javascript:alert(1)"), None),
        (
            AnswerInput("A-daily-health-check", "not_met", open_point_due=date(2026, 1, 1)),
            "open_point",
        ),
        (
            AnswerInput(
                "A-daily-health-check", "not_met", open_point="x", open_point_due=date(2199, 1, 1)
            ),
            "open_point_due",
        ),
    ],
)
def test_bad_answers_are_refused(world: Sector, answer: AnswerInput, field: str | None) -> None:
    with pytest.raises(FarmInputError) as refused:
        answer_criterion(world.farm, world.owner, answer)
    assert refused.value.field == (field or "evidence_link")


def test_evidence_files_are_photos_or_pdfs_of_limited_size(world: Sector) -> None:
    stored = store_evidence_file(world.farm, world.owner, "C:\\fotos\\tank.png", PNG)
    assert (stored.name, stored.content_type, stored.size) == ("tank.png", "image/png", len(PNG))
    with pytest.raises(FarmInputError, match="photo"):
        store_evidence_file(world.farm, world.owner, "x.html", b"<html><script>")
    with pytest.raises(FarmInputError, match="MB"):
        store_evidence_file(world.farm, world.owner, "big.pdf", b"%PDF-" + b"0" * (6 << 20))


def test_an_answer_cannot_point_at_another_farms_file(world: Sector) -> None:
    foreign = store_evidence_file(world.other_farm, world.other_owner, "a.png", PNG)
    with pytest.raises(FarmInputError) as refused:
        answer_criterion(
            world.farm,
            world.owner,
            AnswerInput("A-daily-health-check", "met", evidence_file=foreign),
        )
    assert refused.value.field == "evidence_file"


# Audits and certificate


def audit_input(world: Sector, **changes: object) -> AuditInput:
    data: dict[str, object] = {
        "body": world.body_a,
        "held_on": date(2026, 2, 10),
        "auditor_name": "J. Auditeur",
        "kind": "regular",
        "decision": "standard",
        "decided_on": date(2026, 2, 20),
    }
    data.update(changes)
    return AuditInput(**data)  # type: ignore[arg-type]


@pytest.mark.parametrize(("decision", "expires"), [("standard", 2029), ("short", None)])
def test_the_certificate_runs_as_long_as_the_data_says_from_the_decision(
    world: Sector, decision: str, expires: int | None
) -> None:
    audit = record_audit(world.farm, world.auditor_a, audit_input(world, decision=decision))

    assert audit.valid_from == date(2026, 2, 20)
    # 36 months for the standard certificate, 18 months for the short one (certificate.yaml)
    assert audit.expires_on == (date(2029, 2, 20) if expires else date(2027, 8, 20))
    assert audit.next_audit_due == audit.expires_on


def test_a_knock_out_finding_gives_no_certificate(world: Sector) -> None:
    audit = record_audit(
        world.farm,
        world.auditor_a,
        audit_input(world, findings=(FindingInput("H-surroundings-hygiene", grade="A"),)),
    )

    assert audit.certificate == "none"
    assert audit.expires_on is None
    assert audit.no_certificate_because == ["H-surroundings-hygiene"]


def test_a_refused_unannounced_audit_loses_the_certificate(world: Sector) -> None:
    audit = record_audit(
        world.farm,
        world.auditor_a,
        audit_input(world, kind="unannounced", unannounced_audit_refused=True),
    )
    assert audit.certificate == "none"
    assert audit.no_certificate_because == ["unannounced_audit_refused"]


@time_machine.travel(aware(2028, 12, 1, 12), tick=False)
def test_the_certificate_is_expiring_within_the_reminder_and_lapsed_after(world: Sector) -> None:
    record_audit(world.farm, world.auditor_a, audit_input(world))

    now = selectors.certificate_now(world.farm)
    assert now.status.state == "expiring"
    assert now.status.days_left == (date(2029, 2, 20) - date(2028, 12, 1)).days
    assert selectors.certificate_now(world.farm, date(2029, 2, 20)).status.state == "lapsed"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"findings": (FindingInput("X-unknown"),)}, "findings[0]"),
        ({"findings": (FindingInput("C-milk-cooling"),) * 2}, "findings[1]"),
        ({"decided_on": date(2026, 2, 1)}, "decided_on"),
        ({"held_on": date(1999, 1, 1)}, "held_on"),
        ({"unannounced_audit_refused": True}, "unannounced_audit_refused"),
        ({"auditor_name": ""}, "auditor_name"),
    ],
)
def test_bad_audits_are_refused(world: Sector, changes: dict[str, object], field: str) -> None:
    with pytest.raises(FarmInputError) as refused:
        record_audit(world.farm, world.auditor_a, audit_input(world, **changes))
    assert refused.value.field.startswith(field)


def test_a_finding_is_closed_once_with_evidence(world: Sector) -> None:
    audit = record_audit(
        world.farm,
        world.auditor_a,
        audit_input(world, findings=(FindingInput("C-milk-cooling", deadline=date(2026, 3, 20)),)),
    )
    finding = audit.findings.get()
    assert list(selectors.open_findings(world.farm)) == [finding]

    close_finding(finding, world.owner, ClosureInput("Tank hersteld", date(2026, 3, 1)))

    assert list(selectors.open_findings(world.farm)) == []
    with pytest.raises(FarmInputError, match="already closed"):
        close_finding(finding, world.owner, ClosureInput("Nog eens", date(2026, 3, 2)))


# Sustainability monitor and notifications


def test_initiatives_of_a_year_are_versions(world: Sector) -> None:
    year = timezone.localdate().year
    record_initiatives(world.farm, world.owner, year, ["brushes"])
    record_initiatives(
        world.farm, world.owner, year, ["brushes", "permanent_grassland"], {"brushes": "foto"}
    )

    entry = selectors.sustainability_entries(world.farm)[year]

    assert (entry.version, entry.initiatives) == (2, ["brushes", "permanent_grassland"])
    assert entry.evidence == {"brushes": "foto"}


@pytest.mark.parametrize(
    ("year", "initiatives", "evidence", "field"),
    [
        (2025, ["flying_cows"], {}, "initiatives"),
        (2025, ["brushes"], {"clipping": "x"}, "evidence"),
        (1999, [], {}, "year"),
        (2999, [], {}, "year"),
    ],
)
def test_bad_initiatives_are_refused(
    world: Sector, year: int, initiatives: list[str], evidence: dict[str, str], field: str
) -> None:
    with pytest.raises(FarmInputError) as refused:
        record_initiatives(world.farm, world.owner, year, initiatives, evidence)
    assert refused.value.field == field


def test_a_notification_and_its_follow_up_are_versions(world: Sector) -> None:
    data = NotificationInput(
        kind="antibiotics_in_milk",
        occurred_on=date(2026, 1, 5),
        notified_on=date(2026, 1, 5),
        notified_to="Melkerij Noord",
    )
    first = record_notification(world.farm, world.owner, data)
    followed = follow_up_notification(
        first,
        world.owner,
        NotificationInput(**{**data.__dict__, "follow_up": "Tank vernietigd", "closed": True}),
    )

    assert (followed.version, followed.chain, followed.closed) == (2, first.chain, True)
    assert list(selectors.current_notifications(world.farm)) == [followed]
    with pytest.raises(FarmInputError, match="latest version"):
        follow_up_notification(first, world.owner, data)


def test_a_notification_is_not_made_before_the_finding(world: Sector) -> None:
    with pytest.raises(FarmInputError) as refused:
        record_notification(
            world.farm,
            world.owner,
            NotificationInput("notifiable_disease", date(2026, 1, 5), date(2026, 1, 4), "FAVV"),
        )
    assert refused.value.field == "notified_on"


def test_milk_is_withheld_until_the_moment_its_withdrawal_ends_within_the_day(
    world: Sector,
) -> None:
    """The query is kept for the day and held to the moment: a withdrawal that ended earlier
    today no longer withholds, one that ends later today still does, moment by moment."""
    noon = aware(2026, 6, 10, 12, 0)
    for animal, hours_before in (("BE 1", 84 + 2), ("BE 2", 84 - 2)):
        record_treatment(
            world.farm,
            world.owner,
            Role.OWNER,
            treatment_input(
                animal=animal,
                last_dose_at=noon - timedelta(hours=hours_before),
                first_dose_on=(noon - timedelta(hours=hours_before)).date(),
                withdrawal_milk_hours=84,
            ),
        )
    at_noon = {w.animal for w in selectors.withheld(world.farm, noon)}
    assert at_noon == {"BE 2"}
    assert {w.animal for w in selectors.withheld(world.farm, noon - timedelta(hours=3))} == {
        "BE 1",
        "BE 2",
    }
    assert selectors.withheld(world.farm, noon + timedelta(hours=3)) == []
