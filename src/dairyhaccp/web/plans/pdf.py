"""The printable plan as PDF, rendered by WeasyPrint from the plan's HTML.

Laying out the demo plan's thirty-odd pages takes seconds (see bench/bench_pages.py), so the
PDF is made in the background once per plan version and language (pdf_jobs.py), in two steps
that report their progress: laying out the pages, then writing the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders

if TYPE_CHECKING:
    from weasyprint import Document

# The site's print rules first, then the plan's own.
PDF_STYLESHEETS = ("dairyhaccp/app.css", "plans/plans.css")


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The plan's HTML is self-contained; never reach out to the network or the disk for it.
    raise ValueError(f"the printable plan loads no resources ({url})")


def layout(html: str) -> Document:
    """The pages of a self-contained HTML document laid out with the site's print stylesheets."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, only the PDF needs it

    stylesheets = []
    for path in PDF_STYLESHEETS:
        found = finders.find(path)
        if isinstance(found, str):
            stylesheets.append(CSS(filename=found, url_fetcher=_no_fetching))
    return HTML(string=html, url_fetcher=_no_fetching).render(stylesheets=stylesheets)


def write(document: Document) -> bytes:
    """The PDF file of laid-out pages."""
    pdf: bytes = document.write_pdf()
    return pdf


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document, with the site's print stylesheets."""
    return write(layout(html))
