"""Prepare a run once, score blocks of firms against the other side, select each firm's top k.

A run is split so that Celery workers can share it: ``prepare`` fits the vectorizers and builds
every matrix; ``score_block`` scores any subset of firms. Each firm's row is computed from its own
features only (sparse products, and integer-valued dense products), so the union of blocks equals
``match`` exactly, and ``match_one`` equals the full run for that firm.
"""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from .embeddings import EmbeddingBackend, embed_profiles
from .reasons import ReasonFacts, build_reason_facts, explain_pairs
from .records import INTERACTIONS, PARTS, MatchSettings, Profile, Suggestion, term_parts
from .structure import StructureFeatures, build_structure_features
from .text import MATRICES, WHOLE, TextFeatures, build_text_features, field_texts

SAME_STAGE_VALUE = 0.3
"""Value-chain part for firms at the same stage but no adjacent one (peers: R&D, joint buying)."""
MAX_TENTHS = 1000
"""A score of 100.0, in the integer tenths that totals, ties and top-k work in."""
ROWS_PER_PASS = 128
"""Firms scored together in one pass of array operations (at most the run's block_size): a pass's
arrays (rows x the other side's firms, float32: 5 MB at 10,000 firms) stay in the processor's
caches and are reused from pass to pass (bench/matching_speed.py)."""
DENSE_FROM = 64
"""Firms of one side in a score_block call from which the other side's text matrices are densified."""
TEXT_FULL = 0.5
"""A text cosine at or above this counts as a full (100) text part: TF-IDF cosines of two texts
about the same thing rarely pass 0.5, and a raw 0.5 would read as a half match."""


ONE = np.float32(1.0)
Dense = dict[str, np.ndarray]
"""Field -> the other side's text matrix, dense (features x firms)."""


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
    kept_dense: dict[str, Dense] = field(default_factory=dict, repr=False, compare=False)
    """Side -> the other side's dense text matrices, for score_block(keep_dense=True); one side at a time."""


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
    if settings.needs("embedding") and embedder is None:
        raise ValueError("the embedding part has a weight but no embedding backend was given")
    members = {
        side: np.array([i for i, p in enumerate(ordered) if p.side == side], dtype=np.int64) for side in ["EU", "JP"]
    }
    text = build_text_features(ordered)
    # Scaled by 1 / TEXT_FULL once here, so that a product is the text part before its cap at 1.
    candidates = {
        (name, side): (text.matrices[name][rows].T * np.float32(1.0 / TEXT_FULL)).tocsr()
        for name in MATRICES
        for side, rows in members.items()
    }
    embeddings = None
    if embedder is not None and settings.needs("embedding"):
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
    prepared: Prepared, left: str, right: str, rows: np.ndarray, side: str, dense: Dense | None
) -> np.ndarray:
    """min(cosine / TEXT_FULL, 1); the candidates are scaled by 1 / TEXT_FULL in prepare. With
    `dense` (the other side's matrices densified once for many passes) the product is a sparse
    block times a dense matrix, which sums the same float32 terms in the same order as the
    sparse-sparse product (so the same numbers), about three times faster."""
    block = prepared.text.matrices[left][rows]
    part = block @ dense[right] if dense is not None else (block @ prepared.candidates[(right, side)]).toarray()
    return np.minimum(part, np.float32(1.0), out=part)


def _complementarity(seek_offer: np.ndarray, offer_seek: np.ndarray, root: np.ndarray | None = None) -> np.ndarray:
    """Half the mean of the two directions, half their geometric mean: a fit both ways (0.5, 0.5)
    scores 0.5, a one-sided one (1, 0) only 0.25. Same float32 steps as the plain formula
    0.25·(x + y) + 0.5·√(x·y); written into seek_offer, with `root` as scratch if given."""
    root = np.multiply(seek_offer, offer_seek, out=root)
    np.sqrt(root, out=root)
    root *= np.float32(0.5)
    seek_offer += offer_seek
    seek_offer *= np.float32(0.25)
    seek_offer += root
    return seek_offer


