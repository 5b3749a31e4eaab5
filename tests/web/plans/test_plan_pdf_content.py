"""What the plan's PDF says: a cover an inspector can sign, contents with page numbers, a
running header and footer, limits in words with their source, reading notes in an appendix."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import MarginBox

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import (
    BusinessDetails,
    set_plan_responsibility,
    update_operator_details,
)
from dairyhaccp.web.plans.models import PlanPdf, PlanVersion
from dairyhaccp.web.plans.pdf import layout, write
from dairyhaccp.web.plans.pdf_jobs import css_string, pdf_context
from dairyhaccp.web.plans.services import save_profile

from .conftest import demo_profile

pytestmark = pytest.mark.django_db

HALF = 0.5
# What a rule looks like to the code, never to a reader of the plan.
RULE_SYNTAX = [
    re.compile(r"_(?:c|s|min|h|pct) *(?:<=|>=|<|>|==)"),
    re.compile(r"\b[a-z]+_[a-z_]+ *(?:<=|>=|=)"),
    re.compile(r"\b(?:ccp|pva)\d+-[a-z0-9-]+"),
    re.compile(r"@ *\d"),
    re.compile(r"\b(?:raw_milk|semi_hard_cheese|visual_ok|gas_norm_o2_pct)\b"),
    re.compile(r"vocabulary|schema", re.IGNORECASE),
]


@pytest.fixture
def identified(operator: Operator) -> Operator:
    update_operator_details(
        operator,
        BusinessDetails(
            name="Hoeve Voorbeeld",
            address="Melkweg 1, 9000 Gent",
            favv_number="2.147.812.701",
        ),
    )
    set_plan_responsibility(operator, "An Peeters", timezone.localdate())
    return operator


def _html(operator: Operator, version: PlanVersion, lang: str = "en") -> str:
    with translation.override(lang):
        return render_to_string("plans/plan_pdf.html", pdf_context(operator, version))


def _filled(page: Any) -> tuple[float, bool]:
    """How much of a laid-out page's height its content takes (0 to 1), margins aside, and
    whether the page shows a diagram."""
    box = page._page_box
    top = box.content_box_y()
    bottom = top
    diagram = False

    def walk(parent: Any) -> None:
        nonlocal bottom, diagram
        for child in getattr(parent, "children", []):
            if isinstance(child, MarginBox):
                continue
            diagram = diagram or str(getattr(child, "element_tag", "")).endswith("svg")
            if getattr(child, "children", None):
                walk(child)
            elif getattr(child, "position_y", None) is not None and child.height != "auto":
                # A leaf (text, image, diagram): where the content really ends.
                bottom = max(bottom, child.position_y + child.margin_height())

    walk(box)
    return float((bottom - top) / box.height), diagram


def _pages(operator: Operator, version: PlanVersion, lang: str = "en") -> list[str]:
    document = layout(_html(operator, version, lang))
    _FILLED[lang] = [_filled(page) for page in document.pages]
    reader = PdfReader(io.BytesIO(write(document)))
    return [page.extract_text() or "" for page in reader.pages]


# Laying out the plan takes seconds: each language is laid out once for all the tests here,
# from the same fixtures (a business identified as above, the demo profile as version 1).
_LAID_OUT: dict[str, list[str]] = {}
_FILLED: dict[str, list[tuple[float, bool]]] = {}


def _pages_once(operator: Operator, owner: User, lang: str) -> list[str]:
    if lang not in _LAID_OUT:
        version = save_profile(operator, owner, demo_profile())
        _LAID_OUT[lang] = _pages(operator, version, lang)
    return _LAID_OUT[lang]


@pytest.fixture
def english_pages(identified: Operator, owner: User) -> list[str]:
    return _pages_once(identified, owner, "en")


def test_the_cover_names_the_business_the_responsible_person_and_has_a_signature_block(
    english_pages: list[str],
) -> None:
    cover = english_pages[0]
    today = timezone.localdate()
    with translation.override("en"):
        from django.utils.formats import date_format

        approved = date_format(today, "DATE_FORMAT")
    for text in (
        "HACCP plan of Hoeve Voorbeeld",
        "Melkweg 1, 9000 Gent",
        "2.147.812.701",
        "Dairy processor",
        "An Peeters",
        f"Date of approval {approved}",
        "Approved by the responsible person",
        "Seen by the inspector",
    ):
        assert text in cover, text
    # The cover carries no running header.
    assert "HACCP plan, version" not in cover


def test_the_contents_give_the_page_of_each_part(english_pages: list[str]) -> None:
    contents = english_pages[1]
    assert "Contents" in contents
    numbered = dict(re.findall(r"^(Process flows|Analyses|Labelling)[ .]*(\d+)$", contents, re.M))
    assert set(numbered) == {"Process flows", "Analyses", "Labelling"}
    for title, number in numbered.items():
        assert title in english_pages[int(number) - 1]
    assert re.search(r"CCP 2 Raw material.*?\.+ ?\d+", contents)
    assert "Appendix: notes on reading the guide" in contents


def test_every_page_after_the_cover_has_the_running_header_and_footer(
    english_pages: list[str],
) -> None:
    total = len(english_pages)
    today = timezone.localdate()
    with translation.override("en"):
        from django.utils.formats import date_format

        printed = f"Printed on {date_format(today, 'DATE_FORMAT')}"
    for number, text in enumerate(english_pages[1:], start=2):
        assert "Hoeve Voorbeeld" in text
        assert "HACCP plan, version 1" in text
        assert f"Page {number} of {total}" in text
        assert printed in text


def test_limits_are_in_words_with_their_source_and_no_rule_syntax(
    english_pages: list[str],
) -> None:
    text = "\n".join(english_pages)
    flat = " ".join(text.split())
    assert "Temperature at most 6 °C, within 2 h of milking" in flat
    assert "Hold time at least 15 s at 71.7 °C" in flat
    assert "(Source: §4 CCP 2)" in flat
    for pattern in RULE_SYNTAX:
        assert not pattern.search(text), pattern.findall(text)[:3]


def test_reading_notes_stand_in_the_appendix_not_among_the_rules(
    english_pages: list[str],
) -> None:
    appendix_start = next(
        index
        for index, page in enumerate(english_pages)
        if "Appendix: notes on reading the guide" in page and index > 1
    )
    before = " ".join(" ".join(english_pages[:appendix_start]).split())
    after = " ".join(" ".join(english_pages[appendix_start:]).split())
    note = "Time counts from milking."
    assert note not in before
    assert note in after


def test_no_page_is_left_half_empty_by_a_forced_break(identified: Operator, owner: User) -> None:
    pages = _pages_once(identified, owner, "en")
    version = PlanVersion.objects.filter(operator=identified).first() or save_profile(
        identified, owner, demo_profile()
    )
    assert "print-break-before" not in _html(identified, version)
    # Only the cover and the contents end their page on purpose; every other page but the
    # last is filled at least half, or is followed by a diagram too tall to fit its rest.
    filled = _FILLED["en"]
    assert len(filled) == len(pages)
    half_empty = [
        number
        for number, (share, _diagram) in enumerate(filled[2:-1], start=3)
        if share < HALF and not filled[number][1]
    ]
    assert half_empty == [], [(round(share, 2), diagram) for share, diagram in filled]
    # A diagram comes with its caption: no page holds a caption without its diagram.
    assert not [
        text
        for text, (_share, diagram) in zip(pages, filled, strict=True)
        if "The guide gives no drawing of this flow" in text and not diagram
    ]


def test_the_dutch_and_french_pdfs_word_the_limits_in_their_language(
    identified: Operator, owner: User
) -> None:
    dutch = " ".join(" ".join(_pages_once(identified, owner, "nl")).split())
    assert "Temperatuur hoogstens 6 °C, binnen 2 h na het melken" in dutch
    assert "Houdtijd minstens 15 s bij 71,7 °C" in dutch
    assert "Pagina 2 van" in dutch
    french = " ".join(" ".join(_pages_once(identified, owner, "fr")).split())
    assert "Température au plus 6 °C, dans les 2 h suivant la traite" in french
    assert "Page 2 sur" in french


def test_an_approval_older_than_the_version_leaves_a_line_to_write_it(
    identified: Operator, owner: User
) -> None:
    set_plan_responsibility(identified, "An Peeters", date(2020, 1, 1))
    version = save_profile(identified, owner, demo_profile())
    html = _html(identified, version)
    assert "2020" not in html.split("Date of approval")[1][:200]


def test_settings_save_the_responsible_person_and_drop_the_made_pdfs(
    owner_client: Client, operator: Operator, owner: User
) -> None:
    version = save_profile(operator, owner, demo_profile())
    PlanPdf.objects.create(operator=operator, version=version, language="en")
    url = reverse("operators:settings", kwargs={"operator_slug": operator.slug})
    data = {
        "name": operator.name,
        "address": "",
        "favv_number": "",
        "kind": operator.kind,
        "responsible_person": "An Peeters",
        "plan_approved_on": "2031-01-01",
    }
    refused = owner_client.post(url, data, headers={"accept-language": "en"})
    assert refused.status_code == 200
    assert "The date of approval cannot lie in the future." in refused.content.decode()

    data["plan_approved_on"] = "2025-03-01"
    owner_client.post(url, data)
    operator.refresh_from_db()
    assert operator.responsible_person == "An Peeters"
    assert operator.plan_approved_on == date(2025, 3, 1)
    assert not PlanPdf.objects.filter(operator=operator).exists()


def test_css_strings_escape_everything_but_plain_text() -> None:
    assert css_string('Hoeve "De Wei"; } body {') == (
        '"Hoeve \\22 De Wei\\22 \\3b  \\7d  body \\7b "'
    )
