"""The history plot: measured values as points, the limits as dashed lines."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import load_guide
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import parse_profile_toml
from dairyhaccp.web.records.plot import LimitLine, PlotPoint, limit_lines, series_svg

START = datetime(2026, 11, 2, 8, tzinfo=ZoneInfo("Europe/Brussels"))


def test_a_range_limit_gives_two_lines_and_a_hold_time_none() -> None:
    plan = build_plan(load_guide(), parse_profile_toml(example_profile("demo")))
    ripening = limit_lines(plan.control("CCP 13").limits, "temperature_c")
    assert [(line.value, line.label) for line in ripening] == [(12.0, "≥ 12"), (14.0, "≤ 14")]
    assert limit_lines(plan.control("CCP 9").limits, "hold_s") == []


def test_points_are_coloured_by_verdict_and_the_required_value_is_marked() -> None:
    points = [
        PlotPoint(START, 15, "conform", required=15),
        PlotPoint(START + timedelta(days=1), 20, "deviation", required=37),
    ]
    svg = series_svg("Houdtijd", "s", points, [LimitLine(15, "≥ 15", "critical_limit")])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("point-conform") == 1 and svg.count("point-deviation") == 1
    assert svg.count('class="required"') == 2
    assert svg.count('class="limit"') == 1
    assert "02-11-2026" in svg and "03-11-2026" in svg


def test_a_higher_value_is_drawn_higher() -> None:
    points = [
        PlotPoint(START, 4, "conform"),
        PlotPoint(START + timedelta(hours=1), 11, "deviation"),
    ]
    svg = series_svg("T", "°C", points, [])
    circles = [part for part in svg.split("<circle")[1:]]
    low_y = float(circles[0].split('cy="')[1].split('"')[0])
    high_y = float(circles[1].split('cy="')[1].split('"')[0])
    assert high_y < low_y  # SVG y grows downwards


def test_no_points_no_plot() -> None:
    assert series_svg("T", "°C", [], []) == ""


def test_titles_are_escaped() -> None:
    svg = series_svg("<script>", "", [PlotPoint(START, 1, "conform")], [])
    assert "<script>" not in svg
