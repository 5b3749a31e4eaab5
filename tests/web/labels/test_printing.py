"""Label sizes as data, the QR code, and labels that fit their stickers in the PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils import translation
from pypdf import PdfReader

from dairyhaccp.web.labels.layouts import Layout, LayoutError, _layout, layout_css, printing
from dairyhaccp.web.labels.models import LabelVersion
from dairyhaccp.web.labels.pdf import html_to_pdf, print_html, render_document
from dairyhaccp.web.labels.qr import qr_modules, qr_svg
from dairyhaccp.web.labels.services import record_print, save_label
from dairyhaccp.web.records.models import Batch

from .conftest import CHEESE, cheese_content

PX_PER_MM = 96 / 25.4


def test_the_offered_sizes_are_two_a4_sheets_and_a_62_mm_roll() -> None:
    sizes = {layout.id: layout for layout in printing().layouts}

    assert (sizes["a4-3x7"].columns, sizes["a4-3x7"].rows, sizes["a4-3x7"].per_page) == (3, 7, 21)
    assert sizes["a4-2x4"].per_page == 8
    assert sizes["roll-62"].kind == "roll" and sizes["roll-62"].label_width_mm == 62
    assert sizes["roll-62"].per_page == 1


def test_places_run_left_to_right_then_down_then_onto_the_next_sheet() -> None:
    sheet = printing().layout("a4-3x7")

    places = sheet.positions(23)

    assert [(p.page, p.left_mm, p.top_mm) for p in places[:4]] == [
        (0, 0, 0.45),
        (0, 70, 0.45),
        (0, 140, 0.45),
        (0, 0, 42.75),
    ]
    assert (places[20].page, places[20].left_mm, places[20].top_mm) == (0, 140, 254.25)
    assert (places[21].page, places[21].top_mm) == (1, 0.45)
    assert places[0].style == "top: 0.45mm; left: 0mm;"


def test_a_partly_used_sheet_starts_at_its_first_free_place() -> None:
    sheet = printing().layout("a4-2x4")

    places = sheet.positions(3, first=8)

    assert [(p.page, p.left_mm, p.top_mm) for p in places] == [
        (0, 105, 222.5),
        (1, 0, 0.5),
        (1, 105, 0.5),
    ]


def test_a_size_that_does_not_fit_its_page_is_refused() -> None:
    good = printing().layout("a4-3x7")
    fields: dict[str, Any] = {name: getattr(good, name) for name in Layout.__slots__}

    with pytest.raises(LayoutError):
        _layout(fields | {"rows": 8})
    with pytest.raises(LayoutError):
        _layout(fields | {"qr_mm": 40})
    with pytest.raises(LayoutError):
        _layout(fields | {"kind": "scroll"})


def test_the_sizes_read_in_the_page_language_and_stay_numbers_in_css() -> None:
    with translation.override("nl"):
        title = printing().layout("a4-3x7").title
    assert "70 × 42,3 mm" in title
    assert "42,3" not in layout_css()
    assert re.search(
        r"\.label-size-a4-3x7 \.label-qr \{ width: 12mm; height: 12mm; \}", layout_css()
    )


def _modules_of(svg: str) -> set[tuple[int, int]]:
    path = re.search(r'<path d="([^"]+)"', svg)
    assert path is not None
    dark = set()
    for x, y, width in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", path.group(1)):
        dark |= {(int(x) + i, int(y)) for i in range(int(width))}
    return dark


@pytest.mark.parametrize(
    "address",
    ["http://testserver/hoeve/records/batches/12/", "https://zuivel.example/x/records/batches/9/"],
)
def test_the_qr_svg_draws_exactly_the_dark_modules_of_the_code(address: str) -> None:
    modules = qr_modules(address)
    expected = {(x, y) for y, row in enumerate(modules) for x, dark in enumerate(row) if dark}

    svg = str(qr_svg(address, "L <K-1>"))

    assert _modules_of(svg) == expected
    assert f'viewBox="0 0 {len(modules)} {len(modules)}"' in svg
    assert "<title>L &lt;K-1&gt;</title>" in svg
    # Finder patterns in three corners, the quiet zone of two modules around them.
    assert all(modules[2][x] for x in range(2, 9))
    assert not any(modules[0])


def _overflowing(box: Any, bottom: float, right: float) -> list[str]:
    found = []
    text = getattr(box, "text", None)
    if text and (
        box.position_y + box.height > bottom + 0.5 or box.position_x + box.width > right + 0.5
    ):
        found.append(text)
    for child in getattr(box, "children", None) or []:
        found.extend(_overflowing(child, bottom, right))
    return found


def _faces(box: Any) -> list[Any]:
    element = getattr(box, "element", None)
    classes = element.get("class", "") if element is not None else ""
    if "label-face" in classes.split():
        return [box]
    return [face for child in getattr(box, "children", None) or [] for face in _faces(child)]


@pytest.mark.django_db
@pytest.mark.parametrize("layout", ["a4-3x7", "a4-2x4", "roll-62"])
def test_a_full_cheese_label_fits_every_size(
    farm: Any, owner: User, lot: Batch, layout: str
) -> None:
    content = cheese_content(
        mentions=(*cheese_content().mentions, "ingredients"),
        approval_number="BE 1234",
        composition={"approved_establishment": True},
    )
    save_label(farm, owner, CHEESE, content, in_use=True)

    printed = record_print(farm, owner, lot, copies=2, layout=layout)
    document = render_document(print_html(RequestFactory().get("/"), printed))

    faces = [face for page in document.pages for face in _faces(page._page_box)]
    assert len(faces) == 2
    for face in faces:
        bottom = face.content_box_y() + face.height
        right = face.content_box_x() + face.width
        assert _overflowing(face, bottom, right) == []
    size = printing().layout(layout)
    assert document.pages[0].width == pytest.approx(size.page_width_mm * PX_PER_MM)
    assert faces[0].width == pytest.approx(
        (size.label_width_mm - 2 * size.padding_mm) * PX_PER_MM, abs=0.1
    )


@pytest.mark.django_db
def test_the_qr_code_of_a_print_leads_to_the_lots_page(
    cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    printed = record_print(lot.operator, owner, lot, copies=1, layout="roll-62")

    html = print_html(RequestFactory().get("/"), printed)

    address = f"http://testserver/{lot.operator.slug}/records/batches/{lot.pk}/"
    assert str(qr_svg(address, lot.lot_code)) in html


@pytest.mark.django_db
def test_the_printed_pdf_carries_the_lot_code_and_the_date_in_words(
    cheese_label: LabelVersion, lot: Batch, owner: User
) -> None:
    printed = record_print(lot.operator, owner, lot, copies=3, layout="a4-3x7")

    with translation.override("nl"):
        pdf = html_to_pdf(print_html(RequestFactory().get("/"), printed))

    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert text.count("GK-0110") == 3
    # a soft cheese is not among the highly perishable kinds: "ten minste houdbaar tot", the
    # production day plus its 30 days of shelf life
    assert (printed.date, printed.date_type) == (date(2026, 2, 9), "best_before")
    assert text.count("ten minste houdbaar tot 09/02/2026") == 3
