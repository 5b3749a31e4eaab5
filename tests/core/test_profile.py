from __future__ import annotations

import pytest

from dairyhaccp.examples import example_profile
from dairyhaccp.profile import ProfileError, parse_profile_toml, profile_from_dict


def _profile(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "operator": {"name": "Hoeve Test"},
        "milk": {"own_animals": True, "species": ["cow"]},
        "products": [{"kind": "semi_hard_cheese", "raw_milk": True}],
    }
    data.update(overrides)
    return data


def test_the_demo_profile_is_valid() -> None:
    profile = parse_profile_toml(example_profile("demo"))
    assert profile.operator.name == "Hoeve Voorbeeld"
    assert [p.kind for p in profile.products] == ["semi_hard_cheese", "stirred_yoghurt", "butter"]
    assert profile.relaxations is True


def test_defaults_fill_in_what_the_profile_leaves_out() -> None:
    profile = profile_from_dict(_profile())
    # Without a word on the relaxations, the stricter regime: all checks, 2 years.
    assert profile.operator.relaxations is False
    assert profile.products[0].packaging == "none"


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        (_profile(products=[{"kind": "ice_cream"}]), "products[0].kind", "unknown product kind"),
        (_profile(products=[]), "products", "at least 1"),
        (_profile(colour="red"), "colour", "unknown field"),
        (
            _profile(products=[{"kind": "butter", "wrapping": "foil"}]),
            "products[0].wrapping",
            "unknown field",
        ),
        (
            _profile(products=[{"kind": "set_yoghurt", "raw_milk": True}]),
            "products[0]",
            "must be made from pasteurised milk",
        ),
        (
            _profile(products=[{"kind": "butter", "brined": True}]),
            "products[0]",
            "only cheese is brined",
        ),
        (
            _profile(products=[{"kind": "butter", "packaging": "tin"}]),
            "products[0].packaging",
            "unknown packaging",
        ),
        (
            _profile(milk={"own_animals": False, "delivers_to_buyers": True}),
            "milk",
            "delivers_to_buyers needs own_animals",
        ),
        (_profile(milk={"own_animals": True, "species": ["camel"]}), "milk.species", "camel"),
        (
            _profile(milk={"own_animals": False, "buys_raw_milk": False}),
            "profile",
            "a raw-milk product needs raw milk",
        ),
        ({"milk": {}, "products": [{"kind": "butter"}]}, "operator", "is required"),
        (_profile(operator={"name": "X", "relaxations": "maybe"}), "operator.relaxations", "bool"),
    ],
)
def test_bad_profiles_are_refused_naming_the_field(
    data: dict[str, object], field: str, problem: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_dict(data)
    assert caught.value.field == field
    assert problem in caught.value.problem


def test_invalid_toml_is_refused() -> None:
    with pytest.raises(ProfileError, match="not valid TOML"):
        parse_profile_toml("[operator\nname = 'x'")


def test_an_adaptation_needs_a_justification() -> None:
    data = _profile(
        adaptations=[{"kind": "drop_step", "flow": "cheese", "step": "brine", "justification": ""}]
    )
    with pytest.raises(ProfileError) as caught:
        profile_from_dict(data)
    assert caught.value.field == "adaptations[0].justification"


def test_an_adaptation_names_what_it_changes() -> None:
    data = _profile(adaptations=[{"kind": "change_limit", "justification": "Validated by lab."}])
    with pytest.raises(ProfileError) as caught:
        profile_from_dict(data)
    assert caught.value.field == "adaptations[0]"
    assert "needs control" in caught.value.problem
