"""Findings read as sentences in the user's language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dairyhaccp.guide import Guide, Text
from dairyhaccp.monitoring import check, measurement_from_dict
from dairyhaccp.monitoring.wording import describe_finding


def _reason(guide: Guide, lang: str, **fields: object) -> str:
    [finding] = check(measurement_from_dict(fields), guide).findings
    return describe_finding(finding, lang)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "minstens 37 s"), ("fr", "au moins 37 s"), ("en", "at least 37 s")],
)
def test_a_required_minimum_reads_in_words(guide: Guide, lang: str, words: str) -> None:
    reason = _reason(guide, lang, control="CCP 9", product="milk", temperature_c=70, hold_s=20)
    assert words in reason
    assert ">=" not in reason


def test_a_short_fluctuation_names_the_maximum_and_asks_the_cause(guide: Guide) -> None:
    reason = _reason(guide, "nl", control="CCP 3", category="dairy_chilled", temperature_c=9)
    assert reason.startswith("temperatuur 9 °C ligt boven 7 °C")
    assert "oorzaak" in reason


def test_a_failed_yes_no_check_names_what_it_checks(guide: Guide) -> None:
    reason = _reason(guide, "en", control="CCP 23", packaging="vacuum", visual_ok=False)
    assert reason.startswith("not OK: ")
    assert "vacuum" in reason.lower()


def test_without_the_limits_text_a_failed_check_names_the_parameter(guide: Guide) -> None:
    [finding] = check(
        measurement_from_dict({"control": "CCP 23", "packaging": "vacuum", "visual_ok": False}),
        guide,
    ).findings
    stored = replace(finding, limit_text=Text(nl="", en=""))
    assert describe_finding(stored, "nl") == "niet in orde: visuele controle"
