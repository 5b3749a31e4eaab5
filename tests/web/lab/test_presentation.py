"""Every problem of a CSV import is worded for the reader, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from dairyhaccp.lab.csv_import import CsvImportError, CsvProblem, parse_raw_milk_csv
from dairyhaccp.web.lab.presentation import csv_problem_text

CODES = [
    ("file_empty", None),
    ("too_many_lines", None),
    ("no_results", None),
    ("unreadable", 3),
    ("unnamed_column", None),
    ("unknown_column", None),
    ("unknown_unit", None),
    ("unknown_unit", 3),
    ("duplicate_column", None),
    ("missing_date", None),
    ("mixed_forms", None),
    ("missing_beside", None),
    ("missing_parameter", None),
    ("extra_cells", 3),
    ("no_result_in_row", 3),
    ("not_a_parameter", 3),
    ("empty_value", 3),
    ("not_analysed", 3),
    ("not_a_date", 3),
    ("ambiguous_number", 3),
    ("lower_bound", 3),
    ("not_a_number", 3),
    ("not_positive", 3),
    ("not_a_word", 3),
]


@pytest.mark.parametrize(("code", "line"), CODES)
def test_every_problem_code_has_its_own_words(code: str, line: int | None) -> None:
    problem = CsvProblem(code, "core text", line=line, column="Kiemgetal", value="x")
    with translation.override("fr"):
        assert csv_problem_text(problem) != "core text"


def test_an_unknown_column_is_named_in_dutch() -> None:
    with pytest.raises(CsvImportError) as refused:
        parse_raw_milk_csv("datum;lactose\n05/01/2026;4\n")
    with translation.override("nl"):
        text = csv_problem_text(refused.value.problems[0])
    assert "“lactose”" in text
    assert text.startswith("Kolom")
