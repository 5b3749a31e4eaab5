"""The lots page's stock rows and latest movements, written in Python, are what their
templates wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace as Row
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
TRICKY = 'K <b>&amp; "1"</b>'


def _stock() -> list[Any]:
    return [
        Row(
            info=Row(key="b12", code=TRICKY, product="gouda", day=date(2026, 3, 29), unit="kg"),
            left=Decimal("12.5"),
            blocked=True,
        ),
        Row(
            info=Row(key="i7", code="M-2603", product=TRICKY, day=None, unit="l"),
            left=None,
            blocked=False,
        ),
        Row(
            info=Row(
                key="b9",
                code="Y-1",
                product="yoghurt",
                day=datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
                unit="pieces",
            ),
            left=Decimal("0"),
            blocked=False,
        ),
    ]


def _movements() -> list[Any]:
    return [
        Row(
            moved_on=date(2026, 3, 29),
            kind="sale",
            batch_id=12,
            input_lot_id=None,
            batch=Row(lot_code=TRICKY),
            input_lot=None,
            quantity=Decimal("3.25"),
            unit="kg",
            customer=Row(name=TRICKY),
            withdrawn=True,
        ),
        Row(
            moved_on=date(1, 1, 1),
            kind="loss",
            batch_id=None,
            input_lot_id=7,
            batch=None,
            input_lot=Row(lot_code="rennet 5"),
            quantity=None,
            unit="l",
            customer=None,
            withdrawn=False,
        ),
    ]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize(
    ("reference", "tag", "name", "rows"),
    [
        ("stock_rows_template.html", "\n  {% stock_rows rows %}\n", "rows", _stock),
        (
            "movement_items_template.html",
            "\n        {% movement_items movements %}\n",
            "movements",
            _movements,
        ),
    ],
)
def test_the_rows_are_the_templates_rows(
    language: str, reference: str, tag: str, name: str, rows: Any
) -> None:
    context = {"operator": Row(slug="de-wei"), name: rows()}
    with translation.override(language):
        expected = Template((HERE / reference).read_text()).render(Context(context))
        written = Template("{% load lots_format %}" + tag).render(Context(context))
    assert written == expected
    assert "&lt;b&gt;&amp;amp;" in written
    assert "/de-wei/lots/" in written
