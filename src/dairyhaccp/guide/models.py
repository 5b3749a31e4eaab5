"""Typed models of the guide module: every rule as data, each with its source."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from dairyhaccp.vocabulary import (
    COMPARISONS,
    CONDITION_KEYS,
    EVENTS,
    MEDIA,
    PERIODS,
    PRODUCT_KINDS,
    ROOM_KINDS,
    UNITS,
)

Lang = Literal["nl", "fr", "en"]


class Frozen(BaseModel):
    """Base for guide models: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A text in the guide's language (nl) with its translations."""

    nl: str
    en: str
    fr: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Dutch."""
        value = getattr(self, lang, None) if lang in ("nl", "fr", "en") else None
        return value if isinstance(value, str) and value else self.nl


class Source(Frozen):
    """Where a rule stands: module section, and the control or table it belongs to."""

    section: str
    control: str | None = None
    table: str | None = None
    regulation: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        parts = [f"§{self.section}"]
        if self.control:
            parts.append(self.control)
        if self.table:
            parts.append(self.table)
        if self.regulation:
            parts.append(self.regulation)
        return " ".join(parts)


class Parameter(Frozen):
    """A measured quantity: its type, unit, plausible range and name in each language."""

    id: str
    measured: Literal["on_site", "lab"]
    type: Literal["number", "integer", "boolean"]
    dimension: str
    unit: str
    seconds: float | None = None
    convertible: bool = True
    min: float | None = None
    max: float | None = None
    decimals: int = 1
    label: Text

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        if self.unit not in UNITS:
            raise ValueError(f"parameter {self.id}: unknown unit {self.unit!r}")
        if self.type == "boolean":
            if self.min is not None or self.max is not None:
                raise ValueError(f"parameter {self.id}: a yes/no value has no range")
        elif self.min is None or self.max is None or self.min > self.max:
            raise ValueError(f"parameter {self.id}: a number needs min <= max")
        if (self.dimension == "duration") != (self.seconds is not None):
            raise ValueError(f"parameter {self.id}: a duration, and only a duration, has seconds")
        return self

    @property
    def is_boolean(self) -> bool:
        return self.type == "boolean"

    @property
    def is_duration(self) -> bool:
        return self.seconds is not None


_PERIOD_WORDS = {
    "daily": ("day", 1),
    "weekly": ("week", 1),
    "monthly": ("month", 1),
    "quarterly": ("month", 3),
    "half-yearly": ("month", 6),
    "yearly": ("year", 1),
}
_PER_RE = re.compile(r"^(?P<times>\d+) per (?:(?P<count>\d+) )?(?P<period>day|week|month|year)s?$")
_EACH_RE = re.compile(r"^each (?P<event>[a-z_]+)$")


class Frequency(Frozen):
    """How often a check or analysis is due: per event, or a number of times per period."""

    text: str
    event: str | None = None
    times: int = 1
    period: str | None = None
    period_count: int = 1

    @classmethod
    def parse(cls, text: str) -> Frequency:
        """Parse 'each production', 'daily', '2 per month', '1 per 3 months', ..."""
        raw = text.strip().lower()
        if raw in _PERIOD_WORDS:
            period, count = _PERIOD_WORDS[raw]
            return cls(text=raw, period=period, period_count=count)
        if match := _PER_RE.match(raw):
            return cls(
                text=raw,
                times=int(match["times"]),
                period=match["period"],
                period_count=int(match["count"] or 1),
            )
        if match := _EACH_RE.match(raw):
            if match["event"] not in EVENTS:
                raise ValueError(f"unknown event {match['event']!r} in frequency {text!r}")
            return cls(text=raw, event=match["event"])
        raise ValueError(
            f"frequency {text!r} is not 'each <event>', a period word or '<n> per [<k>] <period>'"
        )

    @model_validator(mode="after")
    def _check(self) -> Frequency:
        if (self.event is None) == (self.period is None):
            raise ValueError("a frequency has either an event or a period")
        if self.period is not None and self.period not in PERIODS:
            raise ValueError(f"unknown period {self.period!r}")
        if self.times < 1 or self.period_count < 1:
            raise ValueError("times and period count must be at least 1")
        return self

    @property
    def is_periodic(self) -> bool:
        return self.period is not None

    def approx_days(self) -> float | None:
        """Interval between checks in days, for periodic frequencies."""
        if self.period is None:
            return None
        days = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}[self.period]
        return days * self.period_count / self.times


def _frequency(value: object) -> object:
    return Frequency.parse(value) if isinstance(value, str) else value


Condition = dict[str, bool | list[str]]


def check_condition(condition: Condition) -> Condition:
    """Refuse condition keys and product kinds the vocabulary does not know."""
    for key, value in condition.items():
        if key not in CONDITION_KEYS:
            raise ValueError(f"unknown condition key {key!r}; known: {sorted(CONDITION_KEYS)}")
        if key == "kind" and isinstance(value, list):
            unknown = set(value) - set(PRODUCT_KINDS)
            if unknown:
                raise ValueError(f"unknown product kinds {sorted(unknown)}")
    return condition


class Hazard(Frozen):
    """A hazard: contamination (+) or multiplication (x), of kind C, F and/or M."""

    mode: Literal["+", "x"]
    types: list[Literal["C", "F", "M"]]
    text: Text

    @property
    def code(self) -> str:
        return f"{self.mode} {''.join(self.types)}"


class Exemption(Frozen):
    """When a limit does not apply: a comparison on another measured parameter."""

    parameter: str
    comparison: Literal["<", "<=", ">", ">="]
    value: float
    text: Text

    def holds(self, measured: float) -> bool:
        return {
            "<": measured < self.value,
            "<=": measured <= self.value,
            ">": measured > self.value,
            ">=": measured >= self.value,
        }[self.comparison]


class Limit(Frozen):
    """A norm or critical limit as a machine-checkable rule."""

    id: str
    parameter: str
    comparison: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str
    level: Literal["critical_limit", "guide_value"]
    when: Condition = Field(default_factory=dict)
    products: list[str] = Field(default_factory=list)
    at_temperature_c: float | None = None
    medium: Literal["milk", "cream"] | None = None
    value_from: Literal["storage_category", "product_norm"] | None = None
    # With value_from product_norm: the product's own norm that gives the value.
    norm: Literal["gas_norm_o2_pct", "gas_norm_co2_pct"] | None = None
    tolerance: float | None = None
    excursion_parameter: str | None = None
    or_limit: str | None = None
    unless: Exemption | None = None
    note: Text | None = None
    text: Text
    source: Source

    _check_when = field_validator("when")(check_condition)

    @field_validator("products")
    @classmethod
    def _known_products(cls, value: list[str]) -> list[str]:
        unknown = set(value) - set(PRODUCT_KINDS) - set(MEDIA)
        if unknown:
            raise ValueError(f"unknown products {sorted(unknown)}")
        return value

    @model_validator(mode="after")
    def _check(self) -> Limit:
        if self.medium is not None and (
            self.at_temperature_c is None or self.parameter != "hold_s"
        ):
            raise ValueError(f"limit {self.id}: a pasteurisation limit is a hold at a temperature")
        if (self.value_from == "product_norm") != (self.norm is not None):
            raise ValueError(f"limit {self.id}: a product's own norm names which norm")
        if (self.tolerance is None) != (self.excursion_parameter is None):
            raise ValueError(f"limit {self.id}: a tolerance names how its duration is given")
        if self.comparison not in COMPARISONS:
            raise ValueError(f"limit {self.id}: unknown comparison {self.comparison!r}")
        if self.unit not in UNITS:
            raise ValueError(f"limit {self.id}: unknown unit {self.unit!r}")
        if self.comparison == "between":
            if self.low is None or self.high is None or self.low > self.high:
                raise ValueError(f"limit {self.id}: 'between' needs low <= high")
        elif (
            self.comparison in ("<", "<=", ">", ">=", "==")
            and self.value is None
            and self.value_from is None
        ):
            raise ValueError(f"limit {self.id}: comparison {self.comparison} needs a value")
        return self

    @property
    def is_pasteurisation(self) -> bool:
        return self.medium is not None

    @property
    def is_storage(self) -> bool:
        return self.tolerance is not None

    def reads(self) -> tuple[str, ...]:
        """Every parameter this limit looks at: its own, the exemption's, the excursion's."""
        names = [self.parameter]
        if self.is_pasteurisation:
            names.append(PASTEURISATION_TEMPERATURE)
        if self.unless is not None:
            names.append(self.unless.parameter)
        if self.excursion_parameter is not None:
            names.append(self.excursion_parameter)
        return tuple(names)


# The held temperature a pasteurisation limit's hold time is judged at.
PASTEURISATION_TEMPERATURE = "temperature_c"

Target = Literal["batch", "milking", "room", "business", "delivery", "on_demand", "lab"]


class Placement(Frozen):
    """On what a monitoring item is due: a batch, a milking, rooms of some kinds, the business,
    a delivery, on demand, or the laboratory. `categories`: without a room of its kinds, the
    storage categories a registration must be for to count for this item."""

    target: Target
    room_kinds: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Placement:
        unknown = set(self.room_kinds) - set(ROOM_KINDS)
        if unknown:
            raise ValueError(f"unknown room kinds {sorted(unknown)}")
        if (self.target == "room") != bool(self.room_kinds):
            raise ValueError("a room placement, and only that, names room kinds")
        return self


class Derivation(Frozen):
    """A value that follows from stored events rather than from what a user types: the time
    from one event to another, or the processings in a row with home-made starter."""

    parameter: str
    since: Literal["milking", "pasteurisation", "industrial_starter"]
    until: Literal["check", "processing"] = "check"


class Monitoring(Frozen):
    """How and how often a control is checked."""

    id: str
    method: Literal["measure", "visual", "organoleptic", "analysis", "document"]
    parameters: list[str] = Field(default_factory=list)
    frequency: Frequency
    scope: Literal["batch", "room", "delivery", "lot", "equipment", "operation"]
    placement: Placement
    when: Condition = Field(default_factory=dict)
    text: Text

    _parse_frequency = field_validator("frequency", mode="before")(_frequency)
    _check_when = field_validator("when")(check_condition)


class CorrectiveAction(Frozen):
    """One corrective action or corrective measure from the guide's list."""

    id: str
    text: Text
    when: Condition = Field(default_factory=dict)

    _check_when = field_validator("when")(check_condition)


