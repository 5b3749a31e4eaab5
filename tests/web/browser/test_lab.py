"""In a browser: the raw-milk result that makes the fourth unfavourable month stops the milk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.web.lab.services import RawMilkInput, record_raw_milk_result
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile

pytestmark = pytest.mark.browser

PASSWORD = "melk-en-kaas-9"
PHONE = {"width": 360, "height": 740}
PROFILE = {
    "operator": {"name": "Hoeve De Linde"},
    "milk": {"own_animals": True, "species": ["cow"], "delivers_to_buyers": True},
    "products": [{"kind": "semi_hard_cheese", "name": "Hoevekaas", "raw_milk": True}],
}


@pytest.fixture
def farmer(transactional_db: None) -> User:
    """A farm whose plate count was good until January and far above the norm since February.

    Each month is judged on the rolling geometric mean of 2 months (Reg. 853/2004): February
    (with January), March and April are unfavourable; three in a row.
    """
    operator = create_operator("Hoeve De Linde", slug="linde")
    user = User.objects.create_user("melker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, PROFILE)
    good = [date(2025, 12, 5), date(2025, 12, 19), date(2026, 1, 5), date(2026, 1, 19)]
    bad = [date(2026, month, day) for month in (2, 3, 4) for day in (5, 19)]
    for day, value in [(d, 20_000) for d in good] + [(d, 600_000) for d in bad]:
        data = RawMilkInput("cow", "own_delivered", "plate_count", day, value)
        record_raw_milk_result(operator, user, data)
    return user


@pytest.fixture
def dutch_page(
    chromium: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-BE", viewport=PHONE, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_result_that_makes_the_fourth_unfavourable_month_says_stop_use_and_delivery(
    dutch_page: Page, farmer: User
) -> None:
    page = dutch_page
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "melker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/linde/$"))

    # the lab shows no stop yet; a new raw-milk result: May's first plate count
    page.locator("a[href='/linde/lab/']").click()
    expect(page.locator(".lab-stop")).to_have_count(0)
    page.locator("a[href='/linde/lab/raw-milk/new/']").first.click()
    page.select_option("select[name=stream]", "cow:own_delivered")
    page.select_option("select[name=parameter]", "plate_count")
    page.fill("input[name=sampled_on]", "2026-05-04")
    page.fill("input[name=count]", "650000")
    page.locator("main form button[type=submit]").click()

    # the verdict: fourth unfavourable month in a row, in Dutch
    expect(page).to_have_url(re.compile(r"/linde/lab/raw-milk/cow/own_delivered/plate_count/$"))
    stop = page.locator(".lab-stop")
    expect(stop).to_contain_text("Stop het gebruik en de levering van deze melk")
    expect(stop).to_contain_text("4 ongunstige maandresultaten op rij.")
    expect(page.locator(".lab-actions")).to_contain_text(
        "Stop onmiddellijk het gebruik en de eventuele levering van de melk."
    )
    expect(page.locator("svg.lab-plot")).to_be_visible()

    # the same page in English
    page.locator("form.language-switch button[value=en]").click()
    expect(page.locator(".lab-stop")).to_contain_text("Stop use and delivery of this milk")
    actions = page.locator(".lab-actions")
    expect(actions).to_contain_text("Stop use and delivery of the milk at once.")
