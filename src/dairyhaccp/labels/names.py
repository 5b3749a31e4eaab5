"""The sales names a composition may carry (the name table and cream definitions of §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import CompositionName, Guide
from dairyhaccp.labels.composition import Composition
from dairyhaccp.labels.rules import LANGS, LabelRules, NameTable, load_label_rules


@dataclass(frozen=True, slots=True)
class RefusedName:
    """A name of the table the composition may not carry, and why."""

    name: str
    reason: str
    name_id: str  # the composition name of the guide it spells


@dataclass(frozen=True, slots=True)
class NameDecision:
    """The sales names a composition may carry, in one language.

    `regulated` is false for kinds whose name no composition rule fixes (cheese, butter, milk):
    then `allowed` is empty and any name not reserved for another kind will do.
    """

    regulated: bool
    allowed: tuple[str, ...]
    allowed_ids: tuple[str, ...]
    refused: tuple[RefusedName, ...]
    no_name_reason: str | None
    source: str | None


def format_number(value: float, lang: str) -> str:
    """A number as written in `lang`: shortest exact form, decimal comma in nl and fr."""
    text = repr(float(value))
    if "e" in text:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    text = text.removesuffix(".0")
    return text.replace(".", ",") if lang in ("nl", "fr") else text


def name_key(name: str) -> str:
    """The form in which two names compare: case and runs of blanks ignored."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def product_title(kind: str, lang: str, rules: LabelRules, guide: Guide) -> str:
    """The product kind as a common noun in `lang`."""
    own = rules.kind(kind).title
    title = own.get(lang) if own is not None else guide.product(kind).title.get(lang)
    return title[:1].lower() + title[1:]


def label_names(name: CompositionName, lang: str, rules: LabelRules) -> list[str]:
    """The names on a label that a composition name of the guide stands for."""
    split = rules.label_names_of(name.id)
    return split.get(lang) if split is not None else [name.name.get(lang)]


def _fat_fits(name: CompositionName, fat: float) -> bool:
    if name.fat_min_pct is not None:
        low = name.fat_min_pct
        if fat < low or (fat == low and not name.fat_min_inclusive):
            return False
    if name.fat_max_pct is not None:
        high = name.fat_max_pct
        if fat > high or (fat == high and not name.fat_max_inclusive):
            return False
    return True


def _msnf_fits(name: CompositionName, table: NameTable, msnf: float | None) -> bool:
    if name.msnf_min_pct is None:
        return True
    if msnf is None:
        return False
    low = name.msnf_min_pct
    return msnf > low or (msnf == low and table.msnf_min_inclusive)


def _range(
    low: float | None,
    low_inclusive: bool,
    high: float | None,
    high_inclusive: bool,
    lang: str,
    rules: LabelRules,
) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'≥' if low_inclusive else '>'} {format_number(low, lang)} %")
    if high is not None:
        parts.append(f"{'≤' if high_inclusive else '<'} {format_number(high, lang)} %")
    return f" {rules.name_texts.conjunction.get(lang)} ".join(parts)


class _Sentences:
    """The sentences of one name decision, in one language."""

    def __init__(self, rules: LabelRules, lang: str, product: str) -> None:
        self.texts = rules.name_texts
        self.rules = rules
        self.lang = lang
        self.product = product

    def say(self, text_id: str, **fields: str) -> str:
        template = getattr(self.texts, text_id).get(self.lang)
        return str(template.format(product=self.product, **fields))

    def join(self, sentences: list[str]) -> str:
        return self.texts.separator.get(self.lang).join(sentences)

    def quote(self, names: list[str]) -> str:
        return ", ".join(self.say("quoted", name=name) for name in names)

    def requirement(self, name: CompositionName) -> str:
        fat = _range(
            name.fat_min_pct,
            name.fat_min_inclusive,
            name.fat_max_pct,
            name.fat_max_inclusive,
            self.lang,
            self.rules,
        )
        return self.say("fat_requirement", requirement=fat) if fat else ""


def _fat_state(names: list[CompositionName], fat: float, say: _Sentences, rules: LabelRules) -> str:
    """What the fat content makes of the product: a name of the table, or why none."""
    fitting = [
        label for n in names if _fat_fits(n, fat) for label in label_names(n, say.lang, rules)
    ]
    number = format_number(fat, say.lang)
    if fitting:
        return say.say("fits_other", fat=number, names=say.quote(fitting))
    open_bounds = {n.fat_min_pct for n in names if not n.fat_min_inclusive} | {
        n.fat_max_pct for n in names if not n.fat_max_inclusive
    }
    if fat in open_bounds:
        return say.say("exactly_at_boundary", fat=number)
    lowest = min((n.fat_min_pct for n in names if n.fat_min_pct is not None), default=None)
    if lowest is not None and all(n.fat_min_pct is not None for n in names) and fat < lowest:
        return say.say("below_lowest", fat=number, limit=format_number(lowest, say.lang))
    return say.say("no_name", fat=number)


