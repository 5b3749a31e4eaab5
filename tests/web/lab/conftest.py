"""Fixtures of the lab tests: an operator with a plan, and helpers to enter results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from dairyhaccp.guide import Guide, load_guide
from dairyhaccp.lab.rules import lab_rules
from dairyhaccp.web.lab.models import RawMilkResult
from dairyhaccp.web.lab.services import RawMilkInput, record_raw_milk_result
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.services import save_profile

# A farm that milks its own cows, delivers milk to a dairy too, and makes raw-milk cheese,
# yoghurt and butter: plate count twice a month (rolling means of Reg. 853/2004).
FARM_PROFILE: dict[str, Any] = {
    "operator": {"name": "Hoeve De Wei"},
    "milk": {"own_animals": True, "species": ["cow"], "delivers_to_buyers": True},
    "products": [
        {"kind": "semi_hard_cheese", "name": "Hoevekaas", "raw_milk": True},
        {"kind": "stirred_yoghurt", "name": "Roeryoghurt"},
        {"kind": "butter", "name": "Hoeveboter"},
    ],
}
COW = ("cow", "own_delivered")


def give_farm_plan(operator: Operator, user: User, **milk: Any) -> None:
    profile = {**FARM_PROFILE, "milk": {**FARM_PROFILE["milk"], **milk}}
    save_profile(operator, user, profile)


@pytest.fixture
def farm(operator: Operator, owner: User) -> Operator:
    """The operator with the farm's plan."""
    give_farm_plan(operator, owner)
    return operator


@pytest.fixture
def enter_raw_milk(owner: User) -> Callable[..., RawMilkResult]:
    """Record a raw-milk result of the farm's cow milk."""

    def enter(
        operator: Operator, parameter: str, day: date, value: float | str, **extra: Any
    ) -> RawMilkResult:
        data = RawMilkInput(COW[0], COW[1], parameter, day, value, **extra)
        return record_raw_milk_result(operator, owner, data)

    return enter


def twice_a_month(months: list[tuple[int, int]], value: float) -> list[tuple[date, float]]:
    return [(date(y, m, d), value) for y, m in months for d in (5, 20)]


def changed_guide(
    plate_count_norm: float | None = None,
    staphylococci_m: float | None = None,
    version: str = "2",
) -> Guide:
    """The guide with a plate-count norm or the staphylococci m of raw-milk cheese changed, as
    another version."""
    guide = load_guide()
    rows = [
        row.model_copy(update={"norm": row.norm.model_copy(update={"value": plate_count_norm})})
        if plate_count_norm is not None and row.parameter == "plate_count"
        else row
        for row in guide.raw_milk_analyses
    ]
    families = [
        family.model_copy(
            update={
                "criteria": [
                    criterion.model_copy(update={"m": staphylococci_m})
                    if staphylococci_m is not None
                    and criterion.parameter == "coagulase_positive_staphylococci"
                    else criterion
                    for criterion in family.criteria
                ]
            }
        )
        for family in guide.product_families
    ]
    meta = guide.meta.model_copy(update={"version": version})
    return guide.model_copy(
        update={"raw_milk_analyses": rows, "product_families": families, "meta": meta}
    )


@pytest.fixture
def guide_in_force(monkeypatch: pytest.MonkeyPatch) -> Callable[[Guide], None]:
    """Put another guide in force for the lab (with the lab rules of the current one)."""

    def put(guide: Guide) -> None:
        rules = lab_rules(load_guide())
        version = rules.model_copy(
            update={"guide": rules.guide.model_copy(update={"version": guide.meta.version})}
        )
        known = {
            (rules.guide.id, rules.guide.version): rules,
            (guide.meta.id, guide.meta.version): version,
        }
        monkeypatch.setattr("dairyhaccp.lab.rules._all_rules", lambda: known)
        monkeypatch.setattr("dairyhaccp.web.lab.selectors.judging_guide", lambda: guide)

    return put
