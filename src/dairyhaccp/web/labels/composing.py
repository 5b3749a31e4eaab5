"""A label as the editor holds it, checked by the core: what is on it and what the core says.

The rules are the core's (`dairyhaccp.labels.check_label`); this module only decides which
mention ids the composed label carries, from the fields filled in and the boxes ticked.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dairyhaccp.labels import (
    Composition,
    LabelCheck,
    LabelFinding,
    LabelInputError,
    check_label,
    composition_from_dict,
    load_label_rules,
)
from dairyhaccp.web.labels.choices import LabelLanguage
from dairyhaccp.web.labels.mentions import (
    ALWAYS_PRINTED,
    CONTENT_MENTIONS,
    INGREDIENTS,
    printed_mentions,
)

# Longest texts a label takes; a label is small, and longer input is a mistake.
TEXT_LIMITS: dict[str, int] = {
    "sales_name": 200,
    "net_quantity": 60,
    "operator_address": 400,
    "approval_number": 40,
    "nutrition": 1000,
    "own_text": 1000,
}
MULTILINE = frozenset({"operator_address", "nutrition", "own_text"})


class LabelError(ValueError):
    """Input the labels services refuse, with the field at fault (forms and the API show both)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class LabelContent:
    """What a label holds: the composition the core reads, and the texts printed."""

    composition: dict[str, Any]
    sales_name: str = ""
    language: str = LabelLanguage.NL
    mentions: tuple[str, ...] = ()
    net_quantity: str = ""
    operator_address: str = ""
    approval_number: str = ""
    nutrition: str = ""
    own_text: str = ""

    def text(self, name: str) -> str:
        value = getattr(self, name)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class ComposedLabel:
    """A label content with its validated composition and the core's check in its language."""

    content: LabelContent
    composition: Composition
    present: frozenset[str]
    check: LabelCheck
    _checks: dict[str, LabelCheck] = field(default_factory=dict, compare=False, repr=False)

    @property
    def lang(self) -> str:
        return self.content.language

    @property
    def sales_name(self) -> str | None:
        return self.content.sales_name.strip() or None

    @property
    def ok(self) -> bool:
        """Nothing missing and nothing wrong: the label may be put in use."""
        return self.check.ok and not self.check.missing

    def finding(self, mention: str) -> LabelFinding | None:
        """The core's finding on a mandatory mention, in the label's language."""
        for found in self.check.findings:
            if found.mention == mention and found.wording is not None:
                return found
        return next((f for f in self.check.findings if f.mention == mention), None)

    def wording(self, mention: str) -> str | None:
        """What to print for a mention that is on the label (None if nothing or not on it)."""
        if mention not in self.present:
            return None
        found = self.finding(mention)
        return found.wording if found is not None else None

    def check_in(self, lang: str) -> LabelCheck:
        """The same check with its texts in `lang` (the page's language)."""
        if lang == self.lang:
            return self.check
        if lang not in self._checks:
            self._checks[lang] = check_label(
                self.composition, self.sales_name, sorted(self.present), lang
            )
        return self._checks[lang]

    def summary(self) -> dict[str, Any]:
        """What the check found, stored with a version as evidence."""
        return {
            "ok": self.ok,
            "sales_name_ok": self.check.sales_name_ok,
            "required": list(self.check.required),
            "missing": list(self.check.missing),
            "problems": sorted({f.code.value for f in self.check.findings if f.problem}),
        }


def clean_text(name: str, value: str) -> str:
    """A text of the label with its blanks trimmed; too long or control characters refused."""
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        raise LabelError(
            name, _("at most {limit} characters, not {count}").format(limit=limit, count=len(value))
        )
    allowed = "\n\r\t" if name in MULTILINE else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise LabelError(name, _("contains characters that cannot be printed"))
    return value.strip()


def _present(content: LabelContent, composition: Composition, first: LabelCheck) -> set[str]:
    rules = load_label_rules()
    present = set(ALWAYS_PRINTED)
    for mention, field_name in CONTENT_MENTIONS.items():
        if field_name == "shelf_life_days":
            if composition.shelf_life_days is not None:
                present.add(mention)
        elif content.text(field_name).strip():
            present.add(mention)
    for mention in content.mentions:
        if mention == INGREDIENTS:
            if composition.ingredients:
                present.add(mention)
            continue
        needs_wording = rules.mention(mention).wording is not None
        found = next((f for f in first.findings if f.mention == mention), None)
        # A ticked mention prints the core's wording; without it (a fat content with no fat
        # given) nothing would be printed, so the mention is not on the label.
        if not needs_wording or found is None or found.wording is not None:
            present.add(mention)
    return present


def compose(content: LabelContent) -> ComposedLabel:
    """Check a label content with the core; LabelError names the field the core refuses."""
    for name in TEXT_LIMITS:
        clean_text(name, content.text(name))
    if content.language not in LabelLanguage.values:
        raise LabelError("language", _("choose Dutch, French or English"))
    printable = set(printed_mentions())
    for mention in content.mentions:
        if mention not in printable:
            raise LabelError("mentions", _("not a mention the editor prints"))
    data = dict(content.composition)
    # A nutrition declaration typed on the label is a nutrition declaration for the check.
    data["nutrition_declaration"] = bool(content.nutrition.strip())
    sales_name = content.sales_name.strip() or None
    try:
        composition = composition_from_dict(data)
        first = check_label(composition, sales_name, (), content.language)
        present = _present(content, composition, first)
        check = check_label(composition, sales_name, sorted(present), content.language)
    except LabelInputError as error:
        raise LabelError(error.field, error.problem) from None
    return ComposedLabel(content, composition, frozenset(present), check)
