"""Formatting of the records pages that a page repeats row after row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import template
from django.utils import dateformat
from django.utils.html import conditional_escape as esc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from dairyhaccp.web.date_filter import local_date_writer
from dairyhaccp.web.records.choices import DeviationStatus, Outcome
from dairyhaccp.web.records.lists import DeviationRow
from dairyhaccp.web.records.models import Batch, Deviation, Registration
from dairyhaccp.web.records.presentation import DutyRow, ValueRow
from dairyhaccp.web.url_tag import remembered_reverse

register = template.Library()


@register.filter(expects_localtime=True)
def short_moment(value: datetime | None) -> str:
    """`value|date:"D j M H:i"` (the deadline of a duty), worded once per moment and language:
    an agenda repeats the same few deadlines."""
    if value is None:
        return ""
    return _short_moment(value.replace(tzinfo=None), get_language())


@lru_cache(maxsize=4096)
def _short_moment(wall_clock: datetime, language: str | None) -> str:
    # Only the local wall-clock time and the language (day and month names) are shown.
    return dateformat.format(wall_clock, "D j M H:i")


@register.simple_tag(takes_context=True)
def duty_list(context: template.Context, duties: Iterable[DutyRow]) -> SafeString:
    """A list of duties: each a link to its form for those who may register, else plain.

    Written here rather than in a template: the today page shows up to a hundred, and a
    template costs a tenth of a millisecond each."""
    can_write = bool(context.get("can_write"))
    items = [_duty_item(duty, can_write) for duty in duties]
    return mark_safe('<ul class="duties">\n' + "\n".join(items) + "\n</ul>")


def _duty_item(duty: DutyRow, can_write: bool) -> str:
    status = escape(duty.status)
    opening = (
        f'<a class="duty duty-{status}" href="{escape(duty.url)}">'
        if can_write
        else f'<div class="duty duty-{status}">'
    )
    meta = f'<span class="duty-status">{escape(duty.status_label)}</span>'
    if duty.deadline and duty.status != "done":
        deadline = escape(short_moment(localtime(duty.deadline)))
        meta += " · " + gettext("before %(deadline)s") % {"deadline": deadline}
    parts = [
        opening,
        f'<span class="duty-title">{escape(duty.control)} · {escape(duty.target)}</span>',
        f"<span>{escape(duty.title)}</span>",
        f'<span class="duty-meta">{meta}</span>',
        "</a>" if can_write else "</div>",
    ]
    return "<li>\n" + "\n".join(parts) + "\n</li>"


@register.simple_tag(takes_context=True)
def deviation_rows(context: template.Context, rows: Iterable[DeviationRow]) -> SafeString:
    """The rows of the deviation list, as `<tr>`s.

    Written here rather than in a template: a page shows fifty, and the template took two thirds
    of the page's time. Every value is escaped as the template escaped it; the translations of
    the template's literals (`{% translate "Lots" %}`) are not, as the template left them."""
    texts = _DeviationTexts(
        slug=context["operator"].slug,
        statuses={value: str(label) for value, label in DeviationStatus.choices},
        lots=gettext("Lots"),
        to_notify=gettext("to notify"),
        local=local_date_writer("DATETIME_FORMAT"),
        day=local_date_writer("DATE_FORMAT"),
    )
    return mark_safe("".join(_deviation_row(context, row, texts) for row in rows))


@dataclass(frozen=True)
class _DeviationTexts:
    """What every row of a list words alike, worded once per list."""

    slug: str
    statuses: dict[str, str]
    lots: str
    to_notify: str
    local: Callable[[datetime], str]
    day: Callable[[date], str]


def _lines(texts: Iterable[str], empty: str = "") -> str:
    return "<br>".join(esc(text) for text in texts) or empty


def _deviation_row(context: template.Context, row: DeviationRow, texts: _DeviationTexts) -> str:
    deviation = row.deviation
    opened = esc(texts.local(deviation.opened_at))
    url = remembered_reverse(
        context, "records:deviation", {"operator_slug": texts.slug, "deviation_id": deviation.pk}
    )
    lots = ""
    if row.lots:
        lots = f'<br><span class="help">{texts.lots}: {_joined(row.lots)}</span>'
    justification = ""
    if row.justification:
        justification = f'<br><span class="help">{esc(row.justification)}</span>'
    closed = "–"
    if row.closed_at:
        closed = f"{esc(row.closed_by)}<br>{esc(texts.local(row.closed_at))}"
    notified: str
    if row.notified_on:
        notified = esc(texts.day(row.notified_on))
    elif row.notification_required:
        notified = texts.to_notify
    else:
        notified = "–"
    status = deviation.status
    return (
        "\n            <tr>\n"
        f'              <td><a href="{esc(url)}">{opened}</a>\n'
        f'                <br><span class="badge badge-{esc(status)}">'
        f"{esc(texts.statuses.get(status, status))}</span></td>\n"
        f"              <td>{esc(row.title)}{lots}</td>\n"
        f"              <td>{_lines(row.findings)}</td>\n"
        f"              <td>{_lines(row.actions, '–')}</td>\n"
        f"              <td>{esc(row.outcome or '–')}{justification}</td>\n"
        f"              <td>{closed}</td>\n"
        f"              <td>{notified}</td>\n"
        "            </tr>\n          "
    )


