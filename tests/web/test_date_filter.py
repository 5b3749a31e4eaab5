"""The site's `|date` filter writes every value as Django's own does, and every page, the back
office's too, is the same byte for byte with either filter, in Dutch, French and English."""

from __future__ import annotations

import copy
import re
import zoneinfo
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.template.defaultfilters import date as django_date
from django.test import Client
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_AP
from hypothesis import given, settings
from hypothesis import strategies as st

import dairyhaccp.web
from dairyhaccp.web.date_filter import date as site_date
from dairyhaccp.web.date_filter import date_writer

from .site_pages import (
    CLOCK_STILL,
    back_office_pages,
    log_in_to_back_office,
    same_both_ways,
    site_pages,
)

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
LANGUAGES = ("nl", "fr", "en")


def _formats_in_templates() -> set[str]:
    found = set()
    for template in Path(dairyhaccp.web.__file__).parent.rglob("*.html"):
        found.update(re.findall(r'\|date:"([^"]*)"', template.read_text()))
    return found


TEMPLATE_FORMATS = _formats_in_templates()
FORMATS = sorted(
    TEMPLATE_FORMATS
    | {
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "TIME_FORMAT",
        "YEAR_MONTH_FORMAT",
        "MONTH_DAY_FORMAT",
        # every letter written here, escaped letters, braces, and letters left to Django
        "d j m n y Y F M N l D G H i s P",
        r"\j\a\n {j} {{Y}} \\",
        "D, d M Y H:i:s O",
        "jS F Y, W",
    }
)


def _django_or_error(value: Any, format_: str | None) -> str:
    try:
        return django_date(value, format_)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def _site_or_error(value: Any, format_: str | None) -> str:
    try:
        return site_date(value, format_)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def test_the_templates_use_formats_worth_comparing() -> None:
    assert {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT"} <= TEMPLATE_FORMATS
    assert len(TEMPLATE_FORMATS) >= 8


@settings(max_examples=400)
@given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([None, UTC, BRUSSELS]),
    ),
    as_date=st.booleans(),
    on_the_hour=st.sampled_from([None, 0, 12]),
    format_=st.sampled_from([None, *FORMATS]),
    lang=st.sampled_from(LANGUAGES),
)
def test_every_value_is_written_as_djangos_date_filter_writes_it(
    moment: datetime, as_date: bool, on_the_hour: int | None, format_: str | None, lang: str
) -> None:
    if on_the_hour is not None:
        moment = moment.replace(hour=on_the_hour, minute=0)
    value: date | datetime = moment.date() if as_date else moment
    with translation.override(lang):
        assert _site_or_error(value, format_) == _django_or_error(value, format_)


@pytest.mark.parametrize("value", [None, "", "2026-11-20", 17, "niet een datum"])
def test_what_is_not_a_date_is_left_to_djangos_filter(value: object) -> None:
    assert _site_or_error(value, "DATE_FORMAT") == _django_or_error(value, "DATE_FORMAT")


def _templates_with_djangos_date_filter() -> list[dict[str, Any]]:
    templates: list[dict[str, Any]] = copy.deepcopy(django_settings.TEMPLATES)
    for engine in templates:
        options = engine.setdefault("OPTIONS", {})
        options["builtins"] = [
            name for name in options.get("builtins", []) if name != "dairyhaccp.web.date_filter"
        ]
    return templates


@pytest.mark.django_db
@CLOCK_STILL
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_written_as_with_djangos_date_filter(client: Client, lang: str) -> None:
    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="demo"))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    month = datetime.now(BRUSSELS).month
    with translation.override(lang):
        this_month = (str(MONTHS[month]), str(MONTHS_AP[month]))

    compared = same_both_ways(
        client, site_pages("hoeve-voorbeeld"), TEMPLATES=_templates_with_djangos_date_filter()
    )

    with_dates = [a for a, html in compared.items() if any(m in html for m in this_month)]
    assert len(compared) >= 60
    assert len(with_dates) >= 5, with_dates


@pytest.mark.django_db
@CLOCK_STILL
def test_the_back_office_is_written_as_with_djangos_date_filter(client: Client) -> None:
    call_command("load_demo", stdout=StringIO())
    log_in_to_back_office(client)

    compared = same_both_ways(
        client, back_office_pages(), TEMPLATES=_templates_with_djangos_date_filter()
    )

    assert len(compared) >= 40


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_writer_for_row_after_row_writes_what_the_filter_writes(language: str) -> None:
    moments = [datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(1, 1, 1, 0, 0), None, "x"]
    days = [date(2026, 10, 25), date(9999, 12, 31), None]
    with translation.override(language):
        for name in ("DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATE_FORMAT"):
            moment, day = date_writer(name, datetime), date_writer(name, date)
            assert [moment(v) for v in moments] == [site_date(v, name) for v in moments]
            if name != "DATETIME_FORMAT":  # a day has no time to write (both refuse)
                assert [day(v) for v in days] == [site_date(v, name) for v in days]
