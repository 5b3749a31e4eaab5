"""Judge one measurement against the limits of its control: conform, warning or deviation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from dairyhaccp.guide.models import Control, Guide, Limit, StorageCategory, Text
from dairyhaccp.monitoring.measurement import Measurement, MeasurementError
from dairyhaccp.plan.conditions import operator_matches
from dairyhaccp.plan.models import Plan, PlanLimit
from dairyhaccp.profile import ProductSpec
from dairyhaccp.thermal import required_hold_s
from dairyhaccp.vocabulary import MEDIA, OPERATOR_CONDITION_KEYS, PRODUCT_KINDS

# The guide allows "a short upward fluctuation" without saying how short. Defrost cycles,
# loading and refilling a cabinet take minutes, not hours: half an hour is the default.
DEFAULT_MAX_SHORT_FLUCTUATION_MIN = 30.0


class Verdict(StrEnum):
    CONFORM = "conform"
    WARNING = "warning"
    DEVIATION = "deviation"


class FindingCode(StrEnum):
    BELOW_MINIMUM = "below_minimum"
    ABOVE_MAXIMUM = "above_maximum"
    OUTSIDE_RANGE = "outside_range"
    NOT_OK = "not_ok"
    HOLD_TOO_SHORT = "hold_too_short"
    TEMPERATURE_NOT_VALIDATED = "temperature_not_validated"
    SHORT_FLUCTUATION = "short_fluctuation"
    FLUCTUATION_TOO_LONG = "fluctuation_too_long"


@dataclass(frozen=True)
class Finding:
    """One limit not met: what was measured and what was required."""

    code: FindingCode
    limit_id: str
    parameter: str
    measured: float | bool
    required: str
    unit: str
    level: str
    limit_text: Text
    severity: Verdict


@dataclass(frozen=True)
class Evaluation:
    """The verdict on one measurement, with every finding and the actions to choose from."""

    control: str
    verdict: Verdict
    findings: tuple[Finding, ...]
    required: dict[str, float] = field(default_factory=dict)
    checked_limits: tuple[str, ...] = ()
    corrective_actions: tuple[Text, ...] = ()


@dataclass(frozen=True)
class EvaluationSettings:
    max_short_fluctuation_min: float = DEFAULT_MAX_SHORT_FLUCTUATION_MIN


def _kind_of(product: str | None, plan: Plan | None) -> str | None:
    if product is None or product in PRODUCT_KINDS or product in MEDIA:
        return product
    if plan is not None:
        for spec in plan.profile.products:
            if spec.name == product:
                return spec.kind
    known = ", ".join((*PRODUCT_KINDS, *MEDIA))
    raise MeasurementError("product", f"unknown product {product!r}; known: {known}")


def _profile_products(kind: str | None, plan: Plan | None) -> list[ProductSpec]:
    if plan is None:
        return []
    same_kind = [p for p in plan.profile.products if p.kind == kind]
    return same_kind or list(plan.profile.products)


def _when_holds(
    limit: Limit, measurement: Measurement, kind: str | None, plan: Plan | None
) -> bool:
    if plan is not None and not operator_matches(limit.when, plan.profile):
        return False
    candidates = _profile_products(kind, plan)
    for key, wanted in limit.when.items():
        if key in OPERATOR_CONDITION_KEYS:
            continue
        explicit = getattr(measurement, key, None) if key != "kind" else kind
        if explicit is not None:
            values: list[object] = [explicit]
        elif candidates:
            values = [getattr(p, key) for p in candidates]
        else:
            continue
        if not any(v in wanted if isinstance(wanted, list) else v == wanted for v in values):
            return False
    return True


def _storage_limit_applies(limit: Limit, measurement: Measurement, kind: str | None) -> bool:
    frozen = measurement.category == "frozen" or kind == "frozen"
    if limit.value_from == "storage_category":
        return not frozen and (measurement.category is not None or kind in limit.products)
    return frozen


def _exempted(limit: Limit, measurement: Measurement) -> bool:
    if limit.unless is None:
        return False
    value = measurement.value_of(limit.unless.parameter)
    return isinstance(value, (int, float)) and limit.unless.holds(float(value))


def _applies(limit: Limit, measurement: Measurement, kind: str | None, plan: Plan | None) -> bool:
    if measurement.value_of(limit.parameter) is None:
        return False
    if not _when_holds(limit, measurement, kind, plan):
        return False
    if limit.tolerance is not None:
        return _storage_limit_applies(limit, measurement, kind)
    return not limit.products or kind in limit.products


@dataclass(frozen=True)
class _Rule:
    """A limit's values as they hold for this operator (their own where they changed them)."""

    limit: Limit
    value: float | None
    low: float | None
    high: float | None


