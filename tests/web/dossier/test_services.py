"""The dossier's sections and counts on a small dataset (see conftest.py for the week)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.utils import translation

from dairyhaccp.web.dossier import sections
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections import Dossier, build_dossier
from dairyhaccp.web.dossier.sections.checks import ControlRow
from dairyhaccp.web.evidence.chain import Break, Verification
from dairyhaccp.web.evidence.models import ChainHead, EvidenceLink
from dairyhaccp.web.plans.services import adapt_plan
from dairyhaccp.web.records.services import RegistrationInput, record_registration

from .conftest import ADDRESS, FAVV_NUMBER, NOW, PERIOD, Dairy, at, build_dairy

# A rule id of the guide (ccp13-hard-temperature, ghp-ripening-disinfection) or an enum value
# (raw_milk, non_conformities_only).
RULE_ID = re.compile(r"\b(?:ccp|pva|ghp)\d*-[a-z0-9-]+\b|\b[a-z]+_[a-z_]+\b")


def _dossier(dairy: Dairy, language: str = "en", period: Period = PERIOD) -> Dossier:
    with translation.override(language):
        return build_dossier(dairy.operator, period, "An Peeters")


def _row(dossier: Dossier, control: str) -> ControlRow:
    [row] = [row for row in dossier.controls if row.control == control]
    return row


def _counts(row: ControlRow) -> tuple[int | None, int | None, int, int, int]:
    return (row.due, row.done, row.registrations, row.warnings, row.deviations)


def test_the_cover_names_the_business_the_period_and_who_made_it(dairy: Dairy) -> None:
    cover = _dossier(dairy).cover
    assert (cover.business, cover.address, cover.favv_number) == (
        "Kaasmakerij De Wei",
        ADDRESS,
        FAVV_NUMBER,
    )
    assert (cover.period.first, cover.period.last) == (date(2026, 3, 2), date(2026, 3, 8))
    assert (cover.made_by, cover.made_at) == ("An Peeters", NOW)


def test_a_daily_and_a_weekly_room_check_count_each_window_once(dairy: Dairy) -> None:
    # Kelder: 7 days and 1 week due; temperatures on 5 days (twice on Monday) and the
    # humidity once: 6 done, 7 registrations, the 15 °C of Friday a warning.
    assert _counts(_row(_dossier(dairy), "CCP 13")) == (8, 6, 7, 1, 0)


def test_a_room_kind_the_dairy_lacks_is_due_for_the_business(dairy: Dairy) -> None:
    # Koelcel: 7 days due, registered on 6 of them (12.5 °C on Thursday); the freezer check of
    # the same control is due daily for the business (no freezer entered): 7 more, none done.
    # The registrations of 1 and 9 March lie outside the period.
    assert _counts(_row(_dossier(dairy), "CCP 3")) == (14, 6, 6, 0, 1)


def test_production_checks_are_due_once_per_batch_of_the_period(dairy: Dairy) -> None:
    dossier = _dossier(dairy)
    # Y-1 (3 March): pasteurised and registered. Y-2 (10 March) lies outside the period.
    assert _counts(_row(dossier, "CCP 9")) == (1, 1, 1, 0, 0)
    # Y-1's incubation: a pH and a visual check, neither registered.
    assert _counts(_row(dossier, "PVA 18")) == (2, 0, 0, 0, 0)
    # The milking M-3 (3 March) asks its cooling check.
    assert _counts(_row(dossier, "CCP 2"))[:2] == (1, 0)


def test_a_window_not_over_yet_is_due_only_as_far_as_it_is_done(dairy: Dairy) -> None:
    # CCP 14's monthly buttermilk pH: March is not over on 20 March and nothing is done.
    assert _counts(_row(_dossier(dairy), "CCP 14")) == (0, 0, 0, 0, 0)
    # This week: Monday 16 to Friday 20 March; only today's temperature is registered. The
    # four days gone are due, today's counts once done, the week's humidity is not due yet.
    record_registration(
        dairy.operator,
        dairy.owner,
        RegistrationInput(
            "CCP 13",
            {"temperature_c": 13.0},
            measured_at=at(20, 8),
            room=dairy.kelder,
            product="Hoevekaas",
        ),
    )
    week = Period(date(2026, 3, 16), date(2026, 3, 20))
    assert _counts(_row(_dossier(dairy, period=week), "CCP 13")) == (5, 1, 1, 0, 0)


def test_checks_at_a_delivery_or_by_the_lab_have_no_count_of_occasions(dairy: Dairy) -> None:
    record_registration(
        dairy.operator,
        dairy.owner,
        RegistrationInput(
            "CCP 1",
            {"temperature_c": 5.0},
            measured_at=at(4, 11),
            delivery="Melkerij",
            product="Roeryoghurt",
        ),
    )
    row = _row(_dossier(dairy), "CCP 1")
    assert (row.due, row.done, row.registrations) == (None, None, 1)


def test_the_totals_add_up_the_rows(dairy: Dairy) -> None:
    dossier = _dossier(dairy)
    totals = dossier.totals
    assert totals["due"] == sum(row.due or 0 for row in dossier.controls)
    assert totals["done"] == sum(row.done or 0 for row in dossier.controls)
    assert totals["registrations"] == 14  # 7 ripening room, 6 cold room, 1 pasteurisation
    assert (totals["deviations"], totals["open_deviations"]) == (1, 0)


def test_the_plan_version_in_force_and_its_adaptation_in_words(dairy: Dairy) -> None:
    with time_machine.travel(at(4, 10), tick=False):
        adapt_plan(
            dairy.operator,
            dairy.owner,
            {
                "kind": "change_limit",
                "control": "CCP 13",
                "limit": "ccp13-hard-temperature",
                "low": 10.5,
                "high": 12,
                "justification": "Ripening at 10.5-12 °C, validated by our lab results.",
            },
        )
    dossier = _dossier(dairy)
    first, second = dossier.versions
    assert (first.number, first.first_day, first.last_day) == (
        1,
        date(2026, 3, 2),
        date(2026, 3, 3),
    )
    assert (second.number, second.first_day, second.last_day) == (
        2,
        date(2026, 3, 4),
        date(2026, 3, 8),
    )
    assert first.adaptations == []
    [adaptation] = second.adaptations
    assert adaptation.kind == "Change a limit"
    assert "CCP 13 · Ripening of cheeses" in adaptation.target
    assert "10.5–12 °C" in adaptation.target
    assert "ccp13-hard-temperature" not in adaptation.target
    assert adaptation.justification.startswith("Ripening at 10.5-12")
    # The weekly window that began under version 1 is counted once over both versions.
    assert _row(dossier, "CCP 13").due == 8


def test_a_version_made_on_the_first_day_keeps_the_windows_begun_before(dairy: Dairy) -> None:
    with time_machine.travel(at(4, 6), tick=False):
        adapt_plan(
            dairy.operator,
            dairy.owner,
            {
                "kind": "drop_action",
                "control": "CCP 3",
                "action": "ccp3-register",
                "justification": "We have no space to set products apart; we destroy them.",
            },
        )
    # Wednesday 4 to Sunday 8: five days, registered on three; and the week begun on Monday,
    # its humidity registered on Wednesday.
    dossier = _dossier(dairy, period=Period(date(2026, 3, 4), date(2026, 3, 8)))
    assert [v.number for v in dossier.versions] == [1, 2]
    assert _counts(_row(dossier, "CCP 13"))[:2] == (6, 4)


def test_the_adaptation_reads_in_the_page_language(dairy: Dairy) -> None:
    with time_machine.travel(at(4, 10), tick=False):
        adapt_plan(
            dairy.operator,
            dairy.owner,
            {
                "kind": "change_limit",
                "control": "CCP 13",
                "limit": "ccp13-hard-temperature",
                "low": 10.5,
                "high": 12,
                "justification": "Rijping bij 10,5-12 °C, gevalideerd.",
            },
        )
    [adaptation] = _dossier(dairy, "nl").versions[-1].adaptations
    assert "10,5–12 °C" in adaptation.target
    assert "Rijping van kazen" in adaptation.target


def test_every_deviation_with_its_follow_up(dairy: Dairy) -> None:
    [row] = _dossier(dairy).deviations
    assert (row.control, row.measured_at, row.where) == ("CCP 3", at(5, 7), "Koelcel")
    assert any("12.5" in text for text in row.found)
    assert row.measured == "Temperature: 12.5 °C"
    assert row.actions and not RULE_ID.search(" ".join(row.actions))
    assert (row.outcome, row.justification) == ("Destroyed", "Cooler repaired.")
    assert row.notified_on == date(2026, 3, 5)
    assert (row.status, row.is_open, row.closed_by, row.closed_at) == (
        "Closed",
        False,
        "An Peeters",
        at(6, 10),
    )
    assert [event.what for event in row.events] == [
        "Opened",
        "Corrective actions recorded",
        "Closed",
    ]
    assert row.events[-1].details == "Destroyed — Cooler repaired."


def test_lab_results_with_their_stored_verdicts(dairy: Dairy) -> None:
    dossier = _dossier(dairy)
    [result] = dossier.raw_milk_results
    assert (result.sampled_on, result.parameter, result.count) == (
        date(2026, 3, 4),
        "Plate count",
        50_000.0,
    )
    assert (result.value, result.laboratory, result.verdict) == ("50,000", "MCC", "conform")
    [verdict] = dossier.raw_milk_verdicts
    assert verdict.judged_at == at(4, 16)
    assert (verdict.parameter, verdict.verdict, verdict.notify_favv) == (
        "Plate count",
        "conform",
        False,
    )
    assert dossier.product_results == []


def test_recalls_and_notifications(dairy: Dairy) -> None:
    dossier = _dossier(dairy)
    assert dossier.recalls is not None
    [recall] = dossier.recalls
    assert (recall.number, recall.lots, recall.notified_on) == (1, ["M-3"], date(2026, 3, 6))
    assert recall.hazard == "Antibiotics in the tank"
    assert recall.closed_at is None
    by_subject = {row.subject: row for row in dossier.notifications}
    assert by_subject["Recall 1: Antibiotics in the tank"].notified_on == date(2026, 3, 6)
    deviation = next(row for subject, row in by_subject.items() if subject.startswith("Deviation"))
    assert deviation.notified_on == date(2026, 3, 5)


def test_the_retention_rule_of_the_regime_from_the_guide(dairy: Dairy) -> None:
    retention = _dossier(dairy).retention
    assert retention is not None
    assert (retention.relaxations, retention.months_after_date) == (False, 24)
    assert retention.text.startswith("If you cannot benefit from the relaxations")
    assert retention.source == "§5.1"
    assert (retention.first_keep_until, retention.last_keep_until) == (
        date(2028, 3, 2),
        date(2028, 3, 8),
    )


def test_the_chain_head_and_its_verification(dairy: Dairy) -> None:
    evidence = _dossier(dairy).evidence
    head = ChainHead.objects.get(operator=dairy.operator)
    assert evidence.intact and evidence.problem == ""
    assert evidence.head_hash == head.head_hash
    assert evidence.links == EvidenceLink.objects.filter(operator=dairy.operator).count()


def test_a_broken_chain_is_named_in_words(dairy: Dairy, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = Break(5, "records_registration", 3, "the record was changed")
    monkeypatch.setattr(
        sections, "verify", lambda operator: Verification(operator, 9, "ab" * 32, broken)
    )
    evidence = _dossier(dairy).evidence
    assert not evidence.intact
    assert evidence.problem == "at link 5, registration, the record was changed"


def test_another_dairy_s_records_stay_out(dairy: Dairy, other_dairy: Dairy) -> None:
    dossier = _dossier(dairy)
    assert dossier.totals["registrations"] == 14
    assert len(dossier.deviations) == 1 and dossier.recalls is not None
    assert [r.number for r in dossier.recalls] == [1]
    assert len(dossier.raw_milk_results) == 1
    assert dossier.evidence.head_hash == ChainHead.objects.get(operator=dairy.operator).head_hash


def test_the_relaxations_are_said(db: None) -> None:
    relaxed = build_dairy("zacht", "Zachte Hoeve", relaxations=True)
    with time_machine.travel(NOW, tick=False):
        dossier = _dossier(relaxed)
    assert dossier.relaxed
    assert dossier.retention is not None and dossier.retention.months_after_date == 6


def test_no_rule_id_or_enum_value_in_the_worded_sections(dairy: Dairy) -> None:
    dossier = _dossier(dairy)
    texts = [
        *(f"{row.title} {row.frequency}" for row in dossier.controls),
        *(
            " ".join([row.title, row.where, row.measured, *row.found, *row.actions, row.outcome])
            for row in dossier.deviations
        ),
        *(
            f"{row.milk} {row.parameter} {row.value} {row.verdict}"
            for row in dossier.raw_milk_results
        ),
        *(f"{row.trigger} {row.origin}" for row in dossier.recalls or []),
    ]
    found = [match for text in texts for match in RULE_ID.findall(text)]
    assert found == []
