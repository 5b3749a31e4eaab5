"""Printed labels as PDF: A4 sticker sheets and roll labels, rendered by WeasyPrint."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from dairyhaccp.web.labels.composing import compose
from dairyhaccp.web.labels.layouts import layout_css, page_css, printing
from dairyhaccp.web.labels.models import LabelPrint
from dairyhaccp.web.labels.presentation import LabelFace, label_face
from dairyhaccp.web.labels.qr import qr_svg
from dairyhaccp.web.labels.services import content_of
from dairyhaccp.web.records.models import Batch

STYLESHEET = "labels/labels.css"


def lot_url(request: HttpRequest, batch: Batch) -> str:
    """The address of the lot's page, which the QR code on its labels leads to."""
    path = reverse(
        "records:batch", kwargs={"operator_slug": batch.operator.slug, "batch_id": batch.pk}
    )
    return request.build_absolute_uri(path)


def print_face(label_print: LabelPrint) -> LabelFace:
    """The face of the labels of a print, rebuilt from the version and what the print stored."""
    composed = compose(content_of(label_print.label_version))
    return label_face(
        composed,
        lot=label_print.batch.lot_code,
        day=label_print.date,
        date_type=label_print.date_type or None,
        net_quantity=label_print.net_quantity,
    )


def print_html(request: HttpRequest, label_print: LabelPrint) -> str:
    """The self-contained HTML of a print: every label at its place on its page."""
    layout = printing().layout(label_print.layout)
    places = layout.positions(label_print.copies, label_print.first_position)
    pages = [list(group) for _page, group in groupby(places, key=lambda p: p.page)]
    stylesheet = finders.find(STYLESHEET)
    css = ""
    if isinstance(stylesheet, str):
        with open(stylesheet, encoding="utf-8") as handle:
            css = handle.read()
    context: dict[str, Any] = {
        "print": label_print,
        "face": print_face(label_print),
        "layout": layout,
        "pages": pages,
        "qr": qr_svg(lot_url(request, label_print.batch), label_print.batch.lot_code),
        "css": css + layout_css() + page_css(layout),
    }
    return render_to_string("labels/sheet_pdf.html", context)


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # A print is self-contained; never reach out to the network or the disk for it.
    raise ValueError(f"a label print loads no resources ({url})")


def render_document(html: str) -> Any:
    """The laid-out pages of a print (WeasyPrint's document), before writing the PDF."""
    from weasyprint import HTML  # imported here: it loads Pango, only printing needs it

    return HTML(string=html, url_fetcher=_no_fetching).render()


def html_to_pdf(html: str) -> bytes:
    """The PDF of a print's HTML."""
    pdf: bytes = render_document(html).write_pdf()
    return pdf
