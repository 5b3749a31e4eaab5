"""In a browser, on a phone: the farmer records a treatment; the today page keeps the milk out
of the tank until the right milking; the self-assessment shows the AB-register criterion met
with the treatment as evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.ikm import WithdrawalRequest, milk_withdrawal
from dairyhaccp.web.farm.services import ProfileInput, save_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator

pytestmark = pytest.mark.browser

PASSWORD = "koe-en-kalf-5"
PHONE = {"width": 360, "height": 740}
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def farmer(transactional_db: None) -> User:
    farm = create_operator("Hoeve De Klaver", slug="klaver")
    user = User.objects.create_user("boer", password=PASSWORD)
    add_member(farm, user, Role.OWNER)
    save_profile(
        farm,
        user,
        ProfileInput(
            species="cow",
            animals_in_milk=80,
            sanitel_number="BE 1234 5678",
            region="flanders",
            milking_times=("06:00", "17:30"),
            herd_vet="Dr. Peeters",
            herd_vet_contract_from=date(2024, 1, 1),
        ),
    )
    return user


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    """A phone-sized page whose browser asks for English."""
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_treatment_withholds_the_milk_until_the_right_milking_and_meets_the_ab_criterion(
    phone: Page, farmer: User
) -> None:
    page = phone
    # the last dose an hour ago, to the minute, as typed; 84 hours' withdrawal
    last_dose = (timezone.localtime() - timedelta(hours=1)).replace(second=0, microsecond=0)
    expected = milk_withdrawal(
        WithdrawalRequest(
            last_dose=last_dose,
            withdrawal=timedelta(hours=84),
            milkings=(time(6, 0), time(17, 30)),
        )
    )
    assert expected.first_milking is not None
    milking = expected.first_milking.astimezone(BRUSSELS)

    # log in and open the farm
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "boer")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/klaver/$"))
    page.locator("a.button-link[href='/klaver/farm/']").click()
    expect(page).to_have_url(re.compile(r"/klaver/farm/today/$"))
    expect(page.locator("#withheld")).to_be_visible()
    assert "No milk withheld." in page.content()

    # record the treatment
    page.locator("a.button-primary[href='/klaver/farm/treatments/new/']").click()
    page.fill("input[name=animal]", "BE 5 0123 4567")
    page.fill("input[name=last_dose_at]", last_dose.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=indication]", "Mastitis")
    page.fill("input[name=product]", "Mastiplan LC")
    page.fill("input[name=active_substance]", "cefapirine")
    page.fill("input[name=dose]", "1 injector per quarter")
    page.select_option("select[name=route]", "intramammary")
    page.fill("input[name=prescribing_vet]", "Dr. Peeters")
    page.fill("input[name=withdrawal_milk]", "84")
    page.check("input[name=withdrawal_milk_unit][value=hours]")
    page.fill("input[name=withdrawal_meat]", "4")
    assert fits_the_screen(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/klaver/farm/treatments/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Treatment recorded.")

    # the today page: the milk is withheld up to the first milking at or after the end
    page.locator("nav.farm-nav a", has_text="Today").click()
    withheld = page.locator("#withheld-list li")
    expect(withheld).to_have_count(1)
    expect(withheld).to_contain_text("BE 5 0123 4567")
    day = f"{milking:%A} {milking.day} {milking:%B}, {milking:%H:%M}"
    expect(withheld.locator(".withheld-milking")).to_contain_text(
        f"The first milking that may go into the tank: {day}."
    )
    assert fits_the_screen(page)

    # the self-assessment: the AB-register criterion is met, with the treatment as evidence
    page.locator("nav.farm-nav a", has_text="Self-assessment").click()
    criterion = page.locator("[data-criterion='A-antibiotics-registered']")
    expect(criterion.locator(".badge-met")).to_have_text("Met")
    expect(criterion).to_contain_text("filled in by the app")
    expect(criterion.locator(".app-evidence")).to_contain_text(
        "1 treatment in the register in the last 12 months"
    )
    criterion.locator(".app-evidence a").click()
    expect(page).to_have_url(re.compile(r"/klaver/farm/treatments/$"))
    expect(page.locator("#register")).to_contain_text("BE 5 0123 4567")