class Control(Frozen):
    """A critical control point (CCP) or point of attention (PVA)."""

    id: str
    kind: Literal["CCP", "PVA"]
    title: Text
    description: Text
    hazards: list[Hazard]
    limits: list[Limit]
    monitoring: list[Monitoring]
    corrective_actions: list[CorrectiveAction]
    derived: list[Derivation] = Field(default_factory=list)
    footnotes: list[Text] = Field(default_factory=list)
    notification: Text | None = None
    source: Source

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not re.fullmatch(r"(CCP|PVA) \d+", value):
            raise ValueError(f"control id {value!r} must read 'CCP <number>' or 'PVA <number>'")
        return value

    @model_validator(mode="after")
    def _kind_matches_id(self) -> Control:
        if not self.id.startswith(self.kind + " "):
            raise ValueError(f"control {self.id}: kind {self.kind} does not match its id")
        ids = [
            *(limit.id for limit in self.limits),
            *(monitoring.id for monitoring in self.monitoring),
            *(action.id for action in self.corrective_actions),
        ]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"control {self.id}: duplicate ids {sorted(duplicates)}")
        limit_ids = {limit.id for limit in self.limits}
        for limit in self.limits:
            if limit.or_limit is not None and limit.or_limit not in limit_ids:
                raise ValueError(f"limit {limit.id}: unknown alternative {limit.or_limit!r}")
        return self

    @property
    def number(self) -> int:
        return int(self.id.split()[1])

    def judged_parameters(self) -> tuple[str, ...]:
        """Every parameter some limit of this control looks at, in the order of the limits."""
        return tuple(dict.fromkeys(p for limit in self.limits for p in limit.reads()))

    def observed_parameters(self) -> tuple[str, ...]:
        """Parameters the monitoring asks to follow without a limit (recorded, not judged)."""
        judged = set(self.judged_parameters())
        return tuple(
            dict.fromkeys(
                p
                for item in self.monitoring
                if item.placement.target != "lab"
                for p in item.parameters
                if p not in judged
            )
        )

    def derivation(self, parameter: str) -> Derivation | None:
        return next((d for d in self.derived if d.parameter == parameter), None)

    @property
    def has_pasteurisation(self) -> bool:
        return any(limit.is_pasteurisation for limit in self.limits)

    @property
    def has_storage_limits(self) -> bool:
        return any(limit.is_storage for limit in self.limits)

    @property
    def counts_starter_uses(self) -> bool:
        return any(d.since == "industrial_starter" for d in self.derived)

    @property
    def at_delivery(self) -> bool:
        return any(item.placement.target == "delivery" for item in self.monitoring)


