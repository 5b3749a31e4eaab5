"""The one judge of the daily self-check: a measurement against the limits of its control.

`check` is the only entry point; the command line, the web forms, the API and the live hints
all call it. Every rule's knowledge comes from the guide data: which parameters a control
judges, which values follow from stored events, which durations convert, which medium a
pasteurisation limit is for. A value the control does not judge is refused, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from dairyhaccp.guide.models import Control, Guide, Limit, StorageCategory, Text
from dairyhaccp.monitoring.history import StoredFacts, derived_values
from dairyhaccp.monitoring.measurement import Measurement, MeasurementError, Value
from dairyhaccp.plan.conditions import operator_matches
from dairyhaccp.plan.models import Plan, PlanLimit
from dairyhaccp.profile import ProductSpec
from dairyhaccp.thermal import lowest_validated_c, required_hold_s
from dairyhaccp.vocabulary import MEDIA, OPERATOR_CONDITION_KEYS, PRODUCT_KINDS

# The guide allows "a short upward fluctuation" without saying how short. Defrost cycles,
# loading and refilling a cabinet take minutes, not hours: half an hour is the default.
DEFAULT_MAX_SHORT_FLUCTUATION_MIN = 30.0
# Two durations of one check given in different units agree within this many seconds (or 1 %).
_DURATION_AGREEMENT_S = 1.0


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


@dataclass(frozen=True, init=False)
class Requirement:
    """What a limit requires, as data: a comparison with a bound, a range, or OK."""

    comparison: str
    bound: float | None = None
    low: float | None = None
    high: float | None = None

    # Made for some measurements judged: filled as the verdict's records below.
    def __init__(
        self,
        comparison: str,
        bound: float | None = None,
        low: float | None = None,
        high: float | None = None,
    ) -> None:
        fields = self.__dict__
        fields["comparison"] = comparison
        fields["bound"] = bound
        fields["low"] = low
        fields["high"] = high

    def parts(self) -> tuple[str, float | None, float | None, float | None]:
        """The requirement as a plain tuple: a key that hashes without calling back into Python."""
        return (self.comparison, self.bound, self.low, self.high)

    def text(self) -> str:
        """Compact form for the command line's `required` field: '<= 6', '19–20', 'OK'."""
        if self.comparison == "is_true":
            return "OK"
        if self.comparison == "between":
            assert self.low is not None and self.high is not None
            return f"{self.low:g}–{self.high:g}"
        assert self.bound is not None
        return f"{self.comparison} {self.bound:g}"

    def met_by(self, measured: Value) -> bool:
        if self.comparison == "is_true":
            return measured is True
        value = float(measured)
        if self.comparison == "between":
            assert self.low is not None and self.high is not None
            return self.low <= value <= self.high
        bound = self.bound
        assert bound is not None
        comparison = self.comparison
        if comparison == "<=":
            return value <= bound
        if comparison == ">=":
            return value >= bound
        if comparison == "<":
            return value < bound
        if comparison == ">":
            return value > bound
        if comparison == "==":
            return value == bound
        raise ValueError(f"unknown comparison {comparison!r}")


# The verdict's records are made for every measurement judged: their __init__ stores each field
# straight into the instance's dict, in field order, instead of through object.__setattr__ as a
# frozen dataclass's does.


@dataclass(frozen=True, init=False)
class Finding:
    """One limit not met: what was measured and what was required."""

    code: FindingCode
    limit_id: str
    parameter: str
    measured: Value
    requirement: Requirement
    unit: str
    level: str
    limit_text: Text
    severity: Verdict

    def __init__(
        self,
        code: FindingCode,
        limit_id: str,
        parameter: str,
        measured: Value,
        requirement: Requirement,
        unit: str,
        level: str,
        limit_text: Text,
        severity: Verdict,
    ) -> None:
        fields = self.__dict__
        fields["code"] = code
        fields["limit_id"] = limit_id
        fields["parameter"] = parameter
        fields["measured"] = measured
        fields["requirement"] = requirement
        fields["unit"] = unit
        fields["level"] = level
        fields["limit_text"] = limit_text
        fields["severity"] = severity

    @property
    def required(self) -> str:
        return self.requirement.text()


