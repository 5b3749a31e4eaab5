"""The label check: the sales name and the mandatory mentions of a composition (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Guide, StorageCategory
from dairyhaccp.labels.composition import MAX_TEXT_CHARS, Composition, LabelInputError, clean_text
from dairyhaccp.labels.names import (
    NameDecision,
    allowed_names,
    format_number,
    judge_sales_name,
    label_names,
    name_key,
)
from dairyhaccp.labels.rules import (
    IngredientExemption,
    LabelRules,
    MentionRule,
    guide_text,
    load_label_rules,
)

MAX_MENTIONS = 200


class FindingCode(StrEnum):
    """What a finding says about the label."""

    MISSING = "missing"  # a mandatory mention is not on the label
    PRESENT = "present"  # a mandatory mention is on the label
    NAME_REFUSED = "name_refused"  # the sales name does not fit the composition
    NO_NAME = "no_name"  # the composition gives no name the guide allows
    QUANTITY_MISSING = "quantity_missing"  # an ingredient in the name lacks its percentage
    STORAGE_ABOVE_GUIDE = "storage_above_guide"  # stated storage temperature above the maximum
    EXEMPTION_UNVERIFIED = "exemption_unverified"  # an exemption assumed, ingredients unknown


PROBLEMS = frozenset(
    {
        FindingCode.MISSING,
        FindingCode.NAME_REFUSED,
        FindingCode.NO_NAME,
        FindingCode.QUANTITY_MISSING,
        FindingCode.STORAGE_ABOVE_GUIDE,
    }
)


@dataclass(frozen=True, slots=True)
class LabelFinding:
    """One thing the check found, about one mention, in the language asked."""

    mention: str
    code: FindingCode
    text: str
    source: str
    wording: str | None = None  # what to print, filled in from the composition
    date_type: str | None = None  # use_by or best_before, for the date
    allergens: tuple[str, ...] = ()  # to emphasise, in the language asked

    @property
    def problem(self) -> bool:
        return self.code in PROBLEMS

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "mention": self.mention,
            "code": self.code.value,
            "text": self.text,
            "source": self.source,
        }
        if self.wording is not None:
            data["wording"] = self.wording
        if self.date_type is not None:
            data["date_type"] = self.date_type
        if self.allergens:
            data["allergens"] = list(self.allergens)
        return data


@dataclass(frozen=True, slots=True)
class LabelCheck:
    """The verdict on a label: names, what is missing, and every finding."""

    names: NameDecision
    sales_name_ok: bool | None  # None when no sales name was given
    required: tuple[str, ...]
    missing: tuple[str, ...]
    findings: tuple[LabelFinding, ...]

    @property
    def allowed_names(self) -> tuple[str, ...]:
        return self.names.allowed

    @property
    def ok(self) -> bool:
        """Nothing missing or wrong (an unverified exemption is no problem)."""
        return self.sales_name_ok is not False and not any(f.problem for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract of `dairyhaccp label check`."""
        return {
            "allowed_names": list(self.names.allowed),
            "sales_name_ok": self.sales_name_ok,
            "missing": list(self.missing),
            "findings": [f.to_dict() for f in self.findings],
        }


def check_mentions(mentions: Iterable[Any], rules: LabelRules) -> frozenset[str]:
    """The mention ids on a label, or LabelInputError naming the first unknown one."""
    known = rules.mention_ids
    if isinstance(mentions, str | bytes):
        raise LabelInputError("mentions", "expected a list of mention ids, not one text")
    present = set()
    for index, mention in enumerate(mentions):
        if index >= MAX_MENTIONS:
            raise LabelInputError("mentions", f"more than {MAX_MENTIONS} mentions")
        if not isinstance(mention, str):
            raise LabelInputError(f"mentions[{index}]", "expected a mention id (text)")
        if mention not in known:
            shown = mention[:60] + ("..." if len(mention) > 60 else "")
            raise LabelInputError(
                f"mentions[{index}]", f"{shown!r} is not a mention id; known: {', '.join(known)}"
            )
        present.add(mention)
    return frozenset(present)


