"""Every page with a form, the back office's too, is the same, byte for byte, with the site's
widgets written in Python (`FORM_RENDERER`) as with Django's widget templates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

TEMPLATES_RENDERER = "django.forms.renderers.DjangoTemplates"
# The clock stands still: a form offering the time of day would differ at the next minute.
STILL = time_machine.travel(datetime(2026, 11, 20, 9, 59, 30, tzinfo=UTC), tick=False)
# What differs from one request to the next whatever renders the widgets.
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


def _pages(slug: str) -> list[str]:
    """The site's pages that take no argument but the operator's."""
    found = []
    for address in _addresses(get_resolver().url_patterns):
        address = address.replace("<slug:operator_slug>", slug)
        if "<" in address or address.startswith(("api/", "admin/")):
            continue
        found.append("/" + address)
    return found


def _page(client: Client, address: str) -> str | None:
    response = client.get(address)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    html = response.content.decode()
    for pattern, same in _PER_REQUEST:
        html = pattern.sub(same, html)
    return html


@STILL
def test_every_form_page_is_written_as_the_widget_templates_write_it(client: Client) -> None:
    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="demo"))
    compared = []

    for address in _pages("hoeve-voorbeeld"):
        written = _page(client, address)
        if written is None or "<form" not in written:
            continue
        with override_settings(FORM_RENDERER=TEMPLATES_RENDERER):
            templated = _page(client, address)
        assert written == templated, address
        compared.append(address)

    # the forms of every context were compared: records, lots, lab, farm, labels, loggers
    for context in ("/records/", "/lots/", "/lab/", "/farm/", "/labels/", "/loggers/"):
        assert any(context in address for address in compared), context
    assert len(compared) >= 30


def _back_office_pages() -> list[str]:
    """Every model's add page, list and first object in the back office."""
    found = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        views = [(f"{name}_add", ()), (f"{name}_changelist", ())]
        if first is not None:
            views.append((f"{name}_change", (first.pk,)))
        for view, args in views:
            try:
                found.append(reverse(view, args=args))
            except NoReverseMatch:
                continue
    return found


@STILL
def test_the_back_office_is_written_as_the_widget_templates_write_it(client: Client) -> None:
    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.create_superuser("beheer", "beheer@example.be", "x" * 20))
    compared = []

    for address in _back_office_pages():
        written = _page(client, address)
        if written is None:
            continue  # a page the back office refuses (records are added in the app)
        with override_settings(FORM_RENDERER=TEMPLATES_RENDERER):
            templated = _page(client, address)
        assert written == templated, address
        compared.append(address)

    assert any(address.endswith("/change/") for address in compared)
    assert len(compared) >= 40
