"""Matching quality on real, documented EU–JP partnerships: the learned ranking against plain TF-IDF.

Run: .venv/bin/python bench/matching_partners.py [--corpus ../shared/benchmarks/partners-dev] [--embeddings]

The corpus (firms.json, partnerships.json; read where it lies, never copied into the repo) is
ranked as its own evaluator ranks it: every deal gives two queries (each firm looks for its
partner among all firms of the other side, its other documented partners removed), ties
pessimistic; recall@5, recall@10 and MRR, overall, per direction and per sector of the deal.
Profiles: "en" English texts with the codes a firm would tick (matchmaking.engine.corpus), "texts"
the same without codes, "ja" Japanese firms writing Japanese.

Methods:
- tfidf: the evaluator's baseline (TF-IDF of description + offers + seeks, English stop words,
  uni- and bigrams, sublinear tf), for each variant's texts;
- engine 1.2.0 shares: the hand-set weights of engine 1.2.0 on today's parts;
- shipped model: matchmaking/engine/ranker.json (trained on this corpus: optimistic);
- learned (cross-validated): the training of `match_train` (every source of
  matchmaking.training), each fold's weights fitted without the pairs of its test firms: the
  honest figure. With --embeddings, the same with the bundled sentence-embedding model.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaking.engine import DEFAULT_WEIGHTS, EMBEDDING_WEIGHTS, backend_from_setting  # noqa: E402
from matchmaking.engine.corpus import load_partner_corpus  # noqa: E402
from matchmaking.engine.learning import (  # noqa: E402
    Evaluated,
    Query,
    build_queries,
    cross_validate,
    evaluate,
    learnable_parts,
    sliced,
)
from matchmaking.training import PARTNERS_DEV, default_sets  # noqa: E402

ENGINE_1_2_SHARES = {
    "complementarity": 0.35, "topic": 0.10, "sector": 0.05, "value_chain": 0.20, "partnership": 0.15,
    "supply_security": 0.15,
}  # fmt: skip
SLICES = ("overall", "EU->JP", "JP->EU", "batteries", "biotech", "minerals")


def tfidf_ranks(folder: Path, variant: str) -> list[Evaluated]:
    """The evaluator's TF-IDF baseline on one variant's texts, as Evaluated ranks."""
    corpus = load_partner_corpus(folder, japanese=variant == "ja", codes=False)
    texts = [" ".join([p.description, p.offer, p.seek]) for p in corpus.profiles]
    matrix = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    similarity = (matrix @ matrix.T).toarray()
    partners: dict[int, set[int]] = {}
    for eu, jp in corpus.pairs:
        partners.setdefault(eu, set()).add(jp)
        partners.setdefault(jp, set()).add(eu)
    side = {p.id: p.side for p in corpus.profiles}
    found = []
    for (eu, jp), sector in zip(corpus.pairs, corpus.sectors, strict=True):
        for firm, partner in ((eu, jp), (jp, eu)):
            candidates = [
                p.id for p in corpus.profiles if p.side != side[firm] and p.id not in partners[firm] - {partner}
            ]
            scores = similarity[firm - 1, np.array(candidates) - 1]
            rank = int(np.sum(scores >= similarity[firm - 1, partner - 1] - 1e-12))
            found.append(Evaluated(variant, f"{side[firm]}->{side[partner]}", sector, rank))
    return found


def _row(label: str, evaluated: Sequence[Evaluated], set_name: str) -> str:
    found = sliced(evaluated, set_name)
    cells = [f"{found[s]['r5']:.3f} / {found[s]['mrr']:.3f}" if s in found else "-" for s in SLICES]
    return f"| {label} | " + " | ".join(cells) + " |"


def _variant_queries(queries: list[Query], set_name: str) -> list[Query]:
    return [q for q in queries if q.set_name == set_name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PARTNERS_DEV)
    parser.add_argument("--embeddings", action="store_true", help="Also the model with the bundled embeddings.")
    args = parser.parse_args()
    if not (args.corpus / "firms.json").exists():
        sys.exit(f"no corpus at {args.corpus} (firms.json, partnerships.json)")
    name = args.corpus.name
    variants = ("en", "texts", "ja")  # matchmaking.training.VARIANTS
    sets = default_sets(partners=args.corpus)
    text_parts = learnable_parts(embeddings=False)
    queries = build_queries(sets, text_parts)
    learned = cross_validate(queries, text_parts)
    runs = {"text": (queries, learned, text_parts, DEFAULT_WEIGHTS)}
    if args.embeddings:
        parts = learnable_parts(embeddings=True)
        with_embeddings = build_queries(sets, parts, embedder=backend_from_setting("bundled"))
        runs["embeddings"] = (with_embeddings, cross_validate(with_embeddings, parts), parts, EMBEDDING_WEIGHTS)
    print("cells: recall@5 / MRR; queries per slice: overall 2 per deal")
    print("| method | " + " | ".join(SLICES) + " |")
    print("|---" * (len(SLICES) + 1) + "|")
    for variant in variants:
        set_name = f"{name}:{variant}"
        baseline = tfidf_ranks(args.corpus, variant)
        print(_row(f"{variant}: plain TF-IDF", baseline, variant))
        mine = _variant_queries(queries, set_name)
        print(_row(f"{variant}: engine 1.2.0 shares", evaluate(mine, ENGINE_1_2_SHARES, text_parts), set_name))
        for key, (found_queries, cross, parts, shipped) in runs.items():
            mine = _variant_queries(found_queries, set_name)
            print(_row(f"{variant}: shipped model, {key} (in-sample)", evaluate(mine, shipped, parts), set_name))
            print(_row(f"{variant}: learned, {key} (cross-validated)", cross, set_name))


if __name__ == "__main__":
    main()
