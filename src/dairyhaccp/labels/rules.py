"""The label rules of a guide version (label_rules.yaml), typed and checked against the guide."""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from dairyhaccp.guide.loader import CURRENT_VERSION, DATA_DIR, GuideError, load_guide
from dairyhaccp.guide.models import Guide
from dairyhaccp.guide.models import Text as GuideText
from dairyhaccp.vocabulary import PRODUCT_KINDS, SPECIES

RULES_FILE = "label_rules.yaml"
LANGS = ("nl", "fr", "en")

IngredientCategory = Literal["milk_product", "enzyme", "culture", "salt", "other"]
DateType = Literal["use_by", "best_before"]

_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LabelRulesError(GuideError):
    """The label rules data is missing, malformed or does not fit the guide."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LabelText(_Frozen):
    """A text in Dutch, French and English."""

    nl: str
    fr: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`, Dutch for an unknown language."""
        return {"fr": self.fr, "en": self.en}.get(lang, self.nl)

    def fields(self) -> set[str]:
        """The {placeholders} used in any language."""
        names = set()
        for text in (self.nl, self.fr, self.en):
            for _, field, _, _ in string.Formatter().parse(text):
                if field is not None:
                    names.add(field)
        return names


def _only_fields(text: LabelText | None, allowed: set[str], where: str) -> None:
    if text is None:
        return
    unknown = text.fields() - allowed
    if unknown:
        raise ValueError(
            f"{where}: unknown placeholders {sorted(unknown)}; allowed {sorted(allowed)}"
        )


class LabelSource(_Frozen):
    """Where a label rule stands: a section of the module or a regulation."""

    section: str | None = None
    table: str | None = None
    regulation: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> LabelSource:
        if self.section is None and self.regulation is None:
            raise ValueError("a source names a section or a regulation")
        return self

    def __str__(self) -> str:
        parts = []
        if self.section:
            parts.append(f"§{self.section}")
        if self.table:
            parts.append(self.table)
        if self.regulation:
            parts.append(self.regulation)
        return " ".join(parts)


class KindRule(_Frozen):
    """What labels need to know of a product kind beyond the guide's product data."""

    id: str
    date: DateType
    cheese: bool = False
    milk_as_such: bool = False
    always_raw: bool = False
    title: LabelText | None = None
    storage_category: str | None = None
    note: str | None = None


class DateTypeRule(_Frozen):
    """A date type with the words that precede the date."""

    wording: LabelText
    source: LabelSource


class Allergen(_Frozen):
    """An allergen of annex II, named in each language."""

    id: str
    name: LabelText


class AllergenList(_Frozen):
    """The allergens of annex II of Regulation 1169/2011."""

    source: LabelSource
    items: list[Allergen]


class SpeciesMilk(_Frozen):
    """The milk of a species, as named on a label."""

    id: str
    milk: LabelText


class MentionCondition(_Frozen):
    """When a mention is mandatory: every key given must hold for the composition."""

    kind: list[str] | None = None
    raw_milk: bool | None = None
    milk_as_such: bool | None = None
    prepacked: bool | None = None
    approved_establishment: bool | None = None
    small_quantities_direct: bool | None = None
    species_other_than: list[str] | None = None
    name: list[str] | None = None


class IngredientExemption(_Frozen):
    """A product needs no list of ingredients when it holds only these kinds of ingredient."""

    id: str
    kinds: list[str]
    allowed: list[IngredientCategory]
    max_ingredients: int | None = None
    text: LabelText
    source: LabelSource
    note: str | None = None


# What a wording may fill in from the composition.
WORDING_FIELDS = {"fat", "fat_dm", "name", "allergens", "species", "temperature", "date_wording"}
# Checks beyond presence that a mention may carry: the quantity of an ingredient named in the
# name of the food (QUID), and a storage temperature above the guide's maximum.
MentionCheck = Literal["quid", "storage_temperature"]


class MentionRule(_Frozen):
    """A mandatory mention: its id, when it applies, its text and source, what to print."""

    id: str
    when: MentionCondition
    unless: list[str] = []
    guide_rule: str | None = None
    text: LabelText | None = None
    source: LabelSource | None = None
    wording: LabelText | None = None
    dry_matter_wording: LabelText | None = None
    exemptions: list[IngredientExemption] = []
    inherent_allergens: list[str] = []
    checks: list[MentionCheck] = []
    note: str | None = None

    @model_validator(mode="after")
    def _text_somewhere(self) -> MentionRule:
        own = self.text is not None and self.source is not None
        if (self.guide_rule is None) == (not own):
            raise ValueError(f"mention {self.id}: give either guide_rule or both text and source")
        _only_fields(self.wording, WORDING_FIELDS, f"mention {self.id} wording")
        _only_fields(self.dry_matter_wording, WORDING_FIELDS, f"mention {self.id} wording")
        return self


