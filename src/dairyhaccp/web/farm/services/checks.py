"""Checks every farm service applies to what it stores, whichever face the input came from."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dairyhaccp.web.farm.constants import EARLIEST_DAY, FUTURE_TOLERANCE, LATEST_DEADLINE_YEARS
from dairyhaccp.web.farm.services.errors import FarmInputError


def text(value: str, field: str, max_length: int, *, required: bool = False) -> str:
    """`value` stripped; refused when required and empty, too long, or holding a NUL."""
    if not isinstance(value, str):
        raise FarmInputError(field, _("must be text"))
    value = value.strip()
    if "\x00" in value:
        raise FarmInputError(field, _("contains a NUL character"))
    if required and not value:
        raise FarmInputError(field, _("this field is required"))
    if len(value) > max_length:
        raise FarmInputError(field, _("at most {count} characters").format(count=max_length))
    return value


def link(value: str, field: str) -> str:
    """A web address (http or https) of at most 500 characters, or ""."""
    value = text(value, field, 500)
    if value and not value.lower().startswith(("http://", "https://")):
        raise FarmInputError(field, _("a link starts with https:// or http://"))
    return value


def moment(value: datetime, field: str) -> datetime:
    """An aware date and time from 2000 up to a few minutes from now."""
    if timezone.is_naive(value):
        raise FarmInputError(field, _("needs a time zone"))
    if timezone.localtime(value).date() < EARLIEST_DAY:
        raise FarmInputError(field, _("lies before the year 2000"))
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise FarmInputError(field, _("lies in the future"))
    return value


def past_day(value: date, field: str) -> date:
    """A day from 2000 up to today."""
    if value < EARLIEST_DAY:
        raise FarmInputError(field, _("lies before the year 2000"))
    if value > timezone.localdate():
        raise FarmInputError(field, _("lies in the future"))
    return value


def deadline(value: date | None, field: str) -> date | None:
    """A deadline from 2000 up to ten years ahead, or None."""
    if value is None:
        return None
    if value < EARLIEST_DAY:
        raise FarmInputError(field, _("lies before the year 2000"))
    today = timezone.localdate()
    if value > today.replace(year=today.year + LATEST_DEADLINE_YEARS, day=min(today.day, 28)):
        raise FarmInputError(
            field, _("lies more than {years} years ahead").format(years=LATEST_DEADLINE_YEARS)
        )
    return value


def whole_number(value: int, field: str, low: int, high: int) -> int:
    """A whole number within low..high."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FarmInputError(field, _("must be a whole number"))
    if not low <= value <= high:
        raise FarmInputError(
            field,
            _("must lie between {low} and {high}").format(
                low=number_format(low, force_grouping=True),
                high=number_format(high, force_grouping=True),
            ),
        )
    return value
