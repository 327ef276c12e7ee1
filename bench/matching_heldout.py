"""Matching quality on a hand-written held-out corpus: the engine against plain TF-IDF.

Run: .venv/bin/python bench/matching_heldout.py [--corpus FILE] [--distractors 2000] [--seed 7] [--explain 5]
(several distractor counts in one run: --distractors 0 2000)

bench/data/heldout_firms.json holds 60 true EU-JP pairs (120 firms, ids 900001-900120) written
without reading the engine's glossary or the generator of bench/matching_quality.py, so its
wording is independent of both. EU firms write English; by "heldout_group", 15 pairs each:
en_en (both English), en_jp_english (the JP firm writes English as Japanese firms often do, with
its own terms), en_ja (the JP firm writes Japanese) and en_ja_paraphrase (Japanese, and one side's
offer only paraphrases the other's seek). Generated firms (companies.synthetic) are added as
distractors: candidates for every firm, not scored themselves.

--corpus picks another file of the same shape. bench/data/dev_firms.json is the development set
(60 more pairs, ids 910001-910120, written independently of both the glossary and the held-out
file): tune the engine and grow its glossary on it, and keep heldout_firms.json, the default, as
the untouched test set. Below, "held-out firms" means the firms of whichever corpus is run.

Prints recall@5, recall@10 and MRR (over the top 10) for the held-out firms only: overall, by the
languages of the pair (EN/EN, EN/JA), by heldout_group and by the sector both firms list
("cross-sector" when they share none), for the engine and the two TF-IDF baselines of
bench/matching_quality.py. --explain N shows the N pairs the engine ranks worst at the last
distractor count: the true partner's full rank both ways, its parts, and what came first.
"""

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.matching_quality import TOP, engine_rankings, metrics, pair_kind, tfidf_rankings  # noqa: E402
from companies.synthetic import generate_profiles  # noqa: E402  (after the path fix)
from companies.vocabulary import SECTORS  # noqa: E402
from matchmaking.engine import MatchSettings, Suggestion, prepare, profile_from_dict, score_block  # noqa: E402

CORPUS = ROOT / "bench" / "data" / "heldout_firms.json"
DEV_CORPUS = ROOT / "bench" / "data" / "dev_firms.json"
GROUPS = ("en_en", "en_jp_english", "en_ja", "en_ja_paraphrase")


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def with_distractors(heldout: Sequence[dict[str, Any]], count: int, seed: int) -> list[dict[str, Any]]:
    """The held-out firms plus `count` generated ones, whose true partners are dropped (not scored)."""
    distractors = generate_profiles(count, seed) if count else []
    first_id = min(f["id"] for f in heldout)  # 900001 held-out, 910001 dev: above every generated id
    if distractors and max(f["id"] for f in distractors) >= first_id:
        raise ValueError(f"generated ids reach {first_id}: they would clash with the corpus")
    return [*heldout, *({**f, "true_partner_id": None} for f in distractors)]