def _joined(texts: Iterable[str]) -> str:
    return ", ".join(esc(text) for text in texts)


@register.simple_tag(takes_context=True)
def history_rows(context: template.Context, rows: Iterable[dict[str, Any]]) -> SafeString:
    """The rows of a control's history (its registrations with their verdicts, deviations,
    values and reasons), as `<li>`s; written here for the reason of `deviation_rows`."""
    texts = _HistoryTexts(
        slug=context["operator"].slug,
        statuses={value: str(label) for value, label in DeviationStatus.choices},
        outcomes={value: str(label) for value, label in Outcome.choices},
        verdicts={
            "conform": gettext("Conform"),
            "warning": gettext("Warning"),
            "deviation": gettext("Deviation"),
        },
        corrected=gettext("corrected"),
        from_history=gettext("from the stored history"),
        local=local_date_writer("DATETIME_FORMAT"),
    )
    return mark_safe("".join(_history_row(context, row, texts) for row in rows))


@dataclass(frozen=True)
class _HistoryTexts:
    slug: str
    statuses: dict[str, str]
    outcomes: dict[str, str]
    verdicts: dict[str, str]
    corrected: str
    from_history: str
    local: Callable[[datetime], str]


def _history_row(context: template.Context, row: dict[str, Any], texts: _HistoryTexts) -> str:
    registration: Registration = row["registration"]
    url = remembered_reverse(
        context,
        "records:registration",
        {"operator_slug": texts.slug, "registration_id": registration.pk},
    )
    where = ""
    if registration.batch:
        where += f"· {esc(registration.batch.lot_code)}"
    if registration.room:
        where += f"· {esc(registration.room.name)}"
    corrected = f"· {texts.corrected}" if registration.version > 1 else ""
    verdict = registration.verdict
    badge = (
        f'<span class="badge badge-{esc(verdict)}">'
        f"{texts.verdicts.get(verdict, texts.verdicts['deviation'])}</span>\n"
    )
    return (
        '\n        <li class="history-row">\n'
        '          <p class="history-head">\n'
        f'            <a href="{esc(url)}">'
        f"{esc(texts.local(registration.measured_at))}</a>\n"
        f"            {where}\n"
        f"            {corrected}\n"
        "          </p>\n"
        f"          <p>{badge}\n"
        f"            {_deviation_badge(context, row['deviation'], texts)}</p>\n"
        f"          {_values(row['values'], texts)}\n"
        f"          {_reasons(row['reasons'])}\n"
        "        </li>\n      "
    )


def _deviation_badge(
    context: template.Context, deviation: Deviation | None, texts: _HistoryTexts
) -> str:
    if not deviation:
        return ""
    url = remembered_reverse(
        context, "records:deviation", {"operator_slug": texts.slug, "deviation_id": deviation.pk}
    )
    status = deviation.status
    label = texts.statuses.get(status, status).lower()
    outcome = ""
    if deviation.outcome:
        outcome = " " + esc(texts.outcomes.get(deviation.outcome, deviation.outcome))
    return (
        f'<a href="{esc(url)}"><span class="badge badge-{esc(status)}">'
        f"{texts.verdicts['deviation']}: {esc(label)}</span></a>"
        f"{outcome}"
    )


def _values(values: Iterable[ValueRow], texts: _HistoryTexts) -> str:
    items = "".join(
        f"\n    <dt>{esc(row.label)}</dt>\n"
        f"    <dd>{esc(row.value)}"
        + (f' <span class="from-history">({texts.from_history})</span>' if row.derived else "")
        + "</dd>\n  "
        for row in values
    )
    return f'<dl class="values">\n  {items}\n</dl>\n'


def _reasons(reasons: list[str]) -> str:
    if not reasons:
        return ""
    items = "".join(f"<li>{esc(reason)}</li>" for reason in reasons)
    return f'<ul class="help">{items}</ul>'


@register.simple_tag(takes_context=True)
def batch_rows(context: template.Context, rows: Iterable[tuple[Batch, bool]]) -> SafeString:
    """The rows of the batch list (a batch and whether it is blocked), as `<tr>`s; written
    here for the reason of `deviation_rows`."""
    slug = context["operator"].slug
    local = local_date_writer("DATETIME_FORMAT")
    destroyed = gettext("destroyed")
    blocked_badge = f'<span class="lot-blocked">{gettext("blocked")}</span>'
    found = []
    for batch, blocked in rows:
        url = remembered_reverse(
            context, "records:batch", {"operator_slug": slug, "batch_id": batch.pk}
        )
        status = destroyed if batch.destroyed_at else (blocked_badge if blocked else "")
        found.append(
            "\n            <tr>\n"
            f'              <td><a href="{esc(url)}">{esc(batch.lot_code)}</a></td>\n'
            f"              <td>{esc(batch.product)}</td>\n"
            f"              <td>{esc(local(batch.started_at))}</td>\n"
            f"              <td>{status}</td>\n"
            "            </tr>\n          "
        )
    return mark_safe("".join(found))
