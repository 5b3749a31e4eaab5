"""The farm's pages: the register withholds milk until the right milking, the self-assessment
fills in what the app holds, audits give the certificate, and bad input is told, never a 500."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.farm.models import (
    AssessmentAnswer,
    Audit,
    FarmProfile,
    Notification,
    SustainabilityEntry,
    Treatment,
)
from dairyhaccp.web.farm.services import (
    AuditInput,
    FindingInput,
    record_audit,
    record_treatment,
    refresh_sector_figures,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.choices import RoomKind
from dairyhaccp.web.records.constants import LIST_PAGE
from dairyhaccp.web.records.models import Registration, Room

from ..query_plans import days_read_from_each_row, sql_plan_text
from .conftest import Sector, aware, treatment_input

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def url(name: str, farm: Operator, **kwargs: object) -> str:
    return reverse(f"farm:{name}", kwargs={"operator_slug": farm.slug, **kwargs})


def visible(html: str) -> str:
    """The text a reader sees: no tags, no attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def treatment_form(**changes: Any) -> dict[str, Any]:
    data = {
        "animal": "BE 5 0123 4567",
        "animals": "1",
        "last_dose_at": "2026-03-02T07:30",
        "indication": "Mastitis",
        "product": "Mastiplan LC",
        "active_substance": "cefapirine",
        "dose": "1 injector per kwartier",
        "route": "intramammary",
        "prescribing_vet": "Dr. Peeters",
        "withdrawal_milk": "3,5",
        "withdrawal_milk_unit": "days",
        "withdrawal_meat": "4",
    }
    data.update(changes)
    return data


@pytest.fixture
def owner(login: Callable[[User], Client], world: Sector) -> Client:
    return login(world.owner)


# The register and the today page


@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_a_recorded_treatment_withholds_the_milk_until_the_right_milking(
    owner: Client, world: Sector
) -> None:
    # when: 3,5 days (84 h) from 2 March 07:30
    response = owner.post(url("treatment-new", world.farm), treatment_form())

    # then
    treatment = Treatment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("treatment", world.farm, treatment_id=treatment.pk)
    assert treatment.withdrawal_milk_hours == Decimal(84)
    assert treatment.recorded_as == "owner"
    today = owner.get(url("today", world.farm), **EN).content.decode()
    withheld = today[today.index('id="withheld-list"') :]
    assert "BE 5 0123 4567" in withheld
    # the withdrawal ends Thursday 5 March 19:30; the milking of 17:30 is too early
    assert "The first milking that may go into the tank: Friday 6 March, 06:00." in withheld
    assert "Thursday 5 March, 19:30" in withheld


@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_the_today_page_in_dutch_names_the_day_in_dutch(owner: Client, world: Sector) -> None:
    owner.post(url("treatment-new", world.farm), treatment_form())
    page = owner.get(url("today", world.farm), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "vrijdag 6 maart, 06:00" in page


@time_machine.travel(aware(2026, 3, 10, 9), tick=False)
def test_after_the_withdrawal_no_milk_is_withheld(owner: Client, world: Sector) -> None:
    owner.post(url("treatment-new", world.farm), treatment_form())
    page = owner.get(url("today", world.farm), **EN).content.decode()
    assert "No milk withheld." in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_dose_at": "0001-01-01T07:00"}, "last_dose_at"),
        ({"last_dose_at": "1999-12-31T07:00"}, "last_dose_at"),
        ({"last_dose_at": "2099-01-01T07:00"}, "last_dose_at"),
        ({"last_dose_at": "gisteren"}, "last_dose_at"),
        ({"withdrawal_milk": "1e300"}, "withdrawal_milk"),
        ({"withdrawal_milk": "-1"}, "withdrawal_milk"),
        ({"withdrawal_milk": "400", "withdrawal_milk_unit": "days"}, "withdrawal_milk"),
        ({"withdrawal_meat": "99999999999999999999"}, "withdrawal_meat"),
        ({"animal": "BE\x00"}, "animal"),
        ({"animal": "x" * 61}, "animal"),
        ({"route": "nasal"}, "route"),
        ({"animals": "3"}, "animals"),
        ({"first_dose_on": "2026-03-05"}, "first_dose_on"),
    ],
)
@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_bad_treatments_are_told_next_to_the_field(
    owner: Client, world: Sector, changes: dict[str, str], field: str
) -> None:
    response = owner.post(url("treatment-new", world.farm), treatment_form(**changes), **EN)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "field-error" in response.content.decode()
    assert not Treatment.objects.exists()