@dataclass(frozen=True, init=False)
class LimitCheck:
    """One limit checked: the value looked at, what the limit requires, and whether it held."""

    limit_id: str
    parameter: str
    measured: Value
    requirement: Requirement
    unit: str
    level: str
    met: bool

    def __init__(
        self,
        limit_id: str,
        parameter: str,
        measured: Value,
        requirement: Requirement,
        unit: str,
        level: str,
        met: bool,
    ) -> None:
        fields = self.__dict__
        fields["limit_id"] = limit_id
        fields["parameter"] = parameter
        fields["measured"] = measured
        fields["requirement"] = requirement
        fields["unit"] = unit
        fields["level"] = level
        fields["met"] = met


@dataclass(frozen=True, init=False)
class Evaluation:
    """The verdict on one measurement, with every limit checked, every finding, the values
    judged (typed, converted or derived) and the actions to choose from."""

    control: str
    verdict: Verdict
    findings: tuple[Finding, ...]
    required: dict[str, float] = field(default_factory=dict)
    checks: tuple[LimitCheck, ...] = ()
    corrective_actions: tuple[Text, ...] = ()
    values: Mapping[str, Value] = field(default_factory=dict)
    derived: Mapping[str, float] = field(default_factory=dict)
    observed: Mapping[str, Value] = field(default_factory=dict)
    guide_version: str = ""

    def __init__(
        self,
        control: str,
        verdict: Verdict,
        findings: tuple[Finding, ...],
        required: dict[str, float] | None = None,
        checks: tuple[LimitCheck, ...] = (),
        corrective_actions: tuple[Text, ...] = (),
        values: Mapping[str, Value] | None = None,
        derived: Mapping[str, float] | None = None,
        observed: Mapping[str, Value] | None = None,
        guide_version: str = "",
    ) -> None:
        fields = self.__dict__
        fields["control"] = control
        fields["verdict"] = verdict
        fields["findings"] = findings
        fields["required"] = {} if required is None else required
        fields["checks"] = checks
        fields["corrective_actions"] = corrective_actions
        fields["values"] = {} if values is None else values
        fields["derived"] = {} if derived is None else derived
        fields["observed"] = {} if observed is None else observed
        fields["guide_version"] = guide_version

    @property
    def checked_limits(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.limit_id for c in self.checks))


@dataclass(frozen=True)
class EvaluationSettings:
    max_short_fluctuation_min: float = DEFAULT_MAX_SHORT_FLUCTUATION_MIN


_DEFAULT_SETTINGS = EvaluationSettings()
_RANKS = {Verdict.CONFORM: 0, Verdict.WARNING: 1, Verdict.DEVIATION: 2}


def _kind_of(product: str | None, plan: Plan | None) -> str | None:
    if product is None or product in PRODUCT_KINDS or product in MEDIA:
        return product
    if plan is not None:
        for spec in plan.profile.products:
            if spec.name == product:
                return spec.kind
    known = ", ".join((*PRODUCT_KINDS, *MEDIA))
    raise MeasurementError(
        "product", f"unknown product {product!r}; known: {known}", "unknown_product", known=known
    )


def _profile_products(kind: str | None, plan: Plan | None) -> list[ProductSpec]:
    if plan is None:
        return []
    same_kind = [p for p in plan.profile.products if p.kind == kind]
    return same_kind or list(plan.profile.products)


def _when_holds(
    limit: Limit, measurement: Measurement, kind: str | None, plan: Plan | None
) -> bool:
    """The product-level conditions of `limit` (the operator-level ones hold: see _Judge)."""
    if not limit.when:
        return True
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


def _storage_limit_applies(
    limit: Limit, control: Control, measurement: Measurement, kind: str | None, guide: Guide
) -> bool:
    frozen = measurement.category == "frozen" or kind == "frozen"
    if limit.value_from == "storage_category":
        # A medium that names a storage category (raw milk) is stored by that category, unless
        # another limit of the control is written for it.
        own_limit = any(
            other is not limit and other.parameter == limit.parameter and kind in other.products
            for other in control.limits
        )
        named_category = kind is not None and kind in _categories(guide) and not own_limit
        return not frozen and (
            measurement.category is not None or kind in limit.products or named_category
        )
    return frozen


def _exempted(limit: Limit, measurement: Measurement) -> bool:
    if limit.unless is None:
        return False
    value = measurement.value_of(limit.unless.parameter)
    return isinstance(value, (int, float)) and limit.unless.holds(float(value))


