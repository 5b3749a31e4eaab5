"""JSON read and written by orjson gives what the standard library and ninja's encoder give."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import JSONField
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from ninja.responses import NinjaJSONEncoder

from dairyhaccp.web.jsontext import dumps, faster_converter

# No database is read; the suite's set-up of each test empties one.
pytestmark = pytest.mark.django_db


def _json_field_reading() -> Any:
    field = JSONField()
    field.set_attributes_from_name("values")
    return field.from_db_value


def loads(text: str) -> Any:
    return faster_converter(_json_field_reading())(text, None, None)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _same(a: Any, b: Any) -> bool:
    """Equal, with the types of numbers kept (1 and 1.0 differ) and -0.0 apart from 0.0."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


@given(json_values)
def test_reading_gives_what_the_standard_library_reads(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert _same(loads(text), json.loads(text))


@given(json_values)
def test_writing_reads_back_as_ninjas_encoder_wrote_it(value: Any) -> None:
    written = dumps(value)
    assert isinstance(written, bytes)
    assert _same(json.loads(written), json.loads(json.dumps(value, cls=NinjaJSONEncoder)))


@pytest.mark.parametrize(
    "text",
    ["NaN", "[Infinity, -Infinity]", str(10**30), '"\\ud800"', '{"a": 1, "a": 2}', "-0", "1e400"],
)
def test_texts_orjson_refuses_or_reads_its_own_way_read_as_the_standard_library_does(
    text: str,
) -> None:
    expected, found = json.loads(text), loads(text)
    assert repr(found) == repr(expected)


def test_moments_days_decimals_uuids_and_lazy_texts_are_written_the_django_way() -> None:
    value = {
        "at": datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC),
        "on": date(2026, 3, 29),
        "amount": Decimal("1.50"),
        "chain": uuid.UUID(int=7),
        "label": gettext_lazy("Deviation"),
        7: "a key that is a number",
        "big": 10**30,
    }
    assert json.loads(dumps(value)) == json.loads(json.dumps(value, cls=NinjaJSONEncoder))
    assert json.loads(dumps({"at": value["at"]}))["at"] == "2026-03-29T01:30:15.123Z"


def test_a_json_fields_reading_is_made_faster_with_the_same_results() -> None:
    reading = _json_field_reading()
    converter = faster_converter(reading)
    assert converter is not reading
    for stored in ('{"temperature_c": 4.5}', "not json", None, "[-9223372036854775809]"):
        assert repr(converter(stored, None, None)) == repr(reading(stored, None, None))


def test_other_converters_and_fields_with_their_own_decoder_are_left_alone() -> None:
    own = JSONField(decoder=json.JSONDecoder)

    def other(value: Any, expression: Any, connection: Any) -> Any:
        return value

    assert faster_converter(own.from_db_value) == own.from_db_value
    assert faster_converter(other) is other
