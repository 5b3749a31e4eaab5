"""Without a connection: the today page and its forms open from the service worker's cache,
a registration or a task waits in the browser with its key and is stored once when the network
returns."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.examples import example_profile
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records.models import IdempotencyKey, Registration, Room
from dairyhaccp.web.records.services import create_room

pytestmark = pytest.mark.browser

PASSWORD = "kaas-en-boter-7"


@pytest.fixture
def dairy(transactional_db: None) -> Operator:
    operator = create_operator("Hoeve Voorbeeld", slug="hoeve")
    user = User.objects.create_user("kaasmaker", password=PASSWORD)
    add_member(operator, user, Role.OWNER)
    save_profile(operator, user, tomllib.loads(example_profile("demo")))
    room = create_room(operator, "Koelcel", "cold_room", storage_category="dairy_chilled")
    Room.objects.filter(pk=room.pk).update(created_at=timezone.now() - timedelta(days=3))
    return operator


@pytest.fixture
def context(
    chromium: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[BrowserContext]:
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 390, "height": 844},
        service_workers="allow",
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def waiting(page: Page) -> str:
    return str(page.locator("#offline-status").get_attribute("data-waiting") or "0")


def log_in(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "kaasmaker")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hoeve/$"))
    return page


def keep_today_and_its_forms(page: Page) -> None:
    """Online: the today page installs the service worker, which keeps it and its forms."""
    page.goto("/hoeve/records/today/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now answered through the service worker, which keeps a copy
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => document.documentElement.dataset.formsKept === '1'")


def test_a_registration_made_offline_is_stored_exactly_once_when_back_online(
    context: BrowserContext, dairy: Operator
) -> None:
    page = log_in(context)

    keep_today_and_its_forms(page)
    form_link = page.locator("a.duty[href*='/register/ccp-3/?room=']").first
    expect(form_link).to_be_visible()

    # the network is cut: the today page and the form still open
    context.set_offline(True)
    page.goto("/hoeve/records/today/")
    expect(page.locator("#do-now")).to_be_visible()
    expect(page.locator("#offline-status")).to_contain_text("No connection")
    page.locator("a.duty[href*='/register/ccp-3/?room=']").first.click()
    page.fill("input[name=temperature_c]", "4")
    page.locator("main form[data-offline-queue] button[type=submit]").click()
    expect(page.locator("#offline-saved")).to_be_visible()
    expect(page.locator("#offline-status")).to_contain_text("1 registration waits to be sent.")
    assert Registration.objects.count() == 0

    # the today page says how many wait
    page.goto("/hoeve/records/today/")
    expect(page.locator("#offline-status")).to_contain_text("1 registration waits to be sent.")

    # back online: it is sent once, and the page says nothing waits any more
    context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('offline-status').dataset.waiting === '0'"
    )
    assert Registration.objects.count() == 1
    registration = Registration.objects.get()
    assert registration.control_id == "CCP 3" and registration.values["temperature_c"] == 4.0
    key = IdempotencyKey.objects.get(registration=registration).key

    # sent again with the same key (a second tab, a retry): refused, still one registration
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.formsKept === '1'")
    status = page.evaluate(
        """async (key) => {
            const body = new URLSearchParams();
            const token = document.querySelector("input[name='csrfmiddlewaretoken']").value;
            const link = document.querySelector("a.duty[href*='/register/ccp-3/?room=']");
            const room = new URL(link.href);
            body.set('csrfmiddlewaretoken', token);
            body.set('temperature_c', '4');
            body.set('room', room.searchParams.get('room'));
            body.set('measured_at', new Date().toISOString().slice(0, 16));
            body.set('idempotency_key', key);
            const response = await fetch(room.pathname, {method: 'POST', body: body,
                credentials: 'same-origin', headers: {'X-Offline-Queue': '1'}});
            return response.status;
        }""",
        key,
    )
    assert status == 409
    assert Registration.objects.count() == 1


def test_a_hygiene_task_done_offline_is_stored_exactly_once_when_back_online(
    context: BrowserContext, dairy: Operator
) -> None:
    cellar = create_room(dairy, "Kelder", "ripening_room", product="Hoevekaas")
    Room.objects.filter(pk=cellar.pk).update(created_at=timezone.now() - timedelta(days=3))
    page = log_in(context)
    keep_today_and_its_forms(page)
    task_link = "a.duty[href*='/tasks/ghp-ripening-disinfection/?room=']"

    # the network is cut: the yearly disinfection of the cellar opens from the today page
    context.set_offline(True)
    page.goto("/hoeve/records/today/")
    expect(page.locator("#offline-status")).to_contain_text("No connection")
    page.locator("details summary", has_text="Later").click()
    page.locator(task_link).click()
    expect(page.locator("h1")).to_contain_text("disinfected at least once a year")
    page.fill("textarea[name=remark]", "Kelder ontsmet")
    page.locator("main form[data-offline-queue] button[type=submit]").click()
    expect(page.locator("#offline-saved")).to_be_visible()
    expect(page.locator("#offline-status")).to_contain_text("1 registration waits to be sent.")
    queued = page.evaluate("() => localStorage.getItem('dairyhaccp-queue')")
    assert Registration.objects.count() == 0

    # the today page counts it among what waits
    page.goto("/hoeve/records/today/")
    expect(page.locator("#offline-status")).to_contain_text("1 registration waits to be sent.")

    # back online: it is sent once, and nothing waits any more
    context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('offline-status').dataset.waiting === '0'"
    )
    task = Registration.objects.get()
    assert (task.task_id, task.room_id, task.remark) == (
        "ghp-ripening-disinfection",
        cellar.pk,
        "Kelder ontsmet",
    )
    assert IdempotencyKey.objects.get().registration == task

    # the same waiting list sent again (another tab kept it): refused, nothing refused to redo
    page.evaluate("(queued) => localStorage.setItem('dairyhaccp-queue', queued)", queued)
    page.reload()
    page.wait_for_function(
        "() => document.getElementById('offline-status').dataset.waiting === '0'"
    )
    assert page.evaluate("() => localStorage.getItem('dairyhaccp-refused')") in (None, "[]")
    assert Registration.objects.count() == 1


def test_logging_out_asks_first_when_registrations_wait_and_then_leaves_nothing_behind(
    context: BrowserContext, dairy: Operator
) -> None:
    page = log_in(context)
    page.goto("/hoeve/records/today/")
    page.evaluate(
        """() => localStorage.setItem('dairyhaccp-queue', JSON.stringify([{key: 'k-1'}]))"""
    )

    asked: list[str] = []

    def decline(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.locator("header form[action$='/accounts/logout/'] button").click()
    assert asked and "(1)" in asked[0] and "Log out anyway?" in asked[0]
    expect(page).to_have_url(re.compile(r"/hoeve/records/today/$"))  # still logged in

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    assert page.evaluate("() => localStorage.getItem('dairyhaccp-queue')") is None
    keys = page.evaluate("async () => (await caches.keys()).length")
    assert keys == 0
