"""In a browser, on a narrow phone: from the dashboard to the dossier page, ask for last week's
dossier and download its PDF and ZIP.

Marked `browser` like tests/web/browser/; its fixtures are that folder's, which this folder
cannot import.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.services import RegistrationInput, create_room, record_registration

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "dossier-jaar-42"
NARROW = {"width": 320, "height": 740}


@pytest.fixture(scope="module", autouse=True)
def _django_orm_beside_playwright_loop() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop running in this thread.
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


@pytest.fixture
def narrow_page(
    chromium: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport=NARROW,
        has_touch=True,
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def dairy(transactional_db: None) -> Operator:
    operator = create_operator("Hoeve Het Jaar", slug="jaar")
    owner = User.objects.create_user("jaarboer", password=PASSWORD)
    add_member(operator, owner, Role.OWNER)
    profile = tomllib.loads(example_profile("demo"))
    profile["operator"]["name"] = operator.name
    save_profile(operator, owner, profile)
    room = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    record_registration(
        operator,
        owner,
        RegistrationInput(
            "CCP 3",
            {"temperature_c": 4.0},
            measured_at=timezone.now() - timedelta(hours=1),
            room=room,
        ),
    )
    return operator


def _no_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"the page is {width}px wide at {NARROW['width']}px"


def test_ask_for_a_dossier_and_download_both_files(narrow_page: Page, dairy: Operator) -> None:
    page = narrow_page
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "jaarboer")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/jaar/$"))

    page.locator("a[href='/jaar/dossier/']").click()
    expect(page.locator("h1")).to_have_text("Audit dossier")
    _no_overflow(page)
    today = timezone.localdate()
    page.fill("#id_first_day", (today - timedelta(days=6)).isoformat())
    page.fill("#id_last_day", today.isoformat())
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/jaar/dossier/\d+/$"))
    expect(page.locator("#dossier-progress")).to_contain_text("The dossier is ready.")
    _no_overflow(page)
    with page.expect_download() as pdf_download:
        page.locator("#dossier-progress a[href$='dossier.pdf']").click()
    pdf = pdf_download.value
    assert re.fullmatch(r"audit-dossier-jaar-\d{8}-\d{8}\.pdf", pdf.suggested_filename)
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as zip_download:
        page.locator("#dossier-progress a[href$='dossier.zip']").click()
    assert Path(zip_download.value.path()).read_bytes().startswith(b"PK")
