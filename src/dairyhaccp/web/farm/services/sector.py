"""The sector's figures over all farms, computed by the core and stored as one snapshot.

No figure of a single farm leaves this module, and no figure of a group smaller than the
lastenboek's privacy rule (`privacy.min_farms`): such a group is stored as `{"shown": false}`
with no count at all. Farm-years: a farm counts in every year from the year it joined (its first
profile, or an earlier year it entered initiatives for) to this year; audits from before that
year only decide whether it was certified.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dairyhaccp.ikm import (
    CURRENT_VERSION,
    Certificate,
    FarmYear,
    Lastenboek,
    Period,
    SectorTally,
    TreatmentCourse,
    benchmark_limits,
    benchmark_zone,
    certificate_status,
    treatment_days_per_100,
)
from dairyhaccp.ikm.treatment_days import percentile
from dairyhaccp.web.farm.constants import DISTRIBUTION_PERCENTILES
from dairyhaccp.web.farm.models import (
    Audit,
    AuditFinding,
    FarmProfile,
    SectorSnapshot,
    SustainabilityEntry,
    Treatment,
)
from dairyhaccp.web.farm.selectors import lastenboek, treatment_courses
from dairyhaccp.web.operators.models import Operator

# How many years back the figures go.
YEARS_SHOWN = 10
_IN_FORCE = frozenset({"valid", "expiring"})


@dataclass
class _Farm:
    region: str
    animals: int
    first_year: int
    # (decided_on, pk, certificate) of each audit, in decision order.
    decisions: list[tuple[date, int, Certificate]] = field(default_factory=list)
    initiatives: dict[int, frozenset[str]] = field(default_factory=dict)
    courses: list[TreatmentCourse] = field(default_factory=list)
    _by_year: dict[int, list[TreatmentCourse]] | None = None

    def courses_in(self, year: int) -> list[TreatmentCourse]:
        """The courses with a day in `year` (the others add nothing to its figure)."""
        if self._by_year is None:
            self._by_year = defaultdict(list)
            for course in self.courses:
                for touched in range(course.first_day.year, course.last_day.year + 1):
                    self._by_year[touched].append(course)
        return self._by_year.get(year, [])


def _driver_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver gives them, without Django's
    converter per value: at hundreds of thousands of treatments those take most of the time."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_moment(value: datetime | str) -> datetime:
    """An aware instant; SQLite gives UTC without an offset (USE_TZ), PostgreSQL an aware one."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _farms(today: date) -> dict[int, _Farm]:
    farms: dict[int, _Farm] = {}
    rows = FarmProfile.objects.values_list(
        "operator_id", "region", "animals_in_milk", "changed_at"
    ).order_by("operator_id", "version")
    for operator_id, region, animals, changed_at in rows:
        year = timezone.localdate(changed_at).year
        farm = farms.get(operator_id)
        if farm is None:
            farms[operator_id] = _Farm(region, animals, year)
        else:
            farm.region, farm.animals = region, animals
    # Every query reads all rows and keeps the farms' ones: no list of 6 000 ids in the SQL.
    audits = Audit.objects.values_list(
        "operator_id", "pk", "held_on", "decided_on", "certificate", "valid_from", "expires_on"
    )
    for operator_id, pk, _held_on, decided_on, decision, valid_from, expires_on in audits.order_by(
        "decided_on", "pk"
    ):
        farm = farms.get(operator_id)
        if farm is None:
            continue
        certificate = Certificate(
            decision,  # type: ignore[arg-type]  # a Decision value, checked when stored
            valid_from,
            expires_on,
            expires_on,
        )
        farm.decisions.append((decided_on, pk, certificate))
    entries = SustainabilityEntry.objects.values_list("operator_id", "year", "initiatives")
    for operator_id, year, initiatives in entries.order_by("operator_id", "year", "version"):
        farm = farms.get(operator_id)
        if farm is None:
            continue
        farm.first_year = min(farm.first_year, year)
        farm.initiatives[year] = frozenset(initiatives)
    treatments = (
        Treatment.objects.filter(correction__isnull=True, withdrawn=False)
        .values_list("operator_id", "animals", "first_dose_on", "last_dose_at")
        .order_by()
    )
    by_farm: dict[int, list[tuple[int, date, datetime]]] = defaultdict(list)
    for operator_id, animals, first_day, last_dose in _driver_rows(treatments):
        by_farm[operator_id].append((animals, _as_date(first_day), _as_moment(last_dose)))
    for operator_id, rows_of_farm in by_farm.items():
        if operator_id in farms:
            farms[operator_id].courses = treatment_courses(rows_of_farm)
    for farm in farms.values():
        farm.first_year = min(farm.first_year, today.year)
    return farms


def _certified(farm: _Farm, day: date) -> bool:
    """Whether the certificate of the latest decision up to `day` is in force on `day`."""
    index = bisect.bisect_right(farm.decisions, (day, float("inf")), key=lambda d: d[:2])
    if index == 0:
        return False
    certificate = farm.decisions[index - 1][2]
    return certificate_status(certificate, day, 0).state in _IN_FORCE


def _year_end(year: int, today: date) -> date:
    return today if year == today.year else date(year, 12, 31)


def _years(farms: Iterable[_Farm], today: date) -> list[int]:
    first = min((farm.first_year for farm in farms), default=today.year)
    return list(range(max(first, today.year - YEARS_SHOWN + 1), today.year + 1))


