"""What each main page and API list costs with a heavy tenant, beside the login page.

The heavy tenant is made by `manage.py make_heavy_tenant`'s builder through the bulk path: two
years of a dairy's records (about 14 600 registrations, 200 batches, 100 lab results) and, by the
lots services, its lot book (a milking and a production a day, received ingredients, about 1 400
deliveries, sales and losses; part of the last month in stock), with 9 small tenants beside it.
Every page and API list (the lots' among them) is asked for by one user, one request at a time,
through Django's whole stack (test client, no network), in rounds that ask each URL once, so
that a slow moment of the machine hits every URL alike. Figures are the p95 of the rounds.
Target: every page and list at p95 <= 3x the login page's, on SQLite and PostgreSQL; then the
same with 7 000 tenants instead of 10 (target: about the same, <= 1.25x), each state measured in
two blocks of rounds, whose difference shows the machine's own spread. On PostgreSQL, EXPLAIN
ANALYZE shows the plan of "current registrations" as the lists ask it (NOT EXISTS on the index
of corrections) beside the LEFT JOIN ... IS NULL it replaced. The plan PDF: how long the
background job takes (target < 2 s, or made in the background), and the cached PDF's p95.

`BENCH_DAYS=120 python bench/bench_pages.py` makes a smaller tenant for a quick look.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

import benchkit

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
WARM_UP = 3
DAYS = int(os.environ.get("BENCH_DAYS", "730"))
TARGET = 3.0
TENANT_TARGET = 1.25
SMALL_TENANTS = 9
MANY_TENANTS = 7_000
SMALL_REGISTRATIONS = 20


def _first_month() -> str:
    """The code of the heavy tenant's milkings of its first full month, as typed to find them."""
    from django.utils import timezone

    return f"M-{timezone.localdate() - timedelta(days=DAYS - 31):%y%m}"


def _web_urls(slug: str) -> dict[str, str]:
    return {
        "dashboard": f"/{slug}/",
        "today page": f"/{slug}/records/today/",
        "deviation list": f"/{slug}/records/deviations/",
        "deviation list, closed, page 2": f"/{slug}/records/deviations/?status=closed&page=2",
        "history of CCP 3 (cold rooms)": f"/{slug}/records/history/ccp-3/",
        "batch list": f"/{slug}/records/batches/",
        "plan page": f"/{slug}/plan/",
        "plan PDF (made, from the cache)": f"/{slug}/plan/pdf/",
        "lots index": f"/{slug}/lots/",
        "lots index, the milkings of its first month found": f"/{slug}/lots/?q={_first_month()}",
        "production form": f"/{slug}/lots/produce/",
        "delivery form": f"/{slug}/lots/deliver/",
        "stock count form": f"/{slug}/lots/count/",
        "recall list": f"/{slug}/lots/recalls/",
        "new recall form": f"/{slug}/lots/recalls/new/",
        "lab page": f"/{slug}/lab/",
        "raw-milk results": f"/{slug}/lab/raw-milk/results/",
        "farm today": f"/{slug}/farm/today/",
        "IKM self-assessment": f"/{slug}/farm/self-assessment/",
        "new audit form": f"/{slug}/farm/audits/new/",
    }


API_URLS = {
    "API registrations, limit=50": "/api/registrations?limit=50",
    "API registrations, limit=500": "/api/registrations?limit=500",
    "API registrations of CCP 3, offset=1000": "/api/registrations?control=CCP%203&offset=1000",
    "API deviations, limit=50": "/api/deviations?limit=50",
    "API deviations, limit=500": "/api/deviations?limit=500",
    "API agenda": "/api/agenda",
    "API batches": "/api/batches",
    "API lots": "/api/lots",
    "API lots in stock": "/api/lots?in_stock=true",
    "API movements": "/api/movements",
    "API raw-milk verdicts": "/api/lab/raw-milk/verdicts",
}
TENANT_PAGES = ("today page", "dashboard", "API registrations, limit=50", "deviation list")


# --- the worker (inside one database) -------------------------------------------------------


def _small_tenants(count: int) -> None:
    """Small dairies beside the heavy one, made by the services (a plan, rooms, a few checks)."""
    from dairyhaccp.web.records.heavy import HeavyDairy

    for number in range(count):
        HeavyDairy(f"klein-{number}", days=2, batch_count=1, lab_count=0, seed=number).build()


