"""JSON text read and written by orjson, with the standard library's results.

A long API list spent a third of its time decoding its rows' JSON columns and a fifth encoding
the answer. orjson does both several times faster. What it does otherwise is left to the
standard library: a text it refuses (NaN, a lone surrogate) or would read otherwise (an integer
past 64 bits, which it reads as a float) goes to the JSONField's own reading, and moments and
days are written as Django's encoder writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson
from django.db.models import JSONField
from django.http import HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)
_django_default = NinjaJSONEncoder().default
# orjson reads an integer past 64 bits as a float: a text with a number that long is read by
# the standard library (a long run of digits anywhere sends it there; a rare case).
_LONG_NUMBER = re.compile(r"\d{19}")


def dumps(data: Any) -> bytes:
    """`data` as JSON text, in UTF-8, as ninja's encoder gives it (moments, days, decimals,
    lazy texts and models the Django way)."""
    try:
        return orjson.dumps(data, default=_django_default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # What orjson cannot write (an integer past 64 bits, a key of its own kind).
        return json.dumps(data, cls=NinjaJSONEncoder).encode()


Converter = Callable[[Any, Any, Any], Any]


def faster_converter(function: Converter) -> Converter:
    """`function` (a column's converter), or, for a JSONField's own reading, the same reading
    done by orjson first."""
    field = getattr(function, "__self__", None)
    if getattr(function, "__func__", None) is not JSONField.from_db_value or (
        getattr(field, "decoder", None) is not None
    ):
        return function

    def from_db_value(value: Any, expression: Any, connection: Any) -> Any:
        if type(value) is str and not _LONG_NUMBER.search(value):
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                pass
        return function(value, expression, connection)

    return from_db_value


def json_response(data: Any) -> HttpResponse:
    """An API answer of data already in its route's response shape and types, written without
    a second pass through the schema (a long list spent a quarter of its time there); what
    ninja would write after that pass, as a test of each such route holds it to."""
    return HttpResponse(dumps(data), content_type="application/json; charset=utf-8")


class JSONTextRenderer(BaseRenderer):
    """ninja's JSON answers, written by `dumps`."""

    media_type = "application/json"

    def render(self, request: Any, data: Any, *, response_status: int) -> Any:
        return dumps(data)
