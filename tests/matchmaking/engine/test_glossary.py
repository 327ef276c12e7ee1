"""The bilingual glossary: whole-word Japanese matching, the faults of issue 8, ambiguous words,
implied concepts, and the concepts added from the development corpus."""

import pytest

from matchmaking.engine.glossary import CONCEPTS, SECTORS, find_concepts, normalize


def concepts(text: str) -> tuple[str, ...]:
    return find_concepts(text).concepts


# Japanese forms match whole words, never substrings (issue 8).


def test_regenerative_medicine_is_not_recycling() -> None:
    assert concepts("再生医療") == ("regenerative",)


def test_induced_pluripotent_stem_cells_are_not_synthetic() -> None:
    assert concepts("人工多能性幹細胞") == ("ips",)
    assert concepts("人工黒鉛") == ("synthetic", "graphite")


def test_cell_inside_a_katakana_compound_is_found() -> None:
    assert concepts("電池セルメーカー") == ("battery", "cell", "manufacturing")


def test_a_katakana_word_not_covered_by_glossary_words_stays_whole() -> None:
    match = find_concepts("リサイクリング")
    assert (match.concepts, match.words) == ((), ("リサイクリング",))


def test_biological_cells_have_a_concept() -> None:
    assert concepts("細胞") == ("bio_cell",)
    assert concepts("細胞治療") == ("cell_therapy",)
    assert concepts("細胞培養") == ("cell_culture",)


def test_a_short_word_is_not_found_inside_a_longer_one() -> None:
    assert concepts("農薬") == ("crop_protection", "agriculture")  # not drugs (薬)
    assert concepts("釉薬") == ("ceramics",)


def test_recycled_material_still_says_recycling_renewable_energy_does_not() -> None:
    assert concepts("スクラップから回収した再生ニッケル") == (
        "scrap",
        "recovery",
        "recycled_content",
        "recycling",
        "nickel",
    )
    assert concepts("再生可能エネルギー") == ("renewable",)


# English faults (issue 8).


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stem cell therapy", ("ips",)),
        ("cell therapy", ("cell_therapy",)),
        ("CAR-T cell therapies", ("cell_therapy",)),
        ("cell culture media", ("cell_culture",)),
        ("cell lines", ("bio_cell",)),
    ],
)
def test_biotech_cells_are_not_battery_cells(text: str, expected: tuple[str, ...]) -> None:
    assert concepts(text) == expected


def test_traction_is_not_a_motor() -> None:
    assert concepts("traction batteries") == ("battery",)
    assert concepts("traction inverters") == ("inverter",)
    assert concepts("traction motors") == ("motor",)


def test_battery_separator_is_not_rare_earth_separation() -> None:
    assert concepts("battery separators") == ("battery", "separator")
    assert concepts("separated rare earth oxides") == ("separation", "rare_earth", "oxide")
    assert concepts("a separate food business") == ("food",)


def test_car_t_and_machine_learning_imply_no_vehicle_nor_equipment() -> None:
    assert concepts("CAR-T") == ("cell_therapy",)
    assert concepts("machine learning") == ("ai",)
    assert concepts("人工知能") == ("ai",)


# Ambiguous words take the sector of the text's other concepts.


def test_cells_in_a_battery_text_are_battery_cells() -> None:
    assert concepts("Cells for electric vehicles") == ("cell", "ev", "vehicle")


def test_cells_in_a_biotech_text_are_biological_cells() -> None:
    assert concepts("Cells for antibody production") == ("bio_cell", "antibody", "manufacturing")


def test_cells_without_context_stay_a_plain_word() -> None:
    match = find_concepts("Cells.")
    assert (match.concepts, match.residue.split()) == ((), [".", "cells"])


def test_assay_is_testing_unless_the_text_is_about_biotech() -> None:
    assert concepts("fire assay of copper concentrates") == ("testing", "copper", "concentrate")
    assert concepts("ELISA assays for cancer diagnostics") == ("diagnostics", "oncology")


def test_contextual_forms_count_only_beside_a_concept_of_their_sector() -> None:
    assert concepts("oral formulations of antibodies") == ("formulation", "antibody")
    match = find_concepts("electrolyte formulation for lithium-ion cells")
    assert (match.concepts, "formulation" in match.residue.split()) == (
        ("electrolyte", "li_ion", "lithium", "cell"),
        True,
    )
    assert concepts("uranium enrichment") == ("uranium", "nuclear")
    assert concepts("ウラン濃縮") == ("uranium", "nuclear")
    assert concepts("enrichment") == ()