def _rule(limit: Limit, adapted: dict[str, PlanLimit]) -> _Rule:
    own = adapted.get(limit.id)
    if own is None:
        return _Rule(limit, limit.value, limit.low, limit.high)
    return _Rule(limit, own.value, own.low, own.high)


def _finding(
    rule: _Rule, code: FindingCode, measured: float | bool, required: str, severity: Verdict
) -> Finding:
    limit = rule.limit
    return Finding(
        code=code,
        limit_id=limit.id,
        parameter=limit.parameter,
        measured=measured,
        required=required,
        unit=limit.unit,
        level=limit.level,
        limit_text=limit.text,
        severity=severity,
    )


def _breach(rule: _Rule) -> Verdict:
    return Verdict.WARNING if rule.limit.level == "guide_value" else Verdict.DEVIATION


def _compare(rule: _Rule, measured: float | bool) -> Finding | None:
    comparison = rule.limit.comparison
    if comparison == "is_true":
        ok = measured is True
        return None if ok else _finding(rule, FindingCode.NOT_OK, measured, "OK", _breach(rule))
    value = float(measured)
    if comparison == "between":
        assert rule.low is not None and rule.high is not None
        if rule.low <= value <= rule.high:
            return None
        required = f"{rule.low:g}–{rule.high:g}"
        return _finding(rule, FindingCode.OUTSIDE_RANGE, value, required, _breach(rule))
    assert rule.value is not None
    bound = rule.value
    checks = {
        "<": (value < bound, FindingCode.ABOVE_MAXIMUM),
        "<=": (value <= bound, FindingCode.ABOVE_MAXIMUM),
        ">": (value > bound, FindingCode.BELOW_MINIMUM),
        ">=": (value >= bound, FindingCode.BELOW_MINIMUM),
        "==": (value == bound, FindingCode.OUTSIDE_RANGE),
    }
    ok, code = checks[comparison]
    return None if ok else _finding(rule, code, value, f"{comparison} {bound:g}", _breach(rule))


def _pasteurisation(
    rule: _Rule, measurement: Measurement, guide: Guide, required: dict[str, float]
) -> Finding | None:
    table = guide.pasteurisation
    limit = rule.limit
    assert limit.at_temperature_c is not None and rule.value is not None
    if measurement.temperature_c is None:
        raise MeasurementError("temperature_c", f"{limit.id} needs the held temperature")
    hold = measurement.hold_s
    assert hold is not None
    medium = "cream" if limit.at_temperature_c == table.cream_temperature_c else "milk"
    at_temperature = required_hold_s(table, medium, measurement.temperature_c)
    if at_temperature is None:
        lowest = min(p.temperature_c for p in table.points)
        return _finding(
            rule,
            FindingCode.TEMPERATURE_NOT_VALIDATED,
            measurement.temperature_c,
            f">= {lowest:g} °C",
            Verdict.DEVIATION,
        )
    reference_hold = table.cream_hold_s if medium == "cream" else table.reference_hold_s
    needed = round(at_temperature * rule.value / reference_hold, 1)
    required["hold_s"] = needed
    if hold >= needed:
        return None
    return _finding(rule, FindingCode.HOLD_TOO_SHORT, hold, f">= {needed:g}", _breach(rule))


def _category(measurement: Measurement, kind: str | None, guide: Guide) -> StorageCategory:
    categories = {c.id: c for c in guide.storage_categories}
    if measurement.category is not None:
        if measurement.category not in categories:
            raise MeasurementError(
                "category",
                f"unknown category {measurement.category!r}; known: {', '.join(categories)}",
            )
        return categories[measurement.category]
    if kind is None or kind not in PRODUCT_KINDS:
        raise MeasurementError("category", "give the storage category or a product kind")
    return categories[guide.product(kind).storage_category]


