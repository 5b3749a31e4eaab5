"""Judging finished-product results against table 5.2 of the module (Regulation 2073/2005).

The product (kind, raw milk or not) selects its product family; the parameter selects the
family's criterion, narrowed by raw milk and ripening, and for Listeria monocytogenes by the
product's properties (`lab.listeria`). A criterion given by the operator may replace n, c, m
and M. The verdict follows `lab.sampling`; a food-safety (VV) failure asks for withdrawal or
recall, notification when the product left the operator's control and a search for the cause;
a process-hygiene (PH) result that is not satisfactory asks for better hygiene and raw materials.
Staphylococci above 10^5 cfu/g make the enterotoxin test due.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from dairyhaccp.guide.models import Criterion, Guide, ProductFamily
from dairyhaccp.lab.actions import Action
from dairyhaccp.lab.findings import check_count, check_finite, shown
from dairyhaccp.lab.listeria import (
    ListeriaChoice,
    ListeriaLimit,
    choose_listeria_criterion,
    module_row_without_ph,
)
from dairyhaccp.lab.rules import lab_rules
from dairyhaccp.lab.sampling import SamplingVerdict, Verdict, judge_criterion
from dairyhaccp.plan.builder import RIPENED_CHEESE
from dairyhaccp.profile import ProductSpec

LISTERIA = "listeria_monocytogenes"
STAPHYLOCOCCI = "coagulase_positive_staphylococci"
ENTEROTOXIN_TRIGGER_CFU_G = 1e5
PRESENCE_UNITS = frozenset({"absence_25g", "not_detected_25g"})
PRODUCT_PARAMETERS: tuple[str, ...] = (
    LISTERIA,
    "salmonella",
    "enterobacteriaceae",
    "e_coli",
    STAPHYLOCOCCI,
    "staphylococcal_enterotoxins",
)
OVERRIDE_KEYS: tuple[str, ...] = ("n", "c", "m", "M", "type")

# The Listeria criterion of the guide data that matches each choice of `choose_listeria_criterion`.
_LISTERIA_KEYS: dict[ListeriaLimit, tuple[str, str]] = {
    ListeriaLimit.MARKET_COUNT_LIMIT: ("cannot_support", "any"),
    ListeriaLimit.SHELF_LIFE_COUNT_LIMIT: ("supports", "shown_through_shelf_life"),
    ListeriaLimit.ABSENT_IN_25G: ("supports", "not_shown"),
}


@dataclass(frozen=True, slots=True)
class CriterionChoice:
    """The family and criterion of table 5.2 that apply to a product and parameter."""

    family: ProductFamily
    family_by_group: bool
    criterion: Criterion | None
    listeria: ListeriaChoice | None


@dataclass(frozen=True, slots=True)
class ProductJudgement:
    """The verdict on a finished product's results, with what the module requires."""

    product: ProductSpec
    parameter: str
    family: ProductFamily
    family_by_group: bool
    criterion: Criterion
    overridden: bool
    listeria: ListeriaChoice | None
    sampling: SamplingVerdict
    left_control: bool | None
    notify_favv: bool
    enterotoxin_test_due: bool
    actions: tuple[Action, ...]
    guide_version: str = ""

    @property
    def verdict(self) -> Verdict:
        return self.sampling.verdict

    @property
    def type(self) -> str:
        return self.criterion.type


def _family_fits(family: ProductFamily, product: ProductSpec) -> bool:
    return family.raw_milk is None or family.raw_milk == product.raw_milk


def product_family(guide: Guide, product: ProductSpec) -> tuple[ProductFamily, bool]:
    """The product's family of table 5.2, and whether it was found through the product group.

    A kind the guide does not sample periodically (hard cheese) takes the family of its group:
    the regulation's criteria apply when it is tested.
    """
    for family in guide.product_families:
        if product.kind in family.kinds and _family_fits(family, product):
            return family, False
    group = guide.product(product.kind).family_group
    for family in guide.product_families:
        same_group = any(guide.product(kind).family_group == group for kind in family.kinds)
        if same_group and _family_fits(family, product):
            return family, True
    milk = "raw milk" if product.raw_milk else "heat-treated milk"
    raise ValueError(f"product.kind: table 5.2 has no product family for {product.kind} ({milk})")


