"""Making the audit dossier: the PDF and the ZIP of CSV files of one period, in one language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import translation

from dairyhaccp.web.dossier.choices import JobStep
from dairyhaccp.web.dossier.csv_export import dossier_zip
from dairyhaccp.web.dossier.pdf import dossier_html, layout, write
from dairyhaccp.web.dossier.period import Period
from dairyhaccp.web.dossier.sections import Dossier, build_dossier
from dairyhaccp.web.dossier.sections.registrations import registration_lines
from dairyhaccp.web.operators.models import Operator


@dataclass(frozen=True)
class DossierFiles:
    """The dossier as made: its sections, the PDF and the ZIP of CSV files."""

    dossier: Dossier
    pdf: bytes
    csv_zip: bytes


def make_dossier(
    operator: Operator,
    period: Period,
    made_by: str,
    language: str,
    progress: Callable[[JobStep], None] = lambda step: None,
    now: datetime | None = None,
) -> DossierFiles:
    """The dossier of `operator` over `period` in `language`, reporting each step."""
    with translation.override(language):
        dossier = build_dossier(operator, period, made_by, progress, now)
        progress(JobStep.LAYOUT)
        html = dossier_html(dossier)
        document = layout(html)
        progress(JobStep.WRITING)
        pdf = write(document)
        csv_zip = dossier_zip(dossier, registration_lines(operator, period, dossier.plans))
    return DossierFiles(dossier, pdf, csv_zip)
