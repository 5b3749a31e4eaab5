"""Printable documents of the lots context as PDF, rendered by WeasyPrint from their HTML."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders

# The site's print rules first, then this app's own.
PDF_STYLESHEETS = ("dairyhaccp/app.css", "lots/lots.css")


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The documents are self-contained; never reach out to the network or the disk for them.
    raise ValueError(f"the document loads no resources ({url})")


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document, with the site's print stylesheets."""
    from weasyprint import CSS, HTML  # imported here: it loads Pango, only the PDF needs it

    stylesheets = []
    for path in PDF_STYLESHEETS:
        found = finders.find(path)
        if isinstance(found, str):
            stylesheets.append(CSS(filename=found, url_fetcher=_no_fetching))
    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=stylesheets)
    return pdf
