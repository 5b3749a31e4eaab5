"""What the lab pages show, in the reader's language: rows built from the stored verdicts, with
the verdict of the guide in force now beside them where it says otherwise."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from dairyhaccp.guide.models import Criterion, ListeriaBarriers
from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.lab.acceptance import oc_curve
from dairyhaccp.lab.actions import Action
from dairyhaccp.lab.csv_import import CsvProblem
from dairyhaccp.lab.listeria import ListeriaChoice
from dairyhaccp.lab.product_verdict import ProductJudgement
from dairyhaccp.lab.raw_milk_verdict import MonthStatus, RawMilkJudgement
from dairyhaccp.lab.wording import describe_action
from dairyhaccp.web.lab.choices import (
    CRITERION_TYPE_LABELS,
    LISTERIA_REASON_LABELS,
    NOTIFICATION_LABELS,
    UNIT_LABELS,
    VERDICT_LABELS,
    MilkSource,
    Outcome,
    VerdictCause,
)
from dairyhaccp.web.lab.models import StoredVerdict
from dairyhaccp.web.lab.plot import Curve, MeanPoint, TrendPoint, oc_svg, trend_svg
from dairyhaccp.web.lab.selectors import ProductVerdictView, RowVerdict
from dairyhaccp.web.operators.language import guide_language, guide_text
from dairyhaccp.web.parameters import parameter_label
from dairyhaccp.web.plans.labels import SPECIES_LABELS

text = guide_text


def species_label(species: str) -> str:
    return str(SPECIES_LABELS.get(species, species))


def source_label(source: str) -> str:
    return str(MilkSource(source).label) if source in MilkSource.values else source


def verdict_label(verdict: str) -> str:
    return str(VERDICT_LABELS.get(verdict, verdict))


def count(value: float | None) -> str:
    """A count as people write it: 80 000, 1 500 000, 12.5."""
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value:,.0f}".replace(",", "\u202f")
    return f"{value:.3g}"


def result_value(value: float | str) -> str:
    if isinstance(value, str):
        return str(Outcome(value).label) if value in Outcome.values else value
    return count(value)


def actions(codes: tuple[Action, ...]) -> list[str]:
    lang = guide_language()
    return [describe_action(code, lang) for code in codes]


@dataclass(frozen=True)
class MonthRow:
    month: date
    status: str
    status_label: str
    geometric_mean: str
    window_samples: int
    results: int
    run: int
    stop: bool


@dataclass(frozen=True)
class StoredFacts:
    """When, why and with which guide version a shown verdict was judged; `stored` False when
    it was judged just now because none is stored (yet)."""

    stored: bool
    judged_at: datetime | None = None
    guide_version: str = ""
    cause: str = ""
    unreadable: bool = False


def stored_facts(stored: StoredVerdict | None, shown_is_stored: bool) -> StoredFacts:
    if stored is None or not shown_is_stored:
        return StoredFacts(False, unreadable=stored is not None and stored.judgement is not None)
    cause = str(VerdictCause(stored.cause).label) if stored.cause in VerdictCause.values else ""
    return StoredFacts(True, stored.judged_at, stored.guide_version, cause)


@dataclass(frozen=True)
class NowView:
    """The verdict the guide in force now gives, shown beside a stored verdict that differs."""

    verdict: str
    verdict_label: str
    guide_version: str
    details: list[str]
    actions: list[str]


def _raw_milk_now(judgement: RawMilkJudgement) -> NowView:
    details = [
        _("norm {value}").format(value=count(judgement.norm)) if judgement.norm else "",
        _("unfavourable months in a row: {run}").format(
            run=judgement.consecutive_unfavourable_months
        )
        if judgement.basis
        else "",
        _("stop use and delivery") if judgement.stop_use else "",
        _("notify the FAVV: {answer}").format(
            answer=NOTIFICATION_LABELS[judgement.notification.duty.value]
        ),
    ]
    return NowView(
        judgement.verdict.value,
        verdict_label(judgement.verdict.value),
        judgement.guide_version,
        [detail for detail in details if detail],
        actions(judgement.actions),
    )


@dataclass(frozen=True)
class RawMilkView:
    """A row of table 5.1 for one milk source as the verdict page shows it."""

    parameter: str
    parameter_label: str
    norm: str
    frequency: str
    after_withdrawal: bool
    verdict: str
    verdict_label: str
    geometric_mean: str
    geometric_mean_status: str
    run: int
    stop_use: bool
    notify_favv: bool
    on_too_few_samples: bool
    basis: str
    actions: list[str]
    linked_lots: list[str]
    months: list[MonthRow] = field(default_factory=list)
    plot: str = ""
    detected_last_12_months: int = 0
    notification: str = ""
    facts: StoredFacts = field(default_factory=lambda: StoredFacts(False))
    now: NowView | None = None
    now_failed: bool = False
    left_out: list[tuple[date, str]] = field(default_factory=list)


def raw_milk_view(verdict: RowVerdict) -> RawMilkView:
    """The row, the stored verdict (or none yet), the monthly timeline, the trend plot, and the
    verdict of now where it differs."""
    row = verdict.row
    judgement = verdict.judgement
    base: dict[str, Any] = {
        "parameter": row.parameter,
        "parameter_label": parameter_label(row.parameter),
        "norm": text(row.norm),
        "frequency": describe_frequency(row.frequency, guide_language()),
        "after_withdrawal": row.also_after_withdrawal_period,
        "facts": stored_facts(verdict.stored, verdict.is_stored),
        "now": _raw_milk_now(verdict.now) if verdict.now is not None else None,
        "now_failed": verdict.now_failed,
        "left_out": [(r.sampled_on, result_value(r.value)) for r in verdict.left_out],
    }
    if judgement is None:
        return RawMilkView(
            **base,
            verdict="",
            verdict_label=_("no result yet"),
            geometric_mean="",
            geometric_mean_status="",
            run=0,
            stop_use=False,
            notify_favv=False,
            on_too_few_samples=False,
            basis="",
            actions=[],
            linked_lots=[],
        )
    # The norm the verdict was judged against (the plan's text may follow a newer guide).
    base["norm"] = text(judgement.row.norm.text)
    return RawMilkView(
        **base,
        verdict=judgement.verdict.value,
        verdict_label=verdict_label(judgement.verdict.value),
        geometric_mean=count(judgement.geometric_mean) if judgement.basis else "",
        geometric_mean_status=verdict_label(judgement.geometric_mean_status.value)
        if judgement.geometric_mean_status
        else "",
        run=judgement.consecutive_unfavourable_months,
        stop_use=judgement.stop_use,
        notify_favv=judgement.notify_favv,
        on_too_few_samples=judgement.on_too_few_samples,
        basis=judgement.basis.value if judgement.basis else "",
        actions=actions(judgement.actions),
        linked_lots=list(judgement.linked_lots),
        months=_months(judgement),
        plot=_trend(judgement),
        detected_last_12_months=judgement.detected_last_12_months,
        notification=str(NOTIFICATION_LABELS[judgement.notification.duty.value]),
    )


def _months(judgement: RawMilkJudgement) -> list[MonthRow]:
    return [
        MonthRow(
            month=month.month,
            status=month.status.value,
            status_label=verdict_label(month.status.value),
            geometric_mean=count(month.geometric_mean),
            window_samples=month.rolling.sample_count,
            results=month.results,
            run=month.consecutive_unfavourable,
            stop=month.stop_use,
        )
        for month in reversed(judgement.timeline)
    ]


def _trend(judgement: RawMilkJudgement) -> str:
    norm = judgement.norm
    singles = [s for s in judgement.singles if not isinstance(s.value, str)]
    if norm is None or not singles:
        return ""
    points = [TrendPoint(s.day, float(s.value), s.conform) for s in singles]
    means = [
        MeanPoint(
            month.rolling.as_of,
            month.geometric_mean,
            month.rolling.status.value != "insufficient_samples",
        )
        for month in judgement.timeline
        if month.geometric_mean is not None and month.status is not MonthStatus.NO_RESULT
    ]
    label = _("{parameter}: results and rolling geometric means").format(
        parameter=parameter_label(judgement.parameter)
    )
    return trend_svg(
        label,
        points,
        means,
        norm,
        _("norm {value}").format(value=count(norm)),
        _("geometric mean"),
    )


def criterion_text(criterion: Criterion) -> str:
    """n, c, m, M in one line, e.g. 'n = 5, c = 2, m = 100 cfu/g, M = 1000 cfu/g'."""
    unit = str(UNIT_LABELS.get(criterion.unit, criterion.unit))
    parts = [f"n = {criterion.n}", f"c = {criterion.c}"]
    if criterion.m is None:
        parts.append(unit)
    else:
        parts.append(f"m = {count(criterion.m)} {unit}")
        if criterion.M is not None and criterion.m != criterion.M:
            parts.append(f"M = {count(criterion.M)} {unit}")
    return ", ".join(parts)


def listeria_reasons(choice: ListeriaChoice | None) -> list[str]:
    """Why the Listeria criterion applies, with the barrier values it was chosen with."""
    if choice is None:
        return []
    values = _barrier_values(choice.barriers)
    return [
        str(LISTERIA_REASON_LABELS[reason.value]).format(**values)
        if reason.value in LISTERIA_REASON_LABELS
        else reason.value
        for reason in choice.reasons
    ]


def _barrier_values(barriers: ListeriaBarriers) -> dict[str, str]:
    return {
        name: f"{value:g}" for name, value in barriers.model_dump(include=_BARRIER_FIELDS).items()
    }


_BARRIER_FIELDS = {
    "ph_max",
    "aw_max",
    "ph_max_with_aw",
    "aw_max_with_ph",
    "short_shelf_life_days",
    "limit_cfu_per_g",
}


@dataclass(frozen=True)
class ProductView:
    """A finished product's verdict as its page shows it."""

    verdict: str
    verdict_label: str
    criterion_id: str
    criterion: str
    type_label: str
    stage: str
    source: str
    discrepancy: str
    family: str
    overridden: bool
    listeria_reasons: list[str]
    findings: list[str]
    actions: list[str]
    notify_favv: bool
    enterotoxin_test_due: bool
    fewer_than_n: bool
    facts: StoredFacts = field(default_factory=lambda: StoredFacts(False))
    now: NowView | None = None


