"""Lab rules of the module kept beside the guide data: who notifies, which Listeria row applies.

`lab/data/<guide version>/lab_rules.yaml` names the guide (id and version) it refines; the rules
are checked against that guide when they are first asked for.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dairyhaccp.guide import GuideError
from dairyhaccp.guide.models import Frozen, Guide, Source

DATA_DIR = Path(__file__).parent / "data"
RULES_FILE = "lab_rules.yaml"
# Raw-milk parameters a notification may name (table 5.1).
NOTIFIED_PARAMETERS = frozenset({"antibiotic_residues", "plate_count", "somatic_cells"})


class GuideRef(Frozen):
    """The guide version a rules file refines."""

    id: str
    version: str


class Laboratory(Frozen):
    """A laboratory the module names, recognised by its name or an alias."""

    id: str
    name: str
    aliases: list[str]


class RawMilkNotification(Frozen):
    """Which raw-milk results a notification of the guide covers, and who may take it over."""

    notification: str
    parameters: list[str]
    taken_over_by: list[str]
    source: Source


class ListeriaWithoutPh(Frozen):
    """A family whose row in the module's table applies to a product without a pH."""

    family: str
    criterion: str
    source: Source


class LabRules(Frozen):
    """The lab rules of one guide version."""

    guide: GuideRef
    laboratories: list[Laboratory]
    raw_milk_notifications: list[RawMilkNotification]
    listeria_without_ph: list[ListeriaWithoutPh]

    def notification_for(self, parameter: str) -> RawMilkNotification | None:
        return next((n for n in self.raw_milk_notifications if parameter in n.parameters), None)

    def listeria_row_without_ph(self, family: str) -> str | None:
        return next((r.criterion for r in self.listeria_without_ph if r.family == family), None)

    def laboratory_of(self, name: str) -> str | None:
        """The id of the named laboratory whose name or alias `name` contains, or None."""
        words = _words(name)
        for laboratory in self.laboratories:
            for alias in (laboratory.name, *laboratory.aliases):
                if _contains(words, _words(alias)):
                    return laboratory.id
        return None


def _words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return tuple(re.findall(r"[a-z0-9]+", plain))


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    size = len(part)
    return size > 0 and any(words[i : i + size] == part for i in range(len(words) - size + 1))


def _check_against(rules: LabRules, guide: Guide) -> None:
    notifications = {n.id for n in guide.notifications}
    laboratories = {lab.id for lab in rules.laboratories}
    for item in rules.raw_milk_notifications:
        if item.notification not in notifications:
            raise GuideError(f"{RULES_FILE}: unknown notification {item.notification!r}")
        unknown = set(item.parameters) - NOTIFIED_PARAMETERS
        if unknown:
            raise GuideError(f"{RULES_FILE}: unknown parameters {sorted(unknown)}")
        if set(item.taken_over_by) - laboratories:
            raise GuideError(f"{RULES_FILE}: unknown laboratory in {item.taken_over_by}")
    criteria = {(f.id, c.id) for f in guide.product_families for c in f.criteria}
    for row in rules.listeria_without_ph:
        if (row.family, row.criterion) not in criteria:
            raise GuideError(f"{RULES_FILE}: no criterion {row.criterion!r} in {row.family!r}")


@functools.cache
def _all_rules() -> dict[tuple[str, str], LabRules]:
    found: dict[tuple[str, str], LabRules] = {}
    for path in sorted(DATA_DIR.glob(f"*/{RULES_FILE}")):
        try:
            raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
            rules = LabRules.model_validate(raw)
        except (yaml.YAMLError, ValidationError) as exc:
            raise GuideError(f"lab rules in {path} are invalid: {exc}") from exc
        found[(rules.guide.id, rules.guide.version)] = rules
    return found


def lab_rules(guide: Guide) -> LabRules:
    """The lab rules written for this guide's version, checked against it."""
    rules = _all_rules().get((guide.meta.id, guide.meta.version))
    if rules is None:
        raise GuideError(f"no lab rules for guide {guide.meta.id} version {guide.meta.version}")
    _check_against(rules, guide)
    return rules