def _applies(
    limit: Limit,
    control: Control,
    measurement: Measurement,
    kind: str | None,
    plan: Plan | None,
    guide: Guide,
) -> bool:
    if measurement.values.get(limit.parameter) is None:
        return False
    if limit.when and not _when_holds(limit, measurement, kind, plan):
        return False
    if limit.tolerance is not None:
        return _storage_limit_applies(limit, control, measurement, kind, guide)
    return not limit.products or kind in limit.products


_BREACH_CODES: dict[str, FindingCode] = {
    "<": FindingCode.ABOVE_MAXIMUM,
    "<=": FindingCode.ABOVE_MAXIMUM,
    ">": FindingCode.BELOW_MINIMUM,
    ">=": FindingCode.BELOW_MINIMUM,
    "==": FindingCode.OUTSIDE_RANGE,
    "between": FindingCode.OUTSIDE_RANGE,
    "is_true": FindingCode.NOT_OK,
}


class _Rule:
    """A limit's values as they hold for this operator (their own where they changed them),
    with the limit's fields that judging reads, copied once out of the guide's model."""

    __slots__ = (
        "breach",
        "comparison",
        "excursion_parameter",
        "high",
        "id",
        "level",
        "limit",
        "low",
        "medium",
        "parameter",
        "requirement",
        "text",
        "tolerance",
        "unit",
        "unless",
        "value",
        "value_from",
    )

    def __init__(
        self, limit: Limit, value: float | None, low: float | None, high: float | None
    ) -> None:
        self.limit = limit
        self.value = value
        self.low = low
        self.high = high
        self.requirement = Requirement(limit.comparison, value, low, high)
        self.id = limit.id
        self.parameter = limit.parameter
        self.unit = limit.unit
        self.level = limit.level
        self.text = limit.text
        self.medium = limit.medium
        self.tolerance = limit.tolerance
        self.unless = limit.unless
        self.value_from = limit.value_from
        self.excursion_parameter = limit.excursion_parameter
        self.comparison = limit.comparison
        self.breach = Verdict.WARNING if limit.level == "guide_value" else Verdict.DEVIATION


def _rule(limit: Limit, adapted: dict[str, PlanLimit]) -> _Rule:
    own = adapted.get(limit.id)
    if own is None:
        return _Rule(limit, limit.value, limit.low, limit.high)
    return _Rule(limit, own.value, own.low, own.high)


def _own_norm(rule: _Rule, measurement: Measurement, kind: str | None, plan: Plan | None) -> _Rule:
    """A limit whose value is the operator's own norm for the product, set in their plan."""
    limit = rule.limit
    assert limit.norm is not None
    specs = _profile_products(kind, plan) if plan is not None else []
    named = [p for p in specs if p.name == measurement.product] or specs
    values = {
        getattr(spec, limit.norm) for spec in named if spec.packaging == "modified_atmosphere"
    }
    if len(values) != 1 or None in values:
        raise MeasurementError(
            limit.parameter,
            f"{limit.id}: the plan sets no own norm ({limit.norm}) for this product yet;"
            " set it in the product's profile first",
            "own_norm_missing",
            norm=limit.norm,
        )
    (value,) = values
    return _Rule(limit, float(value), None, None)


class _Outcome:
    """What judging the limits of one measurement found, gathered as it goes."""

    __slots__ = ("checks", "findings", "required")

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.checks: list[LimitCheck] = []
        self.required: dict[str, float] = {}

    def record(
        self,
        rule: _Rule,
        parameter: str,
        measured: Value,
        requirement: Requirement,
        unit: str,
        problem: tuple[FindingCode, Verdict] | None,
    ) -> None:
        self.checks.append(
            LimitCheck(rule.id, parameter, measured, requirement, unit, rule.level, problem is None)
        )
        if problem is not None:
            code, severity = problem
            self.findings.append(
                Finding(
                    code,
                    rule.id,
                    parameter,
                    measured,
                    requirement,
                    unit,
                    rule.level,
                    rule.text,
                    severity,
                )
            )


def _compare(rule: _Rule, measured: Value, outcome: _Outcome) -> None:
    requirement = rule.requirement
    met = requirement.met_by(measured)
    problem = None if met else (_BREACH_CODES[rule.comparison], rule.breach)
    value: Value = measured if isinstance(measured, bool) else float(measured)
    outcome.record(rule, rule.parameter, value, requirement, rule.unit, problem)


