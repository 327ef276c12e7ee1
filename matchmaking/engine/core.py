"""Prepare a run once, score blocks of firms against the other side, select each firm's top k.

A run is split so that Celery workers can share it: ``prepare`` fits the vectorizers and builds
every matrix; ``score_block`` scores any subset of firms. Each firm's row is computed from its own
features only (sparse products, and integer-valued dense products), so the union of blocks equals
``match`` exactly, and ``match_one`` equals the full run for that firm.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .embeddings import EmbeddingBackend, embed_profiles
from .reasons import FirmFacts, build_facts, explain
from .records import PARTS, MatchSettings, Profile, Suggestion
from .structure import StructureFeatures, build_structure_features
from .text import FIELDS, TextFeatures, build_text_features, field_texts

SAME_STAGE_VALUE = 0.3
"""Value-chain part for firms at the same stage but no adjacent one (peers: R&D, joint buying)."""
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
    facts: tuple[FirmFacts, ...]
    """Per firm, what its reasons need."""


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
        facts=build_facts(ordered, text, settings.dependency_threshold),
    )


def _embedding_text(profile: Profile) -> str:
    texts = field_texts(profile)
    return "\n".join([texts["offer"], profile.seek, profile.description])


def _text_part(prepared: Prepared, left: str, right: str, rows: np.ndarray, side: str) -> np.ndarray:
    product = prepared.text.matrices[left][rows] @ prepared.candidates[(right, side)]
    return np.minimum(product.toarray() / np.float32(TEXT_FULL), np.float32(1.0))


def _complementarity(seek_offer: np.ndarray, offer_seek: np.ndarray) -> np.ndarray:
    """Half the mean of the two directions, half their geometric mean: a fit both ways (0.5, 0.5)
    scores 0.5, a one-sided one (1, 0) only 0.25."""
    return np.float32(0.25) * (seek_offer + offer_seek) + np.float32(0.5) * np.sqrt(seek_offer * offer_seek)


def score_parts(prepared: Prepared, rows: np.ndarray, side: str) -> dict[str, np.ndarray]:
    """Each weighted part, (len(rows) x firms of the other side) float32 in 0..1; rows all on `side`."""
    other = "JP" if side == "EU" else "EU"
    cols = prepared.members[other]
    s, weight = prepared.structure, prepared.settings.weight
    parts: dict[str, np.ndarray] = {}
    if weight("complementarity") > 0:
        seek_offer = _text_part(prepared, "seek", "offer", rows, other)
        offer_seek = _text_part(prepared, "offer", "seek", rows, other)
        parts["complementarity"] = _complementarity(seek_offer, offer_seek)
    if weight("topic") > 0:
        parts["topic"] = _text_part(prepared, "topic", "topic", rows, other)
    if weight("sector") > 0:
        parts["sector"] = np.minimum(s.sector[rows] @ s.sector[cols].T, np.float32(1.0))
    if weight("value_chain") > 0:
        parts["value_chain"] = _value_chain(s, rows, cols)
    if weight("partnership") > 0:
        parts["partnership"] = np.minimum(s.partnership_fits[rows] @ s.partnership[cols].T, np.float32(1.0))
    if weight("supply_security") > 0:
        parts["supply_security"] = _supply_security(s, rows, cols)
    if weight("embedding") > 0 and prepared.embeddings is not None:
        parts["embedding"] = _embedding_part(prepared.embeddings, rows, cols)
    return parts


def _value_chain(s: StructureFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    downstream = s.stage_buyers[rows] @ s.stage[cols].T  # they buy from one of our stages
    upstream = s.stage[rows] @ s.stage_buyers[cols].T  # they sell to one of our stages
    same = s.stage[rows] @ s.stage[cols].T
    peers = np.where(same > 0, np.float32(SAME_STAGE_VALUE), np.float32(0.0))
    return np.where(downstream + upstream > 0, np.float32(1.0), peers)


def _supply_security(s: StructureFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if not s.dependency_keys:
        return np.zeros((len(rows), len(cols)), dtype=np.float32)
    they_help = s.dependency[rows] @ s.supplier[cols].T  # percent points, exact integers
    we_help = s.supplier[rows] @ s.dependency[cols].T
    return np.minimum(np.maximum(they_help, we_help), np.float32(100.0)) / np.float32(100.0)


def _embedding_part(embeddings: tuple[np.ndarray, np.ndarray], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    vectors, inverse = embeddings
    dots = vectors[rows] @ vectors[cols].T  # exact integers, see embed_profiles
    cosine = dots * inverse[rows][:, None] * inverse[cols][None, :]
    return np.clip(cosine, np.float32(0.0), np.float32(1.0))


def total_tenths(prepared: Prepared, parts: dict[str, np.ndarray]) -> np.ndarray:
    """Weighted mean of the parts in tenths of a point (0..1000), int32: exact ties, exact rounding."""
    weights = {name: prepared.settings.weight(name) for name in parts}
    total_weight = sum(weights.values())
    combined = sum(np.float32(weights[name] / total_weight) * parts[name] for name in PARTS if name in parts)
    return np.rint(np.asarray(combined, dtype=np.float32) * np.float32(1000.0)).astype(np.int32)


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
    for side in ("EU", "JP"):
        on_side = positions[np.isin(positions, prepared.members[side])]
        for start in range(0, len(on_side), size):
            suggestions += _score_rows(prepared, on_side[start : start + size], side)
    return sorted(suggestions, key=lambda s: (s.firm_id, s.rank))


def _score_rows(prepared: Prepared, rows: np.ndarray, side: str) -> list[Suggestion]:
    other = "JP" if side == "EU" else "EU"
    cols = prepared.members[other]
    if len(rows) == 0 or len(cols) == 0:
        return []
    parts = score_parts(prepared, rows, side)
    tenths = total_tenths(prepared, parts)
    min_tenths = int(round(prepared.settings.min_score * 10))
    picked = top_k(tenths, prepared.settings.top_k, min_tenths)
    r_idx = np.repeat(np.arange(len(rows)), [len(p) for p in picked])
    c_idx = np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)
    ranks = np.concatenate([np.arange(1, len(p) + 1) for p in picked]) if picked else c_idx
    # Gather every chosen cell at once: one numpy call per part instead of one per suggestion.
    raw = {name: part[r_idx, c_idx].tolist() for name, part in parts.items()}
    shown = {name: np.round(part[r_idx, c_idx].astype(np.float64) * 100, 1).tolist() for name, part in parts.items()}
    scores = (tenths[r_idx, c_idx] / 10).tolist()
    firm_rows, partner_cols = rows[r_idx].tolist(), cols[c_idx].tolist()
    ids = prepared.ids
    suggestions = []
    for i, (row, col) in enumerate(zip(firm_rows, partner_cols, strict=True)):
        reasons_en, reasons_ja = explain(prepared, row, col, {name: raw[name][i] for name in raw})
        suggestions.append(
            Suggestion(
                firm_id=int(ids[row]),
                partner_id=int(ids[col]),
                score=scores[i],
                parts={name: shown[name][i] for name in shown},
                reasons=reasons_en,
                rank=int(ranks[i]),
                reasons_ja=reasons_ja,
            )
        )
    return suggestions


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
