"""The error the records services raise for input they refuse."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from dairyhaccp.web.bounds import model_text_problems

_M = TypeVar("_M", bound=models.Model)


class RegistrationError(ValueError):
    """Input a service refuses, with the field at fault (web forms and the API show both)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def checked_for_storage(instance: _M) -> _M:
    """The row, if every text fits its column (checked here: SQLite would store it anyway)."""
    for field, problem in model_text_problems(instance):
        raise RegistrationError(field, problem)
    return instance


def create_checked(row: _M) -> _M:
    """Insert a new row whose texts fit their columns; RegistrationError names the field."""
    checked_for_storage(row).save(force_insert=True)
    return row
