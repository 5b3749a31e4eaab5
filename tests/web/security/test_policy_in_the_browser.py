"""In Chromium: the pages, htmx and the API docs work under the policy, and nothing is blocked."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
PASSWORD = "kaas-en-boter-7"
# Every violation of the policy is reported to the page as an event; keep them for the test.
RECORD_VIOLATIONS = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.policyViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module", autouse=True)
def _django_orm_beside_playwright_loop() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What each page wrote to the browser console, where Chromium reports what it blocked.
CONSOLE: dict[int, list[str]] = {}


@pytest.fixture
def page(chromium: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    # With the database as a dependency, the browser is closed before the database is emptied:
    # a request still running (an htmx hint) would otherwise hold a table the flush needs.
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = CONSOLE.setdefault(id(page), [])
    page.on("console", lambda message: console.append(message.text))
    yield page
    context.close()
    CONSOLE.pop(id(page), None)


@pytest.fixture
def cheesemaker(transactional_db: None) -> User:
    operator = create_operator("Hoeve Voorbeeld", slug="hoeve")
    user = User.objects.create_user("kaasmaker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, tomllib.loads(example_profile("demo")))
    return user


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.policyViolations")
    blocked = [text for text in CONSOLE[id(page)] if "Content Security Policy" in text]
    return found + blocked


def test_logging_in_and_htmx_updates_break_no_rule_of_the_policy(
    page: Page, cheesemaker: User
) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hoeve/$"))
    assert violations(page) == []

    # the pasteurisation form asks the server, through htmx, for a hint as one types
    page.goto("/hoeve/records/register/ccp-9/")
    assert page.evaluate("typeof htmx") == "object"
    expect(page.locator("#hold-hint")).to_be_empty()
    page.locator("input[name=temperature_c]").fill("70")
    expect(page.locator("#hold-hint")).not_to_be_empty()

    assert violations(page) == []


def test_the_api_docs_render_under_the_policy(page: Page, transactional_db: None) -> None:
    page.goto("/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("dairyhaccp", timeout=30_000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert violations(page) == []


def test_a_blocked_inline_script_is_seen_by_this_test(page: Page, transactional_db: None) -> None:
    page.goto("/accounts/login/")

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )

    assert page.evaluate("window.ran === undefined")
    page.wait_for_function("window.policyViolations.length > 0")
    assert violations(page)[0].startswith("script-src")
