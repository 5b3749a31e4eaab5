"""What any stored text or moment must satisfy, on every path (forms, API, imports, services).

Each check returns the problem in the page's language, or None; the caller raises its own error
naming the field. The database is the last line, not the first: SQLite stores over-long text
and a NUL without a word, PostgreSQL refuses them with an error nobody can read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Nothing in this app's records happened before this day.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# A clock a few minutes ahead on a phone is no reason to refuse a record.
FUTURE_TOLERANCE = timedelta(minutes=10)


def text_problem(value: str, max_length: int | None) -> str | None:
    """Why a text cannot be stored: a NUL character, or longer than its column."""
    if "\x00" in value:
        return _("contains a character that is not allowed")
    if max_length is not None and len(value) > max_length:
        return _("at most {count} characters").format(count=max_length)
    return None


def moment_problem(moment: datetime | date, since: date | None = None) -> str | None:
    """Why a moment cannot be a record's: before 2000, before the business started (`since`,
    when known) or more than a few minutes ahead."""
    if isinstance(moment, datetime):
        if timezone.is_naive(moment):
            return _("needs a time zone")
        if moment < EARLIEST:
            return _("lies before the year 2000")
        if moment > timezone.now() + FUTURE_TOLERANCE:
            return _("lies in the future")
        return _before_start(timezone.localtime(moment).date(), since)
    if moment < EARLIEST.date():
        return _("lies before the year 2000")
    if moment > timezone.localdate() + timedelta(days=1):
        return _("lies in the future")
    return _before_start(moment, since)


def _before_start(day: date, since: date | None) -> str | None:
    if since is not None and day < since:
        return _("lies before the business started ({date})").format(
            date=formats.date_format(since, "SHORT_DATE_FORMAT")
        )
    return None


def model_text_problems(instance: models.Model) -> list[tuple[str, str]]:
    """Every text field of an unsaved row that its column cannot hold: (field, problem)."""
    problems = []
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                problem = text_problem(value, field.max_length)
                if problem:
                    problems.append((field.name, problem))
    return problems
