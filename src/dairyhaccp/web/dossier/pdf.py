"""The dossier as PDF, laid out by WeasyPrint from its own HTML and print stylesheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from dairyhaccp.web.dossier.sections import Dossier

if TYPE_CHECKING:
    from weasyprint import Document

STYLESHEET = "dossier/dossier.css"


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The dossier's HTML is self-contained; never reach out to the network or the disk for it.
    raise ValueError(f"the dossier loads no resources ({url})")


def dossier_html(dossier: Dossier) -> str:
    """The self-contained HTML of the dossier, in the active language."""
    lab_count = len(dossier.raw_milk_results) + len(dossier.product_results)
    return render_to_string("dossier/dossier_pdf.html", {"d": dossier, "lab_count": lab_count})


def layout(html: str) -> Document:
    """The laid-out pages of the dossier's HTML."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, only the PDF needs it

    stylesheets = []
    found = finders.find(STYLESHEET)
    if isinstance(found, str):
        stylesheets.append(CSS(filename=found, url_fetcher=_no_fetching))
    return HTML(string=html, url_fetcher=_no_fetching).render(stylesheets=stylesheets)


def write(document: Document) -> bytes:
    """The PDF file of laid-out pages."""
    pdf: bytes = document.write_pdf()
    return pdf
