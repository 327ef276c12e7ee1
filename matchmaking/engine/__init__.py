"""The matching engine: pure Python (numpy, scipy, scikit-learn), no Django.

Input: Profile records; output: Suggestion records. See docs/matching.md.
"""

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from .core import Prepared, match, match_one, prepare, score_block
    from .embeddings import EmbeddingBackend, SentenceTransformerBackend, backend_from_setting

# The scoring code (numpy, scipy, scikit-learn, the Japanese analyser: about 5 s to import) loads
# on first use, so that reading ENGINE_VERSION or the records (a page starting a run) stays instant.
_LAZY = {
    "Prepared": ".core", "match": ".core", "match_one": ".core", "prepare": ".core", "score_block": ".core",
    "EmbeddingBackend": ".embeddings", "SentenceTransformerBackend": ".embeddings",
    "backend_from_setting": ".embeddings",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


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
