"""Reasons a person understands, from the viewpoint of the firm receiving the suggestion.

"You" is the firm that receives the suggestion, "they" the proposed partner. Each reason comes in
English and Japanese; reasons are ordered by how much their part adds to the score.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from companies.vocabulary import MATERIALS, SECTORS, STAGE_FLOWS, STAGES

from .glossary import CONCEPTS, label
from .records import PARTS

if TYPE_CHECKING:
    from .core import Prepared
    from .text import TextFeatures

MAX_REASONS = 5
MAX_TERMS = 4
MIN_PART = 0.1
"""A part below this (0..1) is too weak to be given as a reason."""

Pair = tuple[str, str]

EMBEDDING_REASON: Pair = ("Your profiles are close in meaning", "プロフィールの内容が意味的に近い")

# (your partnership type, theirs) -> reason in English and Japanese.
PARTNERSHIP_REASONS: dict[Pair, Pair] = {
    ("supply", "purchase"): ("They want to buy what you supply", "相手はあなたの供給品の購入を希望しています"),
    ("purchase", "supply"): ("They supply what you want to buy", "相手はあなたが購入したいものを供給しています"),
    ("investment_sought", "investment_offered"): (
        "They offer the investment you seek",
        "相手はあなたが求める出資を提供します",
    ),
    ("investment_offered", "investment_sought"): (
        "They seek the investment you offer",
        "相手はあなたが提供する出資を求めています",
    ),
    ("licensing", "licensing"): (
        "Both open to licensing and technology transfer",
        "双方がライセンス・技術移転に前向きです",
    ),
    ("joint_procurement", "joint_procurement"): (
        "Both look for joint procurement and stockpiling",
        "双方が共同調達・備蓄を求めています",
    ),
    ("joint_venture", "joint_venture"): ("Both open to a joint venture", "双方が合弁事業に前向きです"),
    ("rnd", "rnd"): ("Both look for R&D collaboration", "双方が共同研究開発を求めています"),
    ("distribution", "supply"): ("They supply products you could distribute", "相手の製品をあなたが販売代理できます"),
    ("supply", "distribution"): ("They could distribute what you supply", "相手があなたの製品を販売代理できます"),
}


@dataclass(frozen=True)
class ReasonFacts:
    """What reasons need of the firms, worked out once per run (reasons are made for every suggestion)."""

    concept_ids: tuple[str, ...]
    """Every concept of the run, rarest (most telling) first, then by id."""
    concepts: dict[str, sp.csr_matrix]
    """Field -> (firms x concept_ids) 1 where the firm's field names the concept; indices sorted, so
    a row lists its concepts rarest first and the shared concepts of two firms come out in order."""


def build_reason_facts(text: "TextFeatures") -> ReasonFacts:
    idf = text.concept_idf
    seen = {c for found in text.concepts.values() for firm in found for c in firm}
    concept_ids = tuple(sorted(seen, key=lambda c: (-idf.get(c, 0.0), c)))
    rank = {c: i for i, c in enumerate(concept_ids)}
    matrices = {}
    for name, found in text.concepts.items():
        indices = [sorted(rank[c] for c in firm) for firm in found]
        indptr = np.cumsum([0] + [len(i) for i in indices])
        flat = np.fromiter((i for firm in indices for i in firm), dtype=np.int32, count=int(indptr[-1]))
        data = np.ones(len(flat), dtype=np.int8)
        matrices[name] = sp.csr_matrix((data, flat, indptr), shape=(len(found), len(concept_ids)))
    return ReasonFacts(concept_ids=concept_ids, concepts=matrices)


def explain(prepared: "Prepared", row: int, col: int, values: dict[str, float]) -> tuple[list[str], list[str]]:
    """Reasons (English, Japanese) why the firm at `col` suits the firm at `row`: one pair, written
    plainly (explain_pairs gives the same reasons for many pairs at once; a test holds them equal)."""
    settings = prepared.settings
    strong = [
        (-settings.part_weight(name) * values[name], i, name)
        for i, name in enumerate(PARTS)
        if values.get(name, 0.0) >= MIN_PART
    ]
    per_part = [_pair_reasons(prepared, name, row, col) for _, _, name in sorted(strong)]
    # The strongest reason of each part first, then the others, so no part crowds out the rest.
    reasons = [found[0] for found in per_part if found] + [r for found in per_part for r in found[1:]]
    reasons = list(dict.fromkeys(reasons))[:MAX_REASONS]
    return [en for en, _ in reasons], [ja for _, ja in reasons]


def _pair_reasons(prepared: "Prepared", part: str, row: int, col: int) -> tuple[Pair, ...]:
    if part == "embedding":
        return (EMBEDDING_REASON,)
    concepts = prepared.reasons.concepts

    def shared(field_a: str, field_b: str) -> tuple[str, ...]:
        found = _shared_in_order(concepts[field_a], row, concepts[field_b], col)
        return tuple(prepared.reasons.concept_ids[i] for i in found)

    if part == "complementarity":
        return _complementarity_reasons(shared("seek", "offer"), shared("offer", "seek"))
    if part == "topic":
        return _topic_reasons(shared("topic", "topic"))
    if part not in prepared.structure.types:  # whole-profile parts: their terms are cited by the text parts
        return ()
    types = prepared.structure.types[part]
    return _TYPE_REASONS[part](types.keys[types.ids[row]], types.keys[types.ids[col]])


def explain_pairs(
    prepared: "Prepared", rows: np.ndarray, cols: np.ndarray, values: dict[str, np.ndarray]
) -> tuple[list[list[str]], list[list[str]]]:
    """Reasons (English lists, Japanese lists) why the firm at cols[i] suits the firm at rows[i].

    `values` holds each weighted part (0..1) of every pair. The rules are those of explain: the
    parts that count most (weight x value, parts of at least MIN_PART, ties in PARTS order), the
    strongest reason of each part first, at most MAX_REASONS. Here every distinct ingredient (a
    tuple of shared concepts, a pair of firm types) is written once, in both languages, and each
    pair's reasons are picked by number in numpy; only the final lists are made per pair.
    """
    names = [name for name in PARTS if name in values]
    if len(rows) == 0 or not names:
        return [[] for _ in rows], [[] for _ in rows]
    table = _ReasonTable()
    order, strong = _strength_order(prepared, names, values)
    first = np.full((len(rows), len(names)), -1, dtype=np.int64)
    second = np.full((len(rows), len(names)), -1, dtype=np.int64)
    for p, name in enumerate(names):
        # Only pairs where the part is strong give its reasons.
        at = np.flatnonzero(strong[:, p])
        if len(at):
            first[at, p], second[at, p] = _part_reason_ids(prepared, table, name, rows[at], cols[at])
    firsts = np.take_along_axis(first, np.maximum(order, 0), axis=1)
    seconds = np.take_along_axis(second, np.maximum(order, 0), axis=1)
    chosen = np.where(np.hstack([order, order]) >= 0, np.hstack([firsts, seconds]), -1)
    for k in range(1, chosen.shape[1]):  # a reason given twice counts once, where it came first
        repeated = (chosen[:, k : k + 1] == chosen[:, :k]).any(axis=1) & (chosen[:, k] >= 0)
        chosen[repeated, k] = -1
    chosen = np.take_along_axis(chosen, np.argsort(chosen < 0, axis=1, kind="stable"), axis=1)[:, :MAX_REASONS]
    counts = (chosen >= 0).sum(axis=1).tolist()
    # Strings picked by numpy (object arrays), then each pair's list cut to its length.
    english = np.array([*table.english, ""], dtype=object)[chosen].tolist()
    japanese = np.array([*table.japanese, ""], dtype=object)[chosen].tolist()
    return [en[:n] for en, n in zip(english, counts, strict=True)], [
        ja[:n] for ja, n in zip(japanese, counts, strict=True)
    ]


class _ReasonTable:
    """The reasons of one explain_pairs call, numbered."""

    def __init__(self) -> None:
        self.english: list[str] = []
        self.japanese: list[str] = []
        self.number: dict[Pair, int] = {}

    def add(self, reasons: Sequence[Pair | None]) -> np.ndarray:
        """Numbers of these reasons (-1 for None); the same reason always gets the same number."""
        ids = []
        for reason in reasons:
            if reason is None:
                ids.append(-1)
                continue
            if reason not in self.number:
                self.number[reason] = len(self.english)
                self.english.append(reason[0])
                self.japanese.append(reason[1])
            ids.append(self.number[reason])
        return np.array(ids, dtype=np.int64)


def _part_reason_ids(
    prepared: "Prepared", table: _ReasonTable, name: str, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) reason number of the part for each pair, -1 where it has none."""
    none = np.full(len(rows), -1, dtype=np.int64)
    if name == "embedding":
        return np.full(len(rows), table.add([EMBEDDING_REASON])[0]), none
    if name == "topic":
        return _concept_reason_ids(prepared, table, ("topic", "topic"), rows, cols), none
    if name == "complementarity":
        they_offer = _concept_reason_ids(prepared, table, ("seek", "offer"), rows, cols)
        they_seek = _concept_reason_ids(prepared, table, ("offer", "seek"), rows, cols)
        return np.where(they_offer >= 0, they_offer, they_seek), np.where(they_offer >= 0, they_seek, -1)
    if name not in prepared.structure.types:  # whole-profile parts: their terms are cited by the text parts
        return none, none
    types = prepared.structure.types[name]
    count = len(types.keys)
    unique, inverse = np.unique(types.ids[rows] * count + types.ids[cols], return_inverse=True)
    written = [_TYPE_REASONS[name](types.keys[code // count], types.keys[code % count]) for code in unique.tolist()]
    firsts = table.add([w[0] if w else None for w in written])
    seconds = table.add([w[1] if len(w) > 1 else None for w in written])
    return firsts[inverse.reshape(-1)], seconds[inverse.reshape(-1)]


def _concept_reason_ids(
    prepared: "Prepared", table: _ReasonTable, fields: tuple[str, str], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Reason number of each pair for the concepts that rows' fields[0] and cols' fields[1] share."""
    shared = _shared_ids(prepared, [fields], rows, cols)[:, 0, :]
    base = len(prepared.reasons.concept_ids) + 1
    codes = ((shared + 1) * base ** np.arange(MAX_TERMS, dtype=np.int64)).sum(axis=1)
    _, index, inverse = np.unique(codes, return_index=True, return_inverse=True)
    concept_ids = prepared.reasons.concept_ids
    written: list[Pair | None] = []
    for i in index.tolist():
        concepts = tuple(concept_ids[c] for c in shared[i].tolist() if c >= 0)
        if fields[0] == "topic":
            reasons = _topic_reasons(concepts)
        elif fields[0] == "seek":
            reasons = _complementarity_reasons(concepts, ())
        else:
            reasons = _complementarity_reasons((), concepts)
        written.append(reasons[0] if reasons else None)
    return table.add(written)[inverse.reshape(-1)]


def _strength_order(
    prepared: "Prepared", names: list[str], values: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(pairs x parts) indexes into names of the strong parts, strongest first, padded with -1;
    and (pairs x parts) whether each part is strong."""
    value = np.stack([np.asarray(values[name], dtype=np.float64) for name in names], axis=1)
    weight = np.array([prepared.settings.part_weight(name) for name in names], dtype=np.float64)
    strength = -weight * value
    strong = value >= MIN_PART
    strength[~strong] = np.inf
    order = np.argsort(strength, axis=1, kind="stable")  # ties keep PARTS order
    counts = strong.sum(axis=1)
    return np.where(np.arange(len(names))[None, :] < counts[:, None], order, -1), strong


def _shared_ids(
    prepared: "Prepared", pairs: Sequence[tuple[str, str]], rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """(pairs x fields pairs x MAX_TERMS) concept indexes shared by rows' field a and cols' field b,
    rarest first, padded with -1: a sparse intersection of the two concept rows of each pair only."""
    shared = np.full((len(rows), len(pairs), MAX_TERMS), -1, dtype=np.int64)
    concepts = prepared.reasons.concepts
    for p, (field_a, field_b) in enumerate(pairs):
        both = concepts[field_a][rows].multiply(concepts[field_b][cols]).tocsr()
        both.sort_indices()
        starts, counts = both.indptr[:-1], np.diff(both.indptr)
        for j in range(MAX_TERMS):
            has = counts > j
            shared[has, p, j] = both.indices[starts[has] + j]
    return shared


def _shared_in_order(ours: sp.csr_matrix, row: int, theirs: sp.csr_matrix, col: int) -> list[int]:
    """The same as one row of the sparse intersection, for a caller with a handful of pairs."""
    their_concepts = set(theirs.indices[theirs.indptr[col] : theirs.indptr[col + 1]].tolist())
    ours_in_order = ours.indices[ours.indptr[row] : ours.indptr[row + 1]].tolist()
    return [c for c in ours_in_order if c in their_concepts][:MAX_TERMS]


@lru_cache(maxsize=65536)
def _terms(concepts: tuple[str, ...], language: str) -> str:
    return (", " if language == "en" else "、").join(label(c, language) for c in concepts)


def _complementarity_reasons(they_offer: tuple[str, ...], they_seek: tuple[str, ...]) -> tuple[Pair, ...]:
    reasons: list[Pair] = []
    if they_offer:
        reasons.append(
            (
                f"They offer what you seek ({_terms(they_offer, 'en')})",
                f"相手はあなたが求めるものを提供しています（{_terms(they_offer, 'ja')}）",
            )
        )
    if they_seek:
        reasons.append(
            (
                f"They seek what you offer ({_terms(they_seek, 'en')})",
                f"相手はあなたが提供するものを求めています（{_terms(they_seek, 'ja')}）",
            )
        )
    return tuple(reasons)


def _topic_reasons(shared: tuple[str, ...]) -> tuple[Pair, ...]:
    if not shared:
        return ()
    return ((f"Similar activities ({_terms(shared, 'en')})", f"事業内容が近い（{_terms(shared, 'ja')}）"),)


def _stage_label(stage: str, language: str) -> str:
    english, japanese = STAGES[stage]
    return japanese if language == "ja" else english[0].lower() + english[1:]


def _flow_reason(role_en: str, role_ja: str, mine: str, theirs: str) -> Pair:
    return (
        f"{role_en} for your {_stage_label(mine, 'en')} ({_stage_label(theirs, 'en')})",
        f"あなたの{_stage_label(mine, 'ja')}の{role_ja}（{_stage_label(theirs, 'ja')}）",
    )


@lru_cache(maxsize=4096)
def _stage_reasons(ours: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[Pair, ...]:
    reasons: list[Pair] = []
    for mine in ours:
        for other in theirs:
            if other in STAGE_FLOWS.get(mine, ()):
                reasons.append(_flow_reason("Downstream buyer", "川下の買い手", mine, other))
            if mine in STAGE_FLOWS.get(other, ()):
                reasons.append(_flow_reason("Upstream supplier", "川上の供給元", mine, other))
    if not reasons:
        same = [s for s in ours if s in theirs]
        reasons += [
            (
                f"Same value-chain stage ({_stage_label(s, 'en')})",
                f"同じバリューチェーン段階（{_stage_label(s, 'ja')}）",
            )
            for s in same
        ]
    return tuple(reasons[:2])


@lru_cache(maxsize=4096)
def _partnership_reasons(ours: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[Pair, ...]:
    return tuple(PARTNERSHIP_REASONS[(a, b)] for a in ours for b in theirs if (a, b) in PARTNERSHIP_REASONS)[:2]


def _material_label(material: str, language: str) -> str:
    if material in CONCEPTS:
        return label(material, language)
    english, japanese = MATERIALS.get(material, (material, material))
    return japanese if language == "ja" else english.lower()


SupplyKey = tuple[tuple[tuple[tuple[str, str], int], ...], frozenset[str], str]
"""(heavy dependencies ((material, source), share), materials supplied, country if it supplies)."""


def _supply_reasons(ours: SupplyKey, theirs: SupplyKey) -> tuple[Pair, ...]:
    (our_heavy, our_supplies, our_country), (their_heavy, their_supplies, their_country) = ours, theirs
    reasons: list[Pair] = []
    best = _best_dependency(our_heavy, their_supplies, their_country)
    if best:
        share, material = best
        reasons.append(
            (
                f"Would cut your {share}% dependence on one country for {_material_label(material, 'en')}",
                f"{_material_label(material, 'ja')}の一国への{share}%の依存を減らせます",
            )
        )
    best = _best_dependency(their_heavy, our_supplies, our_country)
    if best:
        share, material = best
        reasons.append(
            (
                f"You could cut their {share}% dependence on one country for {_material_label(material, 'en')}",
                f"相手の{_material_label(material, 'ja')}の一国への{share}%の依存をあなたが減らせます",
            )
        )
    return tuple(reasons)


def _best_dependency(
    heavy: tuple[tuple[tuple[str, str], int], ...], supplies: frozenset[str], country: str
) -> tuple[int, str] | None:
    """(share, material) of the largest dependency the supplier can relieve from outside that country."""
    options = [(share, material) for (material, source), share in heavy if material in supplies and source != country]
    return min(options, key=lambda o: (-o[0], o[1])) if options else None


@lru_cache(maxsize=256)
def _sector_reasons(ours: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[Pair, ...]:
    shared = [s for s in ours if s in theirs]
    return tuple((f"Same sector ({SECTORS[s][0].lower()})", f"同じ分野（{SECTORS[s][1]}）") for s in shared[:1])


_TYPE_REASONS: dict[str, Callable[[Any, Any], tuple[Pair, ...]]] = {
    "sector": _sector_reasons,
    "value_chain": _stage_reasons,
    "partnership": _partnership_reasons,
    "supply_security": _supply_reasons,
}
