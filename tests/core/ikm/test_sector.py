"""Sector figures per year and region, never for a group of fewer than 5 farms."""

from __future__ import annotations

from typing import Any

import pytest

from dairyhaccp.ikm.inputs import IkmInputError
from dairyhaccp.ikm.sector import (
    FarmYear,
    SectorTally,
    farm_year_from_dict,
    figures_to_dict,
    rounded,
    sector_figures,
)

MIN_FARMS = 5


def farm(
    name: str,
    initiatives: tuple[str, ...] = (),
    certified: bool = True,
    year: int = 2019,
    region: str | None = "flanders",
) -> FarmYear:
    return FarmYear(name, year, certified, frozenset(initiatives), region)


def figures(farm_years: list[FarmYear], by_region: bool = False) -> list[dict[str, Any]]:
    return [
        figures_to_dict(group, MIN_FARMS)
        for group in sector_figures(farm_years, MIN_FARMS, by_region=by_region)
    ]


def test_four_farms_show_no_figure() -> None:
    four = [farm(f"F{i}", ("brushes",)) for i in range(4)]

    assert figures(four) == [{"year": 2019, "farms": "<5"}]


def test_five_farms_show_their_figures() -> None:
    five = [
        farm("F1", (), certified=True),
        farm("F2", ("brushes",), certified=True),
        farm("F3", ("brushes", "clipping"), certified=False),
        farm("F4", ("brushes", "clipping", "ibr_programme"), certified=False),
        farm("F5", ("a", "b", "c", "d"), certified=False),
    ]

    assert figures(five) == [
        {
            "year": 2019,
            "farms": 5,
            "certified_pct": 40.0,
            "mean_initiatives": 2.0,
            "at_least_one_pct": 80.0,
            "by_initiative": {
                "a": 1,
                "b": 1,
                "brushes": 3,
                "c": 1,
                "clipping": 2,
                "d": 1,
                "ibr_programme": 1,
            },
        }
    ]


def test_six_farms_show_their_figures() -> None:
    six = [
        farm("F1", (), certified=False),
        farm("F2", ()),
        farm("F3", ("brushes",)),
        farm("F4", ("brushes",)),
        farm("F5", ("clipping",)),
        farm("F6", ("brushes", "clipping")),
    ]

    # 5/6 certified = 83.33 %; 5 initiatives over 6 farms = 0.833; 4 of 6 with one = 66.67 %
    assert figures(six) == [
        {
            "year": 2019,
            "farms": 6,
            "certified_pct": 83.3,
            "mean_initiatives": 0.83,
            "at_least_one_pct": 66.7,
            "by_initiative": {"brushes": 3, "clipping": 2},
        }
    ]


def test_the_issues_three_farm_example_is_too_small_to_show() -> None:
    three = [
        farm("F1", ("brushes", "solar_panels")),
        farm("F2", ("brushes", "solar_panels")),
        farm("F3", ("solar_panels",)),
    ]

    assert figures(three) == [{"year": 2019, "farms": "<5"}]


def test_the_issues_example_figures_with_six_farms() -> None:
    six = [
        farm("F1", ("brushes", "solar_panels")),
        farm("F2", ("brushes", "solar_panels")),
        farm("F3", ("solar_panels", "heat_recovery")),
        farm("F4", ("solar_panels", "heat_recovery")),
        farm("F5", ("solar_panels",)),
        farm("F6", ("heat_recovery",)),
    ]

    # 10 initiatives over 6 farms = 1.667, as in the issue's line.
    assert figures(six) == [
        {
            "year": 2019,
            "farms": 6,
            "certified_pct": 100.0,
            "mean_initiatives": 1.67,
            "at_least_one_pct": 100.0,
            "by_initiative": {"brushes": 2, "heat_recovery": 3, "solar_panels": 5},
        }
    ]


def test_halves_round_away_from_zero() -> None:
    # 1 initiative over 8 farms = 0.125 -> 0.13; 1 certified of 16 = 6.25 % -> 6.3 %
    eight = [farm(f"F{i}", ("brushes",) if i == 0 else ()) for i in range(8)]
    sixteen = [farm(f"F{i}", certified=i == 0) for i in range(16)]

    assert figures(eight)[0]["mean_initiatives"] == 0.13
    assert figures(sixteen)[0]["certified_pct"] == 6.3
    assert rounded(1, 8, 2) == 0.13
    assert rounded(-1, 8, 2) == -0.13
    assert rounded(2, 3, 1) == 0.7