@dataclass
class _Pass:
    """One pass of rows on one side: the parts kept as full arrays (text, embedding), the
    structural tables of the pass with each row's type in them, and the total in tenths."""

    rows: np.ndarray
    cols: np.ndarray
    col_types: dict[str, np.ndarray]
    """Structural part -> each column's type in the tables."""
    arrays: dict[str, np.ndarray]
    tables: dict[str, tuple[np.ndarray, np.ndarray]]
    """Structural part -> (table between the pass's row types and the other side's types, row types)."""
    tenths: np.ndarray

    def values(self, r: np.ndarray, c: np.ndarray) -> dict[str, np.ndarray]:
        """Each part (0..1, float32) at cells (r[i], c[i]) of this pass, in PARTS order."""
        found = {name: array[r, c] for name, array in self.arrays.items()}
        found.update({name: table[types[r], self.col_types[name][c]] for name, (table, types) in self.tables.items()})
        return {name: found[name] for name in PARTS if name in found}


class _SideScorer:
    """Scores passes of rows of one side against every firm of the other side.

    A structural part is a table between the types of firms of the pass and of the other side (see
    structure.py), gathered out to firms. Every full-size array of a pass (rows x other side) is
    written into buffers made once and reused: fresh arrays of that size cost more in page faults
    than the arithmetic done on them."""

    def __init__(self, prepared: Prepared, side: str, dense: Dense | None) -> None:
        self.prepared, self.dense = prepared, dense
        self.other = "JP" if side == "EU" else "EU"
        self.cols = prepared.members[self.other]
        settings = prepared.settings
        usable = [name for name in PARTS if prepared.embeddings is not None or name != "embedding"]
        # Weighted terms: parts, and products of two parts (records.INTERACTIONS).
        weighted = [t for t in (*PARTS, *INTERACTIONS) if settings.weight(t) > 0 and set(term_parts(t)) <= set(usable)]
        self.needed = {part for term in weighted for part in term_parts(term)}
        total_weight = sum(settings.weight(term) for term in weighted)
        # The score in tenths of a point (0..MAX_TENTHS) adds each term times its share.
        self.scale = {term: np.float32(MAX_TENTHS * settings.weight(term) / total_weight) for term in weighted}
        self.col_firsts, self.col_types = {}, {}
        for name in STRUCTURAL_PARTS:
            if name in self.needed:
                types = prepared.structure.types[name]
                kinds, self.col_types[name] = np.unique(types.ids[self.cols], return_inverse=True)
                self.col_firsts[name] = types.first[kinds]
        self._buffers: dict[tuple[str, int], np.ndarray] = {}

    def _buffer(self, name: str, rows: int, dtype: type = np.float32) -> np.ndarray:
        if (name, rows) not in self._buffers:
            self._buffers[(name, rows)] = np.empty((rows, len(self.cols)), dtype=dtype)
        return self._buffers[(name, rows)]

    def score(self, rows: np.ndarray) -> _Pass:
        arrays, tables = self._arrays(rows), self._tables(rows)
        return _Pass(rows, self.cols, self.col_types, arrays, tables, self._tenths(len(rows), arrays, tables))

    def _arrays(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The parts that are full arrays: complementarity, topic, embedding."""
        prepared, other = self.prepared, self.other
        arrays: dict[str, np.ndarray] = {}
        if "complementarity" in self.needed:
            seek_offer = _text_part(prepared, "seek", "offer", rows, other, self.dense)
            offer_seek = _text_part(prepared, "offer", "seek", rows, other, self.dense)
            arrays["complementarity"] = _complementarity(seek_offer, offer_seek, self._buffer("scratch", len(rows)))
        for name in ("topic", *WHOLE):
            if name in self.needed or (name == "concepts" and "terms" in self.needed):
                arrays[name] = _text_part(prepared, name, name, rows, other, self.dense)
        if "terms" in arrays:
            self._terms_across_languages(rows, arrays)
            if "concepts" not in self.needed:
                del arrays["concepts"]
        if "embedding" in self.needed:
            arrays["embedding"] = _embedding_part(prepared.embeddings, rows, self.cols)  # type: ignore[arg-type]
        return arrays

    def _full(
        self, name: str, arrays: dict[str, np.ndarray], tables: dict[str, tuple[np.ndarray, np.ndarray]],
        out: np.ndarray, scale: np.float32 = ONE,
    ) -> np.ndarray:  # fmt: skip
        """A part (times scale) as a full (rows x other side) array written into out."""
        if name in tables:
            table, row_types = tables[name]
            weighted = (table * scale)[row_types]
            # "clip" skips the bounds check (the types come from np.unique): a third faster.
            return np.take(weighted, self.col_types[name], axis=1, out=out, mode="clip")
        return np.multiply(arrays[name], scale, out=out)

    def _terms_across_languages(self, rows: np.ndarray, arrays: dict[str, np.ndarray]) -> None:
        """A Japanese text and an English one share no words, only concepts: for such a pair the
        terms part takes the concepts part's value, so a firm is not ranked lower for the language
        it writes in (its English twin would have both)."""
        japanese = self.prepared.text.japanese
        row_ja, col_ja = japanese[rows], japanese[self.cols]
        if not (row_ja.any() or col_ja.any()):
            return
        across = row_ja[:, None] != col_ja[None, :]
        np.copyto(arrays["terms"], arrays["concepts"], where=across)

    def _tables(self, rows: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each structural part as (table between the rows' types and the other side's, row types)."""
        tables = {}
        for name, col_firsts in self.col_firsts.items():
            types = self.prepared.structure.types[name]
            kinds, row_types = np.unique(types.ids[rows], return_inverse=True)
            tables[name] = (_STRUCTURAL[name](self.prepared.structure, types.first[kinds], col_firsts), row_types)
        return tables

    def _tenths(
        self, count: int, arrays: dict[str, np.ndarray], tables: dict[str, tuple[np.ndarray, np.ndarray]]
    ) -> np.ndarray:
        """The weighted total in integer tenths: the parts in PARTS order, then the products in
        INTERACTIONS order, each times its share."""
        total, scratch = self._buffer("total", count), self._buffer("scratch", count)
        total.fill(0.5)  # then floor: a score of exactly x.x5 shows as x.x+0.1, as people round
        for term, share in self.scale.items():
            if "*" in term:
                first, second = term_parts(term)
                self._full(first, arrays, tables, scratch, share)
                scratch *= self._full(second, arrays, tables, self._buffer("factor", count))
            else:
                self._full(term, arrays, tables, scratch, share)
            total += scratch
        np.floor(total, out=total)
        tenths = self._buffer("tenths", count, np.int32)
        np.copyto(tenths, total, casting="unsafe")
        return tenths


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


def top_k(tenths: np.ndarray, k: int, min_tenths: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, ranks) of each row's k best scores at or above min_tenths, by row then rank;
    ties go to the lower column, which is the lower id because columns are in id order. Scores are
    integers 0..MAX_TENTHS."""
    count, n = tenths.shape
    floor = np.full(count, min_tenths, dtype=np.int64)
    if k < n:
        # The best of each of k column chunks is a cell, so the least of these k bests is at most
        # the k-th best: every cell at or above it is a candidate (a few dozen per row).
        chunks = np.linspace(0, n, k + 1).astype(np.int64)[:-1]
        np.maximum(floor, np.maximum.reduceat(tenths, chunks, axis=1).min(axis=1), out=floor)
    flat = np.flatnonzero(tenths >= floor[:, None])  # row * n + column
    rows = flat // n
    # One integer key orders the candidates by row, then best score, then column.
    key = (rows * (MAX_TENTHS + 1) + (MAX_TENTHS - tenths.ravel()[flat])) * n + flat % n
    key.sort()
    rows = key // ((MAX_TENTHS + 1) * n)
    ranks = np.arange(len(key)) - np.searchsorted(rows, rows)
    kept = ranks < k
    return rows[kept], key[kept] % n, ranks[kept] + 1


def score_block(prepared: Prepared, firm_ids: Sequence[int], *, keep_dense: bool = False) -> list[Suggestion]:
    """Suggestions for these firms (ordered by firm id, then rank). Unknown ids raise KeyError.

    keep_dense: keep the last side's densified matrices in `prepared` for the next call (a worker
    scoring one block of a side after another densifies each side once, not once per block); the
    suggestions are the same either way."""
    positions = np.array(sorted(prepared.position[int(f)] for f in set(firm_ids)), dtype=np.int64)
    size = min(prepared.settings.block_size, ROWS_PER_PASS)
    min_tenths = int(round(prepared.settings.min_score * 10))
    picked: list[_Picked] = []
    for side in ("EU", "JP"):
        on_side = positions[np.isin(positions, prepared.members[side])]
        if len(on_side) == 0 or len(prepared.members["JP" if side == "EU" else "EU"]) == 0:
            continue
        dense = _dense(prepared, side, keep_dense) if len(on_side) > DENSE_FROM else None
        scorer = _SideScorer(prepared, side, dense)
        for start in range(0, len(on_side), size):
            scored = scorer.score(on_side[start : start + size])
            r, c, ranks = top_k(scored.tenths, prepared.settings.top_k, min_tenths)
            picked.append(_Picked(scored.rows[r], scored.cols[c], ranks, scored.tenths[r, c], scored.values(r, c)))
        del dense, scorer
    if not picked:
        return []
    with _collector_paused():
        return _records(prepared, _Picked.joined(picked))


@dataclass(frozen=True)
class _Picked:
    """Chosen pairs: firm and partner positions, rank, total in tenths and each part (0..1)."""

    rows: np.ndarray
    cols: np.ndarray
    ranks: np.ndarray
    tenths: np.ndarray
    parts: dict[str, np.ndarray]

    @staticmethod
    def joined(picked: list["_Picked"]) -> "_Picked":
        """All of them in one, ordered by firm (positions are in id order), then rank."""
        rows, ranks = np.concatenate([p.rows for p in picked]), np.concatenate([p.ranks for p in picked])
        order = np.lexsort((ranks, rows))
        return _Picked(
            rows[order],
            np.concatenate([p.cols for p in picked])[order],
            ranks[order],
            np.concatenate([p.tenths for p in picked])[order],
            {name: np.concatenate([p.parts[name] for p in picked])[order] for name in picked[0].parts},
        )


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


def dense_candidates(prepared: Prepared, side: str) -> Dense:
    """The other side's text matrices that the weighted parts read, as dense (features x firms)
    float32, made once per call: worth it when many rows are scored (features x firms x 4 bytes
    each, 140 MB a matrix at 10,000 firms)."""
    other = "JP" if side == "EU" else "EU"
    return {name: prepared.candidates[(name, other)].toarray() for name in text_matrices_read(prepared.settings)}


def text_matrices_read(settings: MatchSettings) -> tuple[str, ...]:
    """The text matrices that the parts with a weight read."""
    read = {"offer", "seek"} if settings.needs("complementarity") else set()
    read |= {name for name in ("topic", *WHOLE) if settings.needs(name)}
    if "terms" in read:
        read.add("concepts")  # the terms part of a pair across languages (_terms_across_languages)
    return tuple(name for name in MATRICES if name in read)


def _dense(prepared: Prepared, side: str, keep: bool) -> Dense:
    if not keep:
        return dense_candidates(prepared, side)
    if side not in prepared.kept_dense:
        prepared.kept_dense.clear()  # one side at a time bounds the memory (420 MB at 10,000 firms)
        prepared.kept_dense[side] = dense_candidates(prepared, side)
    return prepared.kept_dense[side]


def _records(prepared: Prepared, picked: _Picked) -> list[Suggestion]:
    """One record per chosen pair, with its reasons (all made together, see explain_pairs)."""
    names = list(picked.parts)
    shown = np.round(np.stack([picked.parts[name] for name in names], axis=1).astype(np.float64) * 100, 1).tolist()
    reasons_en, reasons_ja = explain_pairs(prepared, picked.rows, picked.cols, picked.parts)
    return [
        Suggestion(firm_id, partner_id, score, dict(zip(names, values, strict=True)), en, rank, ja)
        for firm_id, partner_id, score, values, en, rank, ja in zip(
            prepared.ids[picked.rows].tolist(),
            prepared.ids[picked.cols].tolist(),
            (picked.tenths / 10).tolist(),
            shown,
            reasons_en,
            picked.ranks.tolist(),
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


def part_arrays(prepared: Prepared, side: str, parts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(the other side's positions, (firms of `side` x those firms x parts) float32 values 0..1) of
    every pair, for learning and evaluating weights on small sets; parts in the order given."""
    weighted = replace(prepared, settings=replace(prepared.settings, weights=dict.fromkeys(parts, 1.0)))
    scorer = _SideScorer(weighted, side, None)
    rows = prepared.members[side]
    values = np.zeros((len(rows), len(scorer.cols), len(parts)), dtype=np.float32)
    for start in range(0, len(rows), ROWS_PER_PASS):
        scored = scorer.score(rows[start : start + ROWS_PER_PASS])
        r, c = np.indices((len(scored.rows), len(scorer.cols)))
        found = scored.values(r.ravel(), c.ravel())
        for k, name in enumerate(parts):
            values[start : start + len(scored.rows), :, k] = found[name].reshape(r.shape)
    return scorer.cols, values