def _fits_product(criterion: Criterion, product: ProductSpec) -> bool:
    raw_ok = criterion.raw_milk is None or criterion.raw_milk == product.raw_milk
    ripened = product.kind in RIPENED_CHEESE
    return raw_ok and (criterion.ripened is None or criterion.ripened == ripened)


def _limit_of(criterion: Criterion) -> ListeriaLimit:
    for limit, (growth, proof) in _LISTERIA_KEYS.items():
        if criterion.listeria_growth == growth and criterion.listeria_proof in (proof, "any"):
            return limit
    raise ValueError(f"parameter: criterion {criterion.id} is no Listeria criterion of the table")


def _listeria_choice(
    guide: Guide, family: ProductFamily, product: ProductSpec, candidates: list[Criterion]
) -> ListeriaChoice:
    """The Listeria criterion from the product's properties, or, for a product without a pH in
    a family whose module row presumes its pH (lab rules), that row."""
    choice = choose_listeria_criterion(
        guide.listeria,
        product.ph,
        product.aw,
        product.shelf_life_days,
        product.frozen,
        product.challenge_test,
    )
    row = lab_rules(guide).listeria_row_without_ph(family.id)
    if row is None or product.ph is not None or not choice.growth_possible:
        return choice
    module_row = next((c for c in candidates if c.id == row), None)
    if module_row is None:
        return choice
    return module_row_without_ph(guide.listeria, _limit_of(module_row))


def choose_criterion(guide: Guide, product: ProductSpec, parameter: str) -> CriterionChoice:
    """The criterion of table 5.2 for the product and parameter (None when the table has none)."""
    if parameter not in PRODUCT_PARAMETERS:
        raise ValueError(f"parameter: {parameter!r} is not one of {', '.join(PRODUCT_PARAMETERS)}")
    family, by_group = product_family(guide, product)
    candidates = [
        c for c in family.criteria if c.parameter == parameter and _fits_product(c, product)
    ]
    listeria = None
    if parameter == LISTERIA:
        listeria = _listeria_choice(guide, family, product, candidates)
        growth, proof = _LISTERIA_KEYS[listeria.limit]
        candidates = [
            c
            for c in candidates
            if c.listeria_growth in (growth, "any") and c.listeria_proof in (proof, "any")
        ]
    if len(candidates) > 1:
        ids = ", ".join(c.id for c in candidates)
        raise ValueError(f"parameter: several criteria apply to {parameter!r}: {ids}")
    criterion = candidates[0] if candidates else None
    return CriterionChoice(family, by_group, criterion, listeria)


def parameters_for_product(guide: Guide, product: ProductSpec) -> list[str]:
    """The parameters table 5.2 tests the product for, in the table's order."""
    family, _ = product_family(guide, product)
    fitting = (c.parameter for c in family.criteria if _fits_product(c, product))
    return list(dict.fromkeys(fitting))


def apply_override(
    criterion: Criterion | None, parameter: str, override: Mapping[str, Any]
) -> Criterion:
    """The criterion with n, c, m, M (and type) replaced by the operator's own values.

    Without a criterion in the table the override must give n, c and type. Giving m makes a
    count criterion; "M": None makes a 2-class plan.
    """
    unknown = sorted(set(override) - set(OVERRIDE_KEYS))
    if unknown:
        known = ", ".join(OVERRIDE_KEYS)
        raise ValueError(f"criterion.{unknown[0]}: unknown field; known: {known}")
    if criterion is None:
        for key in ("n", "c", "type"):
            if key not in override:
                raise ValueError(
                    f"criterion.{key}: needed, as table 5.2 has no criterion for {parameter!r}"
                )
        data: dict[str, Any] = {
            "id": f"{parameter}-own",
            "parameter": parameter,
            "unit": "absence_25g",
            "stage": {"nl": "Eigen criterium", "en": "Own criterion", "fr": "Critère propre"},
            "source": {"section": "5.2", "note": "criterion given by the operator"},
        }
    else:
        data = criterion.model_dump()
        data["id"] = f"{criterion.id}-own"
    data.update(override)
    _check_plan(data)
    if data.get("m") is not None and data["unit"] in PRESENCE_UNITS:
        data["unit"] = "cfu/g"
    if data.get("m") is None and data["unit"] not in PRESENCE_UNITS:
        raise ValueError("criterion.m: a count criterion needs m")
    if data["unit"] in PRESENCE_UNITS:
        data["m"] = data["M"] = None
    try:
        return Criterion.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"]) or "criterion"
        message = first["msg"].removeprefix("Value error, ")
        raise ValueError(f"criterion.{location}: {message}") from exc