def test_years_ascending_then_regions_by_name() -> None:
    farm_years = [
        *(farm(f"W{i}", year=2021, region="wallonia") for i in range(5)),
        *(farm(f"V{i}", year=2019, region="flanders") for i in range(6)),
        *(farm(f"W{i}", year=2019, region="wallonia") for i in range(2)),
        *(farm(f"B{i}", year=2019, region="brussels") for i in range(5)),
    ]

    result = figures(farm_years, by_region=True)

    assert [(r["year"], r["region"], r["farms"]) for r in result] == [
        (2019, "brussels", 5),
        (2019, "flanders", 6),
        (2019, "wallonia", "<5"),
        (2021, "wallonia", 5),
    ]
    assert figures(farm_years)[0]["farms"] == 13
    assert [r["year"] for r in figures(farm_years)] == [2019, 2021]


def test_a_small_region_hides_everything_but_its_name_and_year() -> None:
    result = figures([farm("F1", ("brushes",), region="east")], by_region=True)

    assert result == [{"year": 2019, "region": "east", "farms": "<5"}]


def test_a_farm_counts_once_a_year() -> None:
    tally = SectorTally()
    tally.add(farm("F1", year=2019))
    tally.add(farm("F1", year=2020))

    with pytest.raises(IkmInputError) as caught:
        tally.add(farm("F1", year=2019, region="wallonia"))

    assert caught.value.field == "farm"
    assert "already given for 2019" in caught.value.problem


def test_a_farm_without_initiatives_counts_as_zero() -> None:
    line = {"farm": "F1", "year": 2019, "certified": True, "initiatives": []}

    assert farm_year_from_dict(line) == FarmYear("F1", 2019, True, frozenset(), None)


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ({"year": 2019, "certified": True, "initiatives": []}, "farm", "is required"),
        ({"farm": "F1", "certified": True, "initiatives": []}, "year", "is required"),
        ({"farm": "F1", "year": 2019, "initiatives": []}, "certified", "is required"),
        ({"farm": "F1", "year": 2019, "certified": True}, "initiatives", "is required"),
        ({"farm": "", "year": 2019, "certified": True, "initiatives": []}, "farm", "empty"),
        ({"farm": 7, "year": 2019, "certified": True, "initiatives": []}, "farm", "string"),
        ({"farm": "F\x00", "year": 2019, "certified": True, "initiatives": []}, "farm", "control"),
        (
            {"farm": "F" * 100_000, "year": 2019, "certified": True, "initiatives": []},
            "farm",
            "longer",
        ),
        ({"farm": "F1", "year": 0, "certified": True, "initiatives": []}, "year", "outside"),
        ({"farm": "F1", "year": 10**30, "certified": True, "initiatives": []}, "year", "outside"),
        ({"farm": "F1", "year": 2019.0, "certified": True, "initiatives": []}, "year", "whole"),
        ({"farm": "F1", "year": True, "certified": True, "initiatives": []}, "year", "whole"),
        (
            {"farm": "F1", "year": 2019, "certified": "yes", "initiatives": []},
            "certified",
            "true or false",
        ),
        (
            {"farm": "F1", "year": 2019, "certified": True, "initiatives": "brushes"},
            "initiatives",
            "list",
        ),
        (
            {"farm": "F1", "year": 2019, "certified": True, "initiatives": [1]},
            "initiatives[0]",
            "string",
        ),
        (
            {"farm": "F1", "year": 2019, "certified": True, "initiatives": ["a", "a"]},
            "initiatives[1]",
            "listed twice",
        ),
        (
            {"farm": "F1", "year": 2019, "certified": True, "initiatives": [], "region": 3},
            "region",
            "string",
        ),
        (
            {"farm": "F1", "year": 2019, "certified": True, "initiatives": [], "size": 3},
            "size",
            "unknown",
        ),
    ],
)
def test_bad_farm_years_name_the_field(line: dict[str, Any], field: str, problem: str) -> None:
    with pytest.raises(IkmInputError) as caught:
        farm_year_from_dict(line)

    assert caught.value.field == field
    assert problem in caught.value.problem
    assert len(str(caught.value)) < 300


def test_the_region_is_required_when_splitting_by_region() -> None:
    line = {"farm": "F1", "year": 2019, "certified": True, "initiatives": []}

    with pytest.raises(IkmInputError, match="region: is required with --by region"):
        farm_year_from_dict(line, region_required=True)
