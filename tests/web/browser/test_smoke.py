from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_admin_login_page_shows_a_login_form(browser_page: Page) -> None:
    browser_page.goto("/admin/login/")

    form = browser_page.locator("form#login-form")
    expect(form).to_be_visible()
    expect(form.locator("input[name=username]")).to_be_visible()
    expect(form.locator("input[name=password]")).to_be_visible()
