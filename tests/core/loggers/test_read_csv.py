"""Reading a logger's CSV export: headers in three languages, delimiters, decimal commas, local
time across daylight saving, and refusals that name the line and the column."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from pydantic import ValidationError

from dairyhaccp.loggers import (
    ColumnMapping,
    LoggerFileError,
    SeriesError,
    decode_logger_bytes,
    read_logger_file,
)
from dairyhaccp.loggers.read import MAX_LINE_CHARS, MAX_PROBLEMS


def utc(*fields: int) -> int:
    return int(datetime(*fields, tzinfo=UTC).timestamp())


def problems(text: str, **options) -> list:
    with pytest.raises(LoggerFileError) as refused:
        read_logger_file(text, **options)
    return list(refused.value.problems)


@pytest.mark.parametrize(
    "text",
    [
        "Time,Temperature\n2026-01-12 08:00,4.5\n2026-01-12 08:05,5\n",
        "Datum/tijd;Temperatuur (°C)\n12/01/2026 08:00;4,5\n12/01/2026 08:05;5\n",
        "Date et heure\tTempérature °C\n12-01-2026 08:00:00\t4,5\n12-01-2026 08:05:00\t5,0\n",
        "Horodatage;Temp.\n12.01.2026 08:00;+4,5\n12.01.2026 08:05;5,00\n",
        'Tijdstip,Temperatuur\n2026-01-12T08:00:00,"4,5"\n2026-01-12T08:05:00,"5,0"\n',
    ],
    ids=["en-comma", "nl-semicolon", "fr-tab", "fr-points-in-dates", "quoted-decimal-comma"],
)
def test_a_generic_file_is_read_in_any_language_delimiter_and_decimal_mark(text):
    readings = read_logger_file(text)

    # 08:00 in Brussels in January is 07:00 UTC
    np.testing.assert_array_equal(readings.times, [utc(2026, 1, 12, 7), utc(2026, 1, 12, 7, 5)])
    np.testing.assert_array_equal(readings.temperatures_c, [4.5, 5.0])
    assert readings.humidity_pct is None
    np.testing.assert_array_equal(readings.lines, [2, 3])
    assert readings.layout == "generic"


def test_the_delimiter_is_sniffed():
    assert read_logger_file("Time;Temp\n2026-01-12 08:00;4,5\n").delimiter == ";"
    assert read_logger_file("Time\tTemp\n2026-01-12 08:00\t4,5\n").delimiter == "\t"
    assert read_logger_file("Time,Temp\n2026-01-12 08:00,4.5\n").delimiter == ","


def test_date_and_time_in_separate_columns_and_humidity_are_read():
    text = "Datum;Tijd;Temperatuur;Relatieve vochtigheid (%)\n12/01/2026;08:00;4,5;81,5\n"

    readings = read_logger_file(text)

    assert readings.times[0] == utc(2026, 1, 12, 7)
    assert readings.humidity_pct is not None and readings.humidity_pct[0] == 81.5
    assert readings.time_column == "'Tijd' (2)"
    assert readings.humidity_column == "'Relatieve vochtigheid (%)' (4)"


def test_the_readings_are_read_only_arrays():
    readings = read_logger_file("Time,Temp\n2026-01-12 08:00,4.5\n")

    with pytest.raises(ValueError, match="read-only"):
        readings.temperatures_c[0] = 1.0


def test_metadata_lines_before_the_header_are_left_aside():
    text = "Logger: koelcel 2\nExported: 2026-01-13\n\nTime,Temperature\n2026-01-12 08:00,4.5\n"

    readings = read_logger_file(text)

    assert readings.lines.tolist() == [5]


def test_a_fahrenheit_column_is_converted_to_celsius():
    readings = read_logger_file("Time,Temperature (°F)\n2026-01-12 08:00,41\n")

    assert readings.temperatures_c[0] == pytest.approx(5.0)
    assert "fahrenheit" in [notice.code for notice in readings.notices]


def test_an_offset_in_the_cell_is_honoured():
    text = (
        "Time,Temp\n2026-07-01T08:00:00Z,4\n2026-07-01T10:05:00+02:00,4\n2026-07-01 09:10 +0100,4\n"
    )

    readings = read_logger_file(text)

    assert readings.times.tolist() == [
        utc(2026, 7, 1, 8),
        utc(2026, 7, 1, 8, 5),
        utc(2026, 7, 1, 8, 10),
    ]


def test_an_offset_in_the_time_header_applies_to_every_time():
    readings = read_logger_file("Time (UTC),Temp\n2026-07-01 08:00,4\n")

    assert readings.times[0] == utc(2026, 7, 1, 8)


def test_summer_time_is_taken_into_account():
    readings = read_logger_file("Time,Temp\n2026-07-01 08:00,4\n")

    assert readings.times[0] == utc(2026, 7, 1, 6)


def test_the_repeated_october_hour_is_read_by_the_order_of_the_readings():
    text = (
        "Tijd;Temperatuur\n"
        "25/10/2026 01:30;4,0\n"
        "25/10/2026 02:00;4,1\n"
        "25/10/2026 02:30;4,2\n"
        "25/10/2026 02:00;4,3\n"  # the clocks went back at 03:00 summer time
        "25/10/2026 02:30;4,4\n"
        "25/10/2026 03:00;4,5\n"
    )

    readings = read_logger_file(text)

    assert np.diff(readings.times).tolist() == [1800] * 5
    assert readings.times[0] == utc(2026, 10, 24, 23, 30)
    assert readings.times[-1] == utc(2026, 10, 25, 2)
    [repeated] = [n for n in readings.notices if n.code == "repeated_hour"]
    assert repeated.lines == (3, 4, 5, 6)


def test_a_25_hour_day_of_quarter_hour_readings_reads_whole_without_refusal():
    lines = ["Time;Temp"]
    for hour in [0, 1, 2, 2, 3, *range(4, 24)]:
        lines += [f"2026-10-25 {hour:02d}:{minute:02d};4,0" for minute in (0, 15, 30, 45)]

    readings = read_logger_file("\n".join(lines))

    assert len(readings) == 100
    assert set(np.diff(readings.times).tolist()) == {900}


def test_a_23_hour_day_of_quarter_hour_readings_has_no_hole_where_the_clocks_jump():
    lines = ["Time;Temp"]
    for hour in [0, 1, *range(3, 24)]:
        lines += [f"2026-03-29 {hour:02d}:{minute:02d};4,0" for minute in (0, 15, 30, 45)]

    readings = read_logger_file("\n".join(lines))

    assert len(readings) == 92
    assert set(np.diff(readings.times).tolist()) == {900}


def test_a_time_in_the_skipped_march_hour_is_refused_naming_line_and_column():
    text = "Tijd;Temperatuur\n29/03/2026 01:45;4,0\n29/03/2026 02:15;4,0\n29/03/2026 03:00;4,0\n"

    [problem] = problems(text)

    assert problem.code == "nonexistent_local_time"
    assert problem.line == 3
    assert problem.column == "'Tijd' (1)"
    assert problem.text.startswith("line 3, column 'Tijd' (1): 2026-03-29 02:15:00 does not exist")
    assert "+01:00" in problem.text


def test_a_logger_keeping_winter_time_is_read_with_a_fixed_offset():
    text = "Tijd;Temperatuur\n29/03/2026 01:45;4,0\n29/03/2026 02:15;4,0\n29/03/2026 03:00;4,0\n"

    readings = read_logger_file(text, zone="+01:00")

    assert readings.times.tolist() == [
        utc(2026, 3, 29, 0, 45),
        utc(2026, 3, 29, 1, 15),
        utc(2026, 3, 29, 2),
    ]


@pytest.mark.parametrize(
    ("rows", "problem_text"),
    [
        ("2026-01-12 08:05,4\n2026-01-12 08:00,4\n", "is earlier than line 2"),
        ("2026-01-12 08:00,4\n2026-01-12 08:00,4\n", "is the same time as line 2"),
    ],
)
def test_readings_out_of_order_or_repeated_are_refused_naming_both_lines(rows, problem_text):
    [problem] = problems("Time,Temp\n" + rows)

    assert problem.code == "not_after_previous"
    assert problem.line == 3
    assert problem_text in problem.text


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("4,5,6", "not_a_number"),
        ("1.234,5", "not_a_number"),
        ("nan", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("1e300", "not_a_number"),
        ("9999999", "implausible_value"),
        ("55 %RH", "wrong_unit"),
        ("", "empty_cell"),
    ],
)
def test_a_bad_temperature_is_refused_naming_line_and_column(cell, code):
    [problem] = problems(f"Time;Temperatuur\n2026-01-12 08:00;4\n2026-01-12 08:05;{cell}\n")

    assert (problem.code, problem.line, problem.column) == (code, 3, "'Temperatuur' (2)")
    assert problem.text.startswith("line 3, column 'Temperatuur' (2): ")


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("yesterday", "not_a_time"),
        ("2026-02-30 08:00", "not_a_time"),
        ("2026-01-12 25:00", "not_a_time"),
        ("2026-01-12", "no_time_of_day"),
        ("0001-01-12 08:00", "implausible_year"),
        ("2026-01-12 08:00:00.250", "sub_second_time"),
        ("13/13/2026 08:00", "not_a_time"),
        ("x" * 1000, "not_a_time"),
    ],
)
def test_a_bad_time_is_refused_naming_line_and_column(cell, code):
    [problem] = problems(f"Time;Temp\n{cell};4\n")

    assert (problem.code, problem.line, problem.column) == (code, 2, "'Time' (1)")


@pytest.mark.parametrize(("cell", "code"), [("120", "implausible_value"), ("", "empty_cell")])
def test_a_bad_humidity_is_refused_naming_its_column(cell, code):
    [problem] = problems(f"Time;Temp;RH\n2026-01-12 08:00;4;{cell}\n")

    assert (problem.code, problem.column) == (code, "'RH' (3)")


def test_every_problem_is_listed_up_to_a_limit():
    rows = "".join(f"2026-01-12 08:{minute:02d};bad\n" for minute in range(30))

    found = problems("Time;Temp\n" + rows)

    assert len(found) == MAX_PROBLEMS
    assert [p.line for p in found[:3]] == [2, 3, 4]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "file_empty"),
        ("  \n\n", "file_empty"),
        ("Time,Temp\n2026-01-12 08:00,4\x00\n", "nul_character"),
        ("Time,Temp\n" + "1" * (MAX_LINE_CHARS + 1) + "\n", "line_too_long"),
        ("Time,Temp\n", "no_readings"),
        ("Moment of day,Value\n2026-01-12 08:00,4\n", "no_header"),
        ("Time,Temp 1,Temp 2\n2026-01-12 08:00,4,5\n", "ambiguous_column"),
        ("Time,Temp,Humidity\n2026-01-12 08:00,4\n", "short_row"),
    ],
)
def test_unreadable_files_are_refused_with_a_code(text, code):
    assert problems(text)[0].code == code


def test_a_mapping_names_columns_the_reader_does_not_know():
    text = "Wanneer;Koelcel 1;Koelcel 2\n2026-01-12 08:00;4,0;6,0\n"
    mapping = ColumnMapping(time="Wanneer", temperature="koelcel 2")

    readings = read_logger_file(text, mapping=mapping)

    assert readings.temperatures_c.tolist() == [6.0]
    assert readings.temperature_column == "'Koelcel 2' (3)"


def test_a_mapping_picks_one_of_several_temperature_columns_by_number():
    text = "Time,Temp 1,Temp 2\n2026-01-12 08:00,4,5\n"

    readings = read_logger_file(text, mapping=ColumnMapping(time=1, temperature=3))

    assert readings.temperatures_c.tolist() == [5.0]


def test_a_file_without_header_is_read_by_column_numbers():
    # The tab-separated records printed by the elitech-datareader tool: number, time, temperature
    text = "1\t2026-01-12 08:00:00\t4.5\n2\t2026-01-12 08:10:00\t4.6\n"
    mapping = ColumnMapping(time=2, temperature=3, has_header=False)

    readings = read_logger_file(text, mapping=mapping)

    assert readings.temperatures_c.tolist() == [4.5, 4.6]
    assert readings.lines.tolist() == [1, 2]


def test_a_mapping_by_numbers_keeps_the_first_row_when_it_is_a_reading():
    text = "1\t2026-01-12 08:00:00\t4.5\n2\t2026-01-12 08:10:00\t4.6\n"
    with_header = "Nr\tWhen\tValue\n" + text

    assert len(read_logger_file(text, mapping=ColumnMapping(time=2, temperature=3))) == 2
    assert len(read_logger_file(with_header, mapping=ColumnMapping(time=2, temperature=3))) == 2


def test_a_mapping_with_a_name_that_is_not_in_the_file_is_refused():
    [problem] = problems(
        "Time,Temp\n2026-01-12 08:00,4\n", mapping=ColumnMapping(time="Time", temperature="Probe")
    )

    assert problem.code == "missing_column"
    assert "'Probe'" in problem.text


@pytest.mark.parametrize(
    "columns",
    [
        {"time": 0, "temperature": 2},
        {"time": "", "temperature": 2},
        {"time": True, "temperature": 2},
        {"time": "x" * 300, "temperature": 2},
        {"time": 1, "temperature": 2, "unit": "K"},
        {"time": 1, "temperature": 2, "probe": 3},
    ],
)
def test_a_bad_mapping_is_refused(columns):
    with pytest.raises(ValidationError):
        ColumnMapping(**columns)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"zone": "Mars/Olympus"}, "zone"),
        ({"delimiter": "|"}, "delimiter"),
        ({"date_order": "myd"}, "date_order"),
        ({"layout": "testo"}, "layout"),
    ],
)
def test_bad_settings_are_refused_by_name(options, field):
    with pytest.raises(SeriesError) as refused:
        read_logger_file("Time,Temp\n2026-01-12 08:00,4\n", **options)

    assert refused.value.field == field


@pytest.mark.parametrize(
    ("first_date", "order", "month"),
    [
        ("13/01/2026", "day first", 1),  # 13 cannot be a month
        ("01/13/2026", "month first", 1),  # 13 cannot be a day
        ("02/03/2026", "day first", 3),  # nothing tells: Belgian settings, day first
    ],
)
def test_the_date_order_is_guessed_from_the_column(first_date, order, month):
    readings = read_logger_file(f"Time;Temp\n{first_date} 08:00;4\n")

    assert datetime.fromtimestamp(int(readings.times[0]), UTC).month == month
    assert f"dates read {order}" in [notice.text for notice in readings.notices]


def test_the_date_order_can_be_given():
    readings = read_logger_file("Time;Temp\n02/03/2026 08:00;4\n", date_order="mdy")

    assert datetime.fromtimestamp(int(readings.times[0]), UTC).day == 3


def test_a_header_with_bom_and_stray_spaces_is_recognised():
    # Govee-like: the first header cell goes on about the sampling frequency
    text = (
        "\ufeff Timestamp for sample frequency every 15 min min ,Temperature_Celsius,"
        "Relative_Humidity\n2026-01-12 08:00:00,4.6,53.7\n"
    )

    readings = read_logger_file(text)

    assert readings.temperatures_c.tolist() == [4.6]
    assert readings.humidity_pct is not None and readings.humidity_pct.tolist() == [53.7]


@pytest.mark.parametrize(
    "data",
    [
        "Time;Temp\n2026-01-12 08:00;4,5 °C\n".encode("utf-16"),
        "Time;Temp\n2026-01-12 08:00;4,5 °C\n".encode("utf-8-sig"),
        "Time;Temp\n2026-01-12 08:00;4,5 °C\n".encode(),
        "Time;Temp\n2026-01-12 08:00;4,5 °C\n".encode("cp1252"),
    ],
    ids=["utf-16", "utf-8-bom", "utf-8", "cp1252"],
)
def test_uploaded_bytes_are_decoded_whatever_the_windows_software_wrote(data):
    readings = read_logger_file(decode_logger_bytes(data))

    assert readings.temperatures_c.tolist() == [4.5]
