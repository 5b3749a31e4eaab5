"""A day's five typical checks from the today page, on a phone, counting the taps.

The figure is printed, not asserted (the goal is fewer than 20); what is asserted is that every
check was stored."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import Batch, Registration, Room
from dairyhaccp.web.records.services import create_room

pytestmark = pytest.mark.browser

PASSWORD = "kaas-en-boter-7"
PHONE = {"width": 390, "height": 844}
GOAL = 20


@pytest.fixture
def dairy(transactional_db: None) -> Operator:
    operator = create_operator("Hoeve Voorbeeld", slug="hoeve")
    user = User.objects.create_user("kaasmaker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, tomllib.loads(example_profile("demo")))
    long_ago = timezone.now() - timedelta(days=3)
    for name, kind, product, category in (
        ("Kelder", "ripening_room", "Hoevekaas", ""),
        ("Koelcel", "cold_room", "", "dairy_chilled"),
        ("Toonbank", "shop_cabinet", "", "dairy_chilled"),
    ):
        room = create_room(operator, name, kind, product=product, storage_category=category)
        Room.objects.filter(pk=room.pk).update(created_at=long_ago)
    return operator


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport=PHONE,
        has_touch=True,
        # The taps are counted here; the offline cache (and its fetches) is tested elsewhere.
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class Taps:
    """Counts every tap: a button or link pressed, a field touched before typing."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def type(self, target: Locator, text: str) -> None:
        self.count += 1
        target.fill(text)


def test_five_checks_of_a_day_from_the_today_page(phone: Page, dairy: Operator) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/hoeve/records/today/")  # where the day starts (a bookmark on the phone)
    taps = Taps()

    # 1. start today's yoghurt: one tap makes the batch and shows its checks
    taps.tap(page.locator("form.start-production button[value=Roeryoghurt]"))
    batch = Batch.objects.get(product="Roeryoghurt")
    expect(page.locator(f"#batch-{batch.pk}")).to_be_visible()

    def check(href: str, fields: dict[str, str], choice: str | None = None) -> None:
        taps.tap(page.locator(f"a.duty[href*='{href}']").first)
        for name, value in fields.items():
            taps.type(page.locator(f"input[name={name}]"), value)
        if choice:
            taps.tap(page.locator(f"label:has(input[name={choice}][value=yes])"))
        taps.tap(page.locator("main form[data-offline-queue] button[type=submit]"))
        expect(page).to_have_url(re.compile(r"/hoeve/records/today/$"))
        expect(page.locator(".message-success")).to_contain_text("conform")

    # 2. its pasteurisation, 3. its pH, 4. the ripening cellar, 5. the cold room, 6. the shop
    check("/register/ccp-9/", {"temperature_c": "90", "hold_s": "300"})
    check("/register/pva-18/?batch=", {"ph": "4.4"})
    check("/register/ccp-13/", {"temperature_c": "13"})
    check("/register/ccp-3/?room=", {"temperature_c": "4"})
    check("/register/pva-6/?room=", {}, choice="visual_ok")

    print(f"\nA day's five checks and the start of a batch: {taps.count} taps (goal < {GOAL})")
    stored = Registration.objects.filter(operator=dairy)
    assert stored.count() == 5
    assert set(stored.values_list("control_id", flat=True)) == {
        "CCP 9",
        "PVA 18",
        "CCP 13",
        "CCP 3",
        "PVA 6",
    }
    assert set(stored.values_list("verdict", flat=True)) == {"conform"}
