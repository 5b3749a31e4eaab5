"""The sector's figures: aggregates only, never one farm, nothing for a group of fewer than 5."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.evidence.models import EvidenceLink
from dairyhaccp.web.farm.demo import DEMO_PREFIX
from dairyhaccp.web.farm.models import (
    Audit,
    AuditFinding,
    CertificationBody,
    FarmProfile,
    SectorSnapshot,
    SustainabilityEntry,
    Treatment,
)
from dairyhaccp.web.farm.services import (
    AuditInput,
    FindingInput,
    compute_sector_figures,
    record_audit,
    record_initiatives,
    record_treatment,
    refresh_sector_figures,
    register_certification_body,
    save_profile,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import create_operator

from .conftest import make_user, profile_input, treatment_input

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
YEAR = timezone.localdate().year


@pytest.fixture
def sector(db: None) -> Operator:
    return create_operator("MilkBE", slug="milkbe")


@pytest.fixture
def analyst(sector: Operator) -> User:
    return make_user(sector, Role.SECTOR, "analist")


@pytest.fixture
def farmer(db: None) -> User:
    return User.objects.create_user("boeren")


@pytest.fixture
def make_farms(farmer: User) -> Callable[..., list[Operator]]:
    """`n` farms with a profile, named Farm-<region>-<i>, in `region`."""

    def make(n: int, region: str = "flanders", body: CertificationBody | None = None) -> list:
        farms = []
        for i in range(n):
            farm = create_operator(f"Hoeve {region} {i}", slug=f"hoeve-{region}-{i}")
            save_profile(
                farm,
                farmer,
                profile_input(body, region=region, sanitel_number=f"BE 99{i:02d}{len(region)}"),
            )
            farms.append(farm)
        return farms

    return make


def this_year(figures: dict, table: str = "years", **group: str) -> dict:
    rows = [
        row
        for row in figures[table]
        if row.get("year") == YEAR and all(row.get(k) == v for k, v in group.items())
    ]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize(("farms", "shown"), [(4, False), (5, True), (6, True)])
def test_a_year_of_fewer_than_5_farms_shows_no_figure(
    make_farms: Callable[..., list[Operator]], farms: int, shown: bool
) -> None:
    made = make_farms(farms)
    for farm in made[:2]:
        record_initiatives(farm, User.objects.get(username="boeren"), YEAR, ["brushes"])

    _count, figures = compute_sector_figures()

    row = this_year(figures)
    assert row["shown"] is shown
    if shown:
        assert row["farms"] == farms
        assert row["mean_initiatives"] == round(2 / farms, 2)
        assert row["by_initiative"] == {"brushes": 2}
    else:
        assert set(row) == {"year", "shown"}


@pytest.mark.parametrize(("farms", "shown"), [(4, False), (5, True), (6, True)])
def test_the_sector_page_says_fewer_than_5(
    login: Callable[[User], Client],
    analyst: User,
    sector: Operator,
    make_farms: Callable[..., list[Operator]],
    farms: int,
    shown: bool,
) -> None:
    make_farms(farms)

    page = login(analyst).get(reverse("farm:sector", kwargs={"operator_slug": "milkbe"}), **EN)

    html = page.content.decode()
    years = html[
        html.index('id="sector-years"') : html.index("</table>", html.index('id="sector-years"'))
    ]
    assert ("fewer than 5" in years) is (not shown)
    assert (f'<td class="number">{farms}</td>' in years) is shown


def test_regions_and_bodies_under_5_farms_are_hidden_apart(
    make_farms: Callable[..., list[Operator]], farmer: User
) -> None:
    body_a = register_certification_body(create_operator("Certalent"))
    body_b = register_certification_body(create_operator("Carah"))
    flemish = make_farms(5, "flanders")
    walloon = make_farms(4, "wallonia")
    for farm, body in [*((f, body_a) for f in flemish), *((f, body_b) for f in walloon)]:
        record_audit(
            farm,
            farmer,
            AuditInput(
                body=body,
                held_on=date(YEAR, 1, 2),
                auditor_name="A",
                kind="regular",
                decision="standard",
                decided_on=date(YEAR, 1, 3),
            ),
        )

    _count, figures = compute_sector_figures()

    assert this_year(figures, "regions", region="flanders")["shown"] is True
    assert this_year(figures, "regions", region="wallonia") == {
        "year": YEAR,
        "region": "wallonia",
        "shown": False,
    }
    assert this_year(figures)["certified_pct"] == 100.0
    audits = {row["body"]: row for row in figures["audits"] if row["year"] == YEAR}
    assert audits["Certalent"]["farms"] == 5 and audits["Certalent"]["audits"] == 5
    assert audits["Carah"] == {"year": YEAR, "body": "Carah", "result": "standard", "shown": False}
    assert audits[""]["farms"] == 9


def test_open_findings_are_counted_per_criterion_and_module(
    make_farms: Callable[..., list[Operator]], farmer: User
) -> None:
    body = register_certification_body(create_operator("Certalent"))
    for index, farm in enumerate(make_farms(6)):
        findings = [FindingInput("C-milk-cooling")] if index < 5 else [FindingInput("D-premises")]
        record_audit(
            farm,
            farmer,
            AuditInput(
                body=body,
                held_on=date(YEAR, 1, 2),
                auditor_name="A",
                kind="regular",
                decision="standard",
                decided_on=date(YEAR, 1, 3),
                findings=tuple(findings),
            ),
        )

    _count, figures = compute_sector_figures()

    rows = {(r["module"], r["criterion"]): r for r in figures["open_findings"]}
    assert rows[("milking", "C-milk-cooling")]["farms"] == 5
    assert rows[("milking", "")]["farms"] == 5
    assert rows[("cleaning", "D-premises")] == {
        "module": "cleaning",
        "criterion": "D-premises",
        "shown": False,
    }


def test_treatment_days_give_the_sector_limits_and_the_farms_zone(
    login: Callable[[User], Client],
    make_farms: Callable[..., list[Operator]],
    farmer: User,
    sector: Operator,
) -> None:
    farms = make_farms(6)
    last = timezone.now() - timedelta(hours=3)
    first_day = max(date(YEAR, 1, 1), timezone.localdate(last) - timedelta(days=2))
    for index, farm in enumerate(farms):
        for _ in range(index):
            record_treatment(
                farm,
                farmer,
                Role.OWNER,
                treatment_input(last_dose_at=last, first_dose_on=first_day),
            )

    snapshot = refresh_sector_figures(sector)

    row = this_year(snapshot.figures, "treatment_days")
    assert row["shown"] and row["farms"] == 6
    assert row["attention"] < row["action"]
    # 3 green, 2 yellow, 1 red: each zone has fewer than 5 farms, so no count is given
    assert row["zones"] == {"green": None, "yellow": None, "red": None}
    owner = make_user(farms[5], Role.OWNER, "hoogste")
    page = login(owner).get(
        reverse("farm:treatment-days", kwargs={"operator_slug": farms[5].slug}), **EN
    )
    assert "red: high user" in page.content.decode()


def test_the_sector_page_and_csv_show_no_single_farm(
    login: Callable[[User], Client],
    analyst: User,
    make_farms: Callable[..., list[Operator]],
    farmer: User,
) -> None:
    farms = make_farms(6)
    for farm in farms:
        record_initiatives(farm, farmer, YEAR, ["brushes", "clipping"])
    client = login(analyst)

    page = client.get(reverse("farm:sector", kwargs={"operator_slug": "milkbe"}), **EN)
    export = client.get(reverse("farm:sector-csv", kwargs={"operator_slug": "milkbe"}))

    for text in (page.content.decode(), export.content.decode()):
        for farm in farms:
            assert farm.name not in text and farm.slug not in text
        assert "BE 99" not in text
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {
        "table": "years",
        "year": str(YEAR),
        "group": "",
        "measure": "farms",
        "value": "6",
    } in rows
    assert {
        "table": "years",
        "year": str(YEAR),
        "group": "",
        "measure": "by_initiative.brushes",
        "value": "6",
    } in rows
    assert "<svg" in page.content.decode()


def test_a_hidden_group_reads_fewer_than_5_in_the_csv(
    login: Callable[[User], Client], analyst: User, make_farms: Callable[..., list[Operator]]
) -> None:
    make_farms(3)
    export = login(analyst).get(reverse("farm:sector-csv", kwargs={"operator_slug": "milkbe"}))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {
        "table": "years",
        "year": str(YEAR),
        "group": "",
        "measure": "farms",
        "value": "<5",
    } in rows
    assert not [row for row in rows if row["measure"] == "certified_pct"]


def test_the_figures_are_computed_again_on_request(
    login: Callable[[User], Client], analyst: User, sector: Operator
) -> None:
    client = login(analyst)
    target = reverse("farm:sector", kwargs={"operator_slug": "milkbe"})
    client.get(target)
    client.get(target)
    assert SectorSnapshot.objects.count() == 1

    client.post(reverse("farm:sector-refresh", kwargs={"operator_slug": "milkbe"}))

    assert SectorSnapshot.objects.count() == 2


def test_make_sector_demo_builds_a_sector_with_figures(analyst: User) -> None:
    out = io.StringIO()
    call_command("make_sector_demo", farms=12, years=2, seed=3, stdout=out)

    snapshot = SectorSnapshot.objects.get()
    assert "12 demo farms" in out.getvalue()
    years = [row for row in snapshot.figures["years"]]
    assert [row["year"] for row in years] == [YEAR - 1, YEAR]
    assert all(row["shown"] and row["farms"] == 12 for row in years)
    assert all(row["certified_pct"] >= 75 for row in years)
    assert all(0 < row["mean_initiatives"] <= 22 for row in years)
    with pytest.raises(CommandError, match="exist already"):
        call_command("make_sector_demo", farms=12, years=2, stdout=out)


def test_the_demo_farms_records_are_in_their_evidence_chains(analyst: User) -> None:
    call_command("make_sector_demo", farms=4, years=2, seed=5, stdout=io.StringIO())
    farms = list(Operator.objects.filter(slug__startswith=DEMO_PREFIX).order_by("slug"))
    stored = {
        model._meta.db_table: model._base_manager.filter(operator__in=farms).count()
        for model in (FarmProfile, Audit, AuditFinding, SustainabilityEntry, Treatment)
    }

    out = io.StringIO()
    call_command("verify_evidence", *[farm.slug for farm in farms], stdout=out)

    assert len(farms) == 4
    assert all(count > 0 for table, count in stored.items() if table != "farm_auditfinding")
    assert out.getvalue().count(": intact, ") == 4
    links = EvidenceLink.objects.filter(operator__in=farms)
    for table, count in stored.items():
        assert links.filter(table_name=table).count() == count
    assert all(verify(farm).links > 0 for farm in farms)


def test_the_figures_are_refreshed_from_the_command_line(analyst: User, sector: Operator) -> None:
    out = io.StringIO()
    call_command("refresh_sector_figures", stdout=out)
    call_command("refresh_sector_figures", "milkbe", stdout=out)

    assert SectorSnapshot.objects.filter(operator=sector).count() == 2
    assert out.getvalue().startswith("milkbe: 0 farms")
    with pytest.raises(CommandError, match="no operator nowhere"):
        call_command("refresh_sector_figures", "nowhere", stdout=out)
