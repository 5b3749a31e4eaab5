"""The guide data: valid, complete, and in agreement with the module's text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.loader import CURRENT_VERSION, DATA_DIR, GuideError, load_directory
from dairyhaccp.guide.models import Frequency
from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.vocabulary import PRODUCT_KINDS

SEED_DIR = Path(
    os.environ.get("DAIRYHACCP_SEED_DIR", Path(__file__).parents[3] / "shared" / "seeds")
)
MODULE_TEXT = SEED_DIR / "004_19269ccbd1477751.txt"
EXPECTED_CONTROLS = {
    "CCP 1", "CCP 2", "CCP 3", "CCP 9", "CCP 10", "CCP 12", "CCP 13", "CCP 14", "CCP 15",
    "CCP 23", "PVA 1", "PVA 2", "PVA 6", "PVA 7", "PVA 11", "PVA 12", "PVA 13", "PVA 14",
    "PVA 16", "PVA 17", "PVA 18", "PVA 25",
}  # fmt: skip


@pytest.fixture(scope="module")
def module_text() -> str:
    if not MODULE_TEXT.is_file():
        pytest.skip(f"the module text is not at {MODULE_TEXT} (set DAIRYHACCP_SEED_DIR)")
    return MODULE_TEXT.read_text(encoding="utf-8")


def test_the_current_guide_loads_and_validates() -> None:
    guide = load_guide()
    assert guide.meta.version
    assert {c.id for c in guide.controls} == EXPECTED_CONTROLS


def test_every_control_id_of_the_module_text_is_in_the_data_and_vice_versa(
    module_text: str,
) -> None:
    in_text = {
        f"{kind} {number}" for kind, number in re.findall(r"\b(CCP|PVA) (\d+)\b", module_text)
    }
    in_data = {c.id for c in load_guide().controls}
    assert in_text == in_data


def test_every_control_sits_at_a_step_of_some_flow() -> None:
    guide = load_guide()
    at_steps = {c for flow in guide.flows for step in flow.steps for c in step.controls}
    assert at_steps == {c.id for c in guide.controls}


def test_every_rule_carries_its_source() -> None:
    guide = load_guide()
    for control in guide.controls:
        assert control.source.control == control.id
        for limit in control.limits:
            assert limit.source.section in {"2", "4"}, limit.id
            assert limit.source.control == control.id, limit.id
    assert all(row.source.section == "5.1" for row in guide.raw_milk_analyses)
    for family in guide.product_families:
        assert family.source.section == "5.2"
        assert all(c.source.section == "5.2" for c in family.criteria)


def test_every_control_has_hazards_monitoring_and_corrective_actions() -> None:
    for control in load_guide().controls:
        assert control.hazards, control.id
        assert control.monitoring, control.id
        assert control.corrective_actions, control.id
        for item in (*control.hazards, *control.monitoring, *control.corrective_actions):
            text = item.text
            assert text.nl.strip() and text.en.strip(), control.id


def test_the_six_flows_are_there_and_marked_as_reconstructed() -> None:
    flows = load_guide().flows
    assert [f.id for f in flows] == ["cheese", "whey", "butter", "yoghurt", "fresh_cheese", "milk"]
    assert all(f.reconstructed for f in flows)


def test_every_product_kind_has_data_and_a_flow() -> None:
    guide = load_guide()
    assert {p.id for p in guide.products} == set(PRODUCT_KINDS)


def test_the_pasteurisation_table_matches_the_module(module_text: str) -> None:
    table = load_guide().pasteurisation
    assert (table.reference_temperature_c, table.reference_hold_s) == (71.7, 15)
    assert (table.cream_temperature_c, table.cream_hold_s) == (80, 15)
    row = re.search(r"°C\t62\t64.*\ntijd\t(.*)\n", module_text)
    assert row is not None
    seconds = []
    for cell in row.group(1).split("\t"):
        number, unit = cell.replace(",", ".").split()
        seconds.append(float(number) * (60 if unit == "min" else 1))
    assert [p.hold_s for p in table.points] == pytest.approx(seconds)


def test_raw_milk_norms_follow_the_module_and_the_regulation() -> None:
    rows = {
        (r.species, r.source_type, r.use, r.parameter): r for r in load_guide().raw_milk_analyses
    }
    cow_plate = rows[("cow", "own_not_delivered", "any", "plate_count")]
    assert (cow_plate.norm.comparison, cow_plate.norm.value) == ("<=", 100000)
    assert cow_plate.frequency.text == "1 per 3 months"
    cells = rows[("cow", "own_delivered", "any", "somatic_cells")]
    assert cells.norm.value == 400000
    assert rows[("cow", "own_delivered", "any", "antibiotic_residues")].also_after_withdrawal_period
    assert rows[("cow", "own_not_delivered", "raw_milk_products", "e_coli")].norm.value == 100


def test_raw_milk_cheese_staphylococci_follow_the_regulation_not_the_garbled_text() -> None:
    families = {f.id: f for f in load_guide().product_families}
    staph = [
        c
        for f in families.values()
        if f.raw_milk is True
        for c in f.criteria
        if c.parameter == "coagulase_positive_staphylococci"
    ]
    assert staph, "raw-milk cheese must have a staphylococci criterion"
    assert any((c.m, c.M, c.n, c.c) == (1e4, 1e5, 5, 2) for c in staph)
    assert all(c.discrepancy is not None for c in staph)


@pytest.mark.parametrize(
    ("text", "event", "times", "period", "count"),
    [
        ("each production", "production", 1, None, 1),
        ("daily", None, 1, "day", 1),
        ("weekly", None, 1, "week", 1),
        ("2 per month", None, 2, "month", 1),
        ("1 per 3 months", None, 1, "month", 3),
        ("1 per 6 months", None, 1, "month", 6),
        ("yearly", None, 1, "year", 1),
    ],
)
def test_frequencies_are_read_from_plain_words(
    text: str, event: str | None, times: int, period: str | None, count: int
) -> None:
    frequency = Frequency.parse(text)
    assert (frequency.event, frequency.times, frequency.period, frequency.period_count) == (
        event,
        times,
        period,
        count,
    )


@pytest.mark.parametrize("text", ["sometimes", "each fortnight", "3 per decade", "per month"])
def test_unknown_frequencies_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"frequency|unknown event"):
        Frequency.parse(text)


def test_a_broken_data_file_is_reported_with_its_place(tmp_path: Path) -> None:
    source = DATA_DIR / CURRENT_VERSION
    for path in source.rglob("*.yaml"):
        target = tmp_path / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "controls" / "ccp09.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            "parameters: [temperature_c, hold_s]", "parameters: [temperature_c, colour]", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(GuideError, match="unknown parameter 'colour'"):
        load_directory(tmp_path)


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("each production", "nl", "bij elke productie"),
        ("each production", "fr", "à chaque production"),
        ("weekly", "nl", "wekelijks"),
        ("2 per month", "nl", "2x per maand"),
        ("1 per 3 months", "en", "1x per 3 months"),
        ("1 per 6 months", "fr", "1x par 6 mois"),
    ],
)
def test_frequencies_read_as_words_in_each_language(text: str, lang: str, words: str) -> None:
    assert describe_frequency(Frequency.parse(text), lang) == words


def test_every_event_and_period_of_the_data_has_words() -> None:
    guide = load_guide()
    frequencies = [m.frequency for c in guide.controls for m in c.monitoring]
    frequencies += [row.frequency for row in guide.raw_milk_analyses]
    for frequency in frequencies:
        for lang in ("nl", "fr", "en"):
            assert describe_frequency(frequency, lang)


def _texts(value: object, path: str) -> list[tuple[str, dict[str, object]]]:
    if isinstance(value, dict):
        found = [(path, value)] if {"nl", "en"} <= value.keys() else []
        for key, item in value.items():
            found += _texts(item, f"{path}.{key}")
        return found
    if isinstance(value, list):
        return [t for i, item in enumerate(value) for t in _texts(item, f"{path}[{i}]")]
    return []


def test_every_text_of_the_guide_reads_in_dutch_french_and_english() -> None:
    texts = _texts(load_guide().model_dump(), "guide")
    assert len(texts) > 500
    missing = [
        path for path, text in texts if not all(text.get(lang) for lang in ("nl", "en", "fr"))
    ]
    assert missing == []


def test_a_version_folder_must_carry_its_own_name_as_version(tmp_path: Path) -> None:
    source = DATA_DIR / CURRENT_VERSION
    copy = tmp_path / "zuivel-9"
    for path in source.rglob("*.yaml"):
        target = copy / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(GuideError, match="is not the folder's name"):
        load_directory(copy)
    meta = copy / "meta.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(
            f'version: "{CURRENT_VERSION}"', 'version: "zuivel-9"'
        ),
        encoding="utf-8",
    )
    assert load_directory(copy).meta.version == "zuivel-9"


def test_plans_and_verdicts_name_the_guide_by_the_version_it_is_loaded_by() -> None:
    guide = load_guide()
    assert guide.meta.version == CURRENT_VERSION
    assert load_guide(guide.meta.version) is guide