def pair_sector(firm: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> str:
    """The first sector (vocabulary order) both firms of the pair list, else "cross-sector"."""
    shared = set(firm["sectors"]) & set(by_id[firm["true_partner_id"]]["sectors"])
    return next((s for s in SECTORS if s in shared), "cross-sector")


def groups_of(heldout: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """All held-out firms; by languages of the pair; by how the pair was written; by sector."""
    by_id = {f["id"]: f for f in heldout}
    groups = {"all": list(heldout)}
    for kind in ("EN/EN", "EN/JA"):
        groups[kind] = [f for f in heldout if pair_kind(f, by_id) == kind]
    for group in GROUPS:
        groups[group] = [f for f in heldout if f["heldout_group"] == group]
    for sector in (*SECTORS, "cross-sector"):
        groups[sector] = [f for f in heldout if pair_sector(f, by_id) == sector]
    return groups


def run(heldout: Sequence[dict[str, Any]], count: int, seed: int) -> None:
    firms = with_distractors(heldout, count, seed)
    methods: dict[str, Callable[[], dict[int, list[int]]]] = {
        "engine": lambda: engine_rankings(firms),
        "tfidf words": lambda: tfidf_rankings(firms, TfidfVectorizer(sublinear_tf=True)),
        "tfidf char 2-4": lambda: tfidf_rankings(
            firms, TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        ),
    }
    groups = groups_of(heldout)
    print(f"\n{len(heldout)} held-out firms + {count} distractors (seed {seed}), top {TOP}")
    print(f"{'method':<16}{'pairs':<18}{'firms':>6}{'R@5':>8}{'R@10':>8}{'MRR':>8}{'seconds':>9}")
    mrr: dict[tuple[str, str], float] = {}
    for name, ranking in methods.items():
        started = time.perf_counter()
        ranked = ranking()
        seconds = time.perf_counter() - started
        for group, members in groups.items():
            r5, r10, mrr[(name, group)] = metrics(members, ranked)
            shown = f"{seconds:9.1f}" if group == "all" else ""
            print(f"{name:<16}{group:<18}{len(members):>6}{r5:>8.3f}{r10:>8.3f}{mrr[(name, group)]:>8.3f}{shown}")
    print("engine MRR / best baseline MRR:")
    for group in groups:
        best = max(mrr[(m, group)] for m in methods if m != "engine")
        print(f"  {group:<18}" + (f"{mrr[('engine', group)] / best:6.2f}x" if best else "   inf"))


def _parts(s: Suggestion) -> str:
    return " ".join(f"{part} {value:g}" for part, value in s.parts.items())


def explain(heldout: Sequence[dict[str, Any]], count: int, seed: int, worst: int) -> None:
    """The engine's full ranking for every held-out firm; the `worst` pairs by mean reciprocal rank."""
    firms = with_distractors(heldout, count, seed)
    profiles = [profile_from_dict(f) for f in firms]
    deepest = max(sum(p.side == side for p in profiles) for side in ("EU", "JP"))
    prepared = prepare(profiles, MatchSettings(top_k=deepest, min_score=0))
    found: dict[int, list[Suggestion]] = {f["id"]: [] for f in heldout}
    for s in score_block(prepared, list(found)):
        found[s.firm_id].append(s)
    by_id = {f["id"]: f for f in heldout}

    def partner_rank(firm_id: int) -> tuple[int, Suggestion]:
        partner = by_id[firm_id]["true_partner_id"]
        hit = next(s for s in found[firm_id] if s.partner_id == partner)
        return hit.rank, hit

    ranks = sorted(partner_rank(i)[0] for i in found)
    print(f"\nengine, full rank of the true partner ({len(heldout)} held-out firms, {count} distractors):")
    print(f"  median {ranks[len(ranks) // 2]}, worst {ranks[-1]}, beyond top {TOP}: {sum(r > TOP for r in ranks)}")
    pairs = [(f["id"], f["true_partner_id"]) for f in heldout if f["side"] == "EU"]
    pairs.sort(key=lambda p: (1 / partner_rank(p[0])[0] + 1 / partner_rank(p[1])[0], p[0]))
    print(f"the {worst} pairs ranked worst (ranks EU->JP and JP->EU; parts from each side; what came first):")
    for eu, jp in pairs[:worst]:
        print(f"  {eu}/{jp} {by_id[eu]['heldout_group']}")
        for firm_id in (eu, jp):
            rank, hit = partner_rank(firm_id)
            first = found[firm_id][0]
            kind = "held-out" if first.partner_id in by_id else "distractor"
            print(f"    {firm_id}: rank {rank}, score {hit.score:g} [{_parts(hit)}]")
            print(f"      first {first.partner_id} ({kind}), score {first.score:g} [{_parts(first)}]")
            print(f"      reasons: {' | '.join(hit.reasons[:2]) or '-'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        help=f"corpus file (default {CORPUS.relative_to(ROOT)}; dev set: {DEV_CORPUS.relative_to(ROOT)})",
    )
    parser.add_argument("--distractors", type=int, nargs="+", default=[2000], help="generated firms added")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated distractors")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="show the N pairs ranked worst")
    args = parser.parse_args()
    heldout = load_corpus(args.corpus)
    print(f"corpus: {args.corpus}")
    for count in args.distractors:
        run(heldout, count, args.seed)
    if args.explain:
        explain(heldout, args.distractors[-1], args.seed, args.explain)


if __name__ == "__main__":
    main()
