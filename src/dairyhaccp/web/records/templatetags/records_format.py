"""Formatting of the records pages that a page repeats row after row."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django import template
from django.utils import dateformat
from django.utils.translation import get_language

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