def test_japanese_inspection_or_diagnostics_by_context() -> None:
    assert concepts("電池セルの検査") == ("battery", "cell", "testing")
    assert concepts("欧州の検査機関") == ("europe", "testing")
    assert concepts("実証試験") == ("pilot", "testing")
    assert concepts("ワクチンと検査試薬") == ("vaccine", "diagnostics", "reagents")
    assert concepts("臨床薬理試験") == ("pharmacology", "clinical")  # 臨床薬理 is one form


# Implied concepts, the same in both languages.


@pytest.mark.parametrize(
    ("english", "japanese", "expected"),
    [
        ("lithium-ion", "リチウムイオン", {"li_ion", "lithium"}),
        ("heavy rare earths", "重希土類", {"hree", "rare_earth"}),
        ("LFP", "リン酸鉄", {"lfp", "lithium", "iron", "phosphorus"}),
        ("drug discovery", "創薬", {"drug_discovery", "drug"}),
        ("electric vehicles", "電気自動車", {"ev", "vehicle"}),
    ],
)
def test_implied_concepts(english: str, japanese: str, expected: set[str]) -> None:
    assert set(concepts(english)) == set(concepts(japanese)) == expected


# Concepts added (issue 8 and the development corpus), each in both languages.


@pytest.mark.parametrize(
    ("english", "japanese", "concept"),
    [
        ("dermatology", "皮膚科", "dermatology"),
        ("atopic dermatitis", "アトピー性皮膚炎", "dermatology"),
        ("allergy", "アレルギー", "allergy"),
        ("psychiatry", "精神科", "cns"),
        ("central nervous system", "中枢神経", "cns"),
        ("gastroenterology", "消化器", "gastro"),
        ("cardiovascular", "循環器", "cardiology"),
        ("heart failure", "心不全", "cardiology"),
        ("women's health", "女性医療", "womens_health"),
        ("urology", "泌尿器", "urology"),
        ("dialysis", "透析", "nephrology"),
        ("respiratory", "呼吸器", "respiratory"),
        ("haematology", "血液", "haematology"),
        ("rheumatology", "リウマチ", "rheumatology"),
        ("generics", "後発医薬品", "generics"),
        ("biosimilars", "バイオ後続品", "biosimilar"),
        ("active pharmaceutical ingredients", "原薬", "api"),
        ("dosage forms", "剤形", "formulation"),
        ("nasal delivery", "経鼻投与", "drug_delivery"),
        ("power semiconductors", "パワー半導体", "power_semiconductor"),
        ("silicon carbide", "炭化ケイ素", "sic"),
        ("inverters", "インバーター", "inverter"),
        ("fuel cells", "燃料電池", "fuel_cell"),
        ("e-axle", "電動アクスル", "powertrain"),
        ("motorcycles", "二輪車", "two_wheeler"),
        ("spent fuel", "使用済燃料", "nuclear"),
        ("graphite electrodes for electric arc furnaces", "電炉用黒鉛電極", "furnace"),
        ("ferroalloys", "合金鉄", "ferroalloy"),
        ("aluminium foil", "アルミ箔", "rolled_products"),
    ],
)
def test_added_concepts_in_both_languages(english: str, japanese: str, concept: str) -> None:
    assert concept in concepts(english)
    assert concept in concepts(japanese)


def test_typographic_apostrophe_and_full_width_text_are_normalized() -> None:
    assert concepts("women’s health") == ("womens_health",)
    assert concepts("ＥＶ用ﾊﾞｯﾃﾘｰ") == ("ev", "vehicle", "battery")


# The table itself.


def test_every_concept_has_forms_in_both_languages_and_a_known_section() -> None:
    for concept in CONCEPTS.values():
        assert concept.forms_en and concept.forms_ja, concept.id
        assert concept.sector in (*SECTORS, "business", "places"), concept.id


def test_every_form_alone_yields_its_concept_unless_ambiguous_or_contextual() -> None:
    owners: dict[str, set[str]] = {}
    for concept in CONCEPTS.values():
        for form in concept.forms_en + concept.forms_ja:
            owners.setdefault(normalize(form.rstrip("*")).strip(), set()).add(concept.id)
    contextual = {form for form in owners if form.startswith("?")}
    missed = [
        (form, ids)
        for form, ids in owners.items()
        if len(ids) == 1 and form not in contextual and next(iter(ids)) not in concepts(form)
    ]
    assert missed == []
    # Alone, a contextual form has no context: it stays a word.
    assert [form for form in sorted(contextual) if concepts(form[1:])] == []
    ambiguous = {form: ids for form, ids in owners.items() if len(ids) > 1}
    assert ambiguous == {
        "cell": {"cell", "bio_cell"},
        "cells": {"cell", "bio_cell"},
        "検査": {"testing", "diagnostics"},
        "試験": {"testing", "clinical"},
        "assay": {"testing", "diagnostics"},
    }
