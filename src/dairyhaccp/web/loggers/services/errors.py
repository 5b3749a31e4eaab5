"""The error the loggers services raise for input they refuse."""

from __future__ import annotations


class LoggerError(ValueError):
    """Input a service refuses: the field at fault and the problem in the page's language."""

    def __init__(self, field: str, problem: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        # Every problem found (a file's lines), worded; `problem` is the first.
        self.problems = problems or (problem,)