def _product_now(judgement: ProductJudgement) -> NowView:
    details = [
        criterion_text(judgement.criterion),
        str(CRITERION_TYPE_LABELS[judgement.criterion.type]),
        *listeria_reasons(judgement.listeria),
        _("notify the FAVV: {answer}").format(
            answer=_("yes") if judgement.notify_favv else _("no")
        ),
    ]
    return NowView(
        judgement.verdict.value,
        verdict_label(judgement.verdict.value),
        judgement.guide_version,
        details,
        actions(judgement.actions),
    )


def product_verdict_view(verdict: ProductVerdictView) -> ProductView | None:
    """The stored verdict of a product's result as its page shows it (None when there is no
    verdict to show: none stored and the guide in force cannot judge it)."""
    if verdict.judgement is None:
        return None
    now = _product_now(verdict.now) if verdict.now is not None else None
    return replace(
        product_view(verdict.judgement),
        facts=stored_facts(verdict.stored, verdict.is_stored),
        now=now,
    )


def product_view(judgement: ProductJudgement) -> ProductView:
    criterion = judgement.criterion
    listeria = judgement.listeria
    findings = []
    for finding in judgement.sampling.findings:
        if finding.code.value in ("above_m", "above_M", "detected"):
            positions = ", ".join(str(p) for p in finding.positions)
            findings.append(
                {
                    "above_m": _("above m in sub-samples {positions}"),
                    "above_M": _("above M in sub-samples {positions}"),
                    "detected": _("detected in sub-samples {positions}"),
                }[finding.code.value].format(positions=positions)
            )
    return ProductView(
        verdict=judgement.verdict.value,
        verdict_label=verdict_label(judgement.verdict.value),
        criterion_id=criterion.id,
        criterion=criterion_text(criterion),
        type_label=str(CRITERION_TYPE_LABELS[criterion.type]),
        stage=text(criterion.stage),
        source=str(criterion.source),
        discrepancy=text(criterion.discrepancy),
        family=text(judgement.family.title),
        overridden=judgement.overridden,
        listeria_reasons=listeria_reasons(listeria),
        findings=findings,
        actions=actions(judgement.actions),
        notify_favv=judgement.notify_favv,
        enterotoxin_test_due=judgement.enterotoxin_test_due,
        fewer_than_n=judgement.sampling.results_count < criterion.n,
    )


