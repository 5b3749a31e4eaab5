"""A plan's limits in words, in the plan's language: never the rule as the code writes it."""

from __future__ import annotations

import re
import tomllib

import pytest

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.wording import limit_in_words, limit_requirement_words
from dairyhaccp.plan import build_plan
from dairyhaccp.plan.models import PlanLimit
from dairyhaccp.profile import profile_from_dict

GUIDE = load_guide()
PLAN = build_plan(GUIDE, profile_from_dict(tomllib.loads(example_profile("demo"))))
LIMITS = {limit.id: (control.id, limit) for control in PLAN.controls for limit in control.limits}


def words(limit_id: str, lang: str) -> str:
    control_id, limit = LIMITS[limit_id]
    derivation = GUIDE.control(control_id).derivation(limit.parameter)
    return limit_in_words(limit, lang, derivation.since if derivation else None)


@pytest.mark.parametrize(
    ("limit_id", "lang", "expected"),
    [
        ("ccp2-raw-milk-temperature", "en", "temperature at most 6 °C"),
        ("ccp2-raw-milk-time", "en", "within 2 h of milking"),
        ("ccp2-raw-milk-time", "nl", "binnen 2 h na het melken"),
        ("ccp2-raw-milk-time", "fr", "dans les 2 h suivant la traite"),
        ("ccp9-milk", "en", "hold time at least 15 s at 71.7 °C"),
        ("ccp9-milk", "nl", "houdtijd minstens 15 s bij 71,7 °C"),
        ("ccp9-milk", "fr", "temps de maintien au moins 15 s à 71,7 °C"),
        ("ccp2-antibiotics", "en", "antibiotic residues in order"),
    ],
)
def test_limits_in_words(limit_id: str, lang: str, expected: str) -> None:
    assert words(limit_id, lang) == expected


def test_no_limit_of_the_demo_plan_is_worded_as_code() -> None:
    code = re.compile(r"[<>=]|_[a-z]|@")
    for lang in ("nl", "fr", "en"):
        for limit_id in LIMITS:
            assert not code.search(words(limit_id, lang)), (limit_id, lang)


def test_a_changed_limit_words_the_guide_value_too() -> None:
    _control, limit = LIMITS["ccp2-raw-milk-temperature"]
    changed = PlanLimit.model_validate(
        {**limit.model_dump(), "value": 5.5, "guide_value": limit.value, "justification": "x" * 12}
    )
    assert limit_requirement_words(changed, "fr") == "au plus 5,5 °C"
    assert limit_requirement_words(changed, "fr", value=changed.guide_value) == "au plus 6 °C"


def test_a_range_a_tolerance_and_a_category_value_in_words() -> None:
    temperature = next(limit for _c, limit in LIMITS.values() if limit.comparison == "between")
    assert limit_requirement_words(temperature, "en").startswith("between ")
    tolerant = [limit for _c, limit in LIMITS.values() if limit.tolerance is not None]
    assert tolerant, "the demo plan has a limit with a short fluctuation"
    assert "a short rise of up to" in limit_requirement_words(tolerant[0], "en")
    from_category = [limit for _c, limit in LIMITS.values() if limit.value_from is not None]
    assert from_category, "the demo plan has a limit that takes its value from elsewhere"
    for limit in from_category:
        assert limit_requirement_words(limit, "en").startswith("at most the ")