def _raw_insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows with one executemany, bypassing the ORM (background rows for scale only)."""
    from django.db import connection

    fields = [model._meta.get_field(name) for name in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})"
    values = [[f.get_db_prep_save(row[f.name], connection) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _many_tenants(count: int) -> None:
    """Thousands of tenants with a plan version and a few registrations each, inserted raw:
    they only have to be there, as other dairies are."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from dairyhaccp.web.operators.models import Operator
    from dairyhaccp.web.plans.models import PlanVersion
    from dairyhaccp.web.records.models import Registration

    user = User.objects.create_user("achtergrond")
    model_version = PlanVersion.objects.order_by("pk").first()
    assert model_version is not None
    now = timezone.now()
    with transaction.atomic():
        operators = Operator.objects.bulk_create(
            [Operator(name=f"Achtergrond {i}", slug=f"achtergrond-{i}") for i in range(count)]
        )
        _raw_insert(
            PlanVersion,
            [
                {
                    "operator": o.pk,
                    "number": 1,
                    "profile": model_version.profile,
                    "guide_version": model_version.guide_version,
                    "change": model_version.change,
                    "reason": "",
                    "created_by": user.pk,
                    "created_at": now,
                }
                for o in operators
            ],
        )
        for first in range(0, len(operators), 500):
            _raw_insert(
                Registration,
                [
                    {
                        "operator": o.pk,
                        "chain": uuid.uuid4(),
                        "version": 1,
                        "correction_reason": "",
                        "control_id": "CCP 3",
                        "task_id": "",
                        "delivery": "",
                        "product": "",
                        "category": "dairy_chilled",
                        "measured_at": now - timedelta(hours=7 * n + o.pk % 7),
                        "values": {"temperature_c": 4.0},
                        "derived": {},
                        "verdict": "conform",
                        "findings": [],
                        "required": {},
                        "checked_limits": [],
                        "guide_version": model_version.guide_version,
                        "remark": "",
                        "recorded_by": user.pk,
                        "recorded_at": now,
                    }
                    for o in operators[first : first + 500]
                    for n in range(SMALL_REGISTRATIONS)
                ],
            )
    _analyse()


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(clients: dict[str, tuple[Any, str, dict[str, str]]]) -> dict[str, dict[str, float]]:
    """Ask every URL once per round; p95 and median per URL, in milliseconds."""
    return _figures(_timings(clients))


def _figures(timings: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        name: {"p95": benchkit.p95(values), "median": benchkit.median(values)}
        for name, values in timings.items()
    }


def _timings(clients: dict[str, tuple[Any, str, dict[str, str]]]) -> dict[str, list[float]]:
    """Every URL's time in each round (ms), after the warm-up rounds."""
    timings: dict[str, list[float]] = {name: [] for name in clients}
    for round_number in range(WARM_UP + ROUNDS):
        for name, (client, url, headers) in clients.items():
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {url} answered {response.status_code}")
            if round_number >= WARM_UP:
                timings[name].append(elapsed * 1000)
    return timings


def _two_blocks(clients: dict[str, tuple[Any, str, dict[str, str]]]) -> dict[str, Any]:
    """The same URLs measured twice in a row, in the same state: each block's p95, and the p95
    of both together."""
    first, second = _timings(clients), _timings(clients)
    return {
        "blocks": [_figures(first), _figures(second)],
        "both": _figures({name: first[name] + second[name] for name in clients}),
    }


def _plan_pdf(client: Any, slug: str) -> dict[str, float]:
    """The background job: the first request's time, the job's time; then it is cached."""
    from django.test import override_settings

    from dairyhaccp.web.plans.choices import PdfStatus
    from dairyhaccp.web.plans.models import PlanPdf

    with override_settings(PLAN_PDF_IN_BACKGROUND=True):
        started = time.perf_counter()
        first = client.get(f"/{slug}/plan/pdf/")
        asked = time.perf_counter() - started
        assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
        while True:
            job = PlanPdf.objects.defer("pdf").get()
            if job.status in (PdfStatus.DONE, PdfStatus.FAILED):
                break
            if time.perf_counter() - started > 300:
                raise RuntimeError("the PDF job did not finish in 5 minutes")
            time.sleep(0.1)
    if job.status != PdfStatus.DONE:
        raise RuntimeError(f"the PDF job failed: {job.error}")
    assert job.started_at is not None and job.finished_at is not None
    return {
        "asked_ms": asked * 1000,
        "job_s": (job.finished_at - job.started_at).total_seconds(),
        "waited_s": time.perf_counter() - started,
    }