@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_a_treatment_is_corrected_and_withdrawn_as_new_versions(
    login: Callable[[User], Client], world: Sector
) -> None:
    client = login(world.vet)
    client.post(url("treatment-new", world.farm), treatment_form())
    first = Treatment.objects.get()

    response = client.post(
        url("treatment-correct", world.farm, treatment_id=first.pk),
        treatment_form(withdrawal_milk="96", withdrawal_milk_unit="hours", reason="96 uur"),
    )
    corrected = Treatment.objects.get(version=2)
    assert response["Location"] == url("treatment", world.farm, treatment_id=corrected.pk)
    assert corrected.recorded_as == "vet" and corrected.corrects_id == first.pk

    # the old version leads to the latest one
    old = client.get(url("treatment-correct", world.farm, treatment_id=first.pk))
    assert old.status_code == 302

    client.post(
        url("treatment-withdraw", world.farm, treatment_id=corrected.pk),
        {"reason": "verkeerde koe"},
    )
    detail = client.get(url("treatment", world.farm, treatment_id=first.pk), **EN).content.decode()
    assert "A later version of this treatment exists." in detail
    assert Treatment.objects.count() == 3
    assert "No milk withheld." in client.get(url("today", world.farm), **EN).content.decode()


@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_the_register_exports_as_csv_with_inert_cells(owner: Client, world: Sector) -> None:
    owner.post(url("treatment-new", world.farm), treatment_form(indication="=HYPERLINK(1)"))

    response = owner.get(url("treatments-csv", world.farm))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["animal"] == "BE 5 0123 4567"
    assert row["last_administration"] == "2026-03-02T07:30+01:00"
    assert row["withdrawal_milk_h"] == "84"
    assert row["milk_usable_from"] == "2026-03-05T19:30+01:00"
    assert row["first_usable_milking"] == "2026-03-06T06:00+01:00"
    assert row["meat_usable_from"] == "2026-03-06T07:30+01:00"
    assert row["indication"] == "'=HYPERLINK(1)"


@time_machine.travel(aware(2026, 6, 30, 12), tick=False)
def test_treatment_days_per_month_and_the_sector_zone(owner: Client, world: Sector) -> None:
    # given: 8 cows treated 3 days in March of a herd of 80 (31 days): 24 / 2480 × 100
    record_treatment(
        world.farm,
        world.owner,
        Role.OWNER,
        treatment_input(
            animal="groep",
            is_group=True,
            animals=8,
            first_dose_on=date(2026, 3, 10),
            last_dose_at=aware(2026, 3, 12, 8),
        ),
    )

    page = owner.get(url("treatment-days", world.farm), {"per": "month"}, **EN)

    figures = [row.value for row in page.context["figures"]]
    assert figures[2] == pytest.approx(100 * 24 / (80 * 31))
    assert sum(figures) == pytest.approx(figures[2])
    assert "No sector benchmark for this year yet." in page.content.decode()


# The self-assessment


@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_the_ab_register_criterion_is_met_with_the_treatments_as_evidence(
    owner: Client, world: Sector
) -> None:
    before = owner.get(url("assessment", world.farm), **EN).content.decode()
    assert "No treatment in the register in the last 12 months." in before

    owner.post(url("treatment-new", world.farm), treatment_form())
    page = owner.get(url("assessment", world.farm), **EN).content.decode()

    block = page[page.index('data-criterion="A-antibiotics-registered"') :]
    block = block[: block.index('<div class="criterion"')]
    assert "Met" in block and "filled in by the app" in block
    assert "1 treatment in the register in the last 12 months, the last on March 2, 2026." in block
    assert "A-antibiotics-registered" not in visible(page)