def allowed_names(
    composition: Composition,
    lang: str = "nl",
    *,
    rules: LabelRules | None = None,
    guide: Guide | None = None,
) -> NameDecision:
    """The sales names the composition may carry in `lang`, and why each other one is refused."""
    rules = rules or load_label_rules()
    guide = guide or load_guide()
    table = rules.table_for(composition.kind)
    if table is None:
        return NameDecision(False, (), (), (), None, None)
    names = [n for n in guide.labelling.names if composition.kind in n.kinds]
    say = _Sentences(rules, lang, product_title(composition.kind, lang, rules, guide))
    fat, msnf = composition.fat_pct, composition.msnf_pct
    if fat is None or (msnf is None and any(n.msnf_min_pct is not None for n in names)):
        reason = say.say("fat_not_given" if fat is None else "msnf_not_given")
        undecided = [
            RefusedName(label, reason, n.id) for n in names for label in label_names(n, lang, rules)
        ]
        return NameDecision(True, (), (), tuple(undecided), reason, str(table.source))

    fat_state = _fat_state(names, fat, say, rules)
    allowed: list[str] = []
    allowed_ids: list[str] = []
    refused: list[RefusedName] = []
    msnf_reason: str | None = None
    for name in names:
        labels = label_names(name, lang, rules)
        fat_ok = _fat_fits(name, fat)
        msnf_ok = _msnf_fits(name, table, msnf)
        if fat_ok and msnf_ok:
            allowed.extend(labels)
            allowed_ids.append(name.id)
            continue
        reasons = []
        if not msnf_ok:
            assert table.msnf_too_low is not None and name.msnf_min_pct is not None
            msnf_reason = table.msnf_too_low.get(lang).format(
                msnf=format_number(msnf or 0.0, lang),
                limit=format_number(name.msnf_min_pct, lang),
            )
            reasons.append(msnf_reason)
        for label in labels:
            if fat_ok:
                refused.append(RefusedName(label, say.join(reasons), name.id))
                continue
            requires = say.say(
                "requires", name=say.quote([label]), requirement=say.requirement(name)
            )
            # With the milk solids too low the fat alone names nothing: do not say it does.
            state = [] if reasons else [fat_state]
            refused.append(RefusedName(label, say.join([*reasons, requires, *state]), name.id))
    no_name_reason = None
    if not allowed:
        no_name_reason = msnf_reason if msnf_reason is not None else fat_state
    return NameDecision(
        True,
        tuple(dict.fromkeys(allowed)),
        tuple(allowed_ids),
        tuple(r for r in refused if r.name not in allowed),
        no_name_reason,
        str(table.source),
    )


@dataclass(frozen=True, slots=True)
class NameJudgement:
    """Whether a sales name fits the composition, and if not why."""

    ok: bool
    reason: str | None
    source: str | None


def _spellings(name: CompositionName, rules: LabelRules) -> set[str]:
    """The name keys of a composition name in every language."""
    return {name_key(label) for lang in LANGS for label in label_names(name, lang, rules)}


def _reserved_for(sales_name: str, kind: str, rules: LabelRules, guide: Guide) -> list[str] | None:
    """The kinds a name of another table is reserved for, in any language; None if it is not."""
    own_table = rules.table_for(kind)
    key = name_key(sales_name)
    for name in guide.labelling.names:
        if own_table is not None and set(name.kinds) <= set(own_table.kinds):
            continue
        if key in _spellings(name, rules):
            return list(name.kinds)
    return None


def judge_sales_name(
    composition: Composition,
    sales_name: str,
    decision: NameDecision,
    lang: str = "nl",
    *,
    rules: LabelRules | None = None,
    guide: Guide | None = None,
) -> NameJudgement:
    """Judge the sales name on the label against the names the composition allows."""
    rules = rules or load_label_rules()
    guide = guide or load_guide()
    key = name_key(sales_name)
    say = _Sentences(rules, lang, product_title(composition.kind, lang, rules, guide))
    if decision.regulated:
        # A name of the table fits in any of the languages: a label may be bilingual.
        for name in guide.labelling.names:
            if composition.kind not in name.kinds or key not in _spellings(name, rules):
                continue
            if name.id in decision.allowed_ids:
                return NameJudgement(True, None, decision.source)
            for refused in decision.refused:
                if refused.name_id == name.id:
                    return NameJudgement(False, refused.reason, decision.source)
    reserved = _reserved_for(sales_name, composition.kind, rules, guide)
    if reserved is not None:
        kinds = ", ".join(product_title(k, lang, rules, guide) for k in reserved)
        table = rules.table_for(reserved[0])
        source = str(table.source) if table is not None else None
        return NameJudgement(
            False, say.say("reserved", name=say.quote([sales_name]), kinds=kinds), source
        )
    if not decision.regulated:
        return NameJudgement(True, None, None)
    allowed = say.quote(list(decision.allowed)) if decision.allowed else say.say("nothing")
    reason = say.say("not_in_table", name=say.quote([sales_name]), allowed=allowed)
    return NameJudgement(False, reason, decision.source)
