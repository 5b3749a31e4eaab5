"""In a browser: compose a goat's-milk raw-milk cheese label, see what the check demands, fix
it, put it in use, print a 3×7 sheet for a lot and find the print recorded on the lot.

Marked `browser` like tests/web/browser/ (the PostgreSQL pass of `make test` skips them); the
fixtures are those of tests/web/browser/conftest.py, which this folder cannot import.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.web.labels.models import LabelPrint, LabelVersion
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import create_batch

from .conftest import CHEESE, aware, goat_profile

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
PASSWORD = "geiten-kaas-42"
PHONE = {"width": 390, "height": 844}


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


@pytest.fixture
def goat_lot(transactional_db: None) -> Batch:
    operator = create_operator("Geitenhoeve De Bok", slug="geit")
    user = User.objects.create_user("geitenboer", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, goat_profile())
    return create_batch(operator, user, "GK-0110", CHEESE, started_at=aware(2026, 1, 10, 8, 0))


def problem(page: Page, mention: str) -> object:
    return page.locator(f"#label-live .check-problem[data-mention={mention}]")


def test_compose_check_fix_and_print_a_goat_cheese_label(dutch_page: Page, goat_lot: Batch) -> None:
    page = dutch_page
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "geitenboer")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/geit/$"))

    # the labels, then the cheese's editor
    page.locator("a[href='/geit/labels/']").click()
    page.locator(f"a[href$='edit/?product={CHEESE}']").click()

    # the check demands the species and "bereid met rauwe melk"
    expect(problem(page, "species")).to_be_visible()
    expect(problem(page, "made_with_raw_milk")).to_contain_text("bereid met rauwe melk")
    expect(problem(page, "species")).to_contain_text("geitenmelk")
    expect(page.locator("#label-live .lf-raw-milk")).to_have_count(0)

    # fix both from the check itself: each puts its mention on the label
    problem(page, "species").locator("label.button-link").click()
    expect(problem(page, "species")).to_have_count(0)
    problem(page, "made_with_raw_milk").locator("label.button-link").click()
    expect(problem(page, "made_with_raw_milk")).to_have_count(0)
    expect(page.locator("#label-live .lf-raw-milk")).to_have_text("bereid met rauwe melk")
    expect(page.locator("#label-live .lf-species")).to_have_text("geitenmelk")

    # the rest of the label, the preview following as it is typed
    page.fill("#id_sales_name", "Geitenkaas")
    expect(page.locator("#label-live .lf-name")).to_have_text("Geitenkaas")
    page.fill("#id_fat_pct", "24")
    page.fill("#id_fat_dm_pct", "48")
    page.fill("#id_storage_temperature_c", "6")
    page.fill("#id_net_quantity", "250 g")
    page.fill("#id_operator_address", "Geitenhoeve De Bok, Dorpstraat 1, 9000 Gent")
    for mention in ("allergens", "storage_conditions", "fat_content"):
        page.check(f"#mention-{mention}")
    page.check("#id_small_quantities_direct")
    expect(page.locator("#label-live .lf-fat")).to_contain_text("24 g vet per 100 g")
    expect(page.locator("#label-live .label-check-ok")).to_be_visible()
    expect(page.locator("#label-live .check-problem")).to_have_count(0)

    # put it in use
    page.locator("button[name=save_in_use]").click()
    expect(page.locator(".label-version-meta .badge-conform")).to_be_visible()
    version = LabelVersion.objects.get()
    assert version.in_use and version.composition["species"] == ["goat"]

    # print a 3×7 sheet for the lot
    page.goto(f"/geit/labels/lots/{goat_lot.pk}/")
    page.locator("input[name=layout][value='a4-3x7']").check()
    page.fill("input[name=copies]", "21")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".label-print-copies")).to_have_text("21")
    pdf_link = page.locator("a[href$='/pdf/']")
    pdf = page.request.get(str(pdf_link.get_attribute("href")), timeout=60_000)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # the print is recorded on the lot, with the label version it was printed with
    page.goto(f"/geit/records/batches/{goat_lot.pk}/")
    row = page.locator(".lot-labels .label-print-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-version", "1")
    expect(row).to_contain_text("21")
    printed = LabelPrint.objects.get()
    assert (printed.batch, printed.label_version, printed.copies) == (goat_lot, version, 21)
    assert printed.layout == "a4-3x7"
