"""Importing registrations from a CSV file: read, previewed with verdicts, then stored or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch, Deviation, Registration, Room
from dairyhaccp.web.records.registration_csv import decode, normalise, read_registrations
from dairyhaccp.web.records.services import create_room

from ..tenancy import Tenancy

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


# --- reading ------------------------------------------------------------------------------------


def test_headers_are_read_in_dutch_french_and_english_with_units_in_brackets() -> None:
    text = (
        "Controle;Gemeten op;Ruimte;Temperatuur (°C);Visuele controle\n"
        "CCP 3;05/06/2026 08:00;Koelcel;3,5;\n"
        "pva-7;2026-06-05 09:15;Koelcel;;ja\n"
    )
    read = read_registrations(text, NOW)

    assert read.problems == ()
    first, second = read.rows
    assert (first.line, first.control_id, first.room, first.values) == (
        2,
        "CCP 3",
        "Koelcel",
        {"temperature_c": 3.5},
    )
    # local time (Brussels, summer time): 08:00 is 06:00 UTC
    assert first.measured_at == datetime(2026, 6, 5, 6, 0, tzinfo=UTC)
    assert (second.control_id, second.values) == ("PVA 7", {"visual_ok": True})


def test_french_and_english_headers_with_a_comma_separator() -> None:
    text = "contrôle,date,local,température,remarque\nCCP 13,05/01/2026 08:00,Cave,12.5,ok\n"
    read = read_registrations(text, NOW)
    assert read.problems == ()
    row = read.rows[0]
    assert (row.room, row.values, row.remark) == ("Cave", {"temperature_c": 12.5}, "ok")
    # winter time: 08:00 is 07:00 UTC
    assert row.measured_at == datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("control;measured at;colour\nCCP 3;2026-01-05 08:00;red\n", 1, "colour", "unknown column"),
        ("measured at;temperature\n2026-01-05 08:00;4\n", 1, "control", "missing"),
        ("control;when;temperature\nCCP 3;2026-01-05 08:00;warm\n", 2, "temperature", "number"),
        ("control;when;temperature\nCCP 3;05.01.26;4\n", 2, "when", "date"),
        ("control;when;temperature\nCCP X;2026-01-05 08:00;4\n", 2, "control", "control"),
        ("control;when;visual check\nPVA 6;2026-01-05 08:00;maybe\n", 2, "visual check", "OK"),
        ("control;when;temperature\nCCP 3;2026-01-05 08:00;nan\n", 2, "temperature", "number"),
        ("control;when;temperature\nCCP 3;;4\n", 2, "measured_at", "empty"),
        ("control;when;temperature\nCCP 3;2026-01-05 08:00;4;5\n", 2, "", "cells"),
    ],
)
def test_a_wrong_file_names_the_line_and_the_column(
    text: str, line: int, column: str, words: str
) -> None:
    with translation.override("en"):
        read = read_registrations(text, NOW)
    assert read.rows == ()
    problem = read.problems[0]
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.problem


def test_nul_and_too_many_lines_are_refused() -> None:
    assert read_registrations("control;when\x00\n", NOW).problems
    many = "control;when;temperature\n" + "CCP 3;2026-01-05 08:00;4\n" * 1001
    with translation.override("en"):
        assert "at most 1000" in read_registrations(many, NOW).problems[-1].problem


def test_a_file_from_windows_excel_is_decoded() -> None:
    assert decode("température\n".encode("cp1252")) == "température\n"
    assert decode("\ufeffcontrole\n".encode()) == "controle\n"
    assert normalise(" Temperatuur (°C) ") == normalise("temperatuur") == "temperatuur"


# --- the page -----------------------------------------------------------------------------------

FILE = (
    "Controle;Gemeten op;Ruimte;Lot;Temperatuur (°C);Houdtijd (s)\n"
    "CCP 3;{day} 06:00;Koelcel;;3,5;\n"
    "CCP 3;{day} 07:00;Koelcel;;12,5;\n"
    "CCP 9;{day} 08:00;;Y-001;72;20\n"
)


def _file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("checks.csv", text.encode("utf-8"), content_type="text/csv")


def _url(operator: Operator) -> str:
    return reverse("records:import", kwargs={"operator_slug": operator.slug})


@pytest.fixture
def cold_room(planned: Operator) -> Room:
    return create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")


@pytest.fixture
def csv_text(cold_room: Room, yoghurt_batch: Batch) -> str:
    yesterday = timezone.localdate() - timedelta(days=1)
    return FILE.format(day=yesterday.strftime("%d/%m/%Y"))


def test_the_preview_shows_each_verdict_and_stores_nothing(
    owner_client: Client, planned: Operator, csv_text: str
) -> None:
    response = owner_client.post(
        _url(planned), {"file": _file(csv_text)}, headers={"accept-language": "en"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="badge badge-conform"') == 2
    assert page.count('class="badge badge-deviation"') == 1
    assert "Store 3 registrations" in page
    assert not Registration.objects.exists()


def test_storing_the_previewed_file_stores_every_line_once(
    owner_client: Client, planned: Operator, csv_text: str
) -> None:
    response = owner_client.post(_url(planned), {"csv": csv_text, "store": "1"})

    assert response.status_code == 302
    assert Registration.objects.filter(operator=planned).count() == 3
    assert Deviation.objects.filter(operator=planned).count() == 1
    again = owner_client.post(
        _url(planned), {"csv": csv_text, "store": "1"}, headers={"accept-language": "en"}
    )
    assert again.status_code == 200
    assert "imported before" in again.content.decode()
    assert Registration.objects.filter(operator=planned).count() == 3


def test_a_line_that_cannot_be_stored_offers_no_store_button(
    owner_client: Client, planned: Operator, csv_text: str
) -> None:
    text = csv_text.replace("Koelcel;;12,5", "Kelder;;9,5")

    preview = owner_client.post(
        _url(planned), {"file": _file(text)}, headers={"accept-language": "en"}
    )
    stored = owner_client.post(
        _url(planned), {"csv": text, "store": "1"}, headers={"accept-language": "en"}
    )

    assert "no room of that name" in preview.content.decode()
    assert 'name="store"' not in preview.content.decode()
    assert stored.status_code == 200
    assert "Line 3" in stored.content.decode()
    assert not Registration.objects.exists()


def test_a_wrong_file_lists_its_problems(owner_client: Client, planned: Operator) -> None:
    response = owner_client.post(
        _url(planned),
        {"file": _file("control;when;colour\nCCP 3;2026-01-05 08:00;red\n")},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert "colour: unknown column" in response.content.decode()


def test_an_auditor_may_not_import(client: Client, auditor: User, planned: Operator) -> None:
    client.force_login(auditor)
    assert client.get(_url(planned)).status_code == 403
    assert client.post(_url(planned), {"csv": "x", "store": "1"}).status_code == 403


def test_another_operators_import_page_does_not_exist(client: Client, tenancy: Tenancy) -> None:
    tenancy.assert_refused(client, "records:import")
