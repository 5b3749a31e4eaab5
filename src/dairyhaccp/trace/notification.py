"""The duty to notify the FAVV about affected products, decided by the module's rule and worded.

The rule (data/notification.yaml) is the exemption of §5.1 and §5.2 split into its conditions:
no notification only when every condition holds; otherwise notify.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dairyhaccp.guide import Guide, GuideError, Text
from dairyhaccp.guide.models import Source

Origin = Literal["in_house", "supplier"]
Fact = Literal["hazard_arose_in_house", "still_on_premises", "corrective_measures_taken"]
ORIGINS: tuple[str, ...] = ("in_house", "supplier")
RULE_FILE = Path(__file__).parent / "data" / "notification.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Condition(_Frozen):
    """One condition of the exemption, with its words when met and when not."""

    fact: Fact
    met: Text
    unmet: Text
    unmet_with_lots: Text | None = None


class NotificationRule(_Frozen):
    """When a notification to the FAVV is not needed, with the sources of the rule."""

    version: int
    notifications: tuple[str, ...] = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)
    notify: Text
    exempt: Text
    source_words: Text
    conditions: tuple[Condition, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> NotificationRule:
        facts = [condition.fact for condition in self.conditions]
        if len(set(facts)) != len(facts):
            raise ValueError("conditions: a fact stands more than once")
        for condition in self.conditions:
            with_lots = condition.unmet_with_lots
            texts = (with_lots.nl, with_lots.en, with_lots.fr or "{lots}") if with_lots else ()
            for text in texts:
                try:
                    worded = text.format(lots="\0")
                except (KeyError, IndexError, ValueError):
                    worded = ""
                if "\0" not in worded:
                    raise ValueError(f"{condition.fact}: unmet_with_lots must hold {{lots}} only")
        return self

    def check_against(self, guide: Guide) -> None:
        """GuideError unless every notification named has the guide's exemption sentence."""
        known = {n.id: n for n in guide.notifications}
        for notification_id in self.notifications:
            found = known.get(notification_id)
            if found is None or found.exemption is None:
                raise GuideError(f"{RULE_FILE}: no exemption in the guide for {notification_id}")


@functools.cache
def load_notification_rule() -> NotificationRule:
    """The rule of data/notification.yaml, validated; cached."""
    try:
        raw = yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))
        return NotificationRule.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise GuideError(f"{RULE_FILE}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class NotificationDecision:
    """Whether to notify the FAVV, with the conditions of the exemption met and not met."""

    notify: bool
    met: tuple[Fact, ...]
    unmet: tuple[Fact, ...]
    lots_out: tuple[str, ...] = ()


def notification_duty(
    origin: Origin,
    left_control: bool,
    measures_taken: bool,
    lots_out: Sequence[str] = (),
    rule: NotificationRule | None = None,
) -> NotificationDecision:
    """Notify unless the hazard arose in-house, nothing left control and measures are taken."""
    if origin not in ORIGINS:
        raise ValueError(f"origin: must be one of {', '.join(ORIGINS)}")
    rule = rule or load_notification_rule()
    facts: Mapping[Fact, bool] = {
        "hazard_arose_in_house": origin == "in_house",
        "still_on_premises": not left_control,
        "corrective_measures_taken": measures_taken,
    }
    met = tuple(c.fact for c in rule.conditions if facts[c.fact])
    unmet = tuple(c.fact for c in rule.conditions if not facts[c.fact])
    return NotificationDecision(notify=bool(unmet), met=met, unmet=unmet, lots_out=tuple(lots_out))


def describe_notification(
    decision: NotificationDecision, lang: str, rule: NotificationRule | None = None
) -> str:
    """The decision and why, in `lang` (nl, fr, en), citing the module's sections."""
    rule = rule or load_notification_rule()
    conditions = {c.fact: c for c in rule.conditions}
    if decision.notify:
        reasons = []
        for fact in decision.unmet:
            condition = conditions[fact]
            if condition.unmet_with_lots is not None and decision.lots_out:
                lots = ", ".join(decision.lots_out)
                reasons.append(condition.unmet_with_lots.get(lang).format(lots=lots))
            else:
                reasons.append(condition.unmet.get(lang))
        verdict = rule.notify.get(lang)
    else:
        reasons = [conditions[fact].met.get(lang) for fact in decision.met]
        verdict = rule.exempt.get(lang)
    sections = ", ".join(dict.fromkeys(f"§{source.section}" for source in rule.sources))
    return f"{verdict} {'; '.join(reasons)} ({rule.source_words.get(lang)} {sections})."