class Step(Frozen):
    """One step of a process flow, with the controls checked there."""

    id: str
    title: Text
    controls: list[str] = Field(default_factory=list)
    when: Condition = Field(default_factory=dict)
    to_flow: str | None = None

    _check_when = field_validator("when")(check_condition)


class Flow(Frozen):
    """A process flow of section 3 as ordered steps (diagrams reconstructed from the text)."""

    id: str
    title: Text
    products: list[str]
    reconstructed: bool
    steps: list[Step]
    source: Source

    @field_validator("products")
    @classmethod
    def _known_products(cls, value: list[str]) -> list[str]:
        unknown = set(value) - set(PRODUCT_KINDS)
        if unknown:
            raise ValueError(f"unknown product kinds {sorted(unknown)}")
        return value


class HygieneItem(Frozen):
    """A good hygiene practice of section 2 as a checklist item."""

    id: str
    situation: Literal["own_milking", "raw_milk_processing", "ripening", "labelling", "general"]
    text: Text
    frequency: Frequency | None = None
    source: Source

    _parse_frequency = field_validator("frequency", mode="before")(_frequency)


class PasteurisationPoint(Frozen):
    temperature_c: float
    hold_s: float


class Pasteurisation(Frozen):
    """The table of equivalent time/temperature combinations (CCP 9)."""

    reference_temperature_c: float
    reference_hold_s: float
    cream_temperature_c: float
    cream_hold_s: float
    points: list[PasteurisationPoint]
    source: Source

    @field_validator("points")
    @classmethod
    def _ascending(cls, value: list[PasteurisationPoint]) -> list[PasteurisationPoint]:
        temps = [p.temperature_c for p in value]
        holds = [p.hold_s for p in value]
        if temps != sorted(temps) or holds != sorted(holds, reverse=True):
            raise ValueError("points must rise in temperature and fall in hold time")
        return value