class NameTable(_Frozen):
    """The kinds whose sales name the guide's composition names fix, and how to read them."""

    id: str
    kinds: list[str]
    msnf_min_inclusive: bool = False
    msnf_too_low: LabelText | None = None
    source: LabelSource


class LabelNames(_Frozen):
    """The names on a label that one composition name of the guide stands for."""

    name: str
    nl: list[str]
    fr: list[str]
    en: list[str]

    def get(self, lang: str) -> list[str]:
        return {"fr": self.fr, "en": self.en}.get(lang, self.nl)


_NAME_FIELDS = {
    "name",
    "product",
    "fat",
    "msnf",
    "limit",
    "requirement",
    "names",
    "kinds",
    "allowed",
}


class NameTexts(_Frozen):
    """The sentences of the name decision."""

    requires: LabelText
    fat_requirement: LabelText
    msnf_requirement: LabelText
    conjunction: LabelText
    separator: LabelText
    quoted: LabelText
    fits_other: LabelText
    exactly_at_boundary: LabelText
    below_lowest: LabelText
    no_name: LabelText
    fat_not_given: LabelText
    msnf_not_given: LabelText
    reserved: LabelText
    not_in_table: LabelText
    nothing: LabelText

    @model_validator(mode="after")
    def _known_fields(self) -> NameTexts:
        for key, value in self:
            _only_fields(value, _NAME_FIELDS, f"name_texts.{key}")
        return self


class FindingTexts(_Frozen):
    """The sentences of findings other than a mention's own text."""

    quantity_missing: LabelText
    storage_above_guide: LabelText
    exemption_unverified: LabelText

    @model_validator(mode="after")
    def _known_fields(self) -> FindingTexts:
        allowed = {"ingredient", "temperature", "limit", "exemption"}
        for key, value in self:
            _only_fields(value, allowed, f"finding_texts.{key}")
        return self


class LabelRules(_Frozen):
    """Every label rule of one guide version."""

    kinds: list[KindRule]
    date_types: dict[DateType, DateTypeRule]
    allergens: AllergenList
    species: list[SpeciesMilk]
    mentions: list[MentionRule]
    name_tables: list[NameTable]
    label_names: list[LabelNames]
    name_texts: NameTexts
    finding_texts: FindingTexts

    @field_validator("date_types")
    @classmethod
    def _both_date_types(cls, value: dict[str, DateTypeRule]) -> dict[str, DateTypeRule]:
        if set(value) != {"use_by", "best_before"}:
            raise ValueError("date_types needs use_by and best_before")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> LabelRules:
        for what, ids in (
            ("kind", [k.id for k in self.kinds]),
            ("mention", [m.id for m in self.mentions]),
            ("allergen", [a.id for a in self.allergens.items]),
            ("name table", [t.id for t in self.name_tables]),
        ):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"duplicate {what} ids {duplicates}")
        kinds = set(self.kind_ids)
        mention_ids = set(self.mention_ids)
        allergens = {a.id for a in self.allergens.items}
        if {s.id for s in self.species} != set(SPECIES):
            raise ValueError(f"species must name exactly {', '.join(SPECIES)}")
        for rule in self.mentions:
            unknown = set(rule.when.kind or ()) | {k for e in rule.exemptions for k in e.kinds}
            if unknown - kinds:
                raise ValueError(f"mention {rule.id}: unknown kinds {sorted(unknown - kinds)}")
            if set(rule.unless) - mention_ids:
                raise ValueError(f"mention {rule.id}: unless names unknown mentions")
            if set(rule.when.species_other_than or ()) - set(SPECIES):
                raise ValueError(f"mention {rule.id}: unknown species")
            if set(rule.inherent_allergens) - allergens:
                raise ValueError(f"mention {rule.id}: unknown allergens")
        for table in self.name_tables:
            if set(table.kinds) - kinds:
                raise ValueError(f"name table {table.id}: unknown kinds")
        table_kinds = [k for t in self.name_tables for k in t.kinds]
        if len(table_kinds) != len(set(table_kinds)):
            raise ValueError("a kind belongs to more than one name table")
        return self

    @property
    def kind_ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.kinds)

    @property
    def mention_ids(self) -> tuple[str, ...]:
        """The public vocabulary of mention ids, in the order of the data."""
        return tuple(m.id for m in self.mentions)

    def kind(self, kind_id: str) -> KindRule:
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    def mention(self, mention_id: str) -> MentionRule:
        for mention in self.mentions:
            if mention.id == mention_id:
                return mention
        raise KeyError(mention_id)

    def table_for(self, kind_id: str) -> NameTable | None:
        for table in self.name_tables:
            if kind_id in table.kinds:
                return table
        return None

    def allergen_name(self, allergen_id: str, lang: str) -> str:
        for allergen in self.allergens.items:
            if allergen.id == allergen_id:
                return allergen.name.get(lang)
        raise KeyError(allergen_id)

    def species_milk(self, species_id: str, lang: str) -> str:
        for species in self.species:
            if species.id == species_id:
                return species.milk.get(lang)
        raise KeyError(species_id)

    def label_names_of(self, name_id: str) -> LabelNames | None:
        for names in self.label_names:
            if names.name == name_id:
                return names
        return None


