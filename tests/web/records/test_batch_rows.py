"""The batch list's rows, written in Python, are the rows its template wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from dairyhaccp.web.records.models import Batch

pytestmark = pytest.mark.django_db

TEMPLATE_ROWS = (Path(__file__).parent / "batch_rows_template.html").read_text()
TRICKY = 'K <b>&amp; "1"</b>'


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_rows_are_the_templates_rows(language: str) -> None:
    moment = datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    rows = [
        (Batch(pk=1, lot_code=TRICKY, product=TRICKY, started_at=moment), True),
        (Batch(pk=2, lot_code="G-1", product="gouda", started_at=moment), False),
        (
            Batch(
                pk=12345,
                lot_code="Y-2",
                product="yoghurt",
                started_at=datetime(1, 1, 1, tzinfo=UTC),
                destroyed_at=moment,
            ),
            True,
        ),
    ]
    context = {"operator": SimpleNamespace(slug="de-wei"), "rows": rows}
    with translation.override(language):
        expected = Template(TEMPLATE_ROWS).render(Context(context))
        written = Template("{% load records_format %}\n          {% batch_rows rows %}\n").render(
            Context(context)
        )
    assert written == expected
    assert "&lt;b&gt;&amp;amp;" in written
    assert "/de-wei/records/batches/12345/" in written
