"""In a browser, on a phone: register a failed pasteurisation, handle the deviation, see it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Deviation, Registration
from dairyhaccp.web.records.services import create_batch

pytestmark = pytest.mark.browser

PASSWORD = "kaas-en-boter-7"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def cheesemaker(transactional_db: None) -> User:
    operator = create_operator("Hoeve Voorbeeld", slug="hoeve")
    user = User.objects.create_user("kaasmaker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, tomllib.loads(example_profile("demo")))
    create_batch(
        operator, user, "Y-0711", "Roeryoghurt", started_at=timezone.now() - timedelta(hours=1)
    )
    return user


@pytest.fixture
def dutch_page(
    chromium: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[Page]:
    """A phone-sized page whose browser asks for Dutch, as the cheesemaker's phone does."""
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-BE", viewport=PHONE, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_record_a_failed_pasteurisation_handle_the_deviation_and_see_it_in_the_history(
    dutch_page: Page, cheesemaker: User
) -> None:
    page = dutch_page
    # log in
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hoeve/$"))

    # today: the batch's pasteurisation is due
    page.locator("a.button-link[href='/hoeve/records/today/']").click()
    assert fits_the_screen(page)
    page.locator("a.duty[href*='/register/ccp-9/']").first.click()
    expect(page).to_have_url(re.compile(r"/register/ccp-9/"))
    # htmx is deferred: what is typed before it runs is asked again on leaving the field
    page.wait_for_load_state()

    # record 70 °C for 20 s; the form tells the hold needed at 70 °C as it is typed
    temperature = page.locator("input[name=temperature_c]")
    expect(temperature).to_have_attribute("inputmode", "decimal")
    temperature.fill("70")
    temperature.press("Tab")
    expect(page.locator("#hold-hint")).to_contain_text("37")
    page.fill("input[name=hold_s]", "20")
    assert fits_the_screen(page)
    page.locator("main form button[type=submit]").click()

    # see the deviation
    expect(page.locator(".verdict-deviation")).to_be_visible()
    expect(page.locator(".verdict-deviation")).to_contain_text("37")
    page.locator(".verdict-deviation a.button-link").click()
    expect(page.locator(".lot-blocked").first).to_be_visible()

    # pick "opnieuw pasteuriseren", record the outcome and close it
    page.get_by_label(re.compile("opnieuw pasteuriseren", re.IGNORECASE)).check()
    page.locator("input[name=outcome][value=repasteurised]").check()
    page.locator("button[name=close]").click()
    expect(page.locator(".badge-closed").first).to_be_visible()
    deviation = Deviation.objects.get()
    assert deviation.status == "closed" and deviation.actions == ["ccp9-repasteurise"]
    assert deviation.closed_by == cheesemaker

    # the dashboard no longer lists it; the history of CCP 9 shows it, closed
    page.goto("/hoeve/records/today/")
    expect(page.locator(f"a[href='/hoeve/records/deviations/{deviation.pk}/']")).to_have_count(0)
    page.goto("/hoeve/records/history/ccp-9/")
    row = page.locator(".history-row").first
    expect(row).to_contain_text("Y-0711")
    expect(row.locator(".badge-deviation")).to_be_visible()
    expect(row.locator(".badge-closed")).to_be_visible()
    # one plot per measured value (temperature, hold time), each with the failed point
    expect(page.locator("svg.records-plot circle.point-deviation")).to_have_count(2)
    assert Registration.objects.get().values == {"temperature_c": 70.0, "hold_s": 20.0}


def test_the_deviation_list_fits_a_phone_and_prints_the_dairy_and_the_period(
    dutch_page: Page, cheesemaker: User
) -> None:
    page = dutch_page
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hoeve/$"))

    page.goto("/hoeve/records/deviations/?from=2026-01-01&to=2026-12-31")
    assert fits_the_screen(page)
    header = page.locator(".list-print-header")
    expect(header).to_be_hidden()
    expect(page.locator("form.list-filters")).to_be_visible()
    expect(page.locator("a[href*='export=xlsx']")).to_have_attribute(
        "href", re.compile(r"from=2026-01-01&to=2026-12-31&export=xlsx")
    )

    page.emulate_media(media="print")
    expect(header).to_be_visible()
    expect(header).to_contain_text("Hoeve Voorbeeld")
    expect(header).to_contain_text("2026-01-01")
    expect(header).to_contain_text("2026-12-31")
    expect(page.locator("form.list-filters")).to_be_hidden()
