"""Raw-milk results from a lab's CSV file: every row or a clear refusal, never half."""

from __future__ import annotations

from datetime import date

import pytest

from dairyhaccp.lab.csv_import import (
    CsvImportError,
    decode_csv,
    parse_count,
    parse_day,
    parse_raw_milk_csv,
)

LONG_FILE = """date,parameter,value,unit,sample
2026-01-05,plate_count,80000,/ml,M-001
2026-01-05,somatic_cells,250000,/ml,M-001
2026-01-05,antibiotic_residues,not detected,,M-001
2026-01-20,e_coli,<10,cfu/g,M-002
2026-01-20,visible_cleanliness,ok,,M-002
"""

# A Belgian lab's export: semicolons, Dutch headers, day-first dates, thousands per ml.
WIDE_FILE = """Monsterdatum;Kiemgetal (x1000/ml);Celgetal;Remstoffen;Opmerking
05/01/2026;80;250 000;negatief;
20/01/2026;120;;positief;na behandeling koe 12
"""


def test_a_file_with_one_result_per_line_is_read_whole() -> None:
    rows = parse_raw_milk_csv(LONG_FILE)

    assert [(r.line, r.day, r.parameter, r.value) for r in rows] == [
        (2, date(2026, 1, 5), "plate_count", 80_000.0),
        (3, date(2026, 1, 5), "somatic_cells", 250_000.0),
        (4, date(2026, 1, 5), "antibiotic_residues", "not_detected"),
        (5, date(2026, 1, 20), "e_coli", 10.0),
        (6, date(2026, 1, 20), "visible_cleanliness", "ok"),
    ]
    assert rows[0].sample == "M-001"


def test_a_file_with_a_column_per_parameter_is_read_with_units_and_dutch_headers() -> None:
    rows = parse_raw_milk_csv(WIDE_FILE)

    assert [(r.day, r.parameter, r.value) for r in rows] == [
        (date(2026, 1, 5), "plate_count", 80_000.0),
        (date(2026, 1, 5), "somatic_cells", 250_000.0),
        (date(2026, 1, 5), "antibiotic_residues", "not_detected"),
        (date(2026, 1, 20), "plate_count", 120_000.0),
        (date(2026, 1, 20), "antibiotic_residues", "detected"),
    ]
    assert rows[-1].remark == "na behandeling koe 12"


def test_an_unknown_column_is_refused_by_name() -> None:
    text = "datum,kiemgetal,lactose\n2026-01-05,80000,4.6\n"

    with pytest.raises(CsvImportError) as refused:
        parse_raw_milk_csv(text)

    assert refused.value.errors[0].startswith("column 'lactose': unknown column")
    [problem] = refused.value.problems
    assert (problem.code, problem.column) == ("unknown_column", "lactose")


def test_a_broken_file_returns_nothing_and_lists_every_bad_line() -> None:
    text = (
        "date;parameter;value\n"
        "2026-01-05;plate_count;80000\n"
        "2026-02-30;plate_count;80000\n"
        "2026-01-06;plate_count;80.000\n"
        "2026-01-07;lactose;4\n"
        "2026-01-08;antibiotic_residues;maybe\n"
        "2026-01-09;plate_count;90000\n"
    )

    with pytest.raises(CsvImportError) as refused:
        parse_raw_milk_csv(text)

    errors = refused.value.errors
    assert [error.split(",")[0] for error in errors] == ["line 3", "line 4", "line 5", "line 6"]
    assert "column 'date'" in errors[0]
    assert "ambiguous" in errors[1]
    assert "'lactose' is not a parameter" in errors[2]
    assert "not one of detected, not detected" in errors[3]
    assert str(refused.value).endswith("(and 3 more)")
    problems = refused.value.problems
    assert [p.code for p in problems] == [
        "not_a_date",
        "ambiguous_number",
        "not_a_parameter",
        "not_a_word",
    ]
    assert [(p.line, p.column, p.value) for p in problems][1] == (4, "value", "80.000")


def test_parameters_the_milk_is_not_analysed_for_are_refused() -> None:
    with pytest.raises(CsvImportError, match=r"line 5, column 'value': your raw milk is not"):
        parse_raw_milk_csv(
            LONG_FILE,
            allowed_parameters={
                "plate_count",
                "somatic_cells",
                "antibiotic_residues",
                "visible_cleanliness",
            },
        )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "file: empty"),
        ("date,parameter,value\n", "file: no results"),
        ("parameter,value\nplate_count,1\n", "column 'date': missing"),
        ("date,value\n2026-01-05,1\n", "column 'parameter': missing"),
        ("date,parameter,value,kiemgetal\n2026-01-05,plate_count,1,2\n", "not both"),
        ("date,datum,kiemgetal\n2026-01-05,2026-01-05,1\n", "the same as column"),
        ("date,kiemgetal (per liter)\n2026-01-05,1\n", "unknown unit"),
        ("date,kiemgetal\n2026-01-05,1,extra\n", "more cells than"),
        ("date,kiemgetal,celgetal\n2026-01-05,,\n", "no result in any parameter column"),
        ("date,parameter,value,unit\n2026-01-05,kiemgetal,1,kg\n", "unknown unit 'kg'"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(text: str, problem: str) -> None:
    with pytest.raises(CsvImportError, match=problem):
        parse_raw_milk_csv(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("80000", 80_000), ("80 000", 80_000), ("1,5E5", 150_000), ("<10", 10), ("0,5", 0.5)],
)
def test_counts_are_read_in_the_usual_notations(text: str, value: float) -> None:
    assert parse_count(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["80.000", "1,500", ">300000", "-5", "0", "many"])
def test_ambiguous_or_impossible_counts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_count(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("05/01/2026", date(2026, 1, 5)),
        ("5.1.2026", date(2026, 1, 5)),
    ],
)
def test_dates_are_read_year_first_or_day_first(text: str, day: date) -> None:
    assert parse_day(text) == day


def test_a_windows_file_is_decoded() -> None:
    assert decode_csv("propreté".encode("cp1252")) == "propreté"
    assert decode_csv("\ufeffdate".encode()) == "date"
