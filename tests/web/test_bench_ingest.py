"""The ingest benchmark's measures run and store what they name (a small dairy, no timing)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db import connection

from dairyhaccp.web.evidence import chain
from dairyhaccp.web.evidence.models import EvidenceLink
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Registration

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_ingest

pytestmark = pytest.mark.django_db


def _stored(slug: str) -> int:
    return Registration.objects.filter(operator__slug=slug).count()


def _links(slug: str) -> int:
    return EvidenceLink.objects.filter(operator__slug=slug).count()


def test_each_measure_stores_or_judges_the_checks_it_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench_ingest, "DAYS", 3)
    monkeypatch.setattr(bench_ingest, "ONE_AT_A_TIME", 4)

    _seconds, count, operator = bench_ingest._bulk("bulk")
    assert count > 20
    assert _stored("bulk") == count
    assert chain.verify(operator).intact

    columns, rows = bench_ingest._stored_rows(operator)
    if connection.vendor == "postgresql":
        bench_ingest._copy(columns, rows)
    else:
        bench_ingest._executemany(columns, rows)
    assert _stored("referentie") == count

    _seconds, unchained = bench_ingest._unchained("zonder-keten")
    assert _stored("zonder-keten") == unchained == count
    assert _links("zonder-keten") == 0
    assert chain.append_many.__name__ == "append_many"
    assert chain.returned_is_stored.__name__ == "returned_is_stored"

    _seconds, judged = bench_ingest._judged_only("enkel-oordeel")
    assert judged == count
    assert _stored("enkel-oordeel") == 0
    assert Operator.objects.filter(slug="enkel-oordeel").exists()

    _seconds, single = bench_ingest._one_at_a_time("een-voor-een")
    assert single == _stored("een-voor-een") == 4
    assert _links("een-voor-een") >= 4