@dataclass(frozen=True)
class OcView:
    plot: str
    rows: list[tuple[str, list[str]]]
    headers: list[str]


def oc_view(
    n: int, c: int, m: float, upper: float | None, sigma: float, compare_n: int | None
) -> OcView:
    """The OC curves of the plan and of another n, with a table of selected points."""
    low = math.floor(math.log10(m)) - 1.0
    high = math.ceil(math.log10(max(m, upper or m))) + 1.0
    plans = [(n, c)]
    if compare_n is not None and compare_n != n:
        plans.append((compare_n, min(c, compare_n)))
    curves = [
        Curve(
            _("n = {n}, c = {c}").format(n=plan_n, c=plan_c),
            oc_curve(plan_n, plan_c, m, upper, sigma, low, high, 0.05),
        )
        for plan_n, plan_c in plans
    ]
    marks = [(math.log10(m), "m")]
    if upper is not None and upper != m:
        marks.append((math.log10(upper), "M"))
    plot = oc_svg(
        _("Probability that the plan accepts a lot"),
        curves,
        marks,
        _("mean count in the lot (cfu/g, log scale)"),
    )
    table_mus = [low + step * 0.5 for step in range(int((high - low) / 0.5) + 1)]
    rows = []
    for mu in table_mus:
        cells = []
        for curve in curves:
            nearest = min(curve.points, key=lambda point: abs(point[0] - mu))
            cells.append(f"{nearest[1]:.1%}")
        rows.append((count(10**mu), cells))
    return OcView(plot, rows, [curve.label for curve in curves])


