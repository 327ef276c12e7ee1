"""Learn the weights of the score's parts from labelled pairs, and measure rankings honestly.

The score stays a weighted mean of parts (0..100, fast to compute for every pair of a run); what is
learned is the weights. A pairwise logistic model (RankNet with a linear scorer) asks, for every
query firm, that its true partner scores above each other candidate of the other side; weights are
kept >= 0 so that every part still reads "more is better" in the reasons and the firm's view.

A query is one firm and one of its true partners; its candidates are every firm of the other side
but its other true partners (the filtered setting of the partners-dev evaluator). Ranks are
pessimistic: the partner is placed after every candidate with an equal score. Cross-validation
folds group pairs that share a firm, so a fold never trains on a pair whose firm it is tested on.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from .core import Prepared, part_arrays, prepare
from .embeddings import EmbeddingBackend
from .records import INTERACTIONS, PARTS, MatchSettings, Profile, term_parts

NEGATIVE_WEIGHT = 3.0
"""A candidate that the firm (or an admin) explicitly rejected counts this many times as a
negative: a refusal says more than a candidate nobody looked at."""
DEFAULT_L2 = 3e-4
"""Ridge penalty on the weights; chosen by cross-validation on the development data (docs)."""


@dataclass(frozen=True)
class LabelledPair:
    """One judged pair: label 1 for a true or accepted partner, 0 for an explicit refusal."""

    firm_id: int
    partner_id: int
    label: int
    weight: float = 1.0
    source: str = ""


@dataclass(frozen=True)
class TrainingSet:
    """Profiles and judged pairs of one source (a corpus, generated firms, a mission's feedback)."""

    name: str
    profiles: tuple[Profile, ...]
    pairs: tuple[LabelledPair, ...]
    weight: float = 1.0
    """How much the set's queries count in the loss, per query."""
    tags: Mapping[tuple[int, int], str] = field(default_factory=dict)
    """(firm id, partner id) -> a slice name for reports (e.g. the deal's sector)."""


@dataclass(frozen=True)
class Query:
    set_name: str
    firm_id: int
    partner_id: int
    direction: str
    tag: str
    positive: np.ndarray
    """(parts,) the partner's parts."""
    negatives: np.ndarray
    """(candidates, parts) every other candidate's parts."""
    negative_weights: np.ndarray
    weight: float


def _queries_of(training: TrainingSet, prepared: Prepared, terms: Sequence[str]) -> list[Query]:
    positives: dict[int, set[int]] = {}
    refused: dict[int, set[int]] = {}
    for pair in training.pairs:
        (positives if pair.label else refused).setdefault(pair.firm_id, set()).add(pair.partner_id)
    arrays = {side: _term_arrays(prepared, side, terms) for side in ("EU", "JP")}
    queries = []
    for pair in training.pairs:
        if not pair.label or pair.firm_id not in prepared.position or pair.partner_id not in prepared.position:
            continue
        row = prepared.position[pair.firm_id]
        side = prepared.profiles[row].side
        cols, values = arrays[side]
        r = int(np.searchsorted(prepared.members[side], row))
        ids = prepared.ids[cols]
        keep = ~np.isin(ids, list(positives[pair.firm_id] - {pair.partner_id}))
        target = ids == pair.partner_id
        if not target.any():
            continue
        others = keep & ~target
        weights = np.where(np.isin(ids[others], list(refused.get(pair.firm_id, ()))), NEGATIVE_WEIGHT, 1.0)
        queries.append(
            Query(
                set_name=training.name,
                firm_id=pair.firm_id,
                partner_id=pair.partner_id,
                direction=f"{side}->{'JP' if side == 'EU' else 'EU'}",
                tag=training.tags.get((pair.firm_id, pair.partner_id), ""),
                positive=values[r, target][0],
                negatives=values[r, others],
                negative_weights=weights,
                weight=training.weight * pair.weight,
            )
        )
    return queries


def _term_arrays(prepared: Prepared, side: str, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Like core.part_arrays, for terms: parts and products of parts (records.INTERACTIONS)."""
    parts = list(dict.fromkeys(part for term in terms for part in term_parts(term)))
    cols, values = part_arrays(prepared, side, parts)
    at = {name: k for k, name in enumerate(parts)}
    columns = [np.prod([values[..., at[p]] for p in term_parts(term)], axis=0) for term in terms]
    return cols, np.stack(columns, axis=-1).astype(np.float32)


def build_queries(
    sets: Iterable[TrainingSet], terms: Sequence[str], *, embedder: EmbeddingBackend | None = None
) -> list[Query]:
    """Every query of every set, with each candidate's terms (parts and products of parts, 0..1)
    computed by the engine."""
    parts = {part for term in terms for part in term_parts(term)}
    settings = MatchSettings(weights=dict.fromkeys(parts, 1.0))
    if embedder is not None:
        embedder = _Remembering(embedder)
    queries: list[Query] = []
    for training in sets:
        prepared = prepare(training.profiles, settings, embedder=embedder if "embedding" in parts else None)
        queries += _queries_of(training, prepared, terms)
    return queries


class _Remembering:
    """An embedding backend that encodes each distinct text once (variants of a corpus repeat them)."""

    def __init__(self, backend: EmbeddingBackend) -> None:
        self.backend, self.name = backend, backend.name
        self.known: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.known]
        if new:
            self.known.update(zip(new, np.asarray(self.backend.encode(new)), strict=True))
        return np.stack([self.known[t] for t in texts]) if texts else np.zeros((0, 0), dtype=np.float32)


def fit_weights(queries: Sequence[Query], parts: Sequence[str], *, l2: float = DEFAULT_L2) -> dict[str, float]:
    """Non-negative weights (summing to 1) that rank each query's partner above its other candidates:
    the mean over queries of the weighted mean logistic loss of (partner - candidate) . w."""
    diffs = np.concatenate([q.positive[None, :] - q.negatives for q in queries]).astype(np.float64)
    each = np.concatenate([q.negative_weights * q.weight / q.negative_weights.sum() for q in queries])
    each /= each.sum()
    # Parts spread over very different ranges (an embedding cosine moves by hundredths, a sector
    # part by whole units): the ridge penalty is applied to weights of parts scaled to one spread.
    spread = np.sqrt(each @ diffs**2)
    spread[spread == 0] = 1.0
    diffs = diffs / spread

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = diffs @ w
        value = float(each @ np.logaddexp(0.0, -margin)) + l2 * float(w @ w)
        slope = -(each / (1.0 + np.exp(margin))) @ diffs + 2 * l2 * w
        return value, slope

    found = minimize(loss, np.full(len(parts), 1.0), jac=True, method="L-BFGS-B", bounds=[(0, None)] * len(parts))
    weights = np.maximum(found.x, 0.0) / spread
    if weights.sum() <= 0:
        weights = np.ones(len(parts))
    # The score is the weighted mean: only the ratios matter, so they are stored summing to 1.
    return {name: round(float(w / weights.sum()), 4) for name, w in zip(parts, weights, strict=True)}


def rank_of(query: Query, weights: Mapping[str, float], parts: Sequence[str]) -> int:
    """1-based rank of the partner among the query's candidates, ties against it (pessimistic)."""
    w = np.array([weights.get(name, 0.0) for name in parts])
    target = float(query.positive @ w)
    return 1 + int(np.sum(query.negatives @ w >= target - 1e-9))


def fold_of_pairs(pairs: Sequence[tuple[int, int]], folds: int) -> list[int]:
    """A fold for each pair; pairs that share a firm (directly or through others) share a fold."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    components = sorted({root(a) for a, _ in pairs})
    fold = {component: i % folds for i, component in enumerate(components)}
    return [fold[root(a)] for a, _ in pairs]


@dataclass(frozen=True)
class Evaluated:
    """A query's rank, with what reports slice by."""

    set_name: str
    direction: str
    tag: str
    rank: int


def cross_validate(
    queries: Sequence[Query], parts: Sequence[str], *, folds: int = 5, l2: float = DEFAULT_L2
) -> list[Evaluated]:
    """Each query ranked by weights fitted without its fold (folds by firm, per set)."""
    fold = _query_folds(queries, folds)
    found: list[Evaluated | None] = [None] * len(queries)
    for f in range(folds):
        train = [q for q, k in zip(queries, fold, strict=True) if k != f]
        weights = fit_weights(train, parts, l2=l2)
        for i, q in enumerate(queries):
            if fold[i] == f:
                found[i] = Evaluated(q.set_name, q.direction, q.tag, rank_of(q, weights, parts))
    return [e for e in found if e is not None]


def _query_folds(queries: Sequence[Query], folds: int) -> list[int]:
    """Sets named "<group>:<variant>" (the same firms written in another language, say) share
    their folds, so no variant of a test pair is trained on."""
    fold: dict[tuple[str, int, int], int] = {}
    for group in dict.fromkeys(_group(q) for q in queries):
        pairs = sorted({_pair(q) for q in queries if _group(q) == group})
        for pair, k in zip(pairs, fold_of_pairs(pairs, folds), strict=True):
            fold[(group, *pair)] = k
    return [fold[(_group(q), *_pair(q))] for q in queries]


def _group(query: Query) -> str:
    return query.set_name.split(":", 1)[0]


def _pair(query: Query) -> tuple[int, int]:
    return (min(query.firm_id, query.partner_id), max(query.firm_id, query.partner_id))


def evaluate(queries: Sequence[Query], weights: Mapping[str, float], parts: Sequence[str]) -> list[Evaluated]:
    """Each query ranked by fixed weights (e.g. the current model's)."""
    return [Evaluated(q.set_name, q.direction, q.tag, rank_of(q, weights, parts)) for q in queries]


def metrics(ranks: Iterable[int]) -> dict[str, float]:
    """recall@5, recall@10 and MRR of 1-based ranks; zeros for no rank."""
    found = np.array(list(ranks), dtype=np.float64)
    if not len(found):
        return {"queries": 0, "r5": 0.0, "r10": 0.0, "mrr": 0.0}
    return {
        "queries": len(found),
        "r5": round(float(np.mean(found <= 5)), 3),
        "r10": round(float(np.mean(found <= 10)), 3),
        "mrr": round(float(np.mean(1.0 / found)), 3),
    }


def sliced(evaluated: Sequence[Evaluated], set_name: str) -> dict[str, dict[str, float]]:
    """Metrics of one set: overall, per direction and per tag."""
    mine = [e for e in evaluated if e.set_name == set_name]
    slices = {"overall": mine}
    for key in sorted({e.direction for e in mine}):
        slices[key] = [e for e in mine if e.direction == key]
    for key in sorted({e.tag for e in mine if e.tag}):
        slices[key] = [e for e in mine if e.tag == key]
    return {name: metrics(e.rank for e in chosen) for name, chosen in slices.items()}


def learnable_parts(*, embeddings: bool) -> tuple[str, ...]:
    """The terms a model weighs: the parts (all but the embedding unless embeddings are on), then
    the products of records.INTERACTIONS."""
    return tuple(name for name in PARTS if embeddings or name != "embedding") + INTERACTIONS


def weighted_mrr(queries: Sequence[Query], evaluated: Sequence[Evaluated]) -> float:
    """Mean reciprocal rank over queries, each counted with its weight: what a retrain must not lower."""
    weights = np.array([q.weight for q in queries], dtype=np.float64)
    reciprocal = np.array([1.0 / e.rank for e in evaluated], dtype=np.float64)
    return round(float(weights @ reciprocal / weights.sum()), 4) if len(weights) else 0.0


@dataclass(frozen=True)
class Fitted:
    """One weight set: learned on all queries, with its cross-validated ranks and the current
    model's ranks on the same queries."""

    weights: dict[str, float]
    cross_validated: list[Evaluated]
    current: list[Evaluated]
    score: float
    """weighted_mrr of the cross-validated ranks."""
    current_score: float


def fit_and_compare(
    queries: Sequence[Query], parts: Sequence[str], current: Mapping[str, float], *, l2: float = DEFAULT_L2
) -> Fitted:
    evaluated = cross_validate(queries, parts, l2=l2)
    now = evaluate(queries, current, parts)
    return Fitted(
        fit_weights(queries, parts, l2=l2),
        evaluated,
        now,
        weighted_mrr(queries, evaluated),
        weighted_mrr(queries, now),
    )


def report_of(fitted: Fitted, sets: Sequence[TrainingSet]) -> dict[str, object]:
    """What a model file records of a fit: per set and slice, the cross-validated metrics of the
    new weights and the metrics of the current ones, and the two weighted MRRs."""
    names = list(dict.fromkeys(s.name for s in sets))
    return {
        "score": fitted.score,
        "current_score": fitted.current_score,
        "cross_validated": {name: sliced(fitted.cross_validated, name) for name in names},
        "current": {name: sliced(fitted.current, name) for name in names},
    }


def not_worse(fits: Mapping[str, Fitted]) -> bool:
    """A retrained model replaces the current one only when each of its weight sets ranks at least
    as well (cross-validated) as the current one's on the same queries."""
    return all(fit.score >= fit.current_score for fit in fits.values())
