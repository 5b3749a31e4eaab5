"""The site's pages, fetched as text with what differs from one request to the next masked: for
tests that render every page two ways and compare the bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import time_machine
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# The clock stands still: a page offering the time of day would differ at the next minute.
CLOCK_STILL = time_machine.travel(datetime(2026, 11, 20, 9, 59, 30, tzinfo=UTC), tick=False)
# What differs from one request to the next whatever renders the page.
_PER_REQUEST = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'"X-CSRFToken": "[^"]*"'), '"X-CSRFToken": ""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    # the random secret a new two-factor device is offered in the back office
    (re.compile(r'(name="(?:initial-)?key" value=)"[0-9a-f]{40}"'), r'\1""'),
]


def _addresses(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _addresses(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def site_pages(slug: str) -> list[str]:
    """The site's pages that take no argument but the operator's."""
    found = []
    for address in _addresses(get_resolver().url_patterns):
        address = address.replace("<slug:operator_slug>", slug)
        if "<" in address or address.startswith(("api/", "admin/")):
            continue
        found.append("/" + address)
    return found


def page_html(client: Client, address: str) -> str | None:
    """The page as text with per-request values masked; None unless it is an HTML page."""
    response = client.get(address)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    html = response.content.decode()
    for pattern, same in _PER_REQUEST:
        html = pattern.sub(same, html)
    return html


def back_office_pages() -> list[str]:
    """Every model's add page, list and first object in the back office."""
    found = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        views: list[tuple[str, tuple[Any, ...]]] = [(f"{name}_add", ()), (f"{name}_changelist", ())]
        if first is not None:
            views.append((f"{name}_change", (first.pk,)))
        for view, args in views:
            try:
                found.append(reverse(view, args=args))
            except NoReverseMatch:
                continue
    return found


def same_both_ways(
    client: Client,
    addresses: list[str],
    only: Callable[[str], bool] = lambda html: True,
    **other_settings: Any,
) -> dict[str, str]:
    """The HTML pages at `addresses` (those `only` keeps), each fetched as the site writes it
    and again with `other_settings`; asserts the two are the same bytes. The pages compared,
    by address."""
    compared = {}
    for address in addresses:
        written = page_html(client, address)
        if written is None or not only(written):
            continue
        with override_settings(**other_settings):
            other = page_html(client, address)
        assert written == other, address
        compared[address] = written
    return compared


def log_in_to_back_office(client: Client) -> None:
    client.force_login(User.objects.create_superuser("beheer", "beheer@example.be", "x" * 20))
