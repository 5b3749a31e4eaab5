"""Formatting of the records pages that a page repeats row after row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache

from django import template
from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone, is_aware, localtime
from django.utils.translation import get_language, gettext

from dairyhaccp.web.date_filter import date_writer
from dairyhaccp.web.records.choices import DeviationStatus
from dairyhaccp.web.records.lists import DeviationRow
from dairyhaccp.web.records.presentation import DutyRow
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

    Written here rather than in a template: a page shows fifty, and the template took two
    thirds of the page's time."""
    texts = _DeviationTexts(
        slug=context["operator"].slug,
        statuses={value: str(label) for value, label in DeviationStatus.choices},
        lots=gettext("Lots"),
        to_notify=gettext("to notify"),
        zone=get_current_timezone(),
        moment=date_writer("DATETIME_FORMAT", datetime),
        day=date_writer("DATE_FORMAT", date),
    )
    return mark_safe("".join(_deviation_row(context, row, texts) for row in rows))


@dataclass(frozen=True)
class _DeviationTexts:
    """What every row of a list words alike, worded once per list."""

    slug: str
    statuses: dict[str, str]
    lots: str
    to_notify: str
    zone: tzinfo
    moment: Callable[[datetime], str]
    day: Callable[[date], str]

    def local(self, value: datetime) -> str:
        return self.moment(value.astimezone(self.zone) if is_aware(value) else value)


def _lines(texts: Iterable[str], empty: str = "") -> str:
    return "<br>".join(escape(text) for text in texts) or empty


def _deviation_row(context: template.Context, row: DeviationRow, texts: _DeviationTexts) -> str:
    deviation = row.deviation
    opened = escape(texts.local(deviation.opened_at))
    url = remembered_reverse(
        context, "records:deviation", {"operator_slug": texts.slug, "deviation_id": deviation.pk}
    )
    lots = ""
    if row.lots:
        lots = f'<br><span class="help">{escape(texts.lots)}: {_joined(row.lots)}</span>'
    justification = ""
    if row.justification:
        justification = f'<br><span class="help">{escape(row.justification)}</span>'
    closed = "–"
    if row.closed_at:
        closed = f"{escape(row.closed_by)}<br>{escape(texts.local(row.closed_at))}"
    notified: str
    if row.notified_on:
        notified = escape(texts.day(row.notified_on))
    elif row.notification_required:
        notified = escape(texts.to_notify)
    else:
        notified = "–"
    status = deviation.status
    return (
        "\n            <tr>\n"
        f'              <td><a href="{escape(url)}">{opened}</a>\n'
        f'                <br><span class="badge badge-{escape(status)}">'
        f"{escape(texts.statuses.get(status, status))}</span></td>\n"
        f"              <td>{escape(row.title)}{lots}</td>\n"
        f"              <td>{_lines(row.findings)}</td>\n"
        f"              <td>{_lines(row.actions, '–')}</td>\n"
        f"              <td>{escape(row.outcome or '–')}{justification}</td>\n"
        f"              <td>{closed}</td>\n"
        f"              <td>{notified}</td>\n"
        "            </tr>\n          "
    )


def _joined(texts: Iterable[str]) -> str:
    return ", ".join(escape(text) for text in texts)
