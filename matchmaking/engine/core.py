"""Prepare a run once, score blocks of firms against the other side, select each firm's top k.

A run is split so that Celery workers can share it: ``prepare`` fits the vectorizers and builds
every matrix; ``score_block`` scores any subset of firms. Each firm's row is computed from its own
features only (sparse products, and integer-valued dense products), so the union of blocks equals
``match`` exactly, and ``match_one`` equals the full run for that firm.
"""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import scipy.sparse as sp

from .embeddings import EmbeddingBackend, embed_profiles
from .reasons import ReasonFacts, build_reason_facts, explain_pairs
from .records import PARTS, MatchSettings, Profile, Suggestion
from .structure import StructureFeatures, build_structure_features
from .text import FIELDS, TextFeatures, build_text_features, field_texts

SAME_STAGE_VALUE = 0.3
"""Value-chain part for firms at the same stage but no adjacent one (peers: R&D, joint buying)."""
DENSE_FROM = 64
"""Firms of one side in a score_block call from which the other side's text matrices are densified."""
TEXT_FULL = 0.5
"""A text cosine at or above this counts as a full (100) text part: TF-IDF cosines of two texts
about the same thing rarely pass 0.5, and a raw 0.5 would read as a half match."""


@dataclass(frozen=True)
class Prepared:
    """Everything a run needs to score any block of firms; picklable, so workers can share it."""

    settings: MatchSettings
    profiles: tuple[Profile, ...]
    """Sorted by id; a firm's position here is its row in every matrix."""
    ids: np.ndarray
    position: dict[int, int]
    members: dict[str, np.ndarray]
    """Side -> positions of its firms, ascending id (so column order breaks ties by id)."""
    text: TextFeatures
    candidates: dict[tuple[str, str], sp.csr_matrix]
    """(field, side) -> that side's field matrix transposed (features x firms), ready to multiply."""
    structure: StructureFeatures
    embeddings: tuple[np.ndarray, np.ndarray] | None
    """(integer-valued vectors, inverse norms), see embeddings.embed_profiles."""
    reasons: ReasonFacts
    """What reasons need, worked out once per run."""


def prepare(
    profiles: Iterable[Profile], settings: MatchSettings | None = None, *, embedder: EmbeddingBackend | None = None
) -> Prepared:
    """Fit this run's vectorizers and build its matrices. Raises ValueError on duplicate ids, or on
    an embedding weight without a backend."""
    settings = settings or MatchSettings()
    ordered = tuple(sorted(profiles, key=lambda p: p.id))
    ids = np.array([p.id for p in ordered], dtype=np.int64)
    if len(np.unique(ids)) != len(ids):
        raise ValueError("profile ids must be unique")
    if settings.weight("embedding") > 0 and embedder is None:
        raise ValueError("the embedding part has a weight but no embedding backend was given")
    members = {
        side: np.array([i for i, p in enumerate(ordered) if p.side == side], dtype=np.int64) for side in ["EU", "JP"]
    }
    text = build_text_features(ordered)
    candidates = {
        (name, side): text.matrices[name][rows].T.tocsr() for name in FIELDS for side, rows in members.items()
    }
    embeddings = None
    if embedder is not None and settings.weight("embedding") > 0:
        embeddings = embed_profiles(embedder, [_embedding_text(p) for p in ordered])
    return Prepared(
        settings=settings,
        profiles=ordered,
        ids=ids,
        position={int(firm_id): i for i, firm_id in enumerate(ids)},
        members=members,
        text=text,
        candidates=candidates,
        structure=build_structure_features(ordered, settings.dependency_threshold),
        embeddings=embeddings,
        reasons=build_reason_facts(text),
    )


def _embedding_text(profile: Profile) -> str:
    texts = field_texts(profile)
    return "\n".join([texts["offer"], profile.seek, profile.description])


def _text_part(
    prepared: Prepared, left: str, right: str, rows: np.ndarray, side: str, dense: dict[str, np.ndarray] | None
) -> np.ndarray:
    """min(cosine / TEXT_FULL, 1). With `dense` (the other side's matrices densified once for many
    blocks) the product is a sparse block times a dense matrix, which sums the same float32 terms in
    the same order as the sparse-sparse product (so the same numbers), about three times faster."""
    block = prepared.text.matrices[left][rows]
    part = block @ dense[right] if dense is not None else (block @ prepared.candidates[(right, side)]).toarray()
    np.divide(part, np.float32(TEXT_FULL), out=part)
    return np.minimum(part, np.float32(1.0), out=part)


