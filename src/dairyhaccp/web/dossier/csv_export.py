"""The dossier's ZIP of CSV files, one per section, beside the PDF.

Machine-readable: English column names (a stable contract, listed in `COLUMNS`), UTF-8 with
a byte order mark (spreadsheets then read the accents), ISO dates, moments in Brussels time
with their offset, numbers with a decimal point, yes/no in English. Texts (titles, verdicts,
findings) are in the dossier's language. A cell a spreadsheet would run as a formula is
prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from dairyhaccp.web.dossier.cells import cell
from dairyhaccp.web.dossier.sections import Dossier
from dairyhaccp.web.dossier.sections.registrations import RegistrationLine, parameters

COLUMNS: dict[str, tuple[str, ...]] = {
    "dossier.csv": ("field", "value"),
    "plan_versions.csv": (
        "version",
        "made_at",
        "made_by",
        "change",
        "reason",
        "in_force_from",
        "in_force_to",
        "registration",
        "guide_version",
    ),
    "adaptations.csv": ("version", "kind", "target", "justification"),
    "checks.csv": (
        "control",
        "title",
        "frequency",
        "due",
        "done",
        "missed",
        "registrations",
        "warnings",
        "deviations",
    ),
    "deviations.csv": (
        "deviation",
        "measured_at",
        "opened_at",
        "opened_by",
        "control",
        "title",
        "where",
        "measured",
        "found",
        "lots",
        "actions",
        "outcome",
        "justification",
        "notification_required",
        "notified_on",
        "status",
        "closed_at",
        "closed_by",
    ),
    "deviation_events.csv": ("deviation", "at", "by", "what", "details"),
    "raw_milk_results.csv": (
        "sampled_on",
        "milk",
        "parameter",
        "value",
        "laboratory",
        "sample",
        "verdict",
    ),
    "raw_milk_verdicts.csv": (
        "judged_at",
        "milk",
        "parameter",
        "verdict",
        "unfavourable_months",
        "stop_use",
        "notify_favv",
        "guide_version",
        "judged_because",
    ),
    "product_results.csv": (
        "sampled_on",
        "product",
        "lot",
        "parameter",
        "results",
        "verdict",
        "criterion",
        "notify_favv",
        "judged_at",
        "guide_version",
    ),
    "recalls.csv": (
        "recall",
        "opened_at",
        "opened_by",
        "opened_because",
        "hazard",
        "origin",
        "measures",
        "lots",
        "notify_favv",
        "notified_on",
        "customers_informed",
        "closed_at",
        "closed_by",
    ),
    "mock_recalls.csv": (
        "ran_at",
        "ran_by",
        "lot",
        "seconds",
        "accounted_pct",
        "lots_reached",
        "deliveries",
        "customers",
    ),
    "notifications.csv": ("date", "subject", "required", "notified_on"),
}
REGISTRATION_COLUMNS = (
    "registration",
    "version",
    "measured_at",
    "control",
    "title",
    "room",
    "lot",
    "product",
    "storage_category",
    "delivery",
    "@parameters",  # one column per measured quantity, named by its id (temperature_c, ...)
    "verdict",
    "findings",
    "remark",
    "correction_reason",
    "plan_version",
    "guide_version",
    "registered_by",
    "registered_at",
)


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _summary(dossier: Dossier) -> list[tuple[str, object]]:
    cover, evidence, retention = dossier.cover, dossier.evidence, dossier.retention
    rows: list[tuple[str, object]] = [
        ("business", cover.business),
        ("address", cover.address),
        ("favv_unit_number", cover.favv_number),
        ("first_day", cover.period.first),
        ("last_day", cover.period.last),
        ("made_at", cover.made_at),
        ("made_by", cover.made_by),
        *((name, value) for name, value in dossier.totals.items()),
        ("chain_records", evidence.links),
        ("chain_head", evidence.head_hash),
        ("chain_intact", evidence.intact),
        ("chain_problem", evidence.problem),
        ("chain_checked_at", evidence.checked_at),
    ]
    if retention is not None:
        rows += [
            ("relaxations", retention.relaxations),
            ("retention_months_after_date", retention.months_after_date),
            ("retention_default_months", retention.default_months),
            ("retention_rule", retention.text),
            ("retention_source", retention.source),
        ]
    return rows


def _registrations(lines: Iterable[RegistrationLine]) -> bytes:
    names = parameters()
    at = REGISTRATION_COLUMNS.index("@parameters")
    header = [*REGISTRATION_COLUMNS[:at], *names, *REGISTRATION_COLUMNS[at + 1 :]]
    rows = (
        [
            line.chain,
            line.version,
            line.measured_at,
            line.control,
            line.title,
            line.room,
            line.lot,
            line.product,
            line.category,
            line.delivery,
            *(line.values.get(name) for name in names),
            line.verdict,
            line.findings,
            line.remark,
            line.correction_reason,
            line.plan_version,
            line.guide_version,
            line.registered_by,
            line.registered_at,
        ]
        for line in lines
    )
    return _csv(header, rows)


def _files(dossier: Dossier) -> dict[str, list[list[Any]]]:
    files: dict[str, list[list[Any]]] = {
        "dossier.csv": [list(row) for row in _summary(dossier)],
        "plan_versions.csv": [
            [
                v.number,
                v.made_at,
                v.made_by,
                v.change,
                v.reason,
                v.first_day,
                v.last_day,
                v.registration,
                v.guide_version,
            ]
            for v in dossier.versions
        ],
        "adaptations.csv": [
            [a.version, a.kind, a.target, a.justification] for a in dossier.adaptations
        ],
        "checks.csv": [
            [
                c.control,
                c.title,
                c.frequency,
                c.due,
                c.done,
                c.missed,
                c.registrations,
                c.warnings,
                c.deviations,
            ]
            for c in dossier.controls
        ],
        "deviations.csv": [
            [
                d.number,
                d.measured_at,
                d.opened_at,
                d.opened_by,
                d.control,
                d.title,
                d.where,
                d.measured,
                d.found,
                d.lots,
                d.actions,
                d.outcome,
                d.justification,
                d.notification_required,
                d.notified_on,
                d.status,
                d.closed_at,
                d.closed_by,
            ]
            for d in dossier.deviations
        ],
        "deviation_events.csv": [
            [e.deviation, e.at, e.by, e.what, e.details] for e in dossier.events
        ],
        "raw_milk_results.csv": [
            [
                r.sampled_on,
                r.milk,
                r.parameter,
                r.count if r.count is not None else r.value,
                r.laboratory,
                r.sample,
                r.verdict,
            ]
            for r in dossier.raw_milk_results
        ],
        "raw_milk_verdicts.csv": [
            [
                v.judged_at,
                v.milk,
                v.parameter,
                v.verdict,
                v.unfavourable_months,
                v.stop_use,
                v.notify_favv,
                v.guide_version,
                v.cause,
            ]
            for v in dossier.raw_milk_verdicts
        ],
        "product_results.csv": [
            [
                p.sampled_on,
                p.product,
                p.lot,
                p.parameter,
                p.raw_results,
                p.verdict,
                p.criterion,
                p.notify_favv,
                p.judged_at,
                p.guide_version,
            ]
            for p in dossier.product_results
        ],
        "notifications.csv": [
            [n.day, n.subject, n.required, n.notified_on] for n in dossier.notifications
        ],
    }
    if dossier.recalls is not None:
        files["recalls.csv"] = [
            [
                r.number,
                r.opened_at,
                r.opened_by,
                r.trigger,
                r.hazard,
                r.origin,
                r.measures,
                r.lots,
                r.notify_favv,
                r.notified_on,
                r.customers_informed,
                r.closed_at,
                r.closed_by,
            ]
            for r in dossier.recalls
        ]
    if dossier.mock_recalls is not None:
        files["mock_recalls.csv"] = [
            [
                m.ran_at,
                m.ran_by,
                m.lot,
                m.seconds,
                m.accounted_pct,
                m.lots_reached,
                m.deliveries,
                m.customers,
            ]
            for m in dossier.mock_recalls
        ]
    return files


def dossier_zip(dossier: Dossier, registrations: Iterable[RegistrationLine]) -> bytes:
    """The ZIP of the dossier's CSV files; `registrations` become registrations.csv."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _files(dossier).items():
            archive.writestr(name, _csv(COLUMNS[name], rows))
        archive.writestr("registrations.csv", _registrations(registrations))
    return buffer.getvalue()