def test_the_farmers_own_answer_comes_before_the_apps(owner: Client, world: Sector) -> None:
    record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    target = url("answer", world.farm, criterion_id="A-antibiotics-registered")

    response = owner.post(target, {"answer": "not_met", "open_point": "AB Register nakijken"})

    assert response.status_code == 302
    page = owner.get(url("assessment", world.farm), **EN).content.decode()
    block = page[page.index('data-criterion="A-antibiotics-registered"') :]
    block = block[: block.index('<div class="criterion"')]
    assert "Not met" in block and "filled in by the app" not in block
    today = owner.get(url("today", world.farm), **EN).content.decode()
    assert "AB Register nakijken" in today


@time_machine.travel(aware(2026, 3, 10, 20), tick=False)
def test_tank_cooling_evidence_counts_the_days_registered(owner: Client, world: Sector) -> None:
    # given: a milk tank registered on 8 of the 10 days since the first registration
    tank = Room.objects.create(operator=world.farm, name="Melktank", kind=RoomKind.MILK_TANK)
    for day in (1, 2, 3, 4, 5, 7, 8, 10):
        for hour in (7, 18):
            Registration.objects.create(
                operator=world.farm,
                control_id="CCP 2",
                room=tank,
                measured_at=aware(2026, 3, day, hour),
                verdict="conform",
                recorded_by=world.owner,
            )

    page = owner.get(url("assessment", world.farm), **EN).content.decode()

    assert "Tank cooling registered 8 of 10 days (March 1, 2026 to March 10, 2026)." in page


@time_machine.travel(aware(2026, 11, 20, 20), tick=False)
def test_tank_cooling_counts_the_local_days_of_the_last_year_from_the_moments_bounds(
    owner: Client, world: Sector
) -> None:
    # given a milk tank registered just after and just before local midnight, over a year ago
    tank = Room.objects.create(operator=world.farm, name="Melktank", kind=RoomKind.MILK_TANK)
    moments = [aware(2025, 11, 1, 8), aware(2025, 11, 20, 23, 50)]  # before the last 12 months
    moments += [aware(2025, 11, 21, 0, 10), aware(2026, 10, 25, 23, 50)]  # the clocks went back
    moments += [aware(2026, 11, 20, 0, 10)]
    for moment in moments:
        Registration.objects.create(
            operator=world.farm,
            control_id="CCP 2",
            room=tank,
            measured_at=moment,
            verdict="conform",
            recorded_by=world.owner,
        )

    with CaptureQueriesContext(connection) as captured:
        response = owner.get(url("assessment", world.farm), **EN)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Tank cooling registered 3 of 365 days (Nov. 21, 2025 to Nov. 20, 2026)." in page
    sql = [q["sql"] for q in captured.captured_queries]
    assert days_read_from_each_row(sql) == []
    # the registrations are read from a moment on, or only whether one is older: not all years
    read = [query for query in sql if 'FROM "records_registration"' in query]
    assert read and all('"measured_at" >=' in q or '"measured_at" <' in q for q in read)


@time_machine.travel(aware(2026, 11, 20, 20), tick=False)
def test_tank_cooling_reads_each_tank_from_a_moment_on_in_the_room_index(
    owner: Client, world: Sector
) -> None:
    # given a tank and a cold room, with registrations over two years
    tank = Room.objects.create(operator=world.farm, name="Melktank", kind=RoomKind.MILK_TANK)
    cold = Room.objects.create(operator=world.farm, name="Koelcel", kind=RoomKind.COLD_ROOM)
    for days_back in range(0, 730, 30):
        for room in (tank, cold):
            Registration.objects.create(
                operator=world.farm,
                control_id="CCP 2" if room == tank else "CCP 3",
                room=room,
                measured_at=aware(2026, 11, 20, 8) - timedelta(days=days_back),
                verdict="conform",
                recorded_by=world.owner,
            )

    with CaptureQueriesContext(connection) as captured:
        response = owner.get(url("assessment", world.farm), **EN)

    assert response.status_code == 200
    assert "Tank cooling registered 13 of 365 days" in response.content.decode()
    read = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "records_registration"' in q["sql"] and '"room_id" IN' in q["sql"]
    ]
    assert len(read) == 2  # the last 12 months, and whether an older one exists
    for sql in read:
        plan = sql_plan_text(sql)
        assert "Seq Scan on records_registration" not in plan
        if connection.vendor == "sqlite":
            # a range of the (operator, room, moment) index, not every registration of the room
            assert "records_reg_op_room (operator_id=? AND room_id=? AND measured_at" in plan


