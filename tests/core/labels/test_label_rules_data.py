"""The label rules data: complete, sourced, tied to the guide, and refused when broken."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dairyhaccp.guide import Guide
from dairyhaccp.guide.loader import CURRENT_VERSION, DATA_DIR
from dairyhaccp.labels import LabelRules, LabelRulesError
from dairyhaccp.labels.rules import guide_text, load_rules_file, rules_path
from dairyhaccp.vocabulary import PRODUCT_KINDS

# The mention ids issue 11 names: the public vocabulary of the label check.
ISSUE_MENTION_IDS = {
    "made_with_raw_milk",
    "raw_milk_boil_before_use",
    "species",
    "fat_content",
    "fat_content_near_name",
    "fat_content_after_name",
    "name",
    "ingredients",
    "allergens",
    "net_quantity",
    "date",
    "storage_conditions",
    "operator",
    "lot",
    "identification_mark",
    "nutrition_declaration",
}


def test_the_rules_file_lies_beside_the_guide_version_in_force() -> None:
    assert rules_path() == DATA_DIR / CURRENT_VERSION / "label_rules.yaml"
    assert rules_path().is_file()


def test_the_mention_ids_are_exactly_the_issues_vocabulary(rules: LabelRules) -> None:
    assert set(rules.mention_ids) == ISSUE_MENTION_IDS
    assert len(rules.mention_ids) == len(ISSUE_MENTION_IDS)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_mention_has_a_text_in_each_language_and_a_source(
    rules: LabelRules, guide: Guide, lang: str
) -> None:
    for rule in rules.mentions:
        text, source = guide_text(guide, rule)

        assert text.get(lang).strip(), rule.id
        assert source.startswith(("§", "Reg.", "Directive")), (rule.id, source)


def test_the_module_mentions_cite_section_2(rules: LabelRules, guide: Guide) -> None:
    module_ids = {
        "made_with_raw_milk",
        "raw_milk_boil_before_use",
        "species",
        "fat_content",
        "fat_content_near_name",
        "fat_content_after_name",
    }
    for mention_id in module_ids:
        _, source = guide_text(guide, rules.mention(mention_id))
        assert source == "§2", mention_id


def test_the_dutch_names_are_spelled_as_in_the_module(guide: Guide) -> None:
    dutch = {name.id: name.name.nl for name in guide.labelling.names}

    assert dutch == {
        "gefermenteerde_melk": "Gefermenteerde melk",
        "gedeeltelijk_gefermenteerde_melk": "Gedeeltelijk gefermenteerde melk",
        "gefermenteerde_afgeroomde_melk": "Gefermenteerde afgeroomde melk",
        "volle_yoghurt": "Volle yoghurt of yoghurt",
        "gedeeltelijk_afgeroomde_yoghurt": "Gedeeltelijk afgeroomde yoghurt",
        "afgeroomde_yoghurt": "Afgeroomde yoghurt",
        "room": "Room",
        "slagroom": "Slagroom",
        "verdunde_room": "Verdunde room",
    }


def test_every_food_kind_of_the_guide_has_label_rules_and_feed_has_none(
    rules: LabelRules,
) -> None:
    food = {k for k in PRODUCT_KINDS if k != "whey_for_feed"}

    assert set(rules.kind_ids) == food | {"raw_milk"}


def _write_variant(tmp_path: Path, change: str, replacement: str) -> Path:
    text = rules_path().read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "label_rules.yaml"
    path.write_text(text.replace(change, replacement, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "replacement", "message"),
    [
        ("guide_rule: made_with_raw_milk", "guide_rule: no_such_rule", "unknown guide rule"),
        ("when: {name: [verdunde_room]}", "when: {name: [halfvolle_room]}", "composition names"),
        ("- name: volle_yoghurt", "- name: volle_room", "label_names"),
        ('"{fat} % vet"', '"{vet} % vet"', "unknown placeholders"),
        ("  - {id: butter, date: best_before}\n", "", "unknown kinds"),
        ("msnf_min_inclusive: false", "msnf_min_inclusive: maybe", "msnf_min_inclusive"),
        ("storage_category: raw_milk", "storage_category: lukewarm", "storage category"),
        ("  - id: lot\n", "  - id: name\n", "duplicate mention ids"),
    ],
)
def test_broken_rules_are_refused_with_the_place_named(
    tmp_path: Path, guide: Guide, change: str, replacement: str, message: str
) -> None:
    path = _write_variant(tmp_path, change, replacement)

    with pytest.raises(LabelRulesError, match=message):
        load_rules_file(path, guide)


def test_a_missing_or_unreadable_rules_file_is_a_rules_error(tmp_path: Path, guide: Guide) -> None:
    with pytest.raises(LabelRulesError, match="missing"):
        load_rules_file(tmp_path / "label_rules.yaml", guide)
    broken = tmp_path / "broken.yaml"
    broken.write_text("mentions: [unclosed\n", encoding="utf-8")
    with pytest.raises(LabelRulesError, match="not valid YAML"):
        load_rules_file(broken, guide)


def test_the_file_parses_the_same_with_the_pure_python_loader(rules: LabelRules) -> None:
    with rules_path().open(encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=yaml.SafeLoader)

    assert LabelRules.model_validate(raw) == rules
