"""Rankings, sides, determinism and the block/one-firm API of the engine."""

import random

import numpy as np

from companies.synthetic import generate_profiles
from matchmaking.engine import (
    ENGINE_VERSION,
    MatchSettings,
    Profile,
    Suggestion,
    match,
    match_one,
    prepare,
    profile_from_dict,
    score_block,
)
from matchmaking.engine.core import _complementarity, top_k

from .conftest import make_profile

ALL = MatchSettings(min_score=0)


def _by_firm(suggestions: list[Suggestion]) -> dict[int, list[Suggestion]]:
    result: dict[int, list[Suggestion]] = {}
    for s in suggestions:
        result.setdefault(s.firm_id, []).append(s)
    return result


def _generated(count: int, seed: int = 3) -> list[Profile]:
    return [profile_from_dict(f) for f in generate_profiles(count, seed)]


def test_engine_version_is_a_string() -> None:
    assert isinstance(ENGINE_VERSION, str) and ENGINE_VERSION


def test_ranking_true_partner_first(nickel_corpus: list[Profile]) -> None:
    suggestions = _by_firm(match(nickel_corpus, ALL))
    assert [s.partner_id for s in suggestions[1]][0] == 2
    assert suggestions[2][0].partner_id == 1


def test_match_pairs_only_eu_with_jp_and_never_self(nickel_corpus: list[Profile]) -> None:
    profiles = {p.id: p for p in nickel_corpus}
    suggestions = match(nickel_corpus, ALL)
    assert suggestions
    assert all(profiles[s.firm_id].side != profiles[s.partner_id].side for s in suggestions)
    assert all(s.firm_id != s.partner_id for s in suggestions)


def test_match_ranks_are_consecutive_and_scores_descending(nickel_corpus: list[Profile]) -> None:
    for firm_suggestions in _by_firm(match(nickel_corpus, ALL)).values():
        assert [s.rank for s in firm_suggestions] == list(range(1, len(firm_suggestions) + 1))
        scores = [s.score for s in firm_suggestions]
        assert scores == sorted(scores, reverse=True)


def test_scores_rounded_to_tenths_within_range(nickel_corpus: list[Profile]) -> None:
    for s in match(nickel_corpus, ALL):
        assert 0 <= s.score <= 100 and round(s.score, 1) == s.score
        assert all(0 <= v <= 100 and round(v, 1) == v for v in s.parts.values())


def test_complementarity_mutual_beats_one_sided_exactly() -> None:
    mutual = _complementarity(np.float32([0.5]), np.float32([0.5]))
    one_sided = _complementarity(np.float32([1.0]), np.float32([0.0]))
    assert (float(mutual[0]), float(one_sided[0])) == (0.5, 0.25)


def test_complementarity_mutual_partner_ranks_above_one_sided() -> None:
    firms = [
        make_profile(
            1, "EU", offer="Battery-grade lithium hydroxide.", seek="Cathode materials for electric vehicles."
        ),
        # Offers what 1 seeks, and seeks what 1 offers.
        make_profile(
            2, "JP", offer="Cathode materials for electric vehicles.", seek="Battery-grade lithium hydroxide."
        ),
        # Offers what 1 seeks, but seeks something 1 does not offer.
        make_profile(3, "JP", offer="Cathode materials for electric vehicles.", seek="Antibody drug candidates."),
    ]
    settings = MatchSettings(weights={"complementarity": 1.0}, min_score=0)
    ranked = [(s.partner_id, s.parts["complementarity"]) for s in match(firms, settings) if s.firm_id == 1]
    assert [partner for partner, _ in ranked] == [2, 3]
    assert ranked[0][1] > 2 * ranked[1][1]


def test_top_k_breaks_ties_by_lower_column() -> None:
    tenths = np.array([[500, 700, 700, 100]], dtype=np.int32)
    assert [a.tolist() for a in top_k(tenths, 3, 0)] == [[0, 0, 0], [1, 2, 0], [1, 2, 3]]


