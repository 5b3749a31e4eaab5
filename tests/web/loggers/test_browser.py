"""In a browser, on a phone: import a logger's file, see the days judged, store, see the day."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.web.loggers.services import DeviceSettings, create_device
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.services import create_room

from ..browser.conftest import _django_orm_beside_playwright_loop, chromium  # noqa: F401
from ..records.conftest import demo_profile
from .conftest import BRUSSELS, day_of, series_csv

pytestmark = pytest.mark.browser

PASSWORD = "koude-cel-77"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def dairy(transactional_db: None) -> User:
    operator = create_operator("Hoeve De Koude", slug="koude")
    user = User.objects.create_user("koeler", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, demo_profile())
    room = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    create_device(operator, user, DeviceSettings("Logger koelcel", room, "", 15))
    return user


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:  # noqa: F811
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_warm_afternoon_is_previewed_as_a_deviation_then_stored_and_plotted(
    phone: Page, dairy: User, tmp_path: Path
) -> None:
    # a file of the whole of the day before yesterday, 40 minutes at 8.5 °C from 14:00
    day = (datetime.now(BRUSSELS) - timedelta(days=2)).date()
    temperatures = day_of(4.0, 150)
    temperatures[84:88] = [8.5] * 4
    export = tmp_path / "koelcel.csv"
    start = datetime(day.year, day.month, day.day, tzinfo=BRUSSELS)
    export.write_bytes(series_csv(start, temperatures))
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "koeler")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/koude/$"))

    page.goto("/koude/loggers/import/")
    page.set_input_files("input[name=file]", str(export))
    page.locator("main form button[type=submit]").click()

    # the preview: the day judged, with its excursion and plot, nothing stored yet
    expect(page).to_have_url(re.compile(r"/koude/loggers/import/\d+/$"))
    first_day = page.locator("section.loggers-day").first
    expect(first_day.locator(".badge-deviation").first).to_be_visible()
    expect(first_day.locator("table.loggers-excursions")).to_contain_text("14:00")
    expect(first_day.locator("svg.loggers-plot")).to_be_visible()
    page.locator("main form.actions button[type=submit]").click()

    # stored: the logger's page lists the day, its registration a deviation
    expect(page).to_have_url(re.compile(r"/koude/loggers/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("stored from koelcel.csv")
    row = page.locator("table.loggers-days tbody tr", has_text=day.strftime("%Y")).last
    expect(row.locator(".badge-deviation").first).to_be_visible()
    row.locator("a").first.click()

    expect(page.locator("svg.loggers-plot")).to_be_visible()
    expect(page.locator(".verdict-deviation")).to_contain_text("Maximum 7 °C")
