"""The numbers and names most measurements carry are taken by a short path: it must take
exactly what the full checks take, and leave every refusal to them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.guide import Guide, load_guide
from dairyhaccp.monitoring import MeasurementError, measurement_from_dict
from dairyhaccp.monitoring.measurement import (
    MAX_NAME_LENGTH,
    _text,
    on_site_parameters,
    parameter_value,
)

_GUIDE = load_guide()
_NUMBERS = [p for p in on_site_parameters(_GUIDE).values() if not p.is_boolean]


def _outcome(run: Any) -> object:
    try:
        value = run()
    except MeasurementError as exc:
        return ("refused", exc.field, exc.code, exc.problem, exc.params)
    return (type(value), value)


def _edges() -> list[object]:
    values: list[object] = []
    for p in _NUMBERS:
        assert p.min is not None and p.max is not None
        for bound in (p.min, p.max):
            values += [bound, bound + 0.5, bound - 0.5, int(bound), int(bound) + 1, int(bound) - 1]
    return values


_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-100, max_value=200),
    st.integers(),
    st.integers(min_value=-100, max_value=200),
    st.sampled_from([*_edges(), -0.0, 10**400, 2**53 + 1, True, False, "5", [5], None]),
)


@settings(max_examples=400, deadline=None)
@given(parameter=st.sampled_from(_NUMBERS), value=_VALUES)
def test_a_number_is_taken_or_refused_as_parameter_value_does(parameter: Any, value: Any) -> None:
    data = {"control": "CCP 3", parameter.id: value}
    measured = _outcome(lambda: measurement_from_dict(data, _GUIDE).values.get(parameter.id))
    if value is None:
        assert measured == (type(None), None)
    else:
        assert measured == _outcome(lambda: parameter_value(parameter, value))


_NAMES = st.one_of(
    st.text(max_size=5),
    st.text(min_size=MAX_NAME_LENGTH - 1, max_size=MAX_NAME_LENGTH + 1),
    st.sampled_from(["a\x00b", "milk", "", 5, 1.5, True, ["milk"]]),
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["control", "product", "category"]), value=_NAMES)
def test_a_name_is_taken_or_refused_as_text_does(name: str, value: Any) -> None:
    data = {"control": "CCP 3", name: value}
    measured = _outcome(lambda: getattr(measurement_from_dict(data, _GUIDE), name))
    assert measured == _outcome(lambda: _text(name, value, MAX_NAME_LENGTH))


def test_the_first_problem_in_field_order_is_the_one_reported(guide: Guide) -> None:
    data = {"control": "CCP 9", "temperature_c": 72.0, "hold_s": 1e9, "product": "a\x00"}
    with pytest.raises(MeasurementError) as raised:
        measurement_from_dict(data, guide)
    assert raised.value.field == "hold_s"
