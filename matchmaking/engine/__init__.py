"""The matching engine: pure Python (numpy, scipy, scikit-learn), no Django.

Input: Profile records; output: Suggestion records. See docs/matching.md.
"""

from .core import Prepared, match, match_one, prepare, score_block
from .embeddings import EmbeddingBackend, SentenceTransformerBackend, backend_from_setting
from .records import (
    DEFAULT_WEIGHTS,
    EMBEDDING_WEIGHTS,
    ENGINE_VERSION,
    MODEL_VERSION,
    PARTS,
    MatchSettings,
    Profile,
    Suggestion,
    SupplyDependency,
    profile_from_dict,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "EMBEDDING_WEIGHTS",
    "ENGINE_VERSION",
    "MODEL_VERSION",
    "PARTS",
    "EmbeddingBackend",
    "MatchSettings",
    "Prepared",
    "Profile",
    "SentenceTransformerBackend",
    "Suggestion",
    "SupplyDependency",
    "backend_from_setting",
    "match",
    "match_one",
    "prepare",
    "profile_from_dict",
    "score_block",
]
