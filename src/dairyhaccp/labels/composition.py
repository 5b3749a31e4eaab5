"""What a product is made of, as far as its label depends on it."""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.labels.rules import IngredientCategory, load_label_rules
from dairyhaccp.vocabulary import SPECIES

MAX_TEXT_CHARS = 200
MAX_INGREDIENTS = 100
# Sums of percentages may exceed 100 by rounding only.
_ROUNDING = 1e-6


class LabelInputError(ValueError):
    """Input to the label check that cannot be judged, with the field at fault."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def clean_text(value: str) -> str:
    """Text with its outer blanks removed; control characters (NUL, ...) refused."""
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("contains control characters")
    value = value.strip()
    if not value:
        raise ValueError("is empty")
    return value


class _Input(BaseModel):
    # Strict: "3.5" is no number and 1 no boolean; NaN and infinities are refused.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class Ingredient(_Input):
    """An ingredient with, where the name of the food names it, its quantity (QUID)."""

    name: str = Field(max_length=MAX_TEXT_CHARS)
    category: IngredientCategory = "other"
    quantity_pct: float | None = Field(default=None, ge=0, le=100)
    allergens: list[str] = Field(default_factory=list, max_length=20)

    _clean_name = field_validator("name")(clean_text)

    @field_validator("allergens")
    @classmethod
    def _known_allergens(cls, value: list[str]) -> list[str]:
        known = [a.id for a in load_label_rules().allergens.items]
        for allergen in value:
            if allergen not in known:
                raise ValueError(f"{allergen!r} is not an allergen of annex II; known: {known}")
        return list(dict.fromkeys(value))


class Composition(_Input):
    """A product's composition: what decides its sales name and its mandatory mentions."""

    kind: str = Field(max_length=MAX_TEXT_CHARS)
    species: list[str] = Field(default_factory=lambda: ["cow"], max_length=len(SPECIES) * 4)
    # None: raw for the kind raw_milk, otherwise made from heat-treated milk.
    raw_milk: bool | None = Field(default=None, validate_default=True)
    fat_pct: float | None = Field(default=None, ge=0, le=100)
    fat_dm_pct: float | None = Field(default=None, ge=0, le=100)
    msnf_pct: float | None = Field(default=None, ge=0, le=100)
    ingredients: list[Ingredient] | None = Field(default=None, max_length=MAX_INGREDIENTS)
    prepacked: bool = True
    nutrition_declaration: bool = False
    shelf_life_days: int | None = Field(default=None, ge=0, le=3650)
    storage_temperature_c: float | None = Field(default=None, ge=-60, le=60)
    approved_establishment: bool = False
    # Supplied directly by the maker, in small quantities, to consumers or local retail.
    small_quantities_direct: bool = False

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        known = load_label_rules().kind_ids
        if value not in known:
            raise ValueError(f"{value!r} has no label rules; known: {', '.join(known)}")
        return value

    @field_validator("species")
    @classmethod
    def _known_species(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one species is needed")
        for species in value:
            if species not in SPECIES:
                raise ValueError(f"{species!r} is not one of {', '.join(SPECIES)}")
        return list(dict.fromkeys(value))

    @field_validator("raw_milk")
    @classmethod
    def _raw_fits_kind(cls, value: bool | None, info: ValidationInfo) -> bool:
        kind = info.data.get("kind")
        if kind is None:
            return bool(value)
        rule = load_label_rules().kind(kind)
        if rule.always_raw:
            if value is False:
                raise ValueError(f"{kind} is raw milk; false contradicts the kind")
            return True
        if value and not load_guide().product(kind).can_be_raw_milk:
            raise ValueError(f"{kind} is made from heat-treated milk, never from raw milk")
        return bool(value)

    @field_validator("fat_dm_pct")
    @classmethod
    def _dry_matter_for_cheese(cls, value: float | None, info: ValidationInfo) -> float | None:
        kind = info.data.get("kind")
        if value is None or kind is None:
            return value
        if not load_label_rules().kind(kind).cheese:
            raise ValueError(f"fat on dry matter is given for cheese only, not for {kind}")
        fat = info.data.get("fat_pct")
        if fat is not None and value < fat:
            raise ValueError(f"{value} is below fat_pct {fat}: fat on dry matter cannot be lower")
        return value

    @field_validator("msnf_pct")
    @classmethod
    def _solids_fit(cls, value: float | None, info: ValidationInfo) -> float | None:
        fat = info.data.get("fat_pct")
        if value is not None and fat is not None and value + fat > 100 + _ROUNDING:
            raise ValueError(f"{value} with fat_pct {fat} makes more than 100 %")
        return value

    @field_validator("ingredients")
    @classmethod
    def _quantities_fit(cls, value: list[Ingredient] | None) -> list[Ingredient] | None:
        if value is None:
            return value
        total = sum(i.quantity_pct or 0.0 for i in value)
        if total > 100 + _ROUNDING:
            raise ValueError(f"the quantities add up to {total:g} %, more than 100 %")
        return value

    @property
    def is_raw_milk(self) -> bool:
        return bool(self.raw_milk)


def _location(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "input"


def input_error(error: ValidationError, known: tuple[str, ...] = ()) -> LabelInputError:
    """The first problem of a failed validation, with the field it concerns."""
    item = error.errors(include_url=False)[0]
    field = _location(tuple(item["loc"]))
    if item["type"] == "extra_forbidden":
        return LabelInputError(field, f"unknown field; known: {', '.join(known)}")
    if item["type"] == "missing":
        return LabelInputError(field, "is required")
    cause = (item.get("ctx") or {}).get("error")
    problem = str(cause) if isinstance(cause, ValueError) else item["msg"]
    return LabelInputError(field, problem[:300])


def composition_fields() -> tuple[str, ...]:
    return tuple(Composition.model_fields)


def composition_from_dict(data: dict[str, Any]) -> Composition:
    """A Composition from JSON-like data, or LabelInputError naming the field."""
    try:
        return Composition.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, composition_fields()) from None