def _pasteurisation(
    rule: _Rule,
    measurement: Measurement,
    values: Mapping[str, Value],
    guide: Guide,
    outcome: _Outcome,
) -> None:
    """`values`: the measurement's values, as a plain dict (quicker to read)."""
    table = guide.pasteurisation
    medium = rule.medium
    assert medium is not None and rule.value is not None
    temperature = values.get("temperature_c")
    hold = values.get(rule.parameter)
    if not isinstance(temperature, float):
        raise MeasurementError(
            "temperature_c",
            f"{measurement.control} needs the held temperature with the hold time",
            "needs_value",
            needed="temperature_c",
        )
    assert isinstance(hold, float)
    at_temperature = required_hold_s(table, medium, temperature)
    if at_temperature is None:
        requirement = Requirement(">=", lowest_validated_c(table))
        not_validated = (FindingCode.TEMPERATURE_NOT_VALIDATED, Verdict.DEVIATION)
        outcome.record(rule, "temperature_c", temperature, requirement, "°C", not_validated)
        return
    reference_hold = table.cream_hold_s if medium == "cream" else table.reference_hold_s
    needed = round(at_temperature * rule.value / reference_hold, 1)
    outcome.required["hold_s"] = needed
    requirement = Requirement(">=", needed)
    problem = None if hold >= needed else (FindingCode.HOLD_TOO_SHORT, rule.breach)
    outcome.record(rule, rule.parameter, hold, requirement, rule.unit, problem)


_CATEGORIES: dict[int, tuple[Guide, dict[str, StorageCategory]]] = {}


def _categories(guide: Guide) -> dict[str, StorageCategory]:
    cached = _CATEGORIES.get(id(guide))
    if cached is not None and cached[0] is guide:
        return cached[1]
    categories = {c.id: c for c in guide.storage_categories}
    _CATEGORIES[id(guide)] = (guide, categories)
    return categories


def _category(measurement: Measurement, kind: str | None, guide: Guide) -> StorageCategory:
    categories = _categories(guide)
    if measurement.category is not None:
        if measurement.category not in categories:
            known = ", ".join(categories)
            raise MeasurementError(
                "category",
                f"unknown category {measurement.category!r}; known: {known}",
                "unknown_category",
                known=known,
            )
        return categories[measurement.category]
    if kind is not None and kind in categories:
        return categories[kind]
    if kind is None or kind not in PRODUCT_KINDS:
        raise MeasurementError(
            "category", "give the storage category or a product kind", "needs_category"
        )
    return categories[guide.product(kind).storage_category]


_AT_MOST: dict[float, Requirement] = {}


def _at_most(bound: float) -> Requirement:
    requirement = _AT_MOST.get(bound)
    if requirement is None:
        if len(_AT_MOST) >= 256:
            _AT_MOST.clear()
        requirement = _AT_MOST[bound] = Requirement("<=", bound)
    return requirement


def _storage(
    rule: _Rule,
    measurement: Measurement,
    values: Mapping[str, Value],
    kind: str | None,
    guide: Guide,
    settings: EvaluationSettings,
    outcome: _Outcome,
) -> None:
    """`values`: the measurement's values, as a plain dict (quicker to read)."""
    temperature = values.get(rule.parameter)
    assert isinstance(temperature, float) and rule.tolerance is not None
    maximum = rule.value
    tolerance = rule.tolerance
    if maximum is None:
        category = _category(measurement, kind, guide)
        maximum = category.max_temperature_c
        tolerance = min(tolerance, category.fluctuation_c)
    outcome.required["temperature_c"] = maximum
    requirement = _at_most(maximum)
    excursion_parameter = rule.excursion_parameter
    assert excursion_parameter is not None
    excursion = values.get(excursion_parameter)
    too_long = isinstance(excursion, float) and excursion > settings.max_short_fluctuation_min
    problem: tuple[FindingCode, Verdict] | None = None
    if temperature > maximum + tolerance:
        problem = (FindingCode.ABOVE_MAXIMUM, rule.breach)
    elif temperature > maximum:
        problem = (
            (FindingCode.FLUCTUATION_TOO_LONG, rule.breach)
            if too_long
            else (FindingCode.SHORT_FLUCTUATION, Verdict.WARNING)
        )
    outcome.record(rule, rule.parameter, temperature, requirement, rule.unit, problem)
    if isinstance(excursion, float):
        # How long it stood above the maximum counts only for a reading above it.
        allowed = _at_most(settings.max_short_fluctuation_min)
        met = temperature <= maximum or not too_long
        outcome.checks.append(
            LimitCheck(rule.id, excursion_parameter, excursion, allowed, "min", rule.level, met)
        )