@time_machine.travel(aware(2026, 11, 20, 23, 58), tick=False)
def test_tank_cooling_begun_by_a_clock_minutes_ahead_counts_no_day_after_today(
    owner: Client, world: Sector
) -> None:
    # given the farm's first tank registration, typed on a clock that had passed midnight
    tank = Room.objects.create(operator=world.farm, name="Melktank", kind=RoomKind.MILK_TANK)
    Registration.objects.create(
        operator=world.farm,
        control_id="CCP 2",
        room=tank,
        measured_at=aware(2026, 11, 21, 0, 3),
        verdict="conform",
        recorded_by=world.owner,
    )

    response = owner.get(url("assessment", world.farm), **EN)

    assert response.status_code == 200
    assert "Tank cooling registered 0 of 1 day (Nov. 20, 2026 to Nov. 20, 2026)." in (
        response.content.decode()
    )


def test_an_answer_with_a_photo_is_kept_and_shown_to_members_only(
    owner: Client, world: Sector, login: Callable[[User], Client]
) -> None:
    target = url("answer", world.farm, criterion_id="H-milk-room")
    photo = SimpleUploadedFile("melkhuis.png", PNG, content_type="image/png")

    response = owner.post(target, {"answer": "met", "evidence_file": photo})

    assert response.status_code == 302
    answer = AssessmentAnswer.objects.get()
    assert answer.evidence_file is not None
    download = owner.get(url("evidence-file", world.farm, file_id=answer.evidence_file.pk))
    assert download.content == PNG
    assert download["Content-Disposition"] == 'attachment; filename="melkhuis.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    other = login(world.other_owner)
    assert (
        other.get(url("evidence-file", world.farm, file_id=answer.evidence_file.pk)).status_code
        == 404
    )


def test_an_answer_with_a_script_as_evidence_is_refused(owner: Client, world: Sector) -> None:
    target = url("answer", world.farm, criterion_id="H-milk-room")
    script = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="image/png")

    response = owner.post(target, {"answer": "met", "evidence_file": script}, **EN)

    assert response.status_code == 200
    assert response.context["form"].errors["evidence_file"]
    assert not AssessmentAnswer.objects.exists()


def test_readiness_per_module_counts_the_answers(owner: Client, world: Sector) -> None:
    for criterion in ("E-biocide-user",):
        owner.post(url("answer", world.farm, criterion_id=criterion), {"answer": "met"})

    page = owner.get(url("assessment", world.farm), **EN)

    environment = next(m for m in page.context["modules"] if m["readiness"].module == "environment")
    assert environment["readiness"].met == environment["readiness"].criteria
    assert environment["readiness"].ready
    assert "100.0 %" in page.content.decode()


def test_an_unknown_criterion_is_a_404(owner: Client, world: Sector) -> None:
    assert owner.get(url("answer", world.farm, criterion_id="Z-none")).status_code == 404


# Audits


