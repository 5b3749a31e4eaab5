"""Formatting of the records pages that a page repeats row after row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from django import template
from django.utils import dateformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from dairyhaccp.web.records.presentation import DutyRow

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
