"""A control's history rows, written in Python, are the rows its template wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from dairyhaccp.web.records.models import Batch, Deviation, Registration, Room
from dairyhaccp.web.records.presentation import ValueRow

pytestmark = pytest.mark.django_db

# The history's rows as its template wrote them before they were written in Python.
TEMPLATE_ROWS = (Path(__file__).parent / "history_rows_template.html").read_text()
TRICKY = 'Kelder <b>&amp; "1"</b>'


def _rows() -> list[dict[str, Any]]:
    return [
        {
            "registration": Registration(
                pk=3,
                verdict="deviation",
                version=2,
                measured_at=datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
                batch=Batch(pk=4, lot_code=TRICKY),
                room=Room(pk=5, name="Kaaskelder"),
            ),
            "values": [
                ValueRow("Temperatuur", "9,5 °C", False),
                ValueRow(TRICKY, "12 h", True),
            ],
            "reasons": ["te warm", TRICKY],
            "deviation": Deviation(pk=77, status="closed", outcome="released"),
        },
        {
            "registration": Registration(
                pk=12345,
                verdict="conform",
                version=1,
                measured_at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            ),
            "values": [],
            "reasons": [],
            "deviation": None,
        },
        {
            "registration": Registration(
                pk=6,
                verdict="warning",
                version=1,
                measured_at=datetime(1, 1, 1, 0, 0, tzinfo=UTC),
                room=Room(pk=8, name=TRICKY),
            ),
            "values": [ValueRow("pH", "4,6", False)],
            "reasons": [""],
            "deviation": Deviation(pk=78, status="open", outcome=""),
        },
        {
            "registration": Registration(
                pk=9,
                verdict="unknown",
                version=1,
                measured_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC),
            ),
            "values": [],
            "reasons": [],
            "deviation": Deviation(pk=79, status="odd", outcome="odd"),
        },
    ]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_rows_are_the_templates_rows(language: str) -> None:
    context = {"operator": SimpleNamespace(slug="de-wei"), "rows": _rows()}
    with translation.override(language):
        expected = Template(TEMPLATE_ROWS).render(Context(context))
        written = Template("{% load records_format %}\n      {% history_rows rows %}\n").render(
            Context(context)
        )
    assert written == expected
    assert "&lt;b&gt;&amp;amp;" in written
    assert "/de-wei/records/registrations/12345/" in written
