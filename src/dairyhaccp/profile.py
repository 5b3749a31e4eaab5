"""The operator profile: what an operator does, from which the HACCP plan is built."""

from __future__ import annotations

import tomllib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dairyhaccp.vocabulary import PACKAGING, PRODUCT_KINDS, SPECIES

CHEESE_KINDS = frozenset({"hard_cheese", "semi_hard_cheese", "soft_cheese", "fresh_cheese"})
NEVER_RAW = frozenset(
    {"stirred_yoghurt", "set_yoghurt", "fermented_milk", "pasteurised_milk", "milk_drink"}
)
NEVER_PACKED = frozenset({"whey_for_feed"})


class ProfileError(ValueError):
    """A profile that cannot be used, with the field at fault."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OperatorSpec(_Strict):
    """Who the operator is and whether the relaxations for small operators apply."""

    name: str = Field(min_length=1, max_length=200)
    # Without a word on it, the stricter regime: every check registered, records kept 2 years.
    relaxations: bool = False
    home_made_starter: bool = False


class MilkSpec(_Strict):
    """Where the operator's milk comes from."""

    own_animals: bool = False
    species: list[str] = Field(default_factory=lambda: ["cow"])
    delivers_to_buyers: bool = False
    buys_raw_milk: bool = False

    @field_validator("species")
    @classmethod
    def _known_species(cls, value: list[str]) -> list[str]:
        for item in value:
            if item not in SPECIES:
                raise ValueError(f"unknown species {item!r}; known: {', '.join(SPECIES)}")
        if len(set(value)) != len(value):
            raise ValueError("a species is listed twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> MilkSpec:
        if self.delivers_to_buyers and not self.own_animals:
            raise ValueError("delivers_to_buyers needs own_animals = true")
        if (self.own_animals or self.buys_raw_milk) and not self.species:
            raise ValueError("species: name at least one species")
        return self


class ProductSpec(_Strict):
    """One product the operator makes, with the properties that change the plan."""

    kind: str
    name: str | None = Field(default=None, max_length=200)
    raw_milk: bool = False
    packaging: str = "none"
    brined: bool = False
    ph: float | None = Field(default=None, ge=0, le=14, allow_inf_nan=False)
    aw: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    shelf_life_days: int | None = Field(default=None, ge=0)
    frozen: bool = False
    challenge_test: bool = False
    # The operator's own norm for packing under another modified atmosphere (CCP 23).
    gas_norm_o2_pct: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    gas_norm_co2_pct: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in PRODUCT_KINDS:
            raise ValueError(f"unknown product kind {value!r}; known: {', '.join(PRODUCT_KINDS)}")
        return value

    @field_validator("packaging")
    @classmethod
    def _known_packaging(cls, value: str) -> str:
        if value not in PACKAGING:
            raise ValueError(f"unknown packaging {value!r}; known: {', '.join(PACKAGING)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ProductSpec:
        if self.raw_milk and self.kind in NEVER_RAW:
            raise ValueError(f"raw_milk: {self.kind} must be made from pasteurised milk")
        if self.brined and self.kind not in CHEESE_KINDS:
            raise ValueError(f"brined: only cheese is brined, not {self.kind}")
        if self.packaging != "none" and self.kind in NEVER_PACKED:
            raise ValueError(f"packaging: {self.kind} is not packed")
        norms = (self.gas_norm_o2_pct, self.gas_norm_co2_pct)
        if self.packaging != "modified_atmosphere" and any(n is not None for n in norms):
            raise ValueError(
                "gas_norm_o2_pct: an own gas norm is for packing under a modified atmosphere"
            )
        return self

    @property
    def label(self) -> str:
        return self.name or self.kind


AdaptationKind = Literal[
    "add_step", "drop_step", "change_limit", "add_action", "drop_action", "drop_control"
]


class Adaptation(_Strict):
    """A justified change to the plan, as the guide allows (section 1.2)."""

    kind: AdaptationKind
    justification: str = Field(min_length=10, max_length=4000)
    flow: str | None = None
    step: str | None = None
    after: str | None = None
    title: str | None = None
    controls: list[str] = Field(default_factory=list)
    control: str | None = None
    limit: str | None = None
    value: float | None = Field(default=None, allow_inf_nan=False)
    low: float | None = Field(default=None, allow_inf_nan=False)
    high: float | None = Field(default=None, allow_inf_nan=False)
    action: str | None = None
    text: str | None = None

    @field_validator("justification")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if len(value.strip()) < 10:
            raise ValueError("write a justification of at least 10 characters")
        return value.strip()

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Adaptation:
        needed: dict[str, tuple[str, ...]] = {
            "add_step": ("flow", "step", "title"),
            "drop_step": ("flow", "step"),
            "change_limit": ("control", "limit"),
            "add_action": ("control", "text"),
            "drop_action": ("control", "action"),
            "drop_control": ("control",),
        }
        for name in needed[self.kind]:
            if getattr(self, name) in (None, ""):
                raise ValueError(f"{self.kind} needs {name}")
        if self.kind == "change_limit" and self.value is None and self.low is None:
            raise ValueError("change_limit needs value, or low and high")
        return self


class Profile(_Strict):
    """Everything the plan builder needs to know about an operator."""

    operator: OperatorSpec
    milk: MilkSpec = Field(default_factory=MilkSpec)
    products: list[ProductSpec] = Field(min_length=1)
    adaptations: list[Adaptation] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        makes_raw = any(p.raw_milk for p in self.products)
        if makes_raw and not (self.milk.own_animals or self.milk.buys_raw_milk):
            raise ValueError(
                "milk: a raw-milk product needs raw milk: set own_animals or buys_raw_milk"
            )
        names = [p.label for p in self.products if p.name]
        if len(set(names)) != len(names):
            raise ValueError("products: two products have the same name")
        return self

    @property
    def relaxations(self) -> bool:
        return self.operator.relaxations


def _field_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not part.startswith(("function-", "model-")):
            path += f".{part}" if path else part
    return path or "profile"


def profile_from_dict(data: Any) -> Profile:
    """Validate a profile mapping; the first problem raises ProfileError naming the field."""
    if not isinstance(data, dict):
        raise ProfileError("profile", "expected a table of settings")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown field"
        elif first["type"] == "missing":
            message = "is required"
        elif first["type"] == "finite_number":
            message = f"{first['input']!r} is not a finite number"
        raise ProfileError(_field_path(tuple(first["loc"])), message) from exc


def parse_profile_toml(text: str) -> Profile:
    """Read a profile from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError("profile", f"not valid TOML: {exc}") from exc
    except RecursionError:
        raise ProfileError("profile", "not valid TOML: nested too deeply") from None
    except ValueError as exc:  # an integer too long to convert
        raise ProfileError("profile", f"not valid TOML: {str(exc).split(';')[0]}") from None
    return profile_from_dict(data)
