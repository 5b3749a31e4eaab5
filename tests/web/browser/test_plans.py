"""In a browser, on a phone-sized screen: log in, fill the wizard, see the plan."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator

pytestmark = pytest.mark.browser

PASSWORD = "kaas-en-boter-7"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def cheesemaker(transactional_db: None) -> User:
    operator = create_operator("Kaasmakerij De Wei", slug="de-wei")
    user = User.objects.create_user("kaasmaker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    return user


def log_in(page: Page) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/de-wei/$"))


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_log_in_fill_the_wizard_and_see_the_plan_with_ccp_9_and_a_diagram(
    browser_page: Page, cheesemaker: User
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page)

    page.locator("a[href='/de-wei/plan/']").click()
    page.locator("a[href='/de-wei/plan/profile/']").click()
    expect(page.locator("input[name=operator-name]")).to_have_value("Kaasmakerij De Wei")
    assert fits_the_screen(page)

    page.check("input[name=operator-relaxations][value=yes]")
    page.check("input[name=milk-own_animals]")
    page.select_option("select[name=products-0-kind]", "semi_hard_cheese")
    page.fill("input[name=products-0-name]", "Hoevekaas")
    page.check("input[name=products-0-raw_milk]")
    page.select_option("select[name=products-0-packaging]", "vacuum")
    page.check("input[name=products-0-brined]")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("button[name=add_product]").click()
    page.select_option("select[name=products-1-kind]", "butter")
    assert page.evaluate("window.stillTheSamePage === true")  # htmx added the row in place
    expect(page.locator("input[name=products-TOTAL_FORMS]")).to_have_value("2")
    page.locator("button[name=save]").click()

    expect(page).to_have_url(re.compile(r"/de-wei/plan/$"))
    expect(page.locator("h1")).to_contain_text("Kaasmakerij De Wei")
    ccp9 = page.locator("article#ccp-9")
    expect(ccp9).to_be_visible()
    expect(ccp9).to_contain_text("CCP 9")
    expect(page.locator("figure.flow svg")).to_have_count(2)  # cheese and butter
    badge = page.locator("figure#flow-butter svg g.control[data-control='CCP 9']")
    expect(badge).to_be_visible()
    assert fits_the_screen(page)


def test_a_product_row_is_removed_in_place_and_left_out_of_the_plan(
    browser_page: Page, cheesemaker: User
) -> None:
    page = browser_page
    log_in(page)
    page.goto("/de-wei/plan/profile/")

    page.check("input[name=operator-relaxations][value=yes]")
    page.check("input[name=milk-own_animals]")
    page.select_option("select[name=products-0-kind]", "hard_cheese")
    page.check("input[name=products-0-raw_milk]")
    page.locator("button[name=add_product]").click()
    page.select_option("select[name=products-1-kind]", "set_yoghurt")
    page.locator("#product-0 button[name=remove_product]").click()
    expect(page.locator("#product-0")).to_have_count(0)
    page.locator("button[name=save]").click()

    expect(page).to_have_url(re.compile(r"/de-wei/plan/$"))
    expect(page.locator("figure.flow")).to_have_count(1)
    expect(page.locator("figure#flow-yoghurt")).to_be_visible()
