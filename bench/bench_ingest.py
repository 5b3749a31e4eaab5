"""Bulk ingest of registrations, judged and stored, beside a raw insert of the same rows.

The checks: the heavy tenant's (`manage.py make_heavy_tenant`), a dairy's cold rooms, ripening
room, milkings and batches, in time order. Judged-and-stored is the bulk path the API and the
CSV import use: each check judged by the one judge with one plan and one lookup of stored facts,
inserted with its idempotency key, deviations opened, and every row chained in the operator's
evidence chain, 1000 per run (one transaction each). The reference is the least a program must
do to put the same rows in the same table: one `executemany` (SQLite) or one `COPY`
(PostgreSQL) of the rows as stored, prepared beforehand. Target: judged-and-stored at >= 25 %
of the reference's rows per second, on both databases.

Beside them, for what the figures mean: the same checks registered one at a time through
`record_registration` (the form's and the single API route's path), the bulk path with the
evidence chain switched off (a reference only: the app never stores evidence unchained), which
shows the share of the chain, and judging alone (the import's preview), which shows the share
of the judge.

`BENCH_DAYS=60 python bench/bench_ingest.py` for a quick look.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from typing import Any

import benchkit

DAYS = int(os.environ.get("BENCH_DAYS", "240"))
ONE_AT_A_TIME = 300
TARGET = 0.25
RUN = 1000
REPEATS = 3


def _dairy(slug: str) -> tuple[Any, Any, list[Any]]:
    from dairyhaccp.web.records.heavy import HeavyDairy

    dairy = HeavyDairy(
        slug,
        days=DAYS,
        batch_count=max(1, round(200 * DAYS / 730)),
        lab_count=0,
        seed=7,
    )
    operator, owner, rooms, batches = dairy.set_up()
    return operator, owner, [p.data for p in dairy.planned(rooms, batches)]


def _bulk(slug: str) -> tuple[float, int, Any]:
    from dairyhaccp.web.records.services import BulkItem, record_registrations

    operator, owner, inputs = _dairy(slug)
    started = time.perf_counter()
    for first in range(0, len(inputs), RUN):
        items = [
            BulkItem(f"{slug}-{first + i}", data)
            for i, data in enumerate(inputs[first : first + RUN])
        ]
        record_registrations(operator, owner, items)
    return time.perf_counter() - started, len(inputs), operator


def _judged_only(slug: str) -> tuple[float, int]:
    from dairyhaccp.web.records.services import judge_registrations

    operator, _owner, inputs = _dairy(slug)
    started = time.perf_counter()
    for first in range(0, len(inputs), RUN):
        judge_registrations(operator, inputs[first : first + RUN])
    return time.perf_counter() - started, len(inputs)


def _unchained(slug: str) -> tuple[float, int]:
    from dairyhaccp.web.evidence import chain

    kept = chain.append, chain.append_many, chain.returned_is_stored

    def unchained(instance: Any) -> None:
        return None

    def none_chained(instances: Any, as_stored: Any = None) -> int:
        return 0

    # A reference only: the app never stores evidence without chaining it.
    setattr(chain, "append", unchained)  # noqa: B010  # replaced for this measure, then put back
    setattr(chain, "append_many", none_chained)  # noqa: B010
    setattr(chain, "returned_is_stored", lambda model, connection: False)  # noqa: B010
    try:
        seconds, count, _operator = _bulk(slug)
    finally:
        setattr(chain, "append", kept[0])  # noqa: B010
        setattr(chain, "append_many", kept[1])  # noqa: B010
        setattr(chain, "returned_is_stored", kept[2])  # noqa: B010
    return seconds, count


def _one_at_a_time(slug: str) -> tuple[float, int]:
    from dairyhaccp.web.records.services import record_registration

    operator, owner, inputs = _dairy(slug)
    sample = inputs[:ONE_AT_A_TIME]
    started = time.perf_counter()
    for data in sample:
        record_registration(operator, owner, data)
    return time.perf_counter() - started, len(sample)


def _stored_rows(operator: Any, slug: str = "referentie") -> tuple[list[str], list[list[Any]]]:
    """The stored rows of `operator` as column values, each under a new chain (the reference
    inserts the same rows again, for another operator)."""
    from django.contrib.auth.models import User

    from dairyhaccp.web.operators.services import create_operator
    from dairyhaccp.web.records.models import Registration

    other = create_operator("Referentie", slug=slug)
    user = User.objects.create_user(slug)
    fields = [f for f in Registration._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    rows = []
    for stored in Registration.objects.filter(operator=operator).values(*names).iterator():
        stored.update(chain=uuid.uuid4(), operator_id=other.pk, recorded_by_id=user.pk)
        stored.update(corrects_id=None, batch_id=None, room_id=None)
        rows.append(stored)
    columns = [str(f.column) for f in fields]
    return columns, [[row[f.attname] for f in fields] for row in rows]


def _executemany(columns: list[str], rows: list[list[Any]]) -> float:
    from django.db import connection, transaction

    from dairyhaccp.web.records.models import Registration

    fields = {f.column: f for f in Registration._meta.concrete_fields}
    prepared = [
        [fields[c].get_db_prep_save(v, connection) for c, v in zip(columns, row, strict=True)]
        for row in rows
    ]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO records_registration ({quoted}) VALUES ({marks})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return time.perf_counter() - started


def _copy(columns: list[str], rows: list[list[Any]]) -> float:
    from django.db import connection, transaction

    from dairyhaccp.web.records.models import Registration

    json_columns = {
        f.column for f in Registration._meta.concrete_fields if f.get_internal_type() == "JSONField"
    }
    prepared = [
        [json.dumps(v) if c in json_columns else v for c, v in zip(columns, row, strict=True)]
        for row in rows
    ]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    started = time.perf_counter()
    sql = f"COPY records_registration ({quoted}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in prepared:
            copy.write_row(row)
    return time.perf_counter() - started


def worker() -> None:
    database = benchkit.setup_django()
    from django.db import connection

    # Each side measured REPEATS times, one after the other, so that a slow moment of the machine
    # hits both alike; the medians are compared.
    reference = "COPY" if connection.vendor == "postgresql" else "executemany"
    insert = _copy if connection.vendor == "postgresql" else _executemany
    bulk_times, reference_times = [], []
    for repeat in range(REPEATS):
        bulk_s, count, operator = _bulk(f"bulk-{repeat}")
        columns, rows = _stored_rows(operator, f"referentie-{repeat}")
        bulk_times.append(bulk_s)
        reference_times.append(insert(columns, rows))
    bulk_s, reference_s = benchkit.median(bulk_times), benchkit.median(reference_times)
    unchained_s, unchained_count = _unchained("zonder-keten")
    judged_s, judged_count = _judged_only("enkel-oordeel")
    single_s, single_count = _one_at_a_time("een-voor-een")
    benchkit.report(
        {
            "database": database,
            "rows": count,
            "bulk_s": bulk_s,
            "reference": reference,
            "reference_rows": len(rows),
            "reference_s": reference_s,
            "unchained_rows": unchained_count,
            "unchained_s": unchained_s,
            "judged_rows": judged_count,
            "judged_s": judged_s,
            "single_rows": single_count,
            "single_s": single_s,
        }
    )


def main() -> None:
    results = benchkit.run_workers(__file__)
    print(
        f"Bulk ingest of a dairy's checks ({DAYS} days), judged and stored in runs of {RUN}, "
        f"beside a raw insert of the same rows (target >= {TARGET:.0%} of its rows/s; "
        f"medians of {REPEATS} of each, taken in turn)"
    )
    for backend, figures in results.items():
        if isinstance(figures, str):
            print(f"  {backend}: {figures}")
            continue
        bulk = figures["rows"] / figures["bulk_s"]
        reference = figures["reference_rows"] / figures["reference_s"]
        unchained = figures["unchained_rows"] / figures["unchained_s"]
        single = figures["single_rows"] / figures["single_s"]
        speed = bulk / reference
        print(
            f"  {figures['database']}: judged and stored {bulk:,.0f} rows/s ({figures['rows']:,} "
            f"rows in {figures['bulk_s']:.1f} s)   | reference, raw {figures['reference']}: "
            f"{reference:,.0f} rows/s   | {speed:.1%} of the reference "
            f"(target >= {TARGET:.0%}: {benchkit.verdict(speed, TARGET, at_least=True)})"
        )
        print(
            f"    one at a time through record_registration: {single:,.0f} rows/s "
            f"({bulk / single:.1f}× slower than the bulk path's {bulk:,.0f})"
        )
        judged = figures["judged_rows"] / figures["judged_s"]
        print(
            f"    the bulk path without the evidence chain (reference only): {unchained:,.0f} "
            f"rows/s = {unchained / reference:.1%} of the raw insert; the chain takes "
            f"{1 - bulk / unchained:.0%} of the bulk path's time"
        )
        print(
            f"    judging alone (the preview, nothing stored): {judged:,.0f} rows/s = "
            f"{judged / reference:.1%} of the raw insert"
        )


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
