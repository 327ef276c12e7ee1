"""Reasons: one rule per test (docs/matching.md, "Reasons"), and the block-wise reasons
(explain_pairs) against the plain one-pair reasons (explain)."""

from typing import Any

import numpy as np

from companies.synthetic import generate_profiles
from matchmaking.engine import MatchSettings, Profile, SupplyDependency, match, prepare, profile_from_dict, score_block
from matchmaking.engine.reasons import MAX_REASONS, explain, explain_pairs

from .conftest import make_profile


def _reasons(firms: list[Profile], firm_id: int, partner_id: int) -> tuple[list[str], list[str]]:
    """(English, Japanese) reasons of one suggestion of a full run."""
    [found] = [
        s for s in match(firms, MatchSettings(min_score=0)) if (s.firm_id, s.partner_id) == (firm_id, partner_id)
    ]
    return found.reasons, found.reasons_ja


def _pair(eu: dict[str, Any], jp: dict[str, Any]) -> list[Profile]:
    return [make_profile(1, "EU", **eu), make_profile(2, "JP", **jp)]


# --- 1. Never contradictory ----------------------------------------------------------------------


def test_value_chain_both_ways_on_one_stage_is_one_line() -> None:
    # A refiner sells to a trading house and buys from it: one line says both, never two.
    firms = _pair(
        {"stages": ["critical_minerals.refining_processing"]}, {"stages": ["critical_minerals.trading_stockpiling"]}
    )
    assert _reasons(firms, 1, 2) == (
        ["Both buyer and supplier for your refining and processing (trading and stockpiling)"],
        ["あなたの精錬・加工の買い手であり供給元でもあります（商社・備蓄）"],
    )


def test_value_chain_both_ways_on_two_stages_names_both() -> None:
    # Our mine sells to their refinery, their refinery sells to our magnet plant.
    firms = _pair(
        {"stages": ["critical_minerals.exploration_mining", "critical_minerals.magnets_alloys"]},
        {"stages": ["critical_minerals.refining_processing"]},
    )
    assert _reasons(firms, 1, 2) == (
        [
            "Both buyer and supplier: they buy from your exploration and mining (refining and processing) "
            "and supply your magnets and alloys (refining and processing)"
        ],
        ["あなたの探鉱・採掘の買い手（精錬・加工）であり、磁石・合金の供給元（精錬・加工）でもあります"],
    )


def test_value_chain_one_way_says_buyer_only() -> None:
    firms = _pair({"stages": ["batteries.cathode", "batteries.anode"]}, {"stages": ["batteries.cells"]})
    assert _reasons(firms, 1, 2) == (
        ["Downstream buyer for your cathode materials (cells)"],
        ["あなたの正極材の川下の買い手（セル）"],
    )
    assert _reasons(firms, 2, 1) == (
        ["Upstream supplier for your cells (cathode materials)"],
        ["あなたのセルの川上の供給元（正極材）"],
    )


# --- 2. Each line true of the pair ---------------------------------------------------------------


def test_trade_types_alone_say_only_what_the_types_are() -> None:
    # They sell nickel, we want to buy lithium: no "They supply what you want to buy".
    firms = _pair(
        {"partnership_types": ["purchase"], "seek": "Lithium hydroxide."},
        {"partnership_types": ["supply"], "offer": "Nickel sulphate."},
    )
    assert _reasons(firms, 1, 2) == (
        ["They want to supply and you want to buy"],
        ["相手は供給を、あなたは購入を希望しています"],
    )
    assert _reasons(firms, 2, 1) == (
        ["They want to buy and you want to supply"],
        ["相手は購入を、あなたは供給を希望しています"],
    )


def test_trade_types_with_covering_offer_say_they_supply_what_you_buy() -> None:
    firms = _pair(
        {"partnership_types": ["purchase"], "seek": "Nickel sulphate for our cathodes."},
        {"partnership_types": ["supply"], "offer": "Battery-grade nickel sulphate."},
    )
    assert _reasons(firms, 1, 2) == (
        ["They supply what you want to buy (nickel, sulphate)"],
        ["相手はあなたが購入したいものを供給しています（ニッケル、硫酸塩）"],
    )
    assert _reasons(firms, 2, 1) == (
        ["They want to buy what you supply (nickel, sulphate)"],
        ["相手はあなたの供給品の購入を希望しています（ニッケル、硫酸塩）"],
    )


def test_trade_types_with_shared_dealings_only_claim_no_trade() -> None:
    # "Europe" is where they deal, not what they sell.
    firms = _pair(
        {"partnership_types": ["purchase"], "seek": "Lithium from Europe."},
        {"partnership_types": ["supply"], "offer": "Nickel across Europe."},
    )
    assert _reasons(firms, 1, 2) == (
        ["They offer what you seek (Europe)", "They want to supply and you want to buy"],
        ["相手はあなたが求めるものを提供しています（欧州）", "相手は供給を、あなたは購入を希望しています"],
    )