@time_machine.travel(aware(2026, 3, 4, 9), tick=False)
def test_an_auditor_records_an_audit_with_findings_and_the_farmer_closes_them(
    login: Callable[[User], Client], world: Sector
) -> None:
    auditor = login(world.auditor_a)
    form = auditor.get(url("audit-new", world.farm))
    assert [str(b) for b in form.context["form"].fields["body"].queryset] == ["Certalent"]

    response = auditor.post(
        url("audit-new", world.farm),
        {
            "body": world.body_a.pk,
            "held_on": "2026-03-02",
            "auditor_name": "J. Auditeur",
            "kind": "regular",
            "decision": "short",
            "decided_on": "2026-03-03",
            "findings-TOTAL_FORMS": "2",
            "findings-INITIAL_FORMS": "0",
            "findings-0-criterion": "C-milk-cooling",
            "findings-0-grade": "B",
            "findings-0-deadline": "2026-04-01",
            "findings-1-criterion": "",
        },
    )

    audit = Audit.objects.get()
    assert response["Location"] == url("audit", world.farm, audit_id=audit.pk)
    assert (audit.certificate, audit.expires_on) == ("short", date(2027, 9, 3))
    finding = audit.findings.get()
    owner = login(world.owner)
    today = owner.get(url("today", world.farm), **EN).content.decode()
    assert "Certificate valid" in today and "to close by April 1, 2026" in today

    owner.post(
        url("finding-close", world.farm, finding_id=finding.pk),
        {"evidence_note": "Tank hersteld", "closed_on": "2026-03-04"},
    )
    assert "No open findings." in owner.get(url("today", world.farm), **EN).content.decode()