def _control(
    guide: Guide, plan: Plan | None, control_id: str
) -> tuple[Control, dict[str, PlanLimit]]:
    try:
        control = guide.control(control_id)
    except KeyError:
        known = ", ".join(c.id for c in guide.controls)
        raise MeasurementError(
            "control",
            f"unknown control {control_id!r}; known: {known}",
            "unknown_control",
            known=known,
        ) from None
    if plan is None:
        return control, {}
    try:
        plan_control = plan.control(control_id)
    except KeyError:
        raise MeasurementError(
            "control", f"{control_id} is not in this operator's plan", "not_in_plan"
        ) from None
    return control, {limit.id: limit for limit in plan_control.limits}


@dataclass(frozen=True)
class _Judge:
    """What judging one control needs under one plan (or the guide alone), worked out once:
    the limits in the plan whose operator-level conditions hold, with the operator's values."""

    guide: Guide
    plan: Plan | None
    control: Control
    # `control.id`, read once out of the guide's model.
    control_id: str
    limits: tuple[Limit, ...]
    rules: dict[str, _Rule]
    actions: tuple[Text, ...]
    alternatives: dict[str, str]
    limit_reads: dict[str, tuple[str, ...]]
    reads: _Reads
    durations: list[str]
    convertible: frozenset[str]
    # The durations given in another unit than the one judged, converted to it (if any).
    other_durations: frozenset[str]
    guide_version: str
    # Worked out as measurements come, keyed by their fields and the names of their values.
    shapes: dict[tuple[object, ...], _Shape] = field(default_factory=dict)


_JUDGES: dict[tuple[int, int, str], _Judge] = {}
_JUDGES_KEPT = 512


def _judge(guide: Guide, plan: Plan | None, control_id: str) -> _Judge:
    judge = _JUDGES.get((id(guide), id(plan), control_id))
    if judge is not None and judge.guide is guide and judge.plan is plan:
        return judge
    control, plan_limits = _control(guide, plan, control_id)
    limits = tuple(
        limit
        for limit in control.limits
        if plan is None or (limit.id in plan_limits and operator_matches(limit.when, plan.profile))
    )
    if plan is None:
        actions = tuple(action.text for action in control.corrective_actions)
    else:
        actions = tuple(action.text for action in plan.control(control_id).corrective_actions)
    durations = _durations_judged(control, guide)
    convertible = _convertible_durations(guide)
    judge = _Judge(
        guide=guide,
        plan=plan,
        control=control,
        control_id=control.id,
        limits=limits,
        rules={limit.id: _rule(limit, plan_limits) for limit in limits},
        actions=actions,
        alternatives={limit.id: limit.or_limit for limit in control.limits if limit.or_limit},
        limit_reads={limit.id: limit.reads() for limit in limits},
        reads=_reads(control),
        durations=durations,
        convertible=convertible,
        other_durations=convertible - set(durations) if len(durations) == 1 else frozenset(),
        guide_version=plan.guide_version if plan is not None else guide.meta.version,
    )
    if len(_JUDGES) >= _JUDGES_KEPT:
        _JUDGES.clear()
    _JUDGES[(id(guide), id(plan), control_id)] = judge
    return judge


def _durations_judged(control: Control, guide: Guide) -> list[str]:
    return [
        name
        for name in _reads(control).judged
        if guide.parameter(name).is_duration and guide.parameter(name).convertible
    ]


def _convertible_durations(guide: Guide) -> frozenset[str]:
    return frozenset(p.id for p in guide.parameters if p.is_duration and p.convertible)


def _agree(first_s: float, second_s: float) -> bool:
    return abs(first_s - second_s) <= max(_DURATION_AGREEMENT_S, 0.01 * max(first_s, second_s))


