"""The page a list view is asked for."""

from __future__ import annotations

from django.http import HttpRequest

# Beyond any real list; a longer number is not a page.
MAX_PAGE_DIGITS = 6


def page_number(request: HttpRequest) -> int:
    """The page asked for (?page=2), 1 when missing or not a small whole number."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) <= MAX_PAGE_DIGITS and int(raw) > 0 else 1