class ProductKind(Frozen):
    """A product kind an operator can make, and what follows from it."""

    id: str
    title: Text
    flow: str
    pasteurisation_medium: Literal["milk", "cream", "none"]
    storage_category: str
    family_group: str
    can_be_raw_milk: bool
    fermented: bool


class StorageCategory(Frozen):
    """Maximum storage temperature of a product category (reference data, Table 1)."""

    id: str
    title: Text
    max_temperature_c: float
    fluctuation_c: float
    source: Source


class Notification(Frozen):
    """A situation in which the operator must notify the FAVV."""

    id: str
    trigger: str
    text: Text
    exemption: Text | None = None
    source: Source


class RetentionRule(Frozen):
    """How long records are kept, with and without the relaxations."""

    relaxations: bool
    months_after_date: int
    default_months: int
    text: Text
    source: Source


class Registration(Frozen):
    """What must be registered, with and without the relaxations."""

    relaxations: bool
    mode: Literal["non_conformities_only", "all_checks"]
    text: Text
    source: Source


class Norm(Frozen):
    """A raw-milk norm: comparison against a value in a unit."""

    comparison: str
    value: float | None = None
    unit: str
    text: Text


class RawMilkAnalysis(Frozen):
    """A row of table 5.1: an analysis of raw milk for one source and use."""

    id: str
    species: Literal["cow", "other"]
    source_type: Literal["own_not_delivered", "own_delivered", "bought"]
    use: Literal["any", "raw_milk_products", "heat_treated"]
    parameter: str
    frequency: Frequency
    also_after_withdrawal_period: bool = False
    norm: Norm
    source: Source

    _parse_frequency = field_validator("frequency", mode="before")(_frequency)