def _convert_durations(judge: _Judge, values: dict[str, Value]) -> dict[str, Value]:
    """A duration given in another unit than the one the control judges, converted to it.

    Only where the control judges exactly one duration; two that disagree are an error.
    """
    judged = judge.durations
    if len(judged) != 1:
        return values
    guide = judge.guide
    target = guide.parameter(judged[0])
    assert target.seconds is not None
    convertible = judge.convertible
    given = [
        name
        for name, value in values.items()
        if name in convertible and name != target.id and isinstance(value, float)
    ]
    if not given:
        return values
    converted = dict(values)
    seconds_seen: dict[str, float] = {}
    if isinstance(values.get(target.id), float):
        seconds_seen[target.id] = float(values[target.id]) * target.seconds
    for name in given:
        unit_s = guide.parameter(name).seconds
        assert unit_s is not None
        seconds_seen[name] = float(values[name]) * unit_s
        del converted[name]
    first_name, first_s = next(iter(seconds_seen.items()))
    for name, seconds in seconds_seen.items():
        if not _agree(first_s, seconds):
            raise MeasurementError(
                name,
                f"{values[name]:g} {guide.parameter(name).unit} is not the same duration as"
                f" {first_name} {values[first_name]:g} {guide.parameter(first_name).unit};"
                " give it once",
                "durations_disagree",
                other=first_name,
            )
    converted[target.id] = round(first_s / target.seconds, 3)
    return converted


@dataclass(frozen=True)
class _Reads:
    """What a control's limits look at, worked out once per control and process."""

    control: Control
    judged: tuple[str, ...]
    allowed: frozenset[str]
    primary: tuple[str, ...]
    observed: frozenset[str]


_READS: dict[int, _Reads] = {}


def _reads(control: Control) -> _Reads:
    cached = _READS.get(id(control))
    if cached is not None and cached.control is control:
        return cached
    judged = control.judged_parameters()
    observed = frozenset(control.observed_parameters())
    reads = _Reads(
        control,
        judged,
        frozenset(judged) | observed,
        tuple(dict.fromkeys(limit.parameter for limit in control.limits)),
        observed,
    )
    _READS[id(control)] = reads
    return reads


def _refuse_unjudged(judge: _Judge, values: Mapping[str, Value]) -> None:
    control, reads = judge.control, judge.reads
    judged, allowed = reads.judged, reads.allowed
    for name in values:
        if name not in allowed:
            raise MeasurementError(
                name,
                f"{control.id} does not judge this value; it judges: {', '.join(judged)}",
                "not_judged",
                control=control.id,
                judged=", ".join(judged),
            )
    primary = reads.primary
    if not any(name in values for name in primary):
        raise MeasurementError(
            "measurement",
            f"{control.id} judges {', '.join(primary) or 'nothing measurable'}: enter one of them",
            "nothing_measured",
            control=control.id,
            judged=", ".join(primary),
        )


def _refuse_unread(
    judge: _Judge, concerned: list[Limit], values: Mapping[str, Value], kind: str | None
) -> None:
    """A value no limit that applies here looks at would be dropped: refuse it instead."""
    control = judge.control
    read = set(judge.reads.observed)
    for limit in concerned:
        read.update(judge.limit_reads[limit.id])
    for name in values:
        if name not in read:
            raise MeasurementError(
                name,
                f"{control.id} sets no limit for this value of {kind or 'this check'}",
                "no_limit_for_value",
                control=control.id,
                product=kind or "",
            )


@dataclass(frozen=True)
class _Shape:
    """What follows from a measurement's fields and the names of its values alone, under one
    judge: the product kind, and the rules of the limits that apply, in their order (the values
    were found all judged and read by one of them)."""

    kind: str | None
    rules: tuple[_Rule, ...]


_SHAPES_KEPT = 256


def _shape_of(
    judge: _Judge, judged: Measurement, values: Mapping[str, Value], kind: str | None
) -> _Shape:
    control, plan, guide = judge.control, judge.plan, judge.guide
    _refuse_unjudged(judge, values)
    concerned = [
        limit for limit in judge.limits if _applies(limit, control, judged, kind, plan, guide)
    ]
    if not concerned:
        _explain_nothing_to_check(control, judged, kind)
    _refuse_unread(judge, concerned, values, kind)
    return _Shape(kind, tuple(judge.rules[limit.id] for limit in concerned))


