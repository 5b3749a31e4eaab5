"""The trace benchmark builds its dairy and walks it as it names (a few weeks, no timing)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.test import Client

from dairyhaccp.web.operators.services import issue_api_token

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_trace

pytestmark = pytest.mark.django_db


def test_the_service_and_the_recursive_query_reach_the_same_lots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench_trace, "DAYS", 12)
    monkeypatch.setattr(bench_trace, "BATCHES", 24)
    monkeypatch.setattr(bench_trace, "DELIVERIES", 150)
    monkeypatch.setattr(bench_trace, "BY_SERVICE", 3)

    made = bench_trace._build()

    assert made["milk_days"] >= 12
    assert made["batches"] > 0 and made["deliveries"] > 0
    operator, owner = made["operator"], made["owner"]
    milk = made["milk"][len(made["milk"]) // 2]
    token = issue_api_token(owner, operator).clear_token
    response = Client().get(
        f"/api/lots/b{milk.pk}/trace?direction=forward",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    lots, _deliveries = bench_trace._walk(bench_trace._cte_sql(), operator.pk, milk.pk)
    assert {lot["lot"] for lot in response.json()["lots"]} == lots
    assert len(lots) > 1
