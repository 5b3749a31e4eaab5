"""How fast the sector page answers at 6 000 farms, beside the farm's own today page.

The demo sector (`manage.py make_sector_demo`: 6 000 farms over 5 years) is generated once
into its own SQLite database under var/bench-sector/ and reused by later runs (--fresh makes a
new one). The reference is the today page of one demo farm (withheld milk, certificate, open
findings and points), measured in the same run with the same client. Target: the sector page
within 3x the today page. The sector page shows the figures the core computed at the last
refresh; the refresh itself (reading every farm's records and computing the figures again) is
printed beside the same reference, as is the CSV export. Timings are the median of several
runs taken in turns, after a warm-up. Prints figures; exits non-zero if the target is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "var" / "bench-sector"
FARMS, YEARS = 6000, 5
RUNS = 15
REFRESH_RUNS = 3
TARGET = 3.0


def setup_django() -> None:
    os.environ["DAIRYHACCP_DATA_DIR"] = str(DATA_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dairyhaccp.web.config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    # As the tests run: the development secret key and plain static files, no manifest.
    os.environ.setdefault("DAIRYHACCP_TESTING", "1")
    if "--fresh" in sys.argv:
        for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):
            (DATA_DIR / name).unlink(missing_ok=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def median_of(runs: int, *works: Callable[[], object]) -> list[float]:
    """The median time of each piece of work, run in turns so that all meet the same load."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for index, work in enumerate(works):
            start = time.perf_counter()
            work()
            times[index].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main() -> int:
    setup_django()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from dairyhaccp.web.farm.demo import DEMO_PREFIX, SECTOR_SLUG, make_sector_demo
    from dairyhaccp.web.farm.models import SustainabilityEntry, Treatment
    from dairyhaccp.web.farm.services import record_treatment, refresh_sector_figures
    from dairyhaccp.web.farm.services.treatments import TreatmentInput
    from dairyhaccp.web.operators.choices import Role
    from dairyhaccp.web.operators.models import Operator
    from dairyhaccp.web.operators.services import add_member

    call_command("migrate", verbosity=0)
    if not Operator.objects.filter(slug__startswith=DEMO_PREFIX).exists():
        start = time.perf_counter()
        make_sector_demo(farms=FARMS, years=YEARS)
        print(
            f"generated {FARMS:,} farms over {YEARS} years in {time.perf_counter() - start:.0f} s"
        )
    farms = Operator.objects.filter(slug__startswith=DEMO_PREFIX).count()
    sector = Operator.objects.get(slug=SECTOR_SLUG)
    farm = Operator.objects.filter(slug__startswith=DEMO_PREFIX).order_by("slug").first()
    assert farm is not None
    owner, _ = User.objects.get_or_create(username="bench-farmer")
    analyst, _ = User.objects.get_or_create(username="bench-sector")
    add_member(farm, owner, Role.OWNER)
    add_member(sector, analyst, Role.SECTOR)
    if not Treatment.objects.filter(operator=farm, recorded_by=owner).exists():
        # A treatment running now, so that the today page has milk to withhold.
        from datetime import timedelta

        from django.utils import timezone

        record_treatment(
            farm,
            owner,
            Role.OWNER,
            TreatmentInput(
                animal="BE 1",
                last_dose_at=timezone.now() - timedelta(hours=2),
                indication="Mastitis",
                product="Demo",
                active_substance="Demo",
                dose="1",
                route="intramammary",
                prescribing_vet="Demo",
                withdrawal_milk_hours=84,
                withdrawal_meat_days=4,
            ),
        )
    print(
        f"{farms:,} farms, {Treatment.objects.count():,} treatments, "
        f"{SustainabilityEntry.objects.count():,} farm-years of initiatives"
    )

    farmer, sector_client = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
    farmer.force_login(owner)
    sector_client.force_login(analyst)
    today_url = f"/{farm.slug}/farm/today/"
    sector_url = f"/{sector.slug}/farm/sector/"
    csv_url = f"/{sector.slug}/farm/sector/export.csv"

    def get(client: Client, url: str) -> Callable[[], object]:
        def work() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        return work

    today, page, export = (
        get(farmer, today_url),
        get(sector_client, sector_url),
        get(sector_client, csv_url),
    )
    for work in (today, page, export):  # warm-up; the first sector view computes the figures
        work()
    today_s, page_s, export_s = median_of(RUNS, today, page, export)
    print(f"  farm's today page     {today_s * 1000:8.1f} ms  (reference)")
    print(
        f"  sector page           {page_s * 1000:8.1f} ms  ({page_s / today_s:.1f}x the today page)"
    )
    print(f"  sector CSV export     {export_s * 1000:8.1f} ms  ({export_s / today_s:.1f}x)")

    def refresh() -> object:
        return refresh_sector_figures(sector)

    refresh_s, today_again_s = median_of(REFRESH_RUNS, refresh, today)
    print(
        f"  recomputing the sector figures {refresh_s * 1000:8.1f} ms  "
        f"({refresh_s / today_again_s:.0f}x the today page of {today_again_s * 1000:.1f} ms)"
    )
    ratio = page_s / today_s
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"  sector page / today page = {ratio:.1f}x (target <= {TARGET:.0f}x: {verdict})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