def check_sales_name(value: Any) -> str | None:
    """The sales name as given, or LabelInputError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise LabelInputError("sales_name", "expected text")
    if len(value) > MAX_TEXT_CHARS:
        raise LabelInputError("sales_name", f"longer than {MAX_TEXT_CHARS} characters")
    try:
        return clean_text(value)
    except ValueError as exc:
        raise LabelInputError("sales_name", str(exc)) from None


def _holds(
    rule: MentionRule, composition: Composition, rules: LabelRules, names: NameDecision
) -> bool:
    when = rule.when
    flags = {
        "raw_milk": composition.is_raw_milk,
        "milk_as_such": rules.kind(composition.kind).milk_as_such,
        "prepacked": composition.prepacked,
        "approved_establishment": composition.approved_establishment,
        "small_quantities_direct": composition.small_quantities_direct,
    }
    for key, value in flags.items():
        wanted = getattr(when, key)
        if wanted is not None and wanted != value:
            return False
    if when.kind is not None and composition.kind not in when.kind:
        return False
    if when.species_other_than is not None and all(
        s in when.species_other_than for s in composition.species
    ):
        return False
    return when.name is None or bool(set(when.name) & set(names.allowed_ids))


def ingredient_exemption(rule: MentionRule, composition: Composition) -> IngredientExemption | None:
    """The exemption from a list of ingredients the composition qualifies for, if any.

    With ingredients unknown (None) the exemption of the kind is assumed.
    """
    for exemption in rule.exemptions:
        if composition.kind not in exemption.kinds:
            continue
        ingredients = composition.ingredients
        if ingredients is None:
            return exemption
        categories_ok = all(i.category in exemption.allowed for i in ingredients)
        count_ok = (
            exemption.max_ingredients is None or len(ingredients) <= exemption.max_ingredients
        )
        if categories_ok and count_ok:
            return exemption
    return None


def _storage_category(composition: Composition, rules: LabelRules, guide: Guide) -> StorageCategory:
    category_id = rules.kind(composition.kind).storage_category
    if category_id is None:
        category_id = guide.product(composition.kind).storage_category
    return next(c for c in guide.storage_categories if c.id == category_id)


class _Fill:
    """The values a wording may take from the composition, in one language."""

    def __init__(
        self,
        composition: Composition,
        names: NameDecision,
        lang: str,
        rules: LabelRules,
        guide: Guide,
    ) -> None:
        self.composition = composition
        self.lang = lang
        self.rules = rules
        self.guide = guide
        self.names = names
        self.date_type = rules.kind(composition.kind).date
        self.category = _storage_category(composition, rules, guide)

    def allergens(self, rule: MentionRule) -> tuple[str, ...]:
        ids = list(rule.inherent_allergens)
        for ingredient in self.composition.ingredients or ():
            ids.extend(ingredient.allergens)
        return tuple(self.rules.allergen_name(a, self.lang) for a in dict.fromkeys(ids))

    def _name(self, rule: MentionRule) -> str | None:
        for name in self.guide.labelling.names:
            if name.id in (rule.when.name or ()) and name.id in self.names.allowed_ids:
                return label_names(name, self.lang, self.rules)[0]
        return None

    def values(self, rule: MentionRule) -> dict[str, str]:
        c, lang = self.composition, self.lang
        values = {
            "species": f" {self.rules.name_texts.conjunction.get(lang)} ".join(
                self.rules.species_milk(s, lang) for s in c.species
            ),
            "allergens": ", ".join(self.allergens(rule)),
            "date_wording": self.rules.date_types[self.date_type].wording.get(lang),
        }
        limit = self.category.max_temperature_c
        stated = c.storage_temperature_c
        values["temperature"] = format_number(
            stated if stated is not None and stated <= limit else limit, lang
        )
        if c.fat_pct is not None:
            values["fat"] = format_number(c.fat_pct, lang)
        if c.fat_dm_pct is not None:
            values["fat_dm"] = format_number(c.fat_dm_pct, lang)
        name = self._name(rule)
        if name is not None:
            values["name"] = name
        return values

    def wording(self, rule: MentionRule) -> str | None:
        values = self.values(rule)
        parts = []
        for text in (rule.wording, rule.dry_matter_wording):
            if text is not None and text.fields() <= set(values):
                parts.append(text.get(self.lang).format(**values))
        return ", ".join(parts) if parts else None


def _extra_findings(
    rule: MentionRule,
    composition: Composition,
    sales_name: str | None,
    fill: _Fill,
    source: str,
) -> list[LabelFinding]:
    texts, lang = fill.rules.finding_texts, fill.lang
    findings = []
    if "quid" in rule.checks and sales_name is not None:
        for ingredient in composition.ingredients or ():
            named = name_key(ingredient.name) in name_key(sales_name)
            if ingredient.category == "other" and ingredient.quantity_pct is None and named:
                text = texts.quantity_missing.get(lang).format(ingredient=ingredient.name)
                findings.append(LabelFinding(rule.id, FindingCode.QUANTITY_MISSING, text, source))
    stated = composition.storage_temperature_c
    limit = fill.category.max_temperature_c
    if "storage_temperature" in rule.checks and stated is not None and stated > limit:
        text = texts.storage_above_guide.get(lang).format(
            temperature=format_number(stated, lang), limit=format_number(limit, lang)
        )
        findings.append(
            LabelFinding(rule.id, FindingCode.STORAGE_ABOVE_GUIDE, text, str(fill.category.source))
        )
    return findings


def required_mentions(
    composition: Composition,
    mentions: Iterable[str] = (),
    *,
    rules: LabelRules | None = None,
    guide: Guide | None = None,
) -> tuple[str, ...]:
    """The ids of the mentions the label of `composition` must carry, given those present."""
    check = check_label(composition, None, mentions, rules=rules, guide=guide)
    return check.required


def check_label(
    composition: Composition,
    sales_name: str | None = None,
    mentions: Iterable[str] = (),
    lang: str = "nl",
    *,
    rules: LabelRules | None = None,
    guide: Guide | None = None,
) -> LabelCheck:
    """Check a label: the sales name against the composition, the mentions against the rules.

    `mentions` are the ids on the label; a nutrition declaration in the composition counts as
    present. Raises LabelInputError for an unknown mention id or a malformed sales name.
    """
    rules = rules or load_label_rules()
    guide = guide or load_guide()
    present = set(check_mentions(mentions, rules))
    sales_name = check_sales_name(sales_name)
    if composition.nutrition_declaration:
        present.add("nutrition_declaration")
    names = allowed_names(composition, lang, rules=rules, guide=guide)
    findings: list[LabelFinding] = []
    sales_name_ok = None
    if sales_name is not None:
        judgement = judge_sales_name(composition, sales_name, names, lang, rules=rules, guide=guide)
        sales_name_ok = judgement.ok
        if not judgement.ok:
            findings.append(
                LabelFinding(
                    "name", FindingCode.NAME_REFUSED, judgement.reason or "", judgement.source or ""
                )
            )
    if names.regulated and not names.allowed and sales_name_ok is not False:
        findings.append(
            LabelFinding(
                "name", FindingCode.NO_NAME, names.no_name_reason or "", names.source or ""
            )
        )
    fill = _Fill(composition, names, lang, rules, guide)
    required = []
    for rule in rules.mentions:
        if not _holds(rule, composition, rules, names) or present & set(rule.unless):
            continue
        text, source = guide_text(guide, rule)
        exemption = ingredient_exemption(rule, composition)
        if exemption is not None:
            if composition.ingredients is None:
                unverified = rules.finding_texts.exemption_unverified.get(lang).format(
                    exemption=exemption.text.get(lang)
                )
                code = FindingCode.EXEMPTION_UNVERIFIED
                findings.append(LabelFinding(rule.id, code, unverified, str(exemption.source)))
            continue
        required.append(rule.id)
        code = FindingCode.PRESENT if rule.id in present else FindingCode.MISSING
        uses = rule.wording.fields() if rule.wording is not None else set()
        findings.append(
            LabelFinding(
                rule.id,
                code,
                text.get(lang),
                source,
                wording=fill.wording(rule),
                date_type=fill.date_type if "date_wording" in uses else None,
                allergens=fill.allergens(rule) if "allergens" in uses else (),
            )
        )
        findings.extend(_extra_findings(rule, composition, sales_name, fill, source))
    return LabelCheck(
        names=names,
        sales_name_ok=sales_name_ok,
        required=tuple(required),
        missing=tuple(m for m in required if m not in present),
        findings=tuple(findings),
    )
