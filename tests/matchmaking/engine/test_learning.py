"""The learned ranking: queries, pairwise fit, pessimistic ranks, folds by firm (plain data)."""

import numpy as np

from matchmaking.engine.learning import (
    Evaluated,
    Fitted,
    LabelledPair,
    Query,
    TrainingSet,
    build_queries,
    cross_validate,
    fit_weights,
    fold_of_pairs,
    metrics,
    not_worse,
    rank_of,
    sliced,
    weighted_mrr,
)

from .conftest import make_profile

PARTS = ("signal", "noise")


def _query(positive: list[float], negatives: list[list[float]], *, firm: int = 1, name: str = "s") -> Query:
    return Query(
        set_name=name,
        firm_id=firm,
        partner_id=firm + 100,
        direction="EU->JP",
        tag="",
        positive=np.array(positive, dtype=np.float32),
        negatives=np.array(negatives, dtype=np.float32),
        negative_weights=np.ones(len(negatives)),
        weight=1.0,
    )


def _separable(count: int) -> list[Query]:
    """The partner always has the higher "signal"; "noise" favours a random candidate."""
    rng = np.random.default_rng(0)
    queries = []
    for firm in range(count):
        negatives = [[float(rng.uniform(0, 0.5)), float(rng.uniform(0, 1))] for _ in range(8)]
        queries.append(_query([float(rng.uniform(0.6, 1)), float(rng.uniform(0, 0.3))], negatives, firm=firm))
    return queries


def test_fit_weights_learns_the_part_that_ranks_partners_first() -> None:
    weights = fit_weights(_separable(30), PARTS)
    assert (weights["signal"] > 0.9, weights["noise"] < 0.1, round(sum(weights.values()), 3)) == (True, True, 1.0)


def test_fit_weights_never_negative() -> None:
    # "noise" is higher for the partner's rivals: its best weight is below 0, so it is held at 0.
    queries = [_query([1.0, 0.0], [[0.2, 1.0], [0.1, 0.9]], firm=f) for f in range(5)]
    assert fit_weights(queries, PARTS) == {"signal": 1.0, "noise": 0.0}


def test_rank_of_ties_count_against_the_partner() -> None:
    query = _query([0.5, 0.0], [[0.5, 0.0], [0.9, 0.0], [0.1, 0.0]])
    assert (rank_of(query, {"signal": 1.0}, PARTS), rank_of(query, {"noise": 1.0}, PARTS)) == (3, 4)


def test_fold_of_pairs_keeps_pairs_sharing_a_firm_together() -> None:
    folds = fold_of_pairs([(1, 2), (3, 4), (1, 5), (6, 7), (8, 5)], 2)
    assert folds == [1, 0, 1, 0, 1]


def test_metrics_exact() -> None:
    assert metrics([1, 2, 6, 20]) == {
        "queries": 4,
        "r5": 0.5,
        "r10": 0.75,
        "mrr": round((1 + 0.5 + 1 / 6 + 0.05) / 4, 3),
    }


def test_sliced_by_direction_and_tag() -> None:
    found = [
        Evaluated("a", "EU->JP", "biotech", 1),
        Evaluated("a", "JP->EU", "biotech", 2),
        Evaluated("b", "EU->JP", "", 1),
    ]
    assert sliced(found, "a") == {
        "overall": {"queries": 2, "r5": 1.0, "r10": 1.0, "mrr": 0.75},
        "EU->JP": {"queries": 1, "r5": 1.0, "r10": 1.0, "mrr": 1.0},
        "JP->EU": {"queries": 1, "r5": 1.0, "r10": 1.0, "mrr": 0.5},
        "biotech": {"queries": 2, "r5": 1.0, "r10": 1.0, "mrr": 0.75},
    }


def test_weighted_mrr_counts_each_query_by_its_weight() -> None:
    heavy, light = _query([1, 0], [[0, 0]]), _query([1, 0], [[0, 0]])
    light = Query(**{**light.__dict__, "weight": 3.0})
    assert weighted_mrr([heavy, light], [Evaluated("s", "", "", 1), Evaluated("s", "", "", 2)]) == 0.625


def _tiny_set() -> TrainingSet:
    profiles = (
        make_profile(1, "EU", description="Tantalum powder for capacitors.", offer="Tantalum powder."),
        make_profile(2, "EU", description="Cobalt refinery.", offer="Cobalt sulphate."),
        make_profile(3, "JP", description="Capacitor maker using tantalum.", seek="Tantalum powder."),
        make_profile(4, "JP", description="Cathode maker.", seek="Cobalt sulphate."),
        make_profile(5, "JP", description="Pharma company.", seek="Licences."),
    )
    pairs = (LabelledPair(1, 3, 1), LabelledPair(3, 1, 1), LabelledPair(1, 5, 0), LabelledPair(1, 4, 1))
    return TrainingSet("tiny", profiles, pairs)


def test_build_queries_candidates_exclude_other_partners_and_weigh_refusals() -> None:
    queries = build_queries([_tiny_set()], ("concepts", "sector"))
    first = queries[0]
    assert [(q.firm_id, q.partner_id, q.direction, len(q.negatives)) for q in queries] == [
        (1, 3, "EU->JP", 1),  # candidates 3 and 5: partner 4 is another true partner of firm 1
        (3, 1, "JP->EU", 1),
        (1, 4, "EU->JP", 1),
    ]
    assert (first.negative_weights.tolist(), first.positive[0] > first.negatives[0][0]) == ([3.0], True)


def test_cross_validate_ranks_every_query_once() -> None:
    queries = _separable(10)
    found = cross_validate(queries, PARTS, folds=5)
    assert [e.rank for e in found] == [1] * 10


def _fitted(score: float, current: float) -> Fitted:
    return Fitted({"signal": 1.0}, [], [], score, current)


def test_not_worse_keeps_a_new_model_only_when_every_weight_set_ranks_at_least_as_well() -> None:
    assert [
        not_worse({"weights": _fitted(0.70, 0.70)}),
        not_worse({"weights": _fitted(0.71, 0.70), "weights_embedding": _fitted(0.80, 0.75)}),
        not_worse({"weights": _fitted(0.69, 0.70)}),
        not_worse({"weights": _fitted(0.90, 0.70), "weights_embedding": _fitted(0.74, 0.75)}),
    ] == [True, True, False, False]
