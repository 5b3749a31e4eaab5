"""The lastenboek data: valid, complete where sourced, every rule with its source."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from dairyhaccp.ikm import loader
from dairyhaccp.ikm.loader import (
    CURRENT_VERSION,
    DATA_DIR,
    LastenboekError,
    load_directory,
    load_lastenboek,
)
from dairyhaccp.ikm.models import Criterion, Lastenboek, Text

MODULE_LETTERS = {
    "animal_health": "A",
    "animal_welfare": "B",
    "milking": "C",
    "cleaning": "D",
    "environment": "E",
    "notification": "F",
    "sustainability_monitor": "G",
    "hygiene": "H",
}
THEMES = {
    "animal_health",
    "animal_welfare",
    "water_and_soil",
    "energy",
    "environment",
    "feed",
    "social",
    "economic",
    "climate",
}


@pytest.fixture(scope="module")
def lastenboek() -> Lastenboek:
    return load_lastenboek()


def all_criteria(lastenboek: Lastenboek) -> list[Criterion]:
    return [*lastenboek.preconditions, *lastenboek.criteria]


def texts(node: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text in the model tree, with where it stands."""
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from texts(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            yield from texts(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from texts(item, f"{path}.{key}")


def test_the_current_version_is_the_version_in_force(lastenboek: Lastenboek) -> None:
    assert CURRENT_VERSION == "ikm-11.1"
    assert lastenboek.meta.version == "11.1"
    assert str(lastenboek.meta.in_force_from) == "2024-03-01"


def test_it_is_marked_as_a_working_paraphrase(lastenboek: Lastenboek) -> None:
    assert lastenboek.meta.status == "working_paraphrase"
    assert "not MilkBE's text" in lastenboek.meta.note.en
    assert lastenboek.meta.left_out, "the meta note lists what is left out"


def test_there_are_the_eight_modules_with_their_letters(lastenboek: Lastenboek) -> None:
    assert {m.id: m.letter for m in lastenboek.modules} == MODULE_LETTERS
    assert sorted(m.order for m in lastenboek.modules) == list(range(1, 9))


def test_every_module_has_at_least_one_criterion(lastenboek: Lastenboek) -> None:
    empty = [m.id for m in lastenboek.modules if not lastenboek.criteria_of(m.id)]
    assert empty == []


def test_criterion_ids_are_unique_and_start_with_their_module_letter(
    lastenboek: Lastenboek,
) -> None:
    ids = [c.id for c in all_criteria(lastenboek)]
    assert len(ids) == len(set(ids))
    for criterion in lastenboek.criteria:
        assert criterion.id[0] == MODULE_LETTERS[criterion.module or ""], criterion.id
    assert all(c.id.startswith("P-") for c in lastenboek.preconditions)


def test_no_more_criteria_than_the_official_text_has(lastenboek: Lastenboek) -> None:
    assert lastenboek.meta.criteria_in_official_text == 136
    assert len(all_criteria(lastenboek)) <= 136


def test_every_criterion_has_a_source_and_explains_its_readings(lastenboek: Lastenboek) -> None:
    for criterion in all_criteria(lastenboek):
        assert criterion.sources, criterion.id
        for source in criterion.sources:
            assert source.url or source.regulation, criterion.id
            if source.confidence == "reading":
                assert source.note, f"{criterion.id}: a reading says what was read into it"


def test_every_text_is_in_dutch_french_and_english(lastenboek: Lastenboek) -> None:
    found = list(texts(lastenboek))
    assert len(found) > 100
    for where, text in found:
        for lang in ("nl", "fr", "en"):
            assert getattr(text, lang).strip(), f"{where}: no {lang} text"


def test_criterion_texts_are_translated_not_copied(lastenboek: Lastenboek) -> None:
    for criterion in all_criteria(lastenboek):
        assert len({criterion.text.nl, criterion.text.fr, criterion.text.en}) == 3, criterion.id


def test_a_grade_is_given_only_where_the_scheme_published_it(lastenboek: Lastenboek) -> None:
    graded = {c.id: (c.scheme_ref, c.grade) for c in all_criteria(lastenboek) if c.grade}
    assert list(graded) == ["A-antibiotics-registered"]
    scheme_ref, grade = graded["A-antibiotics-registered"]
    assert scheme_ref == "A21"
    assert grade is not None and grade.letter == "B"
    assert grade.source.url and "mcc-vlaanderen" in grade.source.url


def test_a_criterion_without_a_known_kind_says_why(lastenboek: Lastenboek) -> None:
    for criterion in all_criteria(lastenboek):
        assert criterion.kind in ("legal", "sector") or criterion.note is not None, criterion.id


def test_app_records_name_a_record_kind_the_app_holds(lastenboek: Lastenboek) -> None:
    kinds = {r.id for r in lastenboek.record_kinds}
    used = {
        e.record for c in all_criteria(lastenboek) for e in c.evidence if e.kind == "app_record"
    }
    assert used <= kinds
    assert {"tank_cooling", "antibiotics_register"} <= used


def test_medicine_records_are_kept_five_years(lastenboek: Lastenboek) -> None:
    criterion = lastenboek.criterion("A-medicine-documents")
    assert criterion.keep_for is not None and criterion.keep_for.years == 5
    assert any(e.record == "antibiotics_register" for e in criterion.evidence)


def test_the_antibiotics_register_criterion_is_evidenced_by_the_apps_register(
    lastenboek: Lastenboek,
) -> None:
    criterion = lastenboek.criterion("A-antibiotics-registered")
    assert [e.kind for e in criterion.evidence] == ["register", "app_record"]
    assert criterion.evidence[1].record == "antibiotics_register"


def test_the_hygiene_score_has_twelve_points_of_module_h(lastenboek: Lastenboek) -> None:
    points = lastenboek.hygiene_score.points
    assert len(points) == len(set(points)) == 12
    assert {lastenboek.criterion(p).module for p in points} == {"hygiene"}
    # Not public, so not invented.
    assert lastenboek.hygiene_score.scale is None
    assert lastenboek.hygiene_score.pass_threshold is None


def test_poor_farmyard_hygiene_is_a_knock_out_since_11_1(lastenboek: Lastenboek) -> None:
    knock_outs = [c for c in all_criteria(lastenboek) if c.knock_out]
    assert [c.id for c in knock_outs] == ["H-surroundings-hygiene"]
    knock_out = knock_outs[0].knock_out
    assert knock_out is not None
    assert knock_out.consequence == "no_certificate"
    assert knock_out.since_version == "11.1"


def test_certificate_validity_is_three_years_or_eighteen_months_with_a_source(
    lastenboek: Lastenboek,
) -> None:
    rules = lastenboek.certificate
    assert {v.outcome: v.months for v in rules.validity} == {"standard": 36, "short": 18}
    assert all(v.sources for v in rules.validity)
    assert rules.audit_interval_months == 36
    assert [loss.event for loss in rules.losses] == ["unannounced_audit_refused"]


def test_the_benchmark_uses_the_50th_and_90th_percentile(lastenboek: Lastenboek) -> None:
    benchmark = lastenboek.treatment_days.benchmark
    assert (benchmark.attention_percentile, benchmark.action_percentile) == (50, 90)
    assert {m.id for m in lastenboek.treatment_days.methods} == {"register_count", "amount_dddabel"}
    assert all(m.sources for m in lastenboek.treatment_days.methods)


def test_the_privacy_threshold_is_five_farms(lastenboek: Lastenboek) -> None:
    assert lastenboek.privacy.min_farms == 5


def test_initiatives_have_unique_ids_known_themes_and_sources(lastenboek: Lastenboek) -> None:
    monitor = lastenboek.sustainability
    assert {t.id for t in monitor.themes} == THEMES
    ids = [i.id for i in monitor.initiatives]
    assert len(ids) == len(set(ids))
    assert all(i.theme in THEMES and i.sources for i in monitor.initiatives)
    assert monitor.published_initiative_counts == {2014: 35, 2021: 42}
    # The 15 items readable in the checklist, and no more than the list ever had.
    assert (
        len([i for i in monitor.initiatives if i.theme in ("animal_health", "animal_welfare")])
        == 15
    )
    assert len(ids) <= 42


def test_initiative_texts_are_translated(lastenboek: Lastenboek) -> None:
    for initiative in lastenboek.sustainability.initiatives:
        text = initiative.text
        assert len({text.nl, text.fr, text.en}) == 3, initiative.id


def test_climate_initiatives_start_in_2021(lastenboek: Lastenboek) -> None:
    climate = [i for i in lastenboek.sustainability.initiatives if i.theme == "climate"]
    assert {i.id for i in climate} == {
        "local_manure_processing",
        "permanent_grassland",
        "carbon_footprint",
    }
    assert {i.since_year for i in climate} == {2021}


def test_published_averages_rise_from_9_in_2014(lastenboek: Lastenboek) -> None:
    averages = {a.year: a.mean_initiatives for a in lastenboek.sustainability.published_averages}
    assert averages[2014] == 9
    assert averages[2017] == 14
    assert sorted(averages) == list(averages)


def test_yaml_is_read_with_the_c_loader_when_there_is_one() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert loader._YamlLoader is expected


# --- a new version is a data change only --------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "ikm-official"
    shutil.copytree(DATA_DIR / CURRENT_VERSION, target)
    return target


def edit_yaml(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_official_text_loads_as_a_new_version_folder(data_copy: Path) -> None:
    edit_yaml(data_copy / "meta.yaml", "status: working_paraphrase", "status: official")
    edit_yaml(data_copy / "meta.yaml", 'version: "11.1"', 'version: "12"')

    lastenboek = load_directory(data_copy)

    assert lastenboek.meta.status == "official"
    assert lastenboek.meta.version == "12"


def test_a_criterion_without_sources_is_refused(data_copy: Path) -> None:
    path = data_copy / "criteria" / "e_environment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("    sources:")], encoding="utf-8")

    with pytest.raises(LastenboekError, match=r"criteria\.\d+\.sources: Field required"):
        load_directory(data_copy)


def test_a_duplicate_criterion_id_is_refused(data_copy: Path) -> None:
    edit_yaml(data_copy / "criteria" / "d_cleaning.yaml", "id: D-premises", "id: D-cleaning-water")

    with pytest.raises(LastenboekError, match="duplicate criterion ids"):
        load_directory(data_copy)


def test_an_unknown_record_kind_is_refused(data_copy: Path) -> None:
    edit_yaml(
        data_copy / "criteria" / "c_milking.yaml", "record: tank_cooling", "record: tank_logbook"
    )

    with pytest.raises(LastenboekError, match="unknown record tank_logbook"):
        load_directory(data_copy)


def test_a_criterion_filed_under_the_wrong_module_letter_is_refused(data_copy: Path) -> None:
    edit_yaml(data_copy / "criteria" / "e_environment.yaml", "id: E-biocide-user", "id: A-biocides")

    with pytest.raises(LastenboekError, match="id letter is not its module's"):
        load_directory(data_copy)


def test_an_initiative_of_an_unknown_theme_is_refused(data_copy: Path) -> None:
    edit_yaml(data_copy / "sustainability.yaml", "theme: energy", "theme: solar")

    with pytest.raises(LastenboekError, match="unknown theme 'solar'"):
        load_directory(data_copy)


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(LastenboekError, match="unknown lastenboek version"):
        load_lastenboek("ikm-0")


def test_surroundings_ratings_need_one_that_gives_no_certificate(data_copy: Path) -> None:
    edit_yaml(data_copy / "hygiene_score.yaml", "      no_certificate: true\n", "")

    with pytest.raises(LastenboekError, match="one of them gives no certificate"):
        load_directory(data_copy)


def test_surroundings_ratings_belong_to_a_knock_out_criterion(data_copy: Path) -> None:
    edit_yaml(
        data_copy / "hygiene_score.yaml",
        "criterion: H-surroundings-hygiene",
        "criterion: H-farm-appearance",
    )

    with pytest.raises(LastenboekError, match="knock-out criterion"):
        load_directory(data_copy)