def test_top_k_drops_below_min() -> None:
    tenths = np.array([[500, 700, 200]], dtype=np.int32)
    assert [a.tolist() for a in top_k(tenths, 3, 300)] == [[0, 0], [1, 0], [1, 2]]


def test_top_k_equals_a_full_sort_on_many_rows() -> None:
    """Candidates come from the least of k chunk bests: the result must equal a plain full sort,
    ties at the cut included."""
    rng = np.random.default_rng(7)
    tenths = rng.integers(0, 40, size=(50, 333)).astype(np.int32) * 25  # many ties
    rows, cols, ranks = top_k(tenths, 12, 100)
    expected = []
    for r in range(len(tenths)):
        order = sorted((c for c in range(tenths.shape[1]) if tenths[r, c] >= 100), key=lambda c: (-tenths[r, c], c))
        expected += [(r, c, rank) for rank, c in enumerate(order[:12], start=1)]
    assert list(zip(rows.tolist(), cols.tolist(), ranks.tolist(), strict=True)) == expected


def test_match_equal_partners_ranked_by_lower_id() -> None:
    twin = {"offer": "Nickel sulphate.", "seek": "Cathode materials."}
    firms = [make_profile(1, "EU", offer="Cathode materials.", seek="Nickel sulphate.")]
    firms += [make_profile(9, "JP", **twin), make_profile(4, "JP", **twin)]
    ranked = [(s.partner_id, s.score) for s in match(firms, ALL) if s.firm_id == 1]
    assert [partner for partner, _ in ranked] == [4, 9]
    assert ranked[0][1] == ranked[1][1]


def test_match_same_output_for_shuffled_input() -> None:
    profiles = _generated(120)
    shuffled = profiles[:]
    random.Random(1).shuffle(shuffled)
    assert match(profiles, ALL) == match(shuffled, ALL)


def test_score_block_union_equals_full_run() -> None:
    profiles = _generated(300)
    settings = MatchSettings(top_k=7, min_score=0, block_size=13)
    full = match(profiles, MatchSettings(top_k=7, min_score=0))
    prepared = prepare(profiles, settings)
    ids = [p.id for p in profiles]
    random.Random(5).shuffle(ids)
    blocks = [ids[i : i + 41] for i in range(0, len(ids), 41)]
    union = sorted((s for block in blocks for s in score_block(prepared, block)), key=lambda s: (s.firm_id, s.rank))
    assert union == full


def test_score_block_keeping_dense_matrices_gives_the_same_suggestions() -> None:
    profiles = _generated(300)
    prepared = prepare(profiles, MatchSettings(top_k=5, min_score=0))
    eu = [p.id for p in profiles if p.side == "EU"]
    jp = [p.id for p in profiles if p.side == "JP"]
    blocks = [eu[:70], eu[70:], jp[:80], eu[:70]]  # more than DENSE_FROM firms each
    plain = [score_block(prepared, block) for block in blocks]
    kept = []
    for block in blocks:
        kept.append(score_block(prepared, block, keep_dense=True))
        assert len(prepared.kept_dense) == 1  # only the side scored last
    assert kept == plain


def test_match_one_equals_full_run_for_that_firm() -> None:
    profiles = _generated(200)
    full = _by_firm(match(profiles, ALL))
    for firm_id in (profiles[0].id, profiles[77].id, profiles[-1].id):
        assert match_one(profiles, firm_id, ALL) == full[firm_id]


def test_match_one_unknown_firm_raises_key_error(nickel_corpus: list[Profile]) -> None:
    try:
        match_one(nickel_corpus, 999)
    except KeyError:
        return
    raise AssertionError("expected KeyError")


def test_prepare_duplicate_ids_raise(nickel_corpus: list[Profile]) -> None:
    try:
        prepare(nickel_corpus + [nickel_corpus[0]])
    except ValueError as error:
        assert str(error) == "profile ids must be unique"
        return
    raise AssertionError("expected ValueError")


def test_match_one_side_only_gives_nothing() -> None:
    firms = [make_profile(1, "EU", offer="Nickel."), make_profile(2, "EU", seek="Nickel.")]
    assert match(firms, ALL) == []
