"""The dossier's ZIP of CSV files: names, headers and rows."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from dairyhaccp.monitoring.duties import form_order
from dairyhaccp.web.dossier.cells import cell
from dairyhaccp.web.dossier.csv_export import COLUMNS, REGISTRATION_COLUMNS
from dairyhaccp.web.dossier.services import make_dossier

from .conftest import PERIOD, Dairy


def read(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    raw = archive.read(name)
    assert raw.startswith("\ufeff".encode())  # spreadsheets read the accents
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def header(archive: zipfile.ZipFile, name: str) -> list[str]:
    return next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


@pytest.fixture
def archive(dairy: Dairy) -> zipfile.ZipFile:
    files = make_dossier(dairy.operator, PERIOD, "An Peeters", "en")
    return zipfile.ZipFile(io.BytesIO(files.csv_zip))


def test_one_file_per_section_with_its_columns(archive: zipfile.ZipFile) -> None:
    assert set(archive.namelist()) == {*COLUMNS, "registrations.csv"}
    for name, columns in COLUMNS.items():
        assert header(archive, name) == list(columns), name
    at = REGISTRATION_COLUMNS.index("@parameters")
    assert header(archive, "registrations.csv") == [
        *REGISTRATION_COLUMNS[:at],
        *form_order(),
        *REGISTRATION_COLUMNS[at + 1 :],
    ]


def test_checks_per_control(archive: zipfile.ZipFile) -> None:
    rows = {row["control"]: row for row in read(archive, "checks.csv")}
    ccp13 = rows["CCP 13"]
    assert ccp13["title"] == "CCP 13 · Ripening of cheeses"
    assert [
        ccp13[k] for k in ("due", "done", "missed", "registrations", "warnings", "deviations")
    ] == [
        "8",
        "6",
        "2",
        "7",
        "1",
        "0",
    ]
    assert (rows["CCP 3"]["due"], rows["CCP 3"]["deviations"]) == ("14", "1")


def test_the_registrations_of_the_period_with_their_values(archive: zipfile.ZipFile) -> None:
    rows = read(archive, "registrations.csv")
    assert len(rows) == 14
    assert [row["measured_at"] for row in rows] == sorted(row["measured_at"] for row in rows)
    assert rows[0]["measured_at"] == "2026-03-02T07:00:00+01:00"
    [deviating] = [row for row in rows if row["verdict"] == "Deviation"]
    assert (deviating["control"], deviating["room"], deviating["temperature_c"]) == (
        "CCP 3",
        "Koelcel",
        "12.5",
    )
    assert "12.5" in deviating["findings"]
    assert deviating["registered_by"] == "An Peeters"
    humidity = [row for row in rows if row["relative_humidity_pct"]]
    assert [row["relative_humidity_pct"] for row in humidity] == ["82"]
    assert {row["storage_category"] for row in rows if row["room"] == "Koelcel"} != {
        "dairy_chilled"
    }


def test_deviations_and_their_steps(archive: zipfile.ZipFile, dairy: Dairy) -> None:
    [row] = read(archive, "deviations.csv")
    assert row["deviation"] == str(dairy.deviation.pk)
    assert (row["outcome"], row["notified_on"], row["status"]) == (
        "Destroyed",
        "2026-03-05",
        "Closed",
    )
    assert row["closed_at"] == "2026-03-06T10:00:00+01:00"
    steps = read(archive, "deviation_events.csv")
    assert [step["what"] for step in steps] == ["Opened", "Corrective actions recorded", "Closed"]
    assert {step["deviation"] for step in steps} == {row["deviation"]}


def test_lab_recalls_notifications_and_the_summary(archive: zipfile.ZipFile) -> None:
    [result] = read(archive, "raw_milk_results.csv")
    assert (result["sampled_on"], result["value"], result["verdict"]) == (
        "2026-03-04",
        "50000",
        "conform",
    )
    [recall] = read(archive, "recalls.csv")
    assert (recall["recall"], recall["lots"], recall["notify_favv"]) == ("1", "M-3", "yes")
    assert len(read(archive, "notifications.csv")) == 2
    summary = {row["field"]: row["value"] for row in read(archive, "dossier.csv")}
    assert summary["business"] == "Kaasmakerij De Wei"
    assert (summary["first_day"], summary["last_day"]) == ("2026-03-02", "2026-03-08")
    assert (summary["registrations"], summary["chain_intact"]) == ("14", "yes")
    assert len(summary["chain_head"]) == 64


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-5", "'-5"),
        (-20.5, "-20.5"),
        (1_500_000.0, "1500000"),
        (0.1, "0.1"),
        (3, "3"),
        (True, "yes"),
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_made_inert(value: object, written: str) -> None:
    assert cell(value) == written
