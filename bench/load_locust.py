"""Load of a dairy's working day: the today page, the plan, a registration posted with the web
form, the lab page and the JSON API, by many users of the demo dairy at once.

Run by bench/load.sh (`make load`), which serves the app and passes:
    LOAD_OPERATOR   the operator's slug (the demo dairy)
    LOAD_USERNAME, LOAD_PASSWORD   a login of an owner or staff member
    LOAD_API_TOKEN  a bearer token of that member
At the end it prints requests, failures and the 50th, 95th and 99th percentile response times,
in total and per kind of request.
"""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment

OPERATOR = os.environ.get("LOAD_OPERATOR", "hoeve-voorbeeld")
USERNAME = os.environ.get("LOAD_USERNAME", "demo")
PASSWORD = os.environ.get("LOAD_PASSWORD", "zuivel-demo")
API_TOKEN = os.environ.get("LOAD_API_TOKEN", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEASURED_AT = re.compile(r'name="measured_at" value="([^"]+)"')
# Cold storage (CCP 3) of the demo's yoghurt: mostly conform, now and then a deviation.
PRODUCT = "Roeryoghurt"
PERCENTILES = (0.50, 0.95, 0.99)


def _temperature() -> float:
    return round(random.choice([random.uniform(2.0, 6.5), random.uniform(2.0, 9.0)]), 1)


class DairyUser(HttpUser):
    """Someone of the dairy with the app open on a phone, and a device using the API."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")

    def _page(self, path: str, name: str) -> None:
        self.client.get(f"/{OPERATOR}/{path}", name=name)

    def _api(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {API_TOKEN}"}

    @task(4)
    def today(self) -> None:
        self._page("records/today/", "today")

    @task(2)
    def plan(self) -> None:
        self._page("plan/", "plan")

    @task(2)
    def lab(self) -> None:
        self._page("lab/", "lab")

    @task(2)
    def register_with_the_form(self) -> None:
        url = f"/{OPERATOR}/records/register/ccp-3/"
        form = self.client.get(url, name="registration form")
        token, measured_at = CSRF.search(form.text), MEASURED_AT.search(form.text)
        if token is None or measured_at is None:
            return  # the GET failed: counted there
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "product": PRODUCT,
            "temperature_c": str(_temperature()).replace(".", ","),
            "measured_at": measured_at.group(1),
            "remark": "load test",
        }
        with self.client.post(
            url, data=data, name="registration POST", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"not stored ({response.status_code})")

    @task(1)
    def api_plan(self) -> None:
        self.client.get("/api/plan", headers=self._api(), name="API plan")

    @task(1)
    def api_registrations(self) -> None:
        self.client.get(
            "/api/registrations", params={"limit": 20}, headers=self._api(), name="API list"
        )

    @task(1)
    def api_register(self) -> None:
        body = {"control": "CCP 3", "product": PRODUCT, "temperature_c": _temperature()}
        with self.client.post(
            "/api/registrations",
            json=body,
            headers=self._api(),
            name="API registration POST",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"not stored ({response.status_code}): {response.text[:200]}")


def _row(name: str, entry: Any) -> str:
    times = "  ".join(
        f"p{round(p * 100)} {entry.get_response_time_percentile(p):6.0f} ms" for p in PERCENTILES
    )
    return f"{name:<24} {entry.num_requests:>8} {entry.num_failures:>8}   {times}"


@events.quitting.add_listener
def _print_figures(environment: Environment, **_kwargs: Any) -> None:
    stats = environment.stats
    options = environment.parsed_options
    users = getattr(options, "num_users", "?")
    print()
    print(f"load {os.environ.get('LOAD_LABEL', '')}: {users} users".replace("load : ", "load: "))
    print(f"{'request':<24} {'requests':>8} {'failures':>8}   response times")
    for (name, method), entry in sorted(stats.entries.items()):
        print(_row(f"{method} {name}"[:24], entry))
    print(_row("total", stats.total))
    print(f"throughput {stats.total.total_rps:.1f} requests/s")
    for error in stats.errors.values():
        print(f"  failed x{error.occurrences}: {error.method} {error.name}: {error.error}")
