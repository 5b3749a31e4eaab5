"""The dossier's PDF as WeasyPrint lays it out: the text of each page, in the page language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from dairyhaccp.web.dossier.pdf import dossier_html, layout
from dairyhaccp.web.dossier.sections import build_dossier
from dairyhaccp.web.dossier.services import make_dossier
from dairyhaccp.web.operators.services import BusinessDetails, update_operator_details

from .conftest import PERIOD, Dairy
from .test_services import RULE_ID


def _texts(box: Any) -> list[str]:
    found = []
    text = getattr(box, "text", None)
    if text:
        found.append(text)
    for child in getattr(box, "children", None) or []:
        found.extend(_texts(child))
    return found


def pages(dairy: Dairy, language: str) -> list[str]:
    """The text laid out on each page of the dossier's PDF, one string per page."""
    with translation.override(language):
        document = layout(dossier_html(build_dossier(dairy.operator, PERIOD, "An Peeters")))
        return [re.sub(r"\s+", " ", " ".join(_texts(page._page_box))) for page in document.pages]


@pytest.fixture
def english(dairy: Dairy) -> list[str]:
    return pages(dairy, "en")


def test_the_cover_page_holds_the_identity_and_the_period(english: list[str]) -> None:
    cover = english[0]
    for text in (
        "Audit dossier",
        "Kaasmakerij De Wei",
        "Melkweg 1, 9000 Gent",
        "2.123.456.791",
        "from March 2, 2026 to March 8, 2026",
        "Made by An Peeters",
        "Made on March 20, 2026, noon",
    ):
        assert text in cover


def test_every_section_is_in_the_document(english: list[str]) -> None:
    text = " ".join(english)
    for title in (
        "1. The HACCP plan in force",
        "2. Checks per control",
        "3. Deviations and their follow-up",
        "4. Lab results",
        "5. Recalls and notifications",
        "6. Keeping the records",
        "7. The chain of the records",
    ):
        assert title in text
    assert "CCP 13 · Ripening of cheeses daily, weekly 8 6 7 1 0" in text
    assert "Antibiotics in the tank" in text
    assert "intact: every record verifies" in text


def test_pages_carry_the_business_and_the_period_after_the_cover(english: list[str]) -> None:
    assert len(english) >= 2
    header = "Kaasmakerij De Wei · Audit dossier · 03/02/2026 – 03/08/2026"
    assert header not in english[0]
    assert all(header in page for page in english[1:])
    assert all(
        re.search(rf"\b{number} / {len(english)}\b", page)
        for number, page in enumerate(english, start=1)
    )


def test_dutch_dates_and_decimal_commas(dairy: Dairy) -> None:
    text = " ".join(pages(dairy, "nl"))
    assert "van 2 maart 2026 tot 8 maart 2026" in text
    assert "Temperatuur: 12,5 °C" in text


def test_french_pages_show_the_guide_in_french(dairy: Dairy) -> None:
    text = " ".join(pages(dairy, "fr"))
    assert "Affinage des fromages" in text
    assert "12,5 °C" in text


def test_no_rule_id_or_enum_value_on_any_page(dairy: Dairy) -> None:
    for language in ("nl", "fr", "en"):
        text = " ".join(pages(dairy, language))
        assert RULE_ID.findall(text) == [], language


def test_an_address_not_on_record_leaves_a_line_to_fill_in(dairy: Dairy) -> None:
    update_operator_details(dairy.operator, BusinessDetails(dairy.operator.name))
    cover = pages(dairy, "en")[0]
    assert cover.count("not on record: fill in by hand") == 2


def test_the_pdf_file_is_a_pdf(dairy: Dairy) -> None:
    files = make_dossier(dairy.operator, PERIOD, "An Peeters", "en")
    assert files.pdf.startswith(b"%PDF-")
    assert b"%%EOF" in files.pdf[-1024:]