def _complementarity(seek_offer: np.ndarray, offer_seek: np.ndarray) -> np.ndarray:
    """Half the mean of the two directions, half their geometric mean: a fit both ways (0.5, 0.5)
    scores 0.5, a one-sided one (1, 0) only 0.25. Same float32 steps as the plain formula
    0.25·(x + y) + 0.5·√(x·y), without its temporaries."""
    part = np.add(seek_offer, offer_seek)
    part *= np.float32(0.25)
    root = np.multiply(seek_offer, offer_seek)
    np.sqrt(root, out=root)
    root *= np.float32(0.5)
    part += root
    return part


def score_parts(
    prepared: Prepared, rows: np.ndarray, side: str, dense: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Each weighted part, (len(rows) x firms of the other side) float32 in 0..1; rows all on `side`.
    `dense`: see dense_candidates."""
    other = "JP" if side == "EU" else "EU"
    cols = prepared.members[other]
    weight = prepared.settings.weight
    parts: dict[str, np.ndarray] = {}
    if weight("complementarity") > 0:
        seek_offer = _text_part(prepared, "seek", "offer", rows, other, dense)
        offer_seek = _text_part(prepared, "offer", "seek", rows, other, dense)
        parts["complementarity"] = _complementarity(seek_offer, offer_seek)
        del seek_offer, offer_seek
    if weight("topic") > 0:
        parts["topic"] = _text_part(prepared, "topic", "topic", rows, other, dense)
    for name in STRUCTURAL_PARTS:
        if weight(name) > 0:
            table, row_types, col_types = structural_table(prepared, name, rows, cols)
            parts[name] = np.take(table[row_types], col_types, axis=1)
    if weight("embedding") > 0 and prepared.embeddings is not None:
        parts["embedding"] = _embedding_part(prepared.embeddings, rows, cols)
    return parts


def structural_table(
    prepared: Prepared, name: str, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(table, row types, col types): the part between rows[i] and cols[j] is
    table[row_types[i], col_types[j]], computed once per pair of firm types (see structure.py)."""
    types = prepared.structure.types[name]
    row_kinds, row_types = np.unique(types.ids[rows], return_inverse=True)
    col_kinds, col_types = np.unique(types.ids[cols], return_inverse=True)
    table = _STRUCTURAL[name](prepared.structure, types.first[row_kinds], types.first[col_kinds])
    return table, row_types.reshape(-1), col_types.reshape(-1)


def _sector(s: StructureFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return np.minimum(s.sector[rows] @ s.sector[cols].T, np.float32(1.0))


def _value_chain(s: StructureFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    downstream = s.stage_buyers[rows] @ s.stage[cols].T  # they buy from one of our stages
    upstream = s.stage[rows] @ s.stage_buyers[cols].T  # they sell to one of our stages
    same = s.stage[rows] @ s.stage[cols].T
    peers = np.where(same > 0, np.float32(SAME_STAGE_VALUE), np.float32(0.0))
    return np.where(downstream + upstream > 0, np.float32(1.0), peers)


def _partnership(s: StructureFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return np.minimum(s.partnership_fits[rows] @ s.partnership[cols].T, np.float32(1.0))


def _supply_security(s: StructureFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if not s.dependency_keys:
        return np.zeros((len(rows), len(cols)), dtype=np.float32)
    they_help = s.dependency[rows] @ s.supplier[cols].T  # percent points, exact integers
    we_help = s.supplier[rows] @ s.dependency[cols].T
    return np.minimum(np.maximum(they_help, we_help), np.float32(100.0)) / np.float32(100.0)


_STRUCTURAL = {
    "sector": _sector,
    "value_chain": _value_chain,
    "partnership": _partnership,
    "supply_security": _supply_security,
}
STRUCTURAL_PARTS = tuple(_STRUCTURAL)


def _embedding_part(embeddings: tuple[np.ndarray, np.ndarray], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    vectors, inverse = embeddings
    dots = vectors[rows] @ vectors[cols].T  # exact integers, see embed_profiles
    cosine = dots * inverse[rows][:, None] * inverse[cols][None, :]
    return np.clip(cosine, np.float32(0.0), np.float32(1.0))


def total_tenths(prepared: Prepared, parts: dict[str, np.ndarray]) -> np.ndarray:
    """Weighted mean of the parts in tenths of a point (0..1000), int32: exact ties, exact rounding.

    The parts are added in PARTS order, each times its float32 share of the total weight."""
    weights = {name: prepared.settings.weight(name) for name in parts}
    total_weight = sum(weights.values())
    names = [name for name in PARTS if name in parts]
    combined = np.multiply(parts[names[0]], np.float32(weights[names[0]] / total_weight))
    term = np.empty_like(combined)
    for name in names[1:]:
        np.multiply(parts[name], np.float32(weights[name] / total_weight), out=term)
        combined += term
    combined *= np.float32(1000.0)
    np.rint(combined, out=combined)
    return combined.astype(np.int32)


def top_k(tenths: np.ndarray, k: int, min_tenths: int) -> list[np.ndarray]:
    """Per row, column indexes of the k best scores at or above min_tenths; ties go to the lower
    column, which is the lower id because columns are in id order."""
    n = tenths.shape[1]
    # The k-th best value of each row; every cell at or above it is a candidate, so ties at the
    # cut are all kept and then settled by column below.
    floor = np.partition(tenths, n - k, axis=1)[:, n - k] if k < n else tenths.min(axis=1)
    floor = np.maximum(floor, min_tenths)
    rows, cols = np.nonzero(tenths >= floor[:, None])
    order = np.lexsort((cols, -tenths[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(tenths.shape[0] + 1))
    return [cols[starts[r] : starts[r + 1]][:k] for r in range(tenths.shape[0])]


def score_block(prepared: Prepared, firm_ids: Sequence[int]) -> list[Suggestion]:
    """Suggestions for these firms (ordered by firm id, then rank). Unknown ids raise KeyError."""
    positions = np.array(sorted(prepared.position[int(f)] for f in set(firm_ids)), dtype=np.int64)
    suggestions: list[Suggestion] = []
    size = prepared.settings.block_size
    with _collector_paused():
        for side in ("EU", "JP"):
            on_side = positions[np.isin(positions, prepared.members[side])]
            dense = dense_candidates(prepared, side) if len(on_side) > DENSE_FROM else None
            for start in range(0, len(on_side), size):
                suggestions += _score_rows(prepared, on_side[start : start + size], side, dense)
        return sorted(suggestions, key=attrgetter("firm_id", "rank"))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records are built. A run makes millions of
    small containers (a dict and two lists per suggestion) and no reference cycles, so the
    collector only walks the growing heap again and again: about a third of the time at 10,000
    firms per side. It is switched back on as it was, whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def dense_candidates(prepared: Prepared, side: str) -> dict[str, np.ndarray]:
    """The other side's text matrices as dense (features x firms) float32, made once per call:
    worth it when many rows are scored (3 x features x firms x 4 bytes, 420 MB at 10,000 firms)."""
    other = "JP" if side == "EU" else "EU"
    return {name: prepared.candidates[(name, other)].toarray() for name in FIELDS}


def _score_rows(
    prepared: Prepared, rows: np.ndarray, side: str, dense: dict[str, np.ndarray] | None
) -> list[Suggestion]:
    other = "JP" if side == "EU" else "EU"
    cols = prepared.members[other]
    if len(rows) == 0 or len(cols) == 0:
        return []
    parts = score_parts(prepared, rows, side, dense)
    tenths = total_tenths(prepared, parts)
    min_tenths = int(round(prepared.settings.min_score * 10))
    picked = top_k(tenths, prepared.settings.top_k, min_tenths)
    r_idx = np.repeat(np.arange(len(rows)), [len(p) for p in picked])
    c_idx = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
    ranks = np.concatenate([np.arange(1, len(p) + 1) for p in picked]) if picked else c_idx
    # Gather every chosen cell at once, and make the reasons of the whole block together.
    raw = {name: part[r_idx, c_idx] for name, part in parts.items()}
    del parts
    names = list(raw)
    shown = np.round(np.stack([raw[name] for name in names], axis=1).astype(np.float64) * 100, 1).tolist()
    scores = (tenths[r_idx, c_idx] / 10).tolist()
    firm_rows, partner_cols = rows[r_idx], cols[c_idx]
    reasons_en, reasons_ja = explain_pairs(prepared, firm_rows, partner_cols, raw)
    return [
        Suggestion(
            firm_id=firm_id,
            partner_id=partner_id,
            score=score,
            parts=dict(zip(names, values, strict=True)),
            reasons=en,
            rank=rank,
            reasons_ja=ja,
        )
        for firm_id, partner_id, score, values, en, rank, ja in zip(
            prepared.ids[firm_rows].tolist(),
            prepared.ids[partner_cols].tolist(),
            scores,
            shown,
            reasons_en,
            ranks.tolist(),
            reasons_ja,
            strict=True,
        )
    ]


def match(
    profiles: Iterable[Profile], settings: MatchSettings | None = None, *, embedder: EmbeddingBackend | None = None
) -> list[Suggestion]:
    """Every firm's suggestions, ordered by firm id then rank."""
    prepared = prepare(profiles, settings, embedder=embedder)
    return score_block(prepared, [int(i) for i in prepared.ids])


def match_one(
    profiles: Iterable[Profile],
    firm_id: int,
    settings: MatchSettings | None = None,
    *,
    embedder: EmbeddingBackend | None = None,
) -> list[Suggestion]:
    """One firm's suggestions, identical to its part of match() on the same profiles and settings."""
    return score_block(prepare(profiles, settings, embedder=embedder), [firm_id])