def _check_plan(data: dict[str, Any]) -> None:
    """Refuse impossible plan values; the messages name the field of the override."""
    try:
        given_n: Any = data.get("n")
        given_c: Any = data.get("c")
        n = check_count("n", given_n, minimum=1)
        c = check_count("c", given_c, minimum=0)
        if c > n:
            raise ValueError(f"c: {c} is more than n = {n}")
        limits: dict[str, float] = {}
        for name in ("m", "M"):
            value = data.get(name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name}: {shown(value)} is not a number")
            try:
                number = float(value)
            except OverflowError:
                raise ValueError(f"{name}: the number is too large") from None
            limits[name] = check_finite(name, number, minimum=0)
        if "m" in limits and "M" in limits and limits["M"] < limits["m"]:
            raise ValueError(f"M: {limits['M']:g} is below m = {limits['m']:g}")
        if data.get("type") not in ("VV", "PH"):
            raise ValueError(f"type: {shown(data.get('type'))} is not one of VV, PH")
    except ValueError as exc:
        raise ValueError(f"criterion.{exc}") from exc


def _actions(
    criterion: Criterion, verdict: Verdict, left_control: bool | None, enterotoxins: bool
) -> list[Action]:
    actions: list[Action] = []
    if criterion.type == "VV" and verdict is Verdict.UNSATISFACTORY:
        if left_control is False:
            actions.append(Action.HOLD_LOT)
        else:
            actions.append(
                Action.NOTIFY_FAVV_PRODUCT_LEFT_CONTROL
                if left_control
                else Action.NOTIFY_FAVV_IF_PRODUCT_LEFT_CONTROL
            )
            actions.append(Action.WITHDRAW_OR_RECALL)
        actions += [Action.FIND_CAUSE, Action.CLEAN_DISINFECT_TRAIN, Action.INCREASE_FREQUENCY]
    elif criterion.type == "PH" and verdict is not Verdict.SATISFACTORY:
        actions.append(Action.IMPROVE_PROCESS_HYGIENE)
        if verdict is Verdict.UNSATISFACTORY:
            actions.append(Action.INCREASE_FREQUENCY)
    if enterotoxins:
        actions.append(Action.TEST_ENTEROTOXINS)
    return actions


def judge_product(
    guide: Guide,
    product: ProductSpec,
    parameter: str,
    results: Sequence[float] | Sequence[str],
    *,
    override: Mapping[str, Any] | None = None,
    left_control: bool | None = None,
) -> ProductJudgement:
    """Judge the sub-sample results of a finished product for one parameter.

    `left_control`: whether the lot has left the operator's direct control; unknown (None) is
    treated as possibly, so a food-safety failure is reported to the FAVV.
    """
    choice = choose_criterion(guide, product, parameter)
    criterion = choice.criterion
    if override:
        criterion = apply_override(criterion, parameter, override)
    elif criterion is None:
        known = ", ".join(parameters_for_product(guide, product)) or "none"
        raise ValueError(
            f"parameter: table 5.2 has no criterion for {parameter!r} in {choice.family.id}; "
            f"it tests: {known}; give a criterion to judge it anyway"
        )
    sampling = judge_criterion(criterion, results)
    enterotoxins = parameter == STAPHYLOCOCCI and any(
        not isinstance(value, str) and value > ENTEROTOXIN_TRIGGER_CFU_G for value in results
    )
    failed_vv = criterion.type == "VV" and sampling.verdict is Verdict.UNSATISFACTORY
    return ProductJudgement(
        product=product,
        parameter=parameter,
        family=choice.family,
        family_by_group=choice.family_by_group,
        criterion=criterion,
        overridden=bool(override),
        listeria=choice.listeria,
        sampling=sampling,
        left_control=left_control,
        notify_favv=failed_vv and left_control is not False,
        enterotoxin_test_due=enterotoxins,
        actions=tuple(_actions(criterion, sampling.verdict, left_control, enterotoxins)),
        guide_version=guide.meta.version,
    )
