"""What the API schema says beyond each route's own answer: closed sets of words, errors, pages.

`OneOf(choices)` turns a plain string field into an enum in the OpenAPI schema (and refuses
other values on input). `ERROR_RESPONSES` and `error_codes` describe the JSON error answers the
API really gives; `config.api.DocumentedNinjaAPI` adds them to every operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

# The lists' `limit` and `offset`: the largest page, and an offset beyond any real number of
# rows (SQLite refuses an OFFSET past a 64-bit integer).
MAX_PAGE = 500
MAX_OFFSET = 1_000_000_000


class OneOf:
    """`Annotated[str, OneOf(SomeChoices)]`: one of the values of a closed set."""

    def __init__(self, *sources: type[Enum] | Iterable[str], blank: bool = False) -> None:
        values: list[str] = [""] if blank else []
        for source in sources:
            members = (
                [member.value for member in source]
                if isinstance(source, type) and issubclass(source, Enum)
                else list(source)
            )
            values.extend(str(value) for value in members if str(value) not in values)
        self.values = tuple(values)

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Store the plain string, not the enum member.
        return core_schema.no_info_after_validator_function(
            str, core_schema.literal_schema(list(self.values))
        )


class ErrorOut(BaseModel):
    """Every refusal and error: one message, in the language asked for where there is one."""

    detail: str


class InvalidItemOut(BaseModel):
    """One problem of a request that does not fit the schema (pydantic's report)."""

    type: str
    loc: list[str | int]
    msg: str


class InvalidOut(BaseModel):
    """422: a message naming the field, or the list of fields that do not fit the schema."""

    detail: str | list[InvalidItemOut] = Field(
        description="A message naming the field, or one entry per field that does not fit"
    )


# The status codes the API answers with an error body, and what each means.
ERROR_RESPONSES: dict[int, tuple[type[BaseModel], str]] = {
    400: (ErrorOut, "Bad request: unreadable body, or a number the database cannot hold"),
    401: (ErrorOut, "No valid token"),
    403: (ErrorOut, "The token's role, or its period of access, does not allow this"),
    404: (ErrorOut, "Not found (or another operator's)"),
    409: (ErrorOut, "In conflict with what is stored"),
    422: (InvalidOut, "Input refused: the message names the field"),
    429: (ErrorOut, "Too many requests: try again later"),
    500: (ErrorOut, "Server error, logged"),
}


def error_codes(*codes: int) -> dict[int, type[BaseModel]]:
    """Extra error answers of one route, for its `response=` map (e.g. 404 without a path id)."""
    return {code: ERROR_RESPONSES[code][0] for code in codes}
