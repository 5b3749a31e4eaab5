"""In a browser, on a phone: sign up a business, follow the e-mailed link, land in the wizard;
an owner invites an auditor who accepts with a new account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect

from dairyhaccp.web.operators.models import Membership, Operator

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
PASSWORD = "wei-en-wrongel-83"


def link_in_last_mail() -> str:
    found = re.findall(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert len(found) == 1, mail.outbox[-1].body
    return found[0]


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_sign_up_verify_and_land_in_the_wizard(browser_page: Page, transactional_db: None) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.locator("main a[href='/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    assert fits_the_screen(page)
    page.set_viewport_size(NARROW)
    assert fits_the_screen(page)
    page.set_viewport_size(PHONE)

    page.fill("input[name=name]", "Hoeve Het Klaverblad")
    page.fill("textarea[name=address]", "Kerkstraat 12\n9870 Zulte")
    page.fill("input[name=favv_number]", "2.123.456.791")
    page.check("input[name=kind][value=both]")
    page.fill("input[name=first_name]", "An")
    page.fill("input[name=last_name]", "Peeters")
    page.fill("input[name=email]", "an@klaverblad.example")
    page.fill("input[name=username]", "an")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    expect(page.locator("main")).to_contain_text("an@klaverblad.example")
    assert not Operator.objects.exists()

    page.goto(link_in_last_mail())
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/hoeve-het-klaverblad/plan/profile/$"))
    expect(page.locator("input[name=operator-name]")).to_have_value("Hoeve Het Klaverblad")
    assert fits_the_screen(page)
    operator = Operator.objects.get()
    assert operator.favv_number == "2.123.456.791"
    assert Membership.objects.get(operator=operator).user.username == "an"


def test_an_invited_auditor_accepts_with_a_new_account(
    browser_page: Page, transactional_db: None
) -> None:
    operator = Operator.objects.create(name="Kaasmakerij De Wei", slug="de-wei")
    owner = User.objects.create_user("kaasmaker", password=PASSWORD)
    Membership.objects.create(user=owner, operator=operator, role="owner")
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("a[href='/de-wei/people/']").click()
    page.locator("a[href='/de-wei/people/invite/']").click()
    assert fits_the_screen(page)
    page.fill("input[name=email]", "controle@keuring.example")
    page.check("input[name=role][value=auditor]")
    page.fill("input[name=access_from]", "2026-01-01")
    page.fill("input[name=access_until]", "2099-12-31")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/de-wei/people/$"))
    expect(page.locator("#invitations")).to_contain_text("controle@keuring.example")
    page.set_viewport_size(NARROW)
    assert fits_the_screen(page)
    link = link_in_last_mail()
    page.locator("header form[action='/accounts/logout/'] button").click()

    page.goto(link)
    page.fill("input[name=first_name]", "Kim")
    page.fill("input[name=last_name]", "Claes")
    page.fill("input[name=username]", "kim")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/de-wei/$"))
    expect(page.locator("main")).to_contain_text("Kaasmakerij De Wei")
    membership = Membership.objects.get(user__username="kim")
    assert membership.role == "auditor"
    assert str(membership.access_until) == "2099-12-31"