def test_an_auditor_cannot_name_another_body(
    login: Callable[[User], Client], world: Sector
) -> None:
    response = login(world.auditor_a).post(
        url("audit-new", world.farm),
        {
            "body": world.body_b.pk,
            "held_on": "2025-03-02",
            "auditor_name": "X",
            "kind": "regular",
            "decision": "standard",
            "decided_on": "2025-03-03",
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Audit.objects.exists()


def test_the_today_page_reminds_before_the_certificate_lapses(
    login: Callable[[User], Client], world: Sector
) -> None:
    record_audit(
        world.farm,
        world.auditor_a,
        AuditInput(
            body=world.body_a,
            held_on=date(2026, 2, 10),
            auditor_name="A",
            kind="regular",
            decision="standard",
            decided_on=date(2026, 2, 20),
        ),
    )
    with time_machine.travel(aware(2028, 12, 1, 9), tick=False):
        page = login(world.owner).get(url("today", world.farm), **EN).content.decode()
    assert "The certificate ends in 81 days: plan the next audit now." in page


def test_a_knock_out_finding_shows_why_there_is_no_certificate(
    owner: Client, world: Sector
) -> None:
    audit = record_audit(
        world.farm,
        world.auditor_a,
        AuditInput(
            body=world.body_a,
            held_on=date(2026, 2, 10),
            auditor_name="A",
            kind="regular",
            decision="standard",
            decided_on=date(2026, 2, 20),
            findings=(FindingInput("H-surroundings-hygiene"),),
        ),
    )
    page = owner.get(url("audit", world.farm, audit_id=audit.pk), **EN).content.decode()
    assert "No certificate because of:" in page
    assert "H-surroundings-hygiene" not in visible(page)


# Profile, sustainability and notifications


def test_the_profile_is_saved_as_a_new_version(owner: Client, world: Sector) -> None:
    response = owner.post(
        url("profile-edit", world.farm),
        {
            "species": "goat",
            "animals_in_milk": "120",
            "sanitel_number": "BE 7777",
            "region": "wallonia",
            "milking_times": "05:30; 16:00",
            "certification_body": world.body_b.pk,
        },
    )
    assert response.status_code == 302
    latest = FarmProfile.objects.for_operator(world.farm).order_by("-version").first()
    assert latest is not None
    assert (latest.version, latest.milking_times) == (2, ["05:30", "16:00"])
    page = owner.get(url("profile", world.farm), **EN).content.decode()
    assert "Goats" in page and "SGS AgroControl" in page and "2 versions" in page


def test_a_bad_profile_is_told_next_to_the_field(owner: Client, world: Sector) -> None:
    response = owner.post(
        url("profile-edit", world.farm),
        {
            "species": "cow",
            "animals_in_milk": "80",
            "sanitel_number": "BE;1",
            "region": "flanders",
            "milking_times": "6 uur",
        },
        **EN,
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert FarmProfile.objects.for_operator(world.farm).count() == 1


def test_initiatives_are_ticked_and_counted_against_the_sector(
    owner: Client, world: Sector
) -> None:
    year = timezone.localdate().year
    response = owner.post(
        url("sustainability-year", world.farm, year=year),
        {"take_brushes": "on", "evidence_brushes": "2 borstels", "take_clipping": "on"},
    )
    assert response.status_code == 302
    entry = SustainabilityEntry.objects.get()
    assert entry.initiatives == ["brushes", "clipping"]
    assert entry.evidence == {"brushes": "2 borstels"}
    page = owner.get(url("sustainability", world.farm), **EN)
    assert page.context["years"][0]["count"] == 2
    # two farms in the system only: the sector shows no average for fewer than 5
    refresh_sector_figures(world.milkbe)
    assert owner.get(url("sustainability", world.farm)).context["years"][0]["sector_mean"] is None


def test_a_future_year_has_no_initiatives_page(owner: Client, world: Sector) -> None:
    year = timezone.localdate().year + 1
    assert owner.get(url("sustainability-year", world.farm, year=year)).status_code == 404


def test_a_notification_and_its_follow_up(owner: Client, world: Sector) -> None:
    response = owner.post(
        url("notification-new", world.farm),
        {
            "kind": "antibiotics_in_milk",
            "occurred_on": "2026-01-05",
            "notified_on": "2026-01-05",
            "notified_to": "Melkerij Noord",
        },
    )
    first = Notification.objects.get()
    assert response["Location"] == url("notification", world.farm, notification_id=first.pk)
    owner.post(
        url("notification-follow-up", world.farm, notification_id=first.pk),
        {
            "kind": "antibiotics_in_milk",
            "occurred_on": "2026-01-05",
            "notified_on": "2026-01-05",
            "notified_to": "Melkerij Noord",
            "follow_up": "Tank vernietigd",
            "closed": "on",
        },
    )
    page = owner.get(url("notifications", world.farm), **EN).content.decode()
    assert "Closed" in page and Notification.objects.count() == 2
    assessment = owner.get(url("assessment", world.farm), **EN).content.decode()
    assert "1 notification recorded, the last on Jan. 5, 2026." in assessment


def test_pages_answer_in_english_with_no_ids_or_raw_values(owner: Client, world: Sector) -> None:
    record_treatment(world.farm, world.owner, Role.OWNER, treatment_input())
    for name in ("today", "treatments", "profile", "assessment", "audits", "sustainability"):
        page = owner.get(url(name, world.farm), **EN)
        assert page.status_code == 200, name
        text = visible(page.content.decode())
        assert "intramammary" not in text.replace("Intramammary", "")
        assert "not_met" not in text and "None" not in text, name


def test_the_withdrawal_days_field_takes_a_decimal_comma(owner: Client, world: Sector) -> None:
    last = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    owner.post(
        url("treatment-new", world.farm),
        treatment_form(last_dose_at=last, withdrawal_milk="1,5", withdrawal_milk_unit="days"),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert Treatment.objects.get().withdrawal_milk_hours == Decimal(36)


def test_the_register_is_shown_a_page_at_a_time_newest_first(owner: Client, world: Sector) -> None:
    first_dose = timezone.now() - timedelta(days=400)
    for number in range(LIST_PAGE + 2):
        record_treatment(
            world.farm,
            world.owner,
            Role.OWNER,
            treatment_input(
                animal=f"BE 5 0000 {number:04d}",
                last_dose_at=first_dose + timedelta(days=7 * number),
            ),
        )

    first = owner.get(url("treatments", world.farm), **EN)
    second = owner.get(url("treatments", world.farm) + "?page=2", **EN)

    first_animals = [row[0].animal for row in first.context["rows"]]
    assert len(first_animals) == LIST_PAGE
    assert first_animals[0] == f"BE 5 0000 {LIST_PAGE + 1:04d}"
    assert [row[0].animal for row in second.context["rows"]] == ["BE 5 0000 0001", "BE 5 0000 0000"]
    assert 'rel="next"' in first.content.decode() and 'rel="next"' not in second.content.decode()
    assert 'rel="prev"' in second.content.decode()
