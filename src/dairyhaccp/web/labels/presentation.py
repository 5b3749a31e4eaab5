"""What a label shows (its face, in the label's language) and the check (in the page's)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from dairyhaccp.labels import FindingCode, load_label_rules
from dairyhaccp.labels.names import format_number
from dairyhaccp.web.labels.composing import ComposedLabel
from dairyhaccp.web.labels.constants import LABEL_DATE_FORMAT
from dairyhaccp.web.labels.layouts import printing
from dairyhaccp.web.labels.mentions import (
    ALWAYS_PRINTED,
    CONTENT_MENTIONS,
    INGREDIENTS,
    mention_title,
)
from dairyhaccp.web.operators.language import guide_language

# Mentions the face places at a fixed spot; any other mention on the label is printed as a
# line of its own, after the fat content.
PLACED = frozenset(
    {
        INGREDIENTS,
        "allergens",
        "made_with_raw_milk",
        "raw_milk_boil_before_use",
        "species",
        "fat_content",
        "fat_content_near_name",
        "fat_content_after_name",
        "storage_conditions",
    }
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of printed text, emphasised or not."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class LabelFace:
    """Everything printed on one label, in the label's language, in reading order."""

    lang: str
    name: str
    near_name: str | None
    raw_milk: tuple[str, ...]
    species: str | None
    ingredients_word: str
    ingredients: tuple[Segment, ...]
    allergens: tuple[Segment, ...]
    fat: str | None
    extra: tuple[str, ...]
    nutrition: str
    own_text: str
    date_wording: str | None
    date_text: str
    storage: str | None
    lot_prefix: str
    lot: str
    net_quantity: str
    operator_address: str
    approval_number: str


def emphasise(text: str, words: tuple[str, ...] | list[str]) -> tuple[Segment, ...]:
    """`text` cut into segments, with every occurrence of `words` in bold."""
    wanted = sorted({w for w in words if w}, key=len, reverse=True)
    if not wanted:
        return (Segment(text),)
    pattern = re.compile("(" + "|".join(re.escape(w) for w in wanted) + ")")
    return tuple(Segment(part, part in wanted) for part in pattern.split(text) if part)


def _ingredients(composed: ComposedLabel) -> tuple[Segment, ...]:
    if INGREDIENTS not in composed.present:
        return ()
    segments: list[Segment] = []
    for index, ingredient in enumerate(composed.composition.ingredients or ()):
        if index:
            segments.append(Segment(", "))
        # Allergens are emphasised in the list (Reg. 1169/2011 art. 21): milk products carry
        # milk, and any ingredient the owner gave an allergen.
        bold = bool(ingredient.allergens) or ingredient.category == "milk_product"
        segments.append(Segment(ingredient.name, bold))
        if ingredient.quantity_pct is not None:
            segments.append(Segment(f" {format_number(ingredient.quantity_pct, composed.lang)} %"))
    return tuple(segments)


def _allergens(composed: ComposedLabel) -> tuple[Segment, ...]:
    wording = composed.wording("allergens")
    if wording is None:
        return ()
    found = composed.finding("allergens")
    return emphasise(wording, list(found.allergens) if found is not None else [])


def _extra(composed: ComposedLabel) -> tuple[str, ...]:
    lines = []
    for mention in load_label_rules().mention_ids:
        if mention in PLACED or mention in CONTENT_MENTIONS or mention in ALWAYS_PRINTED:
            continue
        wording = composed.wording(mention)
        if wording:
            lines.append(wording)
    return tuple(lines)


def label_face(
    composed: ComposedLabel,
    *,
    lot: str = "",
    day: date | None = None,
    date_type: str | None = None,
    net_quantity: str | None = None,
) -> LabelFace:
    """The face of a label: for a print (lot, date, net quantity) or as a preview.

    A print passes the kind of date it stored, whose words the core's data give.
    """
    content = composed.content
    words = printing()
    date_wording = composed.wording("date")
    for kind, rule in load_label_rules().date_types.items():
        if kind == date_type:
            date_wording = rule.wording.get(composed.lang)
    after_name = composed.wording("fat_content_after_name")
    raw_milk = (
        composed.wording("made_with_raw_milk"),
        composed.wording("raw_milk_boil_before_use"),
    )
    present = composed.present
    return LabelFace(
        lang=composed.lang,
        name=after_name or content.sales_name.strip(),
        near_name=composed.wording("fat_content_near_name"),
        raw_milk=tuple(line for line in raw_milk if line),
        species=composed.wording("species"),
        ingredients_word=words.word("ingredients", composed.lang),
        ingredients=_ingredients(composed),
        allergens=_allergens(composed),
        fat=composed.wording("fat_content"),
        extra=_extra(composed),
        nutrition=content.nutrition.strip(),
        own_text=content.own_text.strip(),
        date_wording=date_wording,
        date_text=day.strftime(LABEL_DATE_FORMAT) if day is not None else "",
        storage=composed.wording("storage_conditions"),
        lot_prefix=words.word("lot", composed.lang),
        lot=lot,
        net_quantity=(net_quantity if net_quantity is not None else content.net_quantity).strip(),
        operator_address=content.operator_address.strip() if "operator" in present else "",
        approval_number=(
            content.approval_number.strip() if "identification_mark" in present else ""
        ),
    )


# Where the editor lets the owner fix a finding: the id of the box or field.
def fix_target(mention: str, code: FindingCode) -> str:
    if code == FindingCode.NAME_REFUSED or code == FindingCode.NO_NAME:
        return "id_sales_name"
    if code == FindingCode.QUANTITY_MISSING:
        return "ingredients"
    if code == FindingCode.STORAGE_ABOVE_GUIDE:
        return "id_storage_temperature_c"
    field = CONTENT_MENTIONS.get(mention)
    if field is not None:
        return f"id_{field}"
    if mention in ALWAYS_PRINTED:
        return ""
    return f"mention-{mention}"


def check_context(composed: ComposedLabel, lang: str | None = None) -> dict[str, Any]:
    """The check of a label for a page: problems, notes and what is on it, in `lang`."""
    lang = lang or guide_language()
    check = composed.check_in(lang)
    problems, notes, present = [], [], []
    ticked = set(composed.content.mentions)
    for found in check.findings:
        # What the label would print for it comes in the label's language.
        on_label = composed.finding(found.mention)
        target = fix_target(found.mention, found.code)
        row = {
            "mention": found.mention,
            "code": found.code.value,
            "title": mention_title(found.mention),
            "text": found.text,
            "source": found.source,
            "target": target,
            # A box to tick; a ticked mention still missing lacks what it would print.
            "tick": target.startswith("mention-") and found.mention not in ticked,
            "ticked": found.mention in ticked,
            "wording": on_label.wording if on_label is not None else None,
        }
        if found.problem:
            problems.append(row)
        elif found.code == FindingCode.EXEMPTION_UNVERIFIED:
            notes.append(row)
        else:
            present.append(row)
    names = composed.check.names
    return {
        "ok": composed.ok,
        "problems": problems,
        "notes": notes,
        "present": present,
        "allowed_names": list(names.allowed),
        "regulated": names.regulated,
    }
