"""Errors of this context: typed (where and what) until the edge that words them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One thing wrong with a logger file: a code, where, and `text` saying it in English.

    Codes: file_empty, too_large, nul_character, line_too_long, unreadable, not_a_layout,
    no_header, missing_column, ambiguous_column, unknown_column, short_row, empty_cell,
    not_a_time, no_time_of_day, sub_second_time, implausible_year, nonexistent_local_time,
    not_after_previous, not_a_number, wrong_unit, implausible_value, no_readings,
    too_many_readings.
    """

    code: str
    text: str
    line: int | None = None
    column: str = ""
    value: str = ""


class LoggerFileError(ValueError):
    """A logger file that cannot be read, with every problem found (up to a limit)."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = tuple(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0].text}{more}")


class SeriesError(ValueError):
    """Arrays or settings that cannot be judged: the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
