"""Every page with a form, the back office's too, is the same, byte for byte, with the site's
widgets written in Python (`FORM_RENDERER`) as with Django's widget templates."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from .site_pages import (
    CLOCK_STILL,
    back_office_pages,
    log_in_to_back_office,
    same_both_ways,
    site_pages,
)

pytestmark = pytest.mark.django_db

TEMPLATES_RENDERER = "django.forms.renderers.DjangoTemplates"


@CLOCK_STILL
def test_every_form_page_is_written_as_the_widget_templates_write_it(client: Client) -> None:
    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="demo"))

    compared = same_both_ways(
        client,
        site_pages("hoeve-voorbeeld"),
        only=lambda html: "<form" in html,
        FORM_RENDERER=TEMPLATES_RENDERER,
    )

    # the forms of every context were compared: records, lots, lab, farm, labels, loggers
    for context in ("/records/", "/lots/", "/lab/", "/farm/", "/labels/", "/loggers/"):
        assert any(context in address for address in compared), context
    assert len(compared) >= 30


@CLOCK_STILL
def test_the_back_office_is_written_as_the_widget_templates_write_it(client: Client) -> None:
    call_command("load_demo", stdout=StringIO())
    log_in_to_back_office(client)

    # pages the back office refuses (records are added in the app) are left out
    compared = same_both_ways(client, back_office_pages(), FORM_RENDERER=TEMPLATES_RENDERER)

    assert any(address.endswith("/change/") for address in compared)
    assert len(compared) >= 40