def _group(row: dict[str, Any], farms: int, min_farms: int, **figures: Any) -> dict[str, Any]:
    """A row of figures; a group under the threshold keeps its keys and nothing else."""
    if farms < min_farms:
        return {**row, "shown": False}
    return {**row, "shown": True, "farms": farms, **figures}


def _tally_rows(tally: SectorTally, min_farms: int) -> list[dict[str, Any]]:
    rows = []
    for figures in tally.figures(min_farms):
        row: dict[str, Any] = {"year": figures.year}
        if figures.region is not None:
            row["region"] = figures.region
        if not figures.shown:
            rows.append({**row, "shown": False})
            continue
        rows.append(
            {
                **row,
                "shown": True,
                "farms": figures.farms,
                "certified_pct": figures.certified_pct,
                "mean_initiatives": figures.mean_initiatives,
                "at_least_one_pct": figures.at_least_one_pct,
                "by_initiative": dict(figures.by_initiative),
            }
        )
    return rows


def _audit_rows(farm_ids: Container[int], years: list[int], min_farms: int) -> list[dict[str, Any]]:
    groups: dict[tuple[int, str, str], tuple[set[int], list[int]]] = {}
    rows = Audit.objects.filter(held_on__gte=date(years[0], 1, 1))
    for operator_id, held_on, body, certificate in rows.values_list(
        "operator_id", "held_on", "body__operator__name", "certificate"
    ):
        if operator_id not in farm_ids:
            continue
        for key in ((held_on.year, body, certificate), (held_on.year, "", certificate)):
            farms, audits = groups.setdefault(key, (set(), [0]))
            farms.add(operator_id)
            audits[0] += 1
    return [
        _group(
            {"year": year, "body": body, "result": result}, len(farms), min_farms, audits=audits[0]
        )
        for (year, body, result), (farms, audits) in sorted(groups.items())
    ]


def _finding_rows(
    farm_ids: Container[int], book: Lastenboek, min_farms: int
) -> list[dict[str, Any]]:
    by_criterion: dict[str, set[int]] = defaultdict(set)
    by_module: dict[str, set[int]] = defaultdict(set)
    open_rows = AuditFinding.objects.filter(closures__isnull=True).values_list(
        "operator_id", "criterion_id"
    )
    for operator_id, criterion_id in open_rows:
        if operator_id not in farm_ids:
            continue
        module = book.criterion(criterion_id).module or "preconditions"
        by_criterion[criterion_id].add(operator_id)
        by_module[module].add(operator_id)
    rows = [
        _group({"module": module, "criterion": ""}, len(farms), min_farms)
        for module, farms in sorted(by_module.items())
    ]
    rows += [
        _group(
            {"module": book.criterion(criterion).module or "preconditions", "criterion": criterion},
            len(farms),
            min_farms,
        )
        for criterion, farms in sorted(by_criterion.items())
    ]
    return rows


def _treatment_rows(
    farms: dict[int, _Farm], years: list[int], today: date, book: Lastenboek, min_farms: int
) -> list[dict[str, Any]]:
    benchmark = book.treatment_days.benchmark
    rows: list[dict[str, Any]] = []
    for year in years:
        period = Period(date(year, 1, 1), _year_end(year, today))
        values = [
            treatment_days_per_100(farm.courses_in(year), farm.animals, period)
            for farm in farms.values()
            if farm.first_year <= year and farm.animals > 0
        ]
        limits = benchmark_limits(values, benchmark, min_farms)
        if limits is None:
            rows.append({"year": year, "shown": False})
            continue
        zones = {"green": 0, "yellow": 0, "red": 0}
        for value in values:
            zones[benchmark_zone(value, limits)] += 1
        rows.append(
            {
                "year": year,
                "shown": True,
                "farms": limits.farms,
                "attention": limits.attention,
                "action": limits.action,
                "percentiles": {str(p): percentile(values, p) for p in DISTRIBUTION_PERCENTILES},
                "zones": {zone: (n if n >= min_farms else None) for zone, n in zones.items()},
            }
        )
    return rows


def compute_sector_figures(today: date | None = None) -> tuple[int, dict[str, Any]]:
    """The number of farms and the sector's figures (core: SectorTally, benchmark_limits)."""
    today = today or timezone.localdate()
    book = lastenboek()
    min_farms = book.privacy.min_farms
    farms = _farms(today)
    years = _years(farms.values(), today)
    totals, regions = SectorTally(), SectorTally(by_region=True)
    for operator_id, farm in farms.items():
        for year in years:
            if farm.first_year > year:
                continue
            farm_year = FarmYear(
                farm=str(operator_id),
                year=year,
                certified=_certified(farm, _year_end(year, today)),
                initiatives=farm.initiatives.get(year, frozenset()),
                region=farm.region,
            )
            totals.add(farm_year)
            regions.add(farm_year)
    figures = {
        "computed_on": today.isoformat(),
        "min_farms": min_farms,
        "years": _tally_rows(totals, min_farms),
        "regions": _tally_rows(regions, min_farms),
        "audits": _audit_rows(farms, years, min_farms),
        "open_findings": _finding_rows(farms, book, min_farms),
        "treatment_days": _treatment_rows(farms, years, today, book, min_farms),
    }
    return len(farms), figures


@transaction.atomic
def refresh_sector_figures(sector: Operator, today: date | None = None) -> SectorSnapshot:
    """Compute the sector's figures now and keep them for the sector organisation `sector`."""
    farms, figures = compute_sector_figures(today)
    return SectorSnapshot.objects.create(
        operator=sector, farms=farms, figures=figures, lastenboek_version=CURRENT_VERSION
    )