def check(
    measurement: Measurement,
    guide: Guide,
    plan: Plan | None = None,
    facts: StoredFacts | None = None,
    settings: EvaluationSettings | None = None,
) -> Evaluation:
    """Judge a measurement against the operator's plan, or the guide's own limits without one.

    `facts`: what the storage knows (milking, pasteurisation, starter uses); values that follow
    from them replace typed ones. Raises MeasurementError naming the field for anything that
    cannot be judged: an unknown or unjudged value, two durations that disagree, a product
    the control has no limit for, nothing measured.
    """
    settings = settings or _DEFAULT_SETTINGS
    judge = _judge(guide, plan, measurement.control)
    control = judge.control
    derived = derived_values(control, facts, guide) if facts is not None else {}
    typed = measurement.values
    if derived:
        given = {**typed, **derived}
    else:
        # A measurement's values are a read-only view of a dict: copied at once, not key by key.
        given = typed.copy() if isinstance(typed, MappingProxyType) else dict(typed)
    shape_key = (
        measurement.product,
        measurement.category,
        measurement.raw_milk,
        measurement.packaging,
        tuple(given),
    )
    shape = judge.shapes.get(shape_key)
    kind = shape.kind if shape is not None else _kind_of(measurement.product, plan)
    # Nothing to convert, mostly: no duration in another unit than the one judged.
    values = given if judge.other_durations.isdisjoint(given) else _convert_durations(judge, given)
    judged = measurement if values is given and not derived else measurement.with_values(values)
    if shape is None:
        shape = _shape_of(judge, judged, values, kind)
        if len(judge.shapes) >= _SHAPES_KEPT:
            judge.shapes.clear()
        judge.shapes[shape_key] = shape
    outcome = _Outcome()
    for rule in shape.rules:
        if rule.unless is not None and _exempted(rule.limit, judged):
            _record_exemption(rule, judged, guide, outcome)
            continue
        if rule.medium is not None:
            _pasteurisation(rule, judged, values, guide, outcome)
        elif rule.tolerance is not None:
            _storage(rule, judged, values, kind, guide, settings, outcome)
        else:
            # The values judged are `judged`'s.
            measured = values.get(rule.parameter)
            assert measured is not None
            if rule.value_from == "product_norm":
                rule = _own_norm(rule, judged, kind, plan)
            _compare(rule, measured, outcome)
    if not outcome.checks:
        _explain_exempted(control)
    if judge.alternatives and outcome.findings:
        _drop_met_alternatives(judge.alternatives, outcome)
    findings = outcome.findings
    verdict = Verdict.CONFORM
    for finding in findings:
        if _RANKS[finding.severity] > _RANKS[verdict]:
            verdict = finding.severity
    reads = judge.reads
    judged_names = reads.judged
    return Evaluation(
        judge.control_id,
        verdict,
        tuple(findings),
        outcome.required,
        tuple(outcome.checks),
        judge.actions if verdict is Verdict.DEVIATION else (),
        values,
        dict(derived) if derived else {},
        # Every value is judged or observed (the shape refused others): none is observed when
        # the control observes nothing.
        {k: v for k, v in values.items() if k not in judged_names} if reads.observed else {},
        judge.guide_version,
    )


def _drop_met_alternatives(alternatives: dict[str, str], outcome: _Outcome) -> None:
    """Either / or limits: one met is enough, the other's finding does not count."""
    if not alternatives or not outcome.findings:
        return
    met = {check.limit_id for check in outcome.checks if check.met}
    outcome.findings = [f for f in outcome.findings if alternatives.get(f.limit_id) not in met]


def _record_exemption(
    rule: _Rule, measurement: Measurement, guide: Guide, outcome: _Outcome
) -> None:
    """A limit that does not apply because its exemption holds: the exemption was checked."""
    exemption = rule.limit.unless
    assert exemption is not None
    measured = measurement.value_of(exemption.parameter)
    assert isinstance(measured, float)
    requirement = Requirement(exemption.comparison, exemption.value)
    unit = guide.parameter(exemption.parameter).unit
    outcome.record(rule, exemption.parameter, measured, requirement, unit, None)


def _explain_exempted(control: Control) -> None:
    raise MeasurementError(
        "measurement",
        f"{control.id}: the values given make its limits not apply; nothing was judged",
        "nothing_judged",
        control=control.id,
    )


def _explain_nothing_to_check(control: Control, measurement: Measurement, kind: str | None) -> None:
    measured = [p for p in control.judged_parameters() if measurement.value_of(p) is not None]
    needs_product = {p for limit in control.limits for p in limit.products}
    if kind is None and needs_product:
        raise MeasurementError(
            "product",
            f"{control.id} needs the product the check is for",
            "needs_product",
            control=control.id,
        )
    raise MeasurementError(
        "product",
        f"{control.id} has no limit for {', '.join(measured)} of {kind or 'this product'}",
        "no_limit_for_product",
        control=control.id,
        measured=", ".join(measured),
        product=kind or "",
    )
