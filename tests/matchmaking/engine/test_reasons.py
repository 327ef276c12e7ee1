"""The block-wise reasons (explain_pairs) against the plain one-pair reasons (explain)."""

import numpy as np

from companies.synthetic import generate_profiles
from matchmaking.engine import MatchSettings, prepare, profile_from_dict, score_block
from matchmaking.engine.reasons import explain, explain_pairs


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


def test_explain_pairs_empty_gives_nothing() -> None:
    profiles = [profile_from_dict(f) for f in generate_profiles(10, 9)]
    prepared = prepare(profiles)
    empty = np.zeros(0, dtype=np.int64)
    assert explain_pairs(prepared, empty, empty, {"topic": np.zeros(0)}) == ([], [])