def _check_against_guide(rules: LabelRules, guide: Guide) -> None:
    """Refuse references to guide facts that do not exist."""
    products = {p.id: p for p in guide.products}
    categories = {c.id for c in guide.storage_categories}
    for kind in rules.kinds:
        if kind.id in products:
            continue
        if kind.id in PRODUCT_KINDS or kind.title is None or kind.storage_category is None:
            raise ValueError(
                f"kind {kind.id}: not a guide product; give title and storage_category"
            )
        if kind.storage_category not in categories:
            raise ValueError(f"kind {kind.id}: unknown storage category {kind.storage_category!r}")
    guide_rules = {r.id for r in guide.labelling.rules}
    names = {n.id: n for n in guide.labelling.names}
    for mention in rules.mentions:
        if mention.guide_rule is not None and mention.guide_rule not in guide_rules:
            raise ValueError(f"mention {mention.id}: unknown guide rule {mention.guide_rule!r}")
        unknown = set(mention.when.name or ()) - set(names)
        if unknown:
            raise ValueError(f"mention {mention.id}: unknown composition names {sorted(unknown)}")
    for label_names in rules.label_names:
        if label_names.name not in names:
            raise ValueError(f"label_names: unknown composition name {label_names.name!r}")
    for name in names.values():
        table = rules.table_for(name.kinds[0]) if name.kinds else None
        if table is None or not set(name.kinds) <= set(table.kinds):
            raise ValueError(f"composition name {name.id}: its kinds lie in no single name table")
        if name.msnf_min_pct is not None and table.msnf_too_low is None:
            raise ValueError(f"name table {table.id}: needs msnf_too_low for {name.id}")
    for table in rules.name_tables:
        if not any(set(n.kinds) & set(table.kinds) for n in names.values()):
            raise ValueError(f"name table {table.id}: no composition name of the guide")


def guide_text(guide: Guide, rule: MentionRule) -> tuple[LabelText | GuideText, str]:
    """The text and source of a mention: its own, or those of its rule in the guide."""
    if rule.guide_rule is None:
        assert rule.text is not None and rule.source is not None
        return rule.text, str(rule.source)
    for guide_rule in guide.labelling.rules:
        if guide_rule.id == rule.guide_rule:
            return guide_rule.text, str(guide_rule.source)
    raise KeyError(rule.guide_rule)


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:10]:
        location = ".".join(str(part) for part in item["loc"])
        lines.append(f"  {location}: {item['msg']}")
    return "\n".join(lines)


def load_rules_file(path: Path, guide: Guide) -> LabelRules:
    """Read, validate and cross-check one label rules file against `guide`."""
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=_YAML_LOADER)
    except FileNotFoundError as exc:
        raise LabelRulesError(f"label rules missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise LabelRulesError(f"{path}: not valid YAML: {exc}") from exc
    try:
        rules = LabelRules.model_validate(raw)
    except ValidationError as exc:
        raise LabelRulesError(f"label rules in {path} are invalid:\n{_describe(exc)}") from exc
    try:
        _check_against_guide(rules, guide)
    except ValueError as exc:
        raise LabelRulesError(f"label rules in {path} do not fit the guide: {exc}") from exc
    return rules


def rules_path(version: str = CURRENT_VERSION) -> Path:
    """Where the label rules of a guide version live: beside its other data files."""
    return DATA_DIR / version / RULES_FILE


@functools.cache
def load_label_rules(version: str = CURRENT_VERSION) -> LabelRules:
    """The validated label rules of `version` (cached: the data never changes at run time)."""
    return load_rules_file(rules_path(version), load_guide(version))