def _explain(operator: Any) -> dict[str, str]:
    """The plans of "current registrations, newest first, a page": as the lists ask it now,
    and the LEFT JOIN ... IS NULL it replaced."""
    from django.db import connection

    from dairyhaccp.web.records import selectors
    from dairyhaccp.web.records.models import Registration

    now_form = selectors.current_registrations(operator).order_by("-measured_at", "-pk")[:50]
    old_form = (
        Registration.objects.filter(operator=operator, correction__isnull=True)
        .select_related("batch", "room", "recorded_by")
        .order_by("-measured_at", "-pk")[:50]
    )
    history = (
        selectors.current_registrations(operator)
        .filter(control_id="CCP 3", task_id="")
        .order_by("-measured_at", "-pk")[:61]
    )
    options: dict[str, Any] = {"analyze": True} if connection.vendor == "postgresql" else {}
    return {
        "API list / current registrations (NOT EXISTS)": now_form.explain(**options),
        "same, as before (LEFT JOIN ... IS NULL)": old_form.explain(**options),
        "history of one control": history.explain(**options),
    }


def _as_a_fresh_server() -> None:
    """What building the tenants left in this process kept out of the garbage collector's full
    passes, as `wsgi.py` does for a served app: a server does not hold the build's objects."""
    gc.collect()
    gc.freeze()


def worker() -> None:
    database = benchkit.setup_django()
    from django.test import Client

    from dairyhaccp.web.operators.services import issue_api_token
    from dairyhaccp.web.records.heavy import HeavyDairy
    from dairyhaccp.web.records.models import Registration

    started = time.perf_counter()
    made = HeavyDairy(
        "zware-hoeve",
        days=DAYS,
        batch_count=max(1, round(200 * DAYS / 730)),
        lab_count=round(100 * DAYS / 730),
    ).build()
    built_s = time.perf_counter() - started
    _small_tenants(SMALL_TENANTS)
    _analyse()
    operator = made.operator
    owner = operator.memberships.get().user
    member = Client()
    member.force_login(owner)
    anonymous = Client()
    bearer = {"Authorization": f"Bearer {issue_api_token(owner, operator).clear_token}"}
    member.get(f"/{operator.slug}/plan/")  # the first request imports every view: not timed
    pdf = _plan_pdf(member, operator.slug)
    clients: dict[str, tuple[Any, str, dict[str, str]]] = {
        "login page (reference)": (anonymous, "/accounts/login/", {}),
    }
    clients.update({name: (member, url, {}) for name, url in _web_urls(operator.slug).items()})
    clients.update({name: (anonymous, url, bearer) for name, url in API_URLS.items()})
    _as_a_fresh_server()
    pages = _measure(clients)
    explain = _explain(operator)
    tenant_clients = {name: clients[name] for name in ("login page (reference)", *TENANT_PAGES)}
    few = _two_blocks(tenant_clients)
    _many_tenants(MANY_TENANTS - SMALL_TENANTS - 1)
    _as_a_fresh_server()
    many = _two_blocks(tenant_clients)
    benchkit.report(
        {
            "database": database,
            "registrations": Registration.objects.filter(operator=operator).count(),
            "all_registrations": Registration.objects.count(),
            "batches": made.batches,
            "lab_results": made.lab_results,
            "lots": made.lots,
            "lot_movements": made.movements,
            "built_s": built_s,
            "pages": pages,
            "pages_few_tenants": few,
            "pages_many_tenants": many,
            "pdf": pdf,
            "explain": explain,
        }
    )


# --- the report -----------------------------------------------------------------------------


def _spread(blocks: list[dict[str, dict[str, float]]], name: str) -> float:
    first, second = (block[name]["p95"] for block in blocks)
    return max(first, second) / min(first, second)


