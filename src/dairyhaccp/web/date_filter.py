"""The `|date` filter of every template (a built-in of the template engine): Django's, with each
format worked out once per process and language.

Django's filter parses the format again for every value and looks up a translated month or
weekday name (each a lazy text) and the active language several times over: 8 to 15 µs for a
value, where a list shows one or two per row. Here a format becomes, once per language, a list of
the pieces that make its text; a date then costs a few string operations. Only the format letters
below are written here, each as Django writes it; a format with any other letter, or a value
that is not a plain date or date and time, goes to Django's own filter.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import timezone
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext

register = template.Library()

Piece = Callable[[Any], str]


def _names() -> dict[str, tuple[str, ...]]:
    """The month and weekday names, and the words of the clock, in the active language."""
    return {
        "F": ("", *(str(MONTHS[month]) for month in range(1, 13))),
        "M": ("", *(str(MONTHS_3[month]).title() for month in range(1, 13))),
        "N": ("", *(str(MONTHS_AP[month]) for month in range(1, 13))),
        "l": tuple(str(WEEKDAYS[day]) for day in range(7)),
        "D": tuple(str(WEEKDAYS_ABBR[day]) for day in range(7)),
        "a": (gettext("a.m."), gettext("p.m.")),
        "P": (gettext("midnight"), gettext("noon")),
    }


@lru_cache(maxsize=16)
def _pieces(lang: str | None) -> dict[str, Piece]:
    """What each format letter writes, in the active language `lang` (kept per language)."""
    names = _names()
    months, months_3, months_ap = names["F"], names["M"], names["N"]
    weekdays, weekdays_abbr = names["l"], names["D"]
    am_pm, (midnight, noon) = names["a"], names["P"]

    def twelve_hour_clock(value: Any) -> str:
        hour, minute = value.hour, value.minute
        if minute == 0 and hour in (0, 12):
            return midnight if hour == 0 else noon
        clock = f"{hour % 12 or 12}:{minute:02d}" if minute else str(hour % 12 or 12)
        return f"{clock} {am_pm[hour > 11]}"

    return {
        "d": lambda value: f"{value.day:02d}",
        "j": lambda value: str(value.day),
        "m": lambda value: f"{value.month:02d}",
        "n": lambda value: str(value.month),
        "y": lambda value: f"{value.year % 100:02d}",
        "Y": lambda value: f"{value.year:04d}",
        "F": lambda value: months[value.month],
        "M": lambda value: months_3[value.month],
        "N": lambda value: months_ap[value.month],
        "l": lambda value: weekdays[value.weekday()],
        "D": lambda value: weekdays_abbr[value.weekday()],
        "G": lambda value: str(value.hour),
        "H": lambda value: f"{value.hour:02d}",
        "i": lambda value: f"{value.minute:02d}",
        "s": lambda value: f"{value.second:02d}",
        "P": twelve_hour_clock,
    }


_TIME_LETTERS = frozenset("GHisP")


@lru_cache(maxsize=256)
def _writer(pattern: str, lang: str | None, with_time: bool) -> Callable[[Any], str] | None:
    """The text of a value in `pattern` in the active language `lang`, made from pieces; None
    when a letter of the format is not one written here (or asks a date for its time)."""
    pieces = _pieces(lang)
    template_parts: list[str] = []
    letters: list[Piece] = []
    for index, part in enumerate(re_formatchars.split(pattern)):
        if index % 2:
            piece = pieces.get(part)
            if piece is None or (part in _TIME_LETTERS and not with_time):
                return None
            letters.append(piece)
            template_parts.append("{}")
        elif part:
            literal = re_escaped.sub(r"\1", part)
            template_parts.append(literal.replace("{", "{{").replace("}", "}}"))
    text = "".join(template_parts)
    return lambda value: text.format(*[letter(value) for letter in letters])


def date_writer(format_name: str, kind: type) -> Callable[[Any], str]:
    """`date(value, format_name)` for values of one `kind` (a `datetime.datetime` or a
    `datetime.date`) in the active language, for a row after row: the format read once."""
    lang = get_language()
    writer = _writer(str(get_format(format_name, lang=lang)), lang, kind is datetime.datetime)
    if writer is None:
        return lambda value: django_date(value, format_name)
    return lambda value: writer(value) if type(value) is kind else date(value, format_name)


def local_date_writer(format_name: str) -> Callable[[Any], str]:
    """`{{ value|date:format_name }}` as a template writes it (a moment in the current time
    zone), for row after row: the format and the time zone read once."""
    zone = timezone.get_current_timezone()
    moment = date_writer(format_name, datetime.datetime)
    day = date_writer(format_name, datetime.date)

    def write(value: Any) -> str:
        if type(value) is datetime.datetime:
            return moment(value.astimezone(zone) if timezone.is_aware(value) else value)
        return day(value)

    return write


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Format a date according to the given format (Django's `date` filter)."""
    kind = type(value)
    if kind is datetime.datetime or kind is datetime.date:
        lang = get_language()
        pattern = get_format(arg or "DATE_FORMAT", lang=lang)
        writer = _writer(str(pattern), lang, kind is datetime.datetime)
        if writer is not None:
            return writer(value)
    return django_date(value, arg)
