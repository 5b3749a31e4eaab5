from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_admin_login_page_shows_a_login_form(browser_page: Page) -> None:
    browser_page.goto("/admin/login/")

    # The admin logs in through the site's own login page (with its second step where it is on).
    expect(browser_page).to_have_url(re.compile(r"/accounts/login/"))
    form = browser_page.locator("main form").first
    expect(form).to_be_visible()
    expect(form.locator("input[name=username]")).to_be_visible()
    expect(form.locator("input[name=password]")).to_be_visible()
