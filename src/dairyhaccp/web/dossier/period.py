"""The period a dossier covers: whole local days, checked the same on every path (page, API,
command line); the problems are typed here and worded at the edge that shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dairyhaccp.monitoring.schedule import BRUSSELS
from dairyhaccp.web.dossier.constants import MAX_PERIOD_DAYS

EARLIEST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """The local days from `first` to `last`, both included (Brussels time)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def starts_at(self) -> datetime:
        """The first moment of the period."""
        return datetime.combine(self.first, time.min, tzinfo=BRUSSELS)

    @property
    def ends_at(self) -> datetime:
        """The moment the period is over: midnight after its last day."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=BRUSSELS)


class PeriodProblem(StrEnum):
    BEFORE_2000 = "before_2000"
    IN_FUTURE = "in_future"
    ENDS_BEFORE_START = "ends_before_start"
    TOO_LONG = "too_long"


PROBLEM_TEXTS: dict[PeriodProblem, Promise] = {
    PeriodProblem.BEFORE_2000: _("lies before the year 2000"),
    PeriodProblem.IN_FUTURE: _("lies in the future"),
    PeriodProblem.ENDS_BEFORE_START: _("lies before the first day"),
    PeriodProblem.TOO_LONG: _("a dossier covers at most {days} days"),
}


class PeriodError(Exception):
    """A period that cannot be a dossier's: the field at fault (`first_day` or `last_day`)."""

    def __init__(self, field: str, problem: PeriodProblem) -> None:
        super().__init__(field, problem)
        self.field = field
        self.problem = problem

    def text(self) -> str:
        """The problem in the active language."""
        return str(PROBLEM_TEXTS[self.problem]).format(days=MAX_PERIOD_DAYS)

    def __str__(self) -> str:
        return f"{self.field}: {self.text()}"


def checked_period(first: date, last: date, today: date | None = None) -> Period:
    """The period from `first` to `last`, or PeriodError naming the first field at fault."""
    today = today or timezone.localdate()
    for field, day in (("first_day", first), ("last_day", last)):
        if day < EARLIEST_DAY:
            raise PeriodError(field, PeriodProblem.BEFORE_2000)
        if day > today:
            raise PeriodError(field, PeriodProblem.IN_FUTURE)
    if last < first:
        raise PeriodError("last_day", PeriodProblem.ENDS_BEFORE_START)
    period = Period(first, last)
    if period.days > MAX_PERIOD_DAYS:
        raise PeriodError("last_day", PeriodProblem.TOO_LONG)
    return period


def default_period(today: date | None = None) -> Period:
    """The year up to today: what an inspector asks for most."""
    today = today or timezone.localdate()
    try:
        first = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
    return Period(max(first, EARLIEST_DAY), today)
