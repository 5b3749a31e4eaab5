"""The deviation list's rows, written in Python, are the rows its template wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from dairyhaccp.web.records.lists import DeviationRow
from dairyhaccp.web.records.models import Deviation

pytestmark = pytest.mark.django_db

# The list's rows as its template wrote them before they were written in Python.
TEMPLATE_ROWS = (Path(__file__).parent / "deviation_rows_template.html").read_text()


def _rows() -> list[DeviationRow]:
    tricky = 'Kelder <b>&amp; "1"</b>'
    return [
        DeviationRow(
            deviation=Deviation(
                pk=7, status="open", opened_at=datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)
            ),
            title=tricky,
            findings=["te warm: 9,5 °C", tricky],
            lots=["K-001", tricky],
            actions=[],
            outcome="",
            justification="",
            closed_by="",
            closed_at=None,
            notification_required=True,
            notified_on=None,
        ),
        DeviationRow(
            deviation=Deviation(
                pk=12345, status="closed", opened_at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
            ),
            title="CCP 3",
            findings=[],
            lots=[],
            actions=["Product vernietigd", tricky],
            outcome="Vrijgegeven",
            justification=tricky,
            closed_by="Boer <Jan>",
            closed_at=datetime(2026, 10, 26, 23, 15, tzinfo=UTC),
            notification_required=True,
            notified_on=date(2026, 10, 27),
        ),
        DeviationRow(
            deviation=Deviation(
                pk=8, status="other", opened_at=datetime(1, 1, 1, 12, 0, tzinfo=UTC)
            ),
            title="",
            findings=[""],
            lots=[],
            actions=["één"],
            outcome="",
            justification="",
            closed_by="",
            closed_at=None,
            notification_required=False,
            notified_on=None,
        ),
    ]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_rows_are_the_templates_rows(language: str) -> None:
    context = {"operator": SimpleNamespace(slug="de-wei"), "rows": _rows()}
    with translation.override(language):
        expected = Template(TEMPLATE_ROWS).render(Context(context))
        written = Template(
            "{% load records_format %}\n          {% deviation_rows rows %}\n"
        ).render(Context(context))
    assert written == expected
    assert "&lt;b&gt;&amp;amp;" in written
    assert "/de-wei/records/deviations/12345/" in written