def test_offer_covering_seek_without_trade_types_says_they_offer() -> None:
    firms = _pair({"seek": "Nickel sulphate."}, {"offer": "Nickel sulphate."})
    assert _reasons(firms, 1, 2) == (
        ["They offer what you seek (nickel, sulphate)"],
        ["相手はあなたが求めるものを提供しています（ニッケル、硫酸塩）"],
    )


def test_partnership_types_lines_say_what_they_are() -> None:
    firms = _pair(
        {"partnership_types": ["joint_venture", "investment_sought"]},
        {"partnership_types": ["joint_venture", "investment_offered"]},
    )
    assert _reasons(firms, 1, 2) == (
        ["Both open to a joint venture", "They offer the investment you seek"],
        ["双方が合弁事業に前向きです", "相手はあなたが求める出資を提供します"],
    )


# --- 3. Distinctive shared terms cited -----------------------------------------------------------


def _lipid_firms() -> list[Profile]:
    """Two firms share a rare word the glossary lacks and an adverb of a common word ("ideally");
    all six use a common word ("outside") and a few concepts."""
    common = {"sectors": ["biotech"], "description": "Biotech firm working outside Europe on drug candidates."}
    return [
        make_profile(1, "EU", **{**common, "description": common["description"] + " Sphingolipid chemistry, ideally."}),
        make_profile(2, "JP", **{**common, "description": common["description"] + " Sphingolipid assays, ideally."}),
        *(make_profile(i, "JP", **common) for i in (3, 4, 5, 6)),
    ]


def test_rare_word_the_glossary_lacks_is_cited_and_common_words_are_not() -> None:
    assert _reasons(_lipid_firms(), 1, 2) == (
        ["You both mention: sphingolipid"],
        ["両社に共通するキーワード：sphingolipid"],
    )


def test_only_terms_every_firm_uses_give_the_generic_topic_line() -> None:
    # Firm 3 shares with firm 1 only what all six firms write: no "You both mention", but similar activities.
    assert _reasons(_lipid_firms(), 1, 3) == (
        ["Similar activities (biotechnology, drug candidates, drugs, Europe)"],
        ["事業内容が近い（バイオテクノロジー、候補、医薬品、欧州）"],
    )


def test_rare_katakana_word_is_cited_in_both_languages() -> None:
    firms = [
        make_profile(1, "EU", language="ja", description="スフィンゴミエリンの合成。"),
        make_profile(2, "JP", language="ja", description="スフィンゴミエリンの分析。"),
        *(make_profile(i, "JP", language="ja", description="医薬品の開発。") for i in (3, 4, 5)),
    ]
    assert _reasons(firms, 1, 2) == (
        ["You both mention: スフィンゴミエリン"],
        ["両社に共通するキーワード：スフィンゴミエリン"],
    )


def test_offer_line_names_shared_rare_words_rarest_first() -> None:
    firms = [
        make_profile(1, "EU", seek="Capsid engineering and nickel."),
        make_profile(2, "JP", offer="Capsid engineering and nickel."),
        make_profile(3, "JP", offer="Nickel."),
        make_profile(4, "JP", offer="Nickel."),
    ]
    assert _reasons(firms, 1, 2) == (
        ["They offer what you seek (capsid, engineering, nickel)"],
        ["相手はあなたが求めるものを提供しています（capsid、エンジニアリング、ニッケル）"],
    )


# --- 4. Generic lines only when nothing better ---------------------------------------------------


def test_same_sector_only_when_nothing_else_is_known() -> None:
    firms = _pair({"sectors": ["batteries"]}, {"sectors": ["batteries"]})
    assert _reasons(firms, 1, 2) == (["Same sector (batteries)"], ["同じ分野（蓄電池）"])


def test_same_sector_left_out_beside_a_better_line() -> None:
    firms = _pair(
        {"sectors": ["batteries"], "partnership_types": ["rnd"]},
        {"sectors": ["batteries"], "partnership_types": ["rnd"]},
    )
    assert _reasons(firms, 1, 2) == (["Both look for R&D collaboration"], ["双方が共同研究開発を求めています"])


# --- 6. Order and length -------------------------------------------------------------------------


def test_reasons_specific_first(nickel_corpus: list[Profile]) -> None:
    assert _reasons(nickel_corpus, 2, 1) == (
        [
            "They supply what you want to buy (battery grade, nickel, sulphate, batteries)",
            "They seek what you offer (electric vehicles, high-nickel, nickel, vehicles)",
            "Would cut your 80% dependence on one country for nickel",
            "Upstream supplier for your cathode materials (refining and processing)",
        ],
        [
            "相手はあなたが購入したいものを供給しています（電池グレード、ニッケル、硫酸塩、電池）",
            "相手はあなたが提供するものを求めています（電気自動車、ハイニッケル、ニッケル、車両）",
            "ニッケルの一国への80%の依存を減らせます",
            "あなたの正極材の川上の供給元（精錬・加工）",
        ],
    )