def _storage(
    rule: _Rule,
    measurement: Measurement,
    kind: str | None,
    guide: Guide,
    settings: EvaluationSettings,
    required: dict[str, float],
) -> Finding | None:
    limit = rule.limit
    temperature = measurement.temperature_c
    assert temperature is not None and limit.tolerance is not None
    maximum = rule.value
    if maximum is None:
        maximum = _category(measurement, kind, guide).max_temperature_c
    required["temperature_c"] = maximum
    if temperature <= maximum:
        return None
    if temperature > maximum + limit.tolerance:
        return _finding(
            rule, FindingCode.ABOVE_MAXIMUM, temperature, f"<= {maximum:g}", _breach(rule)
        )
    tolerated = f"<= {maximum:g}"
    excursion = measurement.excursion_min
    if excursion is not None and excursion > settings.max_short_fluctuation_min:
        return _finding(
            rule, FindingCode.FLUCTUATION_TOO_LONG, temperature, tolerated, _breach(rule)
        )
    return _finding(rule, FindingCode.SHORT_FLUCTUATION, temperature, tolerated, Verdict.WARNING)


def _control(
    guide: Guide, plan: Plan | None, control_id: str
) -> tuple[Control, dict[str, PlanLimit]]:
    try:
        control = guide.control(control_id)
    except KeyError:
        known = ", ".join(c.id for c in guide.controls)
        raise MeasurementError(
            "control", f"unknown control {control_id!r}; known: {known}"
        ) from None
    if plan is None:
        return control, {}
    try:
        plan_control = plan.control(control_id)
    except KeyError:
        raise MeasurementError("control", f"{control_id} is not in this operator's plan") from None
    return control, {limit.id: limit for limit in plan_control.limits}


def _actions(control: Control, plan: Plan | None) -> tuple[Text, ...]:
    if plan is None:
        return tuple(action.text for action in control.corrective_actions)
    return tuple(action.text for action in plan.control(control.id).corrective_actions)


def evaluate(
    measurement: Measurement,
    guide: Guide,
    plan: Plan | None = None,
    settings: EvaluationSettings | None = None,
) -> Evaluation:
    """Judge a measurement against the operator's plan, or the guide's own limits without one."""
    settings = settings or EvaluationSettings()
    control, plan_limits = _control(guide, plan, measurement.control)
    kind = _kind_of(measurement.product, plan)
    concerned = [
        limit
        for limit in control.limits
        if (plan is None or limit.id in plan_limits) and _applies(limit, measurement, kind, plan)
    ]
    if not concerned:
        _explain_nothing_to_check(control, measurement, kind)
    candidates = [limit for limit in concerned if not _exempted(limit, measurement)]
    findings: list[Finding] = []
    required: dict[str, float] = {}
    for limit in candidates:
        rule = _rule(limit, plan_limits)
        measured = measurement.value_of(limit.parameter)
        assert measured is not None
        if limit.at_temperature_c is not None and limit.parameter == "hold_s":
            finding = _pasteurisation(rule, measurement, guide, required)
        elif limit.tolerance is not None:
            finding = _storage(rule, measurement, kind, guide, settings, required)
        else:
            finding = _compare(rule, measured)
        if finding is not None:
            findings.append(finding)
    verdict = max((f.severity for f in findings), key=_rank, default=Verdict.CONFORM)
    return Evaluation(
        control=control.id,
        verdict=verdict,
        findings=tuple(findings),
        required=required,
        checked_limits=tuple(limit.id for limit in candidates),
        corrective_actions=_actions(control, plan) if verdict is Verdict.DEVIATION else (),
    )


def _rank(verdict: Verdict) -> int:
    return [Verdict.CONFORM, Verdict.WARNING, Verdict.DEVIATION].index(verdict)


def _explain_nothing_to_check(control: Control, measurement: Measurement, kind: str | None) -> None:
    parameters = sorted({limit.parameter for limit in control.limits})
    measured = [p for p in parameters if measurement.value_of(p) is not None]
    if not measured:
        raise MeasurementError(
            "measurement", f"{control.id} checks {', '.join(parameters) or 'nothing measurable'}"
        )
    needs_product = {p for limit in control.limits for p in limit.products}
    if kind is None and needs_product:
        raise MeasurementError("product", f"{control.id} needs the product the check is for")
    raise MeasurementError(
        "product",
        f"{control.id} has no limit for {', '.join(measured)} of {kind or 'this product'}",
    )