def csv_problem_text(problem: CsvProblem) -> str:
    """A CSV import problem in the reader's language, naming the line and column."""
    fields = {
        "line": problem.line,
        "column": problem.column,
        "value": problem.value,
        "other": problem.other,
        "known": problem.known,
        "count": problem.count,
        "limit": problem.limit,
    }
    templates = {
        "file_empty": _("The file is empty; its first line names the columns."),
        "too_many_lines": _("The file has {count} lines; at most {limit}."),
        "no_results": _("The file has no results below the column names."),
        "unreadable": _("Line {line} cannot be read as CSV."),
        "unnamed_column": _("Column {count} has no name."),
        "unknown_column": _("Column “{column}” is unknown. Known columns: {known}."),
        "duplicate_column": _("Column “{column}” is the same as column “{other}”."),
        "missing_date": _("The column with the sampling date is missing."),
        "mixed_forms": _(
            "Column “{column}”: a file has either parameter and value columns, or one column "
            "per parameter, not both."
        ),
        "missing_beside": _("Column “{column}” is missing beside column “{other}”."),
        "missing_parameter": _(
            "The parameter columns are missing: give parameter and value, or one column per "
            "parameter."
        ),
        "extra_cells": _("Line {line} has more cells than the {limit} columns of the first line."),
        "no_result_in_row": _("Line {line} has no result in any parameter column."),
    }
    cell_templates = {
        "unknown_unit": _("unknown unit “{value}”"),
        "not_a_parameter": _("“{value}” is not a parameter. Known: {known}"),
        "empty_value": _("empty"),
        "not_analysed": _("your plan does not analyse this milk for {value} (table 5.1)"),
        "not_a_date": _("“{value}” is not a date like 2026-01-05 or 05/01/2026"),
        "date_before_2000": _("“{value}” lies before 1 January 2000"),
        "date_in_future": _("“{value}” lies in the future"),
        "ambiguous_number": _(
            "“{value}” is ambiguous (thousands or decimals?); write it without a point or comma "
            "between thousands, e.g. 80000"
        ),
        "lower_bound": _("“{value}” is a lower bound; give the counted number"),
        "not_a_number": _("“{value}” is not a number"),
        "not_positive": _("“{value}” is not a number above 0"),
        "not_a_word": _("“{value}” is not one of: {known}"),
    }
    if problem.code == "unknown_unit" and problem.line is None:
        return _("Column “{column}” has an unknown unit “{value}”.").format(**fields)
    if problem.code in cell_templates and problem.line is not None:
        where = _("Line {line}, column “{column}”").format(**fields)
        return f"{where}: {cell_templates[problem.code].format(**fields)}"
    template = templates.get(problem.code)
    return template.format(**fields) if template is not None else problem.text
