"""The glossary and the cross-language text features."""

import pytest

from matchmaking.engine import MatchSettings, Profile, match
from matchmaking.engine.glossary import find_concepts
from matchmaking.engine.text import FieldTokens, residue_tokens, tokenize

from .conftest import make_profile


def test_find_concepts_japanese_and_english_give_same_concepts() -> None:
    english = find_concepts("Battery-grade nickel sulphate for lithium-ion cathode materials")
    japanese = find_concepts("リチウムイオン電池の正極材向けの電池グレードの硫酸ニッケル")
    assert set(english.concepts) == set(japanese.concepts)


@pytest.mark.parametrize(
    ("text", "concept"),
    [("黒鉛", "graphite"), ("グラファイト", "graphite"), ("レアアース", "rare_earth"), ("希土類", "rare_earth"),
     ("licence", "licensing"), ("licensing", "licensing"), ("ライセンス", "licensing"), ("創薬", "drug_discovery"),
     ("EV向け", "ev"), ("Lizenzvergabe", "licensing")],
)  # fmt: skip
def test_find_concepts_variants(text: str, concept: str) -> None:
    assert concept in find_concepts(text).concepts


def test_find_concepts_short_katakana_not_inside_longer_word() -> None:
    assert "phosphorus" not in find_concepts("リサイクリング").concepts


def test_find_concepts_residue_blanks_matched_spans() -> None:
    assert find_concepts("Acme refines nickel").residue.split() == ["acme"]


def test_residue_tokens_japanese_content_words_katakana_words_latin_words() -> None:
    # 当社 ("our company") is a stop word like "company"; the particle の is not a content word.
    assert residue_tokens("当社工場 トヨハシ acme の") == ("工場", "トヨハシ", "acme")


def test_tokenize_japanese_concepts_then_residue_words() -> None:
    assert tokenize("再生医療向けの細胞培養の受託製造を行う大学発ベンチャー") == FieldTokens(
        ("regenerative", "cell_culture", "cdmo", "manufacturing"), ("大学", "ベンチャー")
    )


def test_tokenize_english_residue_keeps_words_minus_stop_words() -> None:
    assert tokenize("Acme refines nickel in its Pori plant") == FieldTokens(
        ("refining", "nickel"), ("acme", "pori", "plant")
    )


def _cross_language_corpus() -> list[Profile]:
    eu = make_profile(
        1, "EU", stages=["critical_minerals.refining_processing"], partnership_types=["supply"],
        description="Refiner of battery-grade nickel and cobalt in Finland.",
        offer="Battery-grade nickel sulphate and cobalt sulphate refined by hydrometallurgy.",
        seek="Long-term offtake by makers of high-nickel cathode materials for electric vehicles.",
    )  # fmt: skip
    common = {"stages": ["batteries.cathode"], "partnership_types": ["purchase"]}
    english = make_profile(
        2, "JP", **common, language="en",
        description="Maker of cathode materials for lithium-ion batteries.",
        offer="High-nickel cathode materials for electric vehicles.",
        seek="Long-term supply of battery-grade nickel sulphate.",
    )  # fmt: skip
    japanese = make_profile(
        3, "JP", **common, language="ja",
        description="リチウムイオン電池向け正極材のメーカーです。",
        offer="電気自動車向けのハイニッケル正極材。",
        seek="電池グレードの硫酸ニッケルの長期供給。",
    )  # fmt: skip
    other = make_profile(4, "JP", description="Antibody drug discovery.", offer="Antibodies.", seek="CDMO partners.")
    return [eu, english, japanese, other]


def test_cross_language_japanese_scores_close_to_english_twin() -> None:
    scores = {
        s.partner_id: s.score for s in match(_cross_language_corpus(), MatchSettings(min_score=0)) if s.firm_id == 1
    }
    assert abs(scores[2] - scores[3]) <= 5.0
    assert min(scores[2], scores[3]) > 3 * scores[4]


def test_cross_language_text_parts_close_to_english_twin() -> None:
    settings = MatchSettings(weights={"complementarity": 1.0, "topic": 1.0}, min_score=0)
    parts = {s.partner_id: s.parts for s in match(_cross_language_corpus(), settings) if s.firm_id == 1}
    assert abs(parts[2]["complementarity"] - parts[3]["complementarity"]) <= 10.0
    assert parts[3]["complementarity"] >= 50.0
