"""The error the farm services raise for input they refuse."""

from __future__ import annotations


class FarmInputError(ValueError):
    """Input a service refuses, with the field at fault (web forms and the API show both)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
