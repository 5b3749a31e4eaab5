"""The export layouts of common loggers, each from a sample written to its documented layout.

Sources (shared research notes on loggers, §2): the Tinytag sample follows a real Tinytag Ultra
export; the EasyLog sample follows third-party parsers (unverified); the HOBO sample follows the
documented "Plot Title" line, "Date Time, GMT+01:00" header, "LGR S/N" labels and US 12-hour
times, while its sensor and event column names are unverified.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from dairyhaccp.loggers import (
    ColumnMapping,
    ExcursionLimits,
    LoggerFileError,
    SeriesVerdict,
    judge_series,
    read_logger_file,
)
from dairyhaccp.loggers.layouts import detect_layout
from dairyhaccp.loggers.read import _rows, sniff_delimiter

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def utc(*fields: int) -> int:
    return int(datetime(*fields, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("name", "layout"),
    [("tinytag.csv", "tinytag"), ("easylog.csv", "easylog"), ("hobo.csv", "hobo")],
)
def test_each_layout_is_recognised(name, layout):
    text = sample(name)

    assert detect_layout(_rows(text, sniff_delimiter(text))) == layout
    assert read_logger_file(text).layout == layout


def test_a_tinytag_export_is_read_with_units_in_the_cells_and_its_serial():
    readings = read_logger_file(sample("tinytag.csv"))

    assert readings.serial == "227659"
    assert len(readings) == 7
    assert readings.times[0] == utc(2026, 1, 12, 7)  # 08:00 in Brussels
    assert readings.temperatures_c.tolist() == [4.1, 4.3, 7.4, 9.8, 6.9, 4.6, 4.2]
    assert readings.humidity_pct is not None and readings.humidity_pct[0] == 86.0
    assert readings.lines[0] == 6  # after the five header rows


def test_a_tinytag_export_judged_shows_its_excursion():
    readings = read_logger_file(sample("tinytag.csv"))
    limits = ExcursionLimits.from_fluctuation(7.0, 3.0, allowed_min=30, max_interval_min=10)

    judgement = judge_series(readings.times, readings.temperatures_c, limits)

    [excursion] = judgement.excursions
    assert (excursion.peak_c, excursion.duration_min) == (9.8, 20)  # 08:20 to 08:40
    assert judgement.verdict is SeriesVerdict.WARNING


def test_a_tinytag_with_two_temperature_channels_needs_a_mapping():
    text = (
        sample("tinytag.csv")
        .replace("Humidity,Dew Point", "Temperature,Dew Point")
        .replace(" %RH", " °C")
    )

    with pytest.raises(LoggerFileError, match="several channels measure temperature"):
        read_logger_file(text)
    readings = read_logger_file(text, mapping=ColumnMapping(time="Time", temperature="2"))

    assert readings.layout == "tinytag"
    assert readings.temperatures_c[0] == 86.0


def test_a_tinytag_export_with_day_first_dates_follows_the_regional_settings():
    text = sample("tinytag.csv").replace("2026-01-12 ", "12/01/2026 ")

    assert read_logger_file(text).times[0] == utc(2026, 1, 12, 7)


def test_an_easylog_export_is_read_with_the_serial_of_its_first_row():
    readings = read_logger_file(sample("easylog.csv"))

    assert readings.serial == "10233445"
    assert readings.temperature_column == "'Celsius(°C)' (3)"
    assert readings.temperatures_c.tolist() == [12.5, 12.6, 12.4, 12.5]
    assert readings.humidity_pct is not None and readings.humidity_pct.tolist()[1] == 85.5
    assert np.diff(readings.times).tolist() == [300, 300, 300]


def test_an_easylog_export_in_fahrenheit_is_converted():
    text = sample("easylog.csv").replace("Celsius(°C)", "Fahrenheit(°F)").replace(",12.5,", ",50,")

    readings = read_logger_file(text)

    assert readings.temperatures_c[0] == pytest.approx(10.0)


def test_a_hobo_export_honours_the_offset_in_its_header_and_its_12_hour_clock():
    readings = read_logger_file(sample("hobo.csv"))

    assert readings.serial == "20123456"
    # 01/12/26 11:45:00 AM at GMT+01:00 is 12 January 2026 10:45 UTC; 12:00 PM is noon
    assert readings.times[:2].tolist() == [utc(2026, 1, 12, 10, 45), utc(2026, 1, 12, 11)]
    assert readings.times[-1] == utc(2026, 1, 12, 12)  # 01:00:00 PM
    assert readings.temperatures_c.tolist() == [3.912, 4.012, 4.113, 4.215, 4.113]


def test_a_hobo_event_row_without_temperature_is_left_out_and_said_so():
    readings = read_logger_file(sample("hobo.csv"))

    assert 6 not in readings.lines.tolist()  # the "Logged" row
    [skipped] = [n for n in readings.notices if n.code == "skipped_empty"]
    assert skipped.lines == (6,)


def test_a_hobo_export_in_summer_keeps_the_offset_of_its_header():
    text = sample("hobo.csv").replace("01/12/26", "07/01/26")

    readings = read_logger_file(text)

    assert readings.times[0] == utc(2026, 7, 1, 10, 45)  # GMT+01:00, not summer time


def test_a_layout_forced_on_another_file_is_refused():
    with pytest.raises(LoggerFileError, match="not a Tinytag export"):
        read_logger_file(sample("easylog.csv"), layout="tinytag")