class Criterion(Frozen):
    """A microbiological criterion of table 5.2 (Regulation 2073/2005)."""

    id: str
    parameter: str
    n: int
    c: int
    m: float | None = None
    M: float | None = None
    unit: Literal["cfu/g", "cfu/ml", "absence_25g", "not_detected_25g"]
    stage: Text
    type: Literal["VV", "PH"]
    listeria_growth: Literal["supports", "cannot_support", "any"] = "any"
    listeria_proof: Literal["shown_through_shelf_life", "not_shown", "any"] = "any"
    raw_milk: bool | None = None
    ripened: bool | None = None
    trigger: Text | None = None
    discrepancy: Text | None = None
    source: Source

    @model_validator(mode="after")
    def _check(self) -> Criterion:
        if self.c > self.n:
            raise ValueError(f"criterion {self.id}: c > n")
        counts = self.unit in ("cfu/g", "cfu/ml")
        if counts and self.m is None:
            raise ValueError(f"criterion {self.id}: a count criterion needs m")
        if self.M is not None and self.m is not None and self.m > self.M:
            raise ValueError(f"criterion {self.id}: M < m")
        return self


class ProductFamily(Frozen):
    """A product family of table 5.2, sampled at its frequency."""

    id: str
    title: Text
    kinds: list[str]
    raw_milk: bool | None = None
    frequency: Frequency
    criteria: list[Criterion]
    note: Text | None = None
    source: Source

    _parse_frequency = field_validator("frequency", mode="before")(_frequency)


class LabelRule(Frozen):
    """A mandatory mention or naming rule for labels."""

    id: str
    when: Condition = Field(default_factory=dict)
    text: Text
    source: Source

    _check_when = field_validator("when")(check_condition)


class CompositionName(Frozen):
    """A sales name fixed by composition (fat, milk solids-not-fat)."""

    id: str
    kinds: list[str]
    name: Text
    fat_min_pct: float | None = None
    fat_min_inclusive: bool = False
    fat_max_pct: float | None = None
    fat_max_inclusive: bool = False
    msnf_min_pct: float | None = None
    note: Text | None = None
    source: Source


class Labelling(Frozen):
    rules: list[LabelRule]
    names: list[CompositionName]


class ListeriaBarriers(Frozen):
    """When a food cannot support Listeria growth, and the count limit that then applies."""

    ph_max: float
    aw_max: float
    ph_max_with_aw: float
    aw_max_with_ph: float
    short_shelf_life_days: float
    limit_cfu_per_g: float
    text: Text
    source: Source


class GuideMeta(Frozen):
    """Identification of one version of the module."""

    id: str
    title: Text
    publisher: str
    version: str
    language: Lang = "nl"
    note: Text | None = None


