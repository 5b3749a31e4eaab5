"""Sector figures from farm-years, without showing any single farm.

Per year (and region): the share of farms certified, the mean number of sustainability
initiatives, the share with at least one, and the number of farms per initiative. A group of
fewer farms than the privacy rule allows shows its size as "<N" and no figure at all.
Percentages are rounded to 1 decimal and means to 2, half away from zero, from exact fractions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from dairyhaccp.ikm.inputs import (
    IkmInputError,
    boolean,
    identifier,
    integer,
    refuse_unknown,
    require_object,
)

_FIELDS = frozenset({"farm", "year", "region", "certified", "initiatives"})
MAX_INITIATIVES = 1000


@dataclass(frozen=True, slots=True)
class FarmYear:
    """One farm in one year: certified or not, and the initiatives it took."""

    farm: str
    year: int
    certified: bool
    initiatives: frozenset[str]
    region: str | None = None


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """The figures of one year (and region); `shown` is False for a group under the threshold."""

    year: int
    region: str | None
    farms: int
    shown: bool
    certified_pct: float | None = None
    mean_initiatives: float | None = None
    at_least_one_pct: float | None = None
    by_initiative: Mapping[str, int] = field(default_factory=dict)


@dataclass
class _Group:
    farms: int = 0
    certified: int = 0
    initiatives: int = 0
    at_least_one: int = 0
    by_initiative: Counter[str] = field(default_factory=Counter)


def rounded(numerator: int, denominator: int, places: int) -> float:
    """numerator / denominator rounded to `places` decimals, halves away from zero."""
    scaled = Fraction(numerator, denominator) * 10**places
    whole = int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
    return float(Fraction(whole, 10**places))


def _initiatives(value: object) -> frozenset[str]:
    if not isinstance(value, list):
        raise IkmInputError("initiatives", "must be a list of initiative ids (it may be empty)")
    if len(value) > MAX_INITIATIVES:
        raise IkmInputError("initiatives", f"more than {MAX_INITIATIVES} entries")
    seen: set[str] = set()
    for index, item in enumerate(value):
        name = identifier(item, f"initiatives[{index}]")
        if name in seen:
            raise IkmInputError(f"initiatives[{index}]", f"{name!r:.40} is listed twice")
        seen.add(name)
    return frozenset(seen)


def farm_year_from_dict(data: object, region_required: bool = False) -> FarmYear:
    """A farm-year from one `ikm sector` line, or IkmInputError naming the field."""
    line = require_object(data)
    refuse_unknown(line, _FIELDS)
    for name in ("farm", "year", "certified", "initiatives"):
        if name not in line:
            raise IkmInputError(name, "is required")
    region = line.get("region")
    if region is None and region_required:
        raise IkmInputError("region", "is required with --by region")
    return FarmYear(
        farm=identifier(line["farm"], "farm"),
        year=integer(line["year"], "year", 1, 9999),
        certified=boolean(line["certified"], "certified"),
        initiatives=_initiatives(line["initiatives"]),
        region=None if region is None else identifier(region, "region"),
    )


class SectorTally:
    """Farm-years added one by one (each farm once a year), summed per year or year and region."""

    def __init__(self, by_region: bool = False) -> None:
        self.by_region = by_region
        self._seen: set[tuple[str, int]] = set()
        self._groups: dict[tuple[int, str], _Group] = {}

    def add(self, farm_year: FarmYear) -> None:
        """Count a farm-year; a farm given twice for a year is refused (it would count twice)."""
        key = (farm_year.farm, farm_year.year)
        if key in self._seen:
            raise IkmInputError(
                "farm", f"{farm_year.farm!r:.40} is already given for {farm_year.year}"
            )
        if self.by_region and farm_year.region is None:
            raise IkmInputError("region", "is required with --by region")
        self._seen.add(key)
        region = farm_year.region if self.by_region and farm_year.region is not None else ""
        group = self._groups.setdefault((farm_year.year, region), _Group())
        group.farms += 1
        group.certified += farm_year.certified
        group.initiatives += len(farm_year.initiatives)
        group.at_least_one += bool(farm_year.initiatives)
        group.by_initiative.update(farm_year.initiatives)

    def figures(self, min_farms: int) -> list[GroupFigures]:
        """One entry per year ascending (by region: per year, then region in code-point order)."""
        result = []
        for (year, region), group in sorted(self._groups.items()):
            name = region if self.by_region else None
            if group.farms < min_farms:
                result.append(GroupFigures(year=year, region=name, farms=group.farms, shown=False))
                continue
            result.append(
                GroupFigures(
                    year=year,
                    region=name,
                    farms=group.farms,
                    shown=True,
                    certified_pct=rounded(100 * group.certified, group.farms, 1),
                    mean_initiatives=rounded(group.initiatives, group.farms, 2),
                    at_least_one_pct=rounded(100 * group.at_least_one, group.farms, 1),
                    by_initiative=dict(sorted(group.by_initiative.items())),
                )
            )
        return result


def sector_figures(
    farm_years: Iterable[FarmYear], min_farms: int, by_region: bool = False
) -> list[GroupFigures]:
    """The sector figures of `farm_years` (see SectorTally; a repeated farm-year raises)."""
    tally = SectorTally(by_region)
    for farm_year in farm_years:
        tally.add(farm_year)
    return tally.figures(min_farms)


def figures_to_dict(figures: GroupFigures, min_farms: int) -> dict[str, Any]:
    """The `ikm sector` output line of one group."""
    data: dict[str, Any] = {"year": figures.year}
    if figures.region is not None:
        data["region"] = figures.region
    if not figures.shown:
        data["farms"] = f"<{min_farms}"
        return data
    data.update(
        farms=figures.farms,
        certified_pct=figures.certified_pct,
        mean_initiatives=figures.mean_initiatives,
        at_least_one_pct=figures.at_least_one_pct,
        by_initiative=dict(figures.by_initiative),
    )
    return data
