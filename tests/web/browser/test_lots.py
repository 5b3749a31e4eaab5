"""In a browser, on a phone: record milk, a cheese batch made from it, a delivery; open a recall
by hand, see the customer and the duty to notify, and close it with dispositions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.web.lots.models import Production, Recall, RecallClosure
from dairyhaccp.web.lots.services import save_customer
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile

pytestmark = pytest.mark.browser

PASSWORD = "kaas-en-boter-7"
PHONE = {"width": 360, "height": 740}
PROFILE = {
    "operator": {"name": "Hoeve Voorbeeld", "relaxations": True},
    "milk": {"own_animals": True, "species": ["cow"]},
    "products": [
        {"kind": "semi_hard_cheese", "name": "Hoevekaas", "raw_milk": True, "shelf_life_days": 90}
    ],
}


@pytest.fixture
def cheesemaker(transactional_db: None) -> User:
    operator = create_operator("Hoeve Voorbeeld", slug="hoeve")
    user = User.objects.create_user("kaasmaker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, PROFILE)
    save_customer(operator, "Kaashandel Peeters", "shop", contact="03 123 45 67")
    return user


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def submit(page: Page, name: str | None = None) -> None:
    selector = f"main form button[name={name}]" if name else "main form button.button-primary"
    page.locator(selector).first.click()


def test_milk_cheese_delivery_then_a_recall_opened_and_closed(
    phone: Page, cheesemaker: User
) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hoeve/$"))

    # the milk of this morning
    page.goto("/hoeve/lots/")
    page.locator("a[href='/hoeve/lots/milk/']").click()
    page.fill("input[name=lot_code]", "M-0301")
    page.fill("input[name=quantity]", "500")
    assert fits_the_screen(page)
    submit(page)
    expect(page.locator("h1")).to_contain_text("M-0301")
    expect(page.locator("main")).to_contain_text("500 l")

    # a cheese made from it: the form proposes today's milk
    page.goto("/hoeve/lots/produce/")
    milk_key = f"b{Production.objects.get(batch__lot_code='M-0301').batch_id}"
    expect(page.locator("select[name=lot_1]")).to_have_value(milk_key)
    page.fill("input[name=lot_code]", "K-17")
    page.select_option("select[name=product]", "Hoevekaas")
    page.fill("input[name=quantity]", "30")
    page.fill("input[name=quantity_1]", "300")
    assert fits_the_screen(page)
    submit(page)
    expect(page.locator("h1")).to_contain_text("K-17")
    expect(page.locator("main")).to_contain_text("100.0 %")

    # a delivery to the shop, from the lot's page
    page.locator("main a", has_text="Deliver").first.click()
    page.select_option("select[name=customer]", label="Kaashandel Peeters")
    page.fill("input[name=quantity]", "10")
    submit(page)
    expect(page.locator("h1")).to_contain_text("K-17")
    expect(page.locator("main")).to_contain_text("Kaashandel Peeters")

    # a recall opened by hand from the milk: the cheese and the shop are reached
    page.goto(f"/hoeve/lots/lot/{milk_key}/")
    page.locator("main a", has_text="Open a recall").first.click()
    page.fill("textarea[name=hazard]", "Listeria monocytogenes in the cheese of this milk")
    page.locator("input[name=origin][value=in_house]").check()
    page.fill("textarea[name=measures]", "Production stopped, cleaning and disinfection")
    submit(page)
    expect(page.locator("#notify")).to_have_text("Notify the FAVV: yes")
    expect(page.locator(".decision")).to_contain_text("delivered or sold: K-17")
    customers = page.locator("section[aria-labelledby=customers]")
    expect(customers).to_contain_text("Kaashandel Peeters")
    expect(customers).to_contain_text("10 kg")
    assert fits_the_screen(page)

    # the FAVV notified, the shop informed
    submit(page, "notified")
    page.select_option("select[name=customer]", label="Kaashandel Peeters")
    submit(page, "informed")
    expect(page.locator("section[aria-labelledby=customers]")).to_contain_text("Informed on")

    # closing is refused while quantities lack a disposition
    submit(page, "close")
    expect(page.locator("section[aria-labelledby=close] .alert-error")).to_contain_text(
        "has no disposition yet"
    )

    # the shop returns its 10 kg; the rest of the cheese and the milk are destroyed
    dispositions = [
        ("K-17", "returned", "10"),
        ("K-17", "destroyed", "20"),
        ("M-0301", "destroyed", "200"),
    ]
    for lot, kind, amount in dispositions:
        form = page.locator("form[action$='/disposition/']")
        label = form.locator("select[name=lot] option", has_text=lot).first.inner_text()
        form.locator("select[name=lot]").select_option(label=label)
        form.locator("select[name=kind]").select_option(kind)
        form.locator("input[name=quantity]").fill(amount)
        form.locator("button").click()
        expect(page.locator(".messages")).to_contain_text("disposition is recorded")

    submit(page, "close")
    expect(page.locator("h1 .badge")).to_have_text("closed")
    recall = Recall.objects.get()
    assert RecallClosure.objects.filter(recall=recall).exists()
    page.goto(f"/hoeve/lots/lot/{milk_key}/")
    expect(page.locator("main")).not_to_contain_text("blocked")