class Guide(Frozen):
    """The whole guide module, validated."""

    meta: GuideMeta
    parameters: list[Parameter]
    hygiene: list[HygieneItem]
    controls: list[Control]
    flows: list[Flow]
    products: list[ProductKind]
    pasteurisation: Pasteurisation
    storage_categories: list[StorageCategory]
    raw_milk_analyses: list[RawMilkAnalysis]
    product_families: list[ProductFamily]
    listeria: ListeriaBarriers
    labelling: Labelling
    retention: list[RetentionRule]
    registration: list[Registration]
    notifications: list[Notification]

    def _check_parameters(self) -> None:
        known = {p.id: p for p in self.parameters}
        if len(known) != len(self.parameters):
            raise ValueError("duplicate parameter ids")

        def need(name: str, where: str) -> None:
            if name not in known:
                raise ValueError(f"{where}: unknown parameter {name!r}")

        for control in self.controls:
            for limit in control.limits:
                for name in limit.reads():
                    need(name, f"limit {limit.id}")
                parameter = known[limit.parameter]
                if parameter.measured == "on_site" and limit.unit != parameter.unit:
                    raise ValueError(f"limit {limit.id}: unit differs from its parameter's")
            for item in control.monitoring:
                for name in item.parameters:
                    need(name, f"monitoring {item.id}")
            for derivation in control.derived:
                need(derivation.parameter, f"control {control.id} derived value")
        for analysis in self.raw_milk_analyses:
            need(analysis.parameter, f"analysis {analysis.id}")
        for family in self.product_families:
            for criterion in family.criteria:
                need(criterion.parameter, f"criterion {criterion.id}")

    @model_validator(mode="after")
    def _cross_references(self) -> Guide:
        self._check_parameters()
        control_ids = {c.id for c in self.controls}
        if len(control_ids) != len(self.controls):
            raise ValueError("duplicate control ids")
        flow_ids = {f.id for f in self.flows}
        for flow in self.flows:
            for step in flow.steps:
                unknown = set(step.controls) - control_ids
                if unknown:
                    raise ValueError(f"flow {flow.id} step {step.id}: unknown controls {unknown}")
                if step.to_flow and step.to_flow not in flow_ids:
                    raise ValueError(f"flow {flow.id} step {step.id}: unknown flow {step.to_flow}")
        categories = {c.id for c in self.storage_categories}
        for product in self.products:
            if product.flow not in flow_ids:
                raise ValueError(f"product {product.id}: unknown flow {product.flow}")
            if product.storage_category not in categories:
                raise ValueError(
                    f"product {product.id}: unknown category {product.storage_category}"
                )
        missing = set(PRODUCT_KINDS) - {p.id for p in self.products}
        if missing:
            raise ValueError(f"product kinds without data: {sorted(missing)}")
        return self

    # Read through __pydantic_private__: pydantic's attribute fallback costs ~50x a dict lookup,
    # and the judge asks these several times per measurement.
    _parameters_by_id: dict[str, Parameter] = PrivateAttr(default_factory=dict)
    _controls_by_id: dict[str, Control] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._parameters_by_id = {p.id: p for p in self.parameters}
        self._controls_by_id = {c.id: c for c in self.controls}

    def parameter(self, parameter_id: str) -> Parameter:
        found: Parameter = self.__pydantic_private__["_parameters_by_id"][parameter_id]  # type: ignore[index]  # set in model_post_init
        return found

    def control(self, control_id: str) -> Control:
        found: Control = self.__pydantic_private__["_controls_by_id"][control_id]  # type: ignore[index]  # set in model_post_init
        return found

    def flow(self, flow_id: str) -> Flow:
        for flow in self.flows:
            if flow.id == flow_id:
                return flow
        raise KeyError(flow_id)

    def product(self, kind: str) -> ProductKind:
        for product in self.products:
            if product.id == kind:
                return product
        raise KeyError(kind)
