"""An adapted limit stays within its parameter's plausible range (parameters.yaml); NaN and
infinities are refused wherever a profile is read."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairyhaccp.cli import main
from dairyhaccp.examples import example_profile
from dairyhaccp.guide import Guide
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import ProfileError, parse_profile_toml, profile_from_dict

DAIRYHACCP = Path(sys.executable).parent / "dairyhaccp"
WHY = "Ripening at 10-12 °C, validated by our lab results of 2025."
DEMO = tomllib.loads(example_profile("demo"))


def adapted(**change: Any) -> dict[str, Any]:
    adaptation = {"kind": "change_limit", "justification": WHY, **change}
    return {**DEMO, "operator": {**DEMO["operator"], "home_made_starter": True}} | {
        "adaptations": [adaptation]
    }


def refusal(guide: Guide, **change: Any) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        build_plan(guide, profile_from_dict(adapted(**change)))
    return caught.value


def limit_after(guide: Guide, control: str, limit_id: str, **change: Any) -> Any:
    plan = build_plan(guide, profile_from_dict(adapted(control=control, limit=limit_id, **change)))
    return next(x for x in plan.control(control).limits if x.id == limit_id)


# Limits of the demo plan with one value, and the parameter each one reads.
SINGLE = [("CCP 9", "ccp9-milk", "hold_s"), ("CCP 3", "ccp3-chilled", "temperature_c")]


@pytest.mark.parametrize(("control", "limit_id", "parameter_id"), SINGLE)
def test_a_limit_may_be_set_to_either_end_of_its_range(
    guide: Guide, control: str, limit_id: str, parameter_id: str
) -> None:
    parameter = guide.parameter(parameter_id)
    assert parameter.min is not None and parameter.max is not None

    for end in (parameter.min, parameter.max):
        assert limit_after(guide, control, limit_id, value=end).value == end


@pytest.mark.parametrize(("control", "limit_id", "parameter_id"), SINGLE)
def test_a_limit_just_outside_its_range_is_refused_naming_the_range(
    guide: Guide, control: str, limit_id: str, parameter_id: str
) -> None:
    parameter = guide.parameter(parameter_id)
    assert parameter.min is not None and parameter.max is not None

    for outside in (parameter.min - 0.1, parameter.max + 0.1, 1e300, -1e300):
        error = refusal(guide, control=control, limit=limit_id, value=outside)
        assert error.field == "adaptations[0].value"
        assert f"plausible range of {parameter_id}" in error.problem
        assert f"{parameter.min:g} to {parameter.max:g} {parameter.unit}" in error.problem


@settings(max_examples=60, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_value_is_taken_exactly_when_it_is_plausible(guide: Guide, value: float) -> None:
    parameter = guide.parameter("temperature_c")
    assert parameter.min is not None and parameter.max is not None
    profile = profile_from_dict(adapted(control="CCP 3", limit="ccp3-chilled", value=value))

    if parameter.min <= value <= parameter.max:
        assert limit_after(guide, "CCP 3", "ccp3-chilled", value=value).value == value
    else:
        with pytest.raises(ProfileError, match="plausible range"):
            build_plan(guide, profile)


@pytest.mark.parametrize(("low", "high", "field"), [(-61, 12, "low"), (10, 151, "high")])
def test_both_ends_of_a_range_are_checked(
    guide: Guide, low: float, high: float, field: str
) -> None:
    error = refusal(guide, control="CCP 13", limit="ccp13-hard-temperature", low=low, high=high)

    assert error.field == f"adaptations[0].{field}"


def test_a_counted_limit_takes_whole_numbers_only(guide: Guide) -> None:
    starter = ("PVA 11", "pva11-industrial-starter")

    assert limit_after(guide, *starter, value=6).value == 6
    error = refusal(guide, control=starter[0], limit=starter[1], value=4.5)
    assert error.field == "adaptations[0].value"
    assert "whole number" in error.problem


def test_a_yes_no_finding_has_no_value_to_change(guide: Guide) -> None:
    error = refusal(guide, control="PVA 2", limit="pva2-salmonella", value=1)

    assert error.field == "adaptations[0].limit"
    assert "yes/no" in error.problem


@pytest.mark.parametrize("field", ["value", "low", "high"])
@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinities_are_refused_by_the_profile(field: str, number: float) -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_dict(adapted(control="CCP 9", limit="ccp9-milk", **{field: number}))

    assert caught.value.field == f"adaptations[0].{field}"
    assert "not a finite number" in caught.value.problem


@pytest.mark.parametrize(("field", "text"), [("ph", "nan"), ("aw", "inf"), ("ph", "-inf")])
def test_nan_and_infinities_are_refused_in_a_product_too(field: str, text: str) -> None:
    toml = f'[operator]\nname = "X"\n[[products]]\nkind = "butter"\n{field} = {text}\n'

    with pytest.raises(ProfileError) as caught:
        parse_profile_toml(toml)

    assert caught.value.field == f"products[0].{field}"


NAN_PROFILE = example_profile("demo") + (
    '\n[[adaptations]]\nkind = "change_limit"\ncontrol = "CCP 13"\n'
    'limit = "ccp13-hard-temperature"\nlow = nan\nhigh = inf\n'
    f'justification = "{WHY}"\n'
)


def test_the_plan_command_refuses_nan_in_one_line_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(NAN_PROFILE, encoding="utf-8")

    code = main(["plan", str(path)])

    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == "dairyhaccp: error: adaptations[0].low: nan is not a finite number\n"


def test_the_installed_command_exits_2_and_never_prints_nan(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(NAN_PROFILE, encoding="utf-8")

    for argv in (["plan", str(path)], ["evaluate", "--profile", str(path)]):
        done = subprocess.run(
            [str(DAIRYHACCP), *argv],
            input="",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.splitlines() == [
            "dairyhaccp: error: adaptations[0].low: nan is not a finite number"
        ]
