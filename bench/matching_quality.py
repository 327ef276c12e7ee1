"""Matching quality on generated firms with known true partners: the engine against plain TF-IDF.

Run: .venv/bin/python bench/matching_quality.py [--count 2000] [--seed 7]

Prints recall@5, recall@10 and MRR (over the top 10) for the engine and two baselines (TF-IDF
cosine of the whole profile text, on words and on character n-grams), overall and by the
languages of the pair. Every method proposes only firms of the other side.
"""

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companies.synthetic import generate_profiles  # noqa: E402  (after the path fix)
from matchmaking.engine import MatchSettings, match, profile_from_dict  # noqa: E402

TOP = 10


def engine_rankings(firms: Sequence[dict[str, Any]]) -> dict[int, list[int]]:
    suggestions = match([profile_from_dict(f) for f in firms], MatchSettings(top_k=TOP, min_score=0))
    ranked: dict[int, list[int]] = {f["id"]: [] for f in firms}
    for s in suggestions:
        ranked[s.firm_id].append(s.partner_id)
    return ranked


def _full_text(firm: dict[str, Any]) -> str:
    return " ".join([firm["description"], firm["offer"], firm["seek"], " ".join(firm["keywords"])])


def tfidf_rankings(firms: Sequence[dict[str, Any]], vectorizer: TfidfVectorizer) -> dict[int, list[int]]:
    """Plain TF-IDF cosine over the whole text, other side only, ties to the lower id."""
    matrix = vectorizer.fit_transform([_full_text(f) for f in firms]).astype(np.float32)
    ids = np.array([f["id"] for f in firms])
    sides = np.array([f["side"] for f in firms])
    ranked: dict[int, list[int]] = {}
    for side in ("EU", "JP"):
        rows, cols = np.flatnonzero(sides == side), np.flatnonzero(sides != side)
        scores = (matrix[rows] @ matrix[cols].T).toarray()
        for r, row in enumerate(rows):
            order = np.lexsort((ids[cols], -scores[r]))[:TOP]
            ranked[int(ids[row])] = [int(ids[cols[c]]) for c in order]
    return ranked


def metrics(firms: Sequence[dict[str, Any]], ranked: dict[int, list[int]]) -> tuple[float, float, float]:
    hits5 = hits10 = reciprocal = 0.0
    for firm in firms:
        found = ranked[firm["id"]]
        rank = found.index(firm["true_partner_id"]) + 1 if firm["true_partner_id"] in found else 0
        hits5 += 0 < rank <= 5
        hits10 += 0 < rank <= 10
        reciprocal += 1 / rank if rank else 0.0
    n = max(len(firms), 1)
    return hits5 / n, hits10 / n, reciprocal / n


def pair_kind(firm: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> str:
    languages = {firm["language"], by_id[firm["true_partner_id"]]["language"]}
    if languages == {"en"}:
        return "EN/EN"
    if languages == {"en", "ja"}:
        return "EN/JA"
    return "with EN+JA"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    firms = [f for f in generate_profiles(args.count, args.seed) if f["true_partner_id"] is not None]
    by_id = {f["id"]: f for f in firms}
    methods: dict[str, Callable[[], dict[int, list[int]]]] = {
        "engine": lambda: engine_rankings(firms),
        "tfidf words": lambda: tfidf_rankings(firms, TfidfVectorizer(sublinear_tf=True)),
        "tfidf char 2-4": lambda: tfidf_rankings(
            firms, TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        ),
    }
    groups = {"all": firms}
    for kind in ("EN/EN", "EN/JA", "with EN+JA"):
        groups[kind] = [f for f in firms if pair_kind(f, by_id) == kind]
    print(f"{len(firms)} firms ({args.count} generated, seed {args.seed}), top {TOP}")
    print(f"{'method':<16}{'pairs':<12}{'firms':>6}{'R@5':>8}{'R@10':>8}{'MRR':>8}{'seconds':>9}")
    results: dict[tuple[str, str], tuple[float, float, float]] = {}
    for name, run in methods.items():
        started = time.perf_counter()
        ranked = run()
        seconds = time.perf_counter() - started
        for group, members in groups.items():
            r5, r10, mrr = results[(name, group)] = metrics(members, ranked)
            shown = f"{seconds:9.1f}" if group == "all" else ""
            print(f"{name:<16}{group:<12}{len(members):>6}{r5:>8.3f}{r10:>8.3f}{mrr:>8.3f}{shown}")
    print("\nengine / best baseline (MRR):")
    for group in groups:
        best = max(results[(m, group)][2] for m in methods if m != "engine")
        ratio = results[("engine", group)][2] / best if best else float("inf")
        print(f"  {group:<12}{ratio:6.2f}x")


if __name__ == "__main__":
    main()