def _cell(figures: dict[str, Any] | str, name: str, key: str = "pages") -> str:
    if isinstance(figures, str):
        return f"{'–':>8} {'':>8}"
    page = figures[key].get(name)
    if page is None:
        return f"{'–':>8} {'':>8}"
    reference = figures[key]["login page (reference)"]["p95"]
    ratio = page["p95"] / reference
    mark = "" if name.startswith("login") else ("ok" if ratio <= TARGET else "!!")
    return f"{page['p95']:8.1f} {ratio:6.1f}×{mark:>2}"


def main() -> None:
    results = benchkit.run_workers(__file__)
    sqlite, postgres = results["sqlite"], results["postgresql"]
    print(
        f"Pages and API lists with a heavy tenant ({DAYS} days), one user, p95 of {ROUNDS} "
        f"rounds in ms and × the login page's p95 in the same run (target <= {TARGET:g}×)"
    )
    for backend, figures in results.items():
        if isinstance(figures, str):
            print(f"  {backend}: {figures}")
        else:
            print(
                f"  {figures['database']}: heavy tenant {figures['registrations']} registrations,"
                f" {figures['batches']} batches, {figures['lab_results']} lab results, "
                f"{figures['lots']} lots with {figures['lot_movements']} movements; made "
                f"through the bulk path and the lots services in {figures['built_s']:.0f} s"
            )
    ran = [f for f in results.values() if not isinstance(f, str)]
    if not ran:
        sys.exit("no database could be benchmarked")
    names = list(ran[0]["pages"])
    header = f"{'':44} {'SQLite':>18}   {'PostgreSQL':>18}"
    print(header)
    for name in names:
        print(f"  {name:42} {_cell(sqlite, name)}   {_cell(postgres, name)}")
    for figures in results.values():
        if isinstance(figures, str):
            continue
        worst = max(
            page["p95"] / figures["pages"]["login page (reference)"]["p95"]
            for name, page in figures["pages"].items()
        )
        print(
            f"  {figures['database']}: the slowest is {worst:.1f}× the login page "
            f"(target <= {TARGET:g}×: {benchkit.verdict(worst, TARGET)})"
        )
    print(
        f"\n{MANY_TENANTS:,} tenants instead of 10 (the others with a plan and "
        f"{SMALL_REGISTRATIONS} registrations each): p95 in ms of {2 * ROUNDS} rounds, and 7 000"
        f" vs 10 (target <= {TENANT_TARGET:g}×). Each state is measured in two blocks of"
        f" {ROUNDS} rounds; 'same state' is how far the two blocks of one state differ, the"
        " machine's own spread."
    )
    for figures in results.values():
        if isinstance(figures, str):
            continue
        print(f"  {figures['database']} ({figures['all_registrations']:,} registrations in all)")
        print(f"    {'':40} {'10':>8}   {'7 000':>8}  {'ratio':>6}   same state")
        for name in ("login page (reference)", *TENANT_PAGES):
            few = figures["pages_few_tenants"]["both"][name]["p95"]
            many = figures["pages_many_tenants"]["both"][name]["p95"]
            spread = max(
                _spread(figures[state]["blocks"], name)
                for state in ("pages_few_tenants", "pages_many_tenants")
            )
            print(
                f"    {name:40} {few:8.1f} → {many:8.1f}  {many / few:5.2f}× "
                f"({benchkit.verdict(many / few, TENANT_TARGET)})   up to {spread:4.2f}×"
            )
    print("\nThe plan PDF of the heavy tenant (the demo plan), made in the background")
    for figures in results.values():
        if isinstance(figures, str):
            continue
        pdf = figures["pdf"]
        reference = figures["pages"]["login page (reference)"]["p95"]
        cached = figures["pages"]["plan PDF (made, from the cache)"]["p95"]
        print(
            f"  {figures['database']}: asking for it answered in {pdf['asked_ms']:.0f} ms "
            f"({pdf['asked_ms'] / reference:.1f}× the login page) with the progress page; the "
            f"job took {pdf['job_s']:.1f} s (target < 2 s, else in the background: background);"
            f" served from the cache at p95 {cached:.1f} ms ({cached / reference:.1f}×)"
        )
    for figures in results.values():
        if isinstance(figures, str):
            continue
        print(f"\nQuery plans, {figures['database']}, the heavy tenant:")
        for name, text in figures["explain"].items():
            print(f"  {name}:")
            for line in text.splitlines()[:14]:
                print(f"    {line}")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