def test_reasons_at_most_max_the_weaker_left_out() -> None:
    # Seven lines hold (both trades, both dependencies, a rare word, adjacent stages, R&D): five shown.
    firms = _pair(
        {
            "stages": ["critical_minerals.refining_processing"], "partnership_types": ["supply", "purchase", "rnd"],
            "materials": ["nickel"], "supply_dependencies": [SupplyDependency("graphite", "CN", 80)],
            "offer": "Nickel sulphate.", "seek": "Spherical graphite.", "description": "Sphingolipid chemistry.",
        },
        {
            "stages": ["batteries.cathode"], "partnership_types": ["purchase", "supply", "rnd"],
            "materials": ["graphite"], "supply_dependencies": [SupplyDependency("nickel", "ID", 80)],
            "offer": "Spherical graphite.", "seek": "Nickel sulphate.", "description": "Sphingolipid assays.",
        },
    )  # fmt: skip
    assert MAX_REASONS == 5
    assert _reasons(firms, 1, 2) == (
        [
            "They supply what you want to buy (graphite, spherical)",
            "They want to buy what you supply (nickel, sulphate)",
            "Would cut your 80% dependence on one country for graphite",
            "You could cut their 80% dependence on one country for nickel",
            "You both mention: sphingolipid",
        ],
        [
            "相手はあなたが購入したいものを供給しています（黒鉛、球状）",
            "相手はあなたの供給品の購入を希望しています（ニッケル、硫酸塩）",
            "黒鉛の一国への80%の依存を減らせます",
            "相手のニッケルの一国への80%の依存をあなたが減らせます",
            "両社に共通するキーワード：sphingolipid",
        ],
    )


def test_value_chain_comes_before_partnership_types() -> None:
    firms = _pair(
        {"stages": ["batteries.cells"], "partnership_types": ["rnd"]},
        {"stages": ["batteries.cathode"], "partnership_types": ["rnd"]},
    )
    assert _reasons(firms, 1, 2)[0] == [
        "Upstream supplier for your cells (cathode materials)",
        "Both look for R&D collaboration",
    ]


def test_dependency_before_common_offer_terms_before_shared_rare_terms() -> None:
    # Graphite is named by all four firms (not distinctive); only firms 1 and 2 write "spheroidised".
    buyer = make_profile(
        1, "EU", materials=["graphite"], supply_dependencies=[SupplyDependency("graphite", "CN", 80)],
        seek="Graphite.", description="Spheroidised anode powders.",
    )  # fmt: skip
    supplier = make_profile(
        2, "JP", stages=["critical_minerals.refining_processing"], materials=["graphite"],
        offer="Graphite.", description="Spheroidised flake.",
    )  # fmt: skip
    others = [make_profile(i, "JP", offer="Graphite.") for i in (3, 4)]
    assert _reasons([buyer, supplier, *others], 1, 2) == (
        [
            "Would cut your 80% dependence on one country for graphite",
            "They offer what you seek (graphite)",
            "You both mention: spheroidised",
        ],
        [
            "黒鉛の一国への80%の依存を減らせます",
            "相手はあなたが求めるものを提供しています（黒鉛）",
            "両社に共通するキーワード：spheroidised",
        ],
    )


# --- Parts the reasons do not know, and explain against explain_pairs ----------------------------


def test_unknown_parts_are_ignored_and_embedding_is_said_from_its_value(nickel_corpus: list[Profile]) -> None:
    prepared = prepare(nickel_corpus)
    row, col = prepared.position[3], prepared.position[1]
    values = {"profile": 0.9, "peer": 0.4, "rare_terms": 0.7, "embedding": 0.5}
    english, japanese = explain(prepared, row, col, values)
    assert english == [
        "Upstream supplier for your magnets and alloys (refining and processing)",
        "They want to supply and you want to buy",
        "Your profiles are close in meaning",
    ]
    assert japanese[-1] == "プロフィールの内容が意味的に近い"
    block = explain_pairs(prepared, np.array([row]), np.array([col]), {k: np.array([v]) for k, v in values.items()})
    assert block == ([english], [japanese])


def test_explain_pairs_equals_explain_for_every_pair_both_ways() -> None:
    profiles = [profile_from_dict(f) for f in generate_profiles(240, 9)]
    prepared = prepare(profiles, MatchSettings(top_k=15, min_score=0))
    suggestions = score_block(prepared, [p.id for p in profiles])
    rows = np.array([prepared.position[s.partner_id] for s in suggestions])
    cols = np.array([prepared.position[s.firm_id] for s in suggestions])
    values = {name: np.array([s.parts[name] / 100 for s in suggestions]) for name in suggestions[0].parts}
    english, japanese = explain_pairs(prepared, rows, cols, values)
    one_by_one = [
        explain(prepared, int(r), int(c), {name: float(v[i]) for name, v in values.items()})
        for i, (r, c) in enumerate(zip(rows, cols, strict=True))
    ]
    assert (english, japanese) == ([en for en, _ in one_by_one], [ja for _, ja in one_by_one])
    assert sum(any(r.startswith("You both mention") for r in en) for en in english) > 0


def test_explain_pairs_empty_gives_nothing() -> None:
    profiles = [profile_from_dict(f) for f in generate_profiles(10, 9)]
    prepared = prepare(profiles)
    empty = np.zeros(0, dtype=np.int64)
    assert explain_pairs(prepared, empty, empty, {"topic": np.zeros(0)}) == ([], [])
