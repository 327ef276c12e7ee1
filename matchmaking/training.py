"""The data a ranking model learns from, gathered into engine TrainingSets (no Django here).

Sources, each a TrainingSet with a weight per query (docs/matching.md, "The learned ranking"):
- the partners-dev corpus of real EU–JP deals (read where it lies, never copied): English
  profiles with ticked codes, the same with Japanese firms writing Japanese, and texts only;
- bench/data/dev_firms.json: 60 pairs our team wrote independently of the glossary (the held-out
  file beside it stays untouched: it is the test set);
- generated firms (companies.synthetic) with known partners;
- the platform's own feedback, gathered by matchmaking.selectors.feedback_training_set.
"""

import json
from pathlib import Path

from companies.synthetic import generate_profiles
from matchmaking.engine import profile_from_dict
from matchmaking.engine.corpus import load_partner_corpus
from matchmaking.engine.learning import LabelledPair, TrainingSet

ROOT = Path(__file__).resolve().parent.parent
PARTNERS_DEV = ROOT.parent / "shared" / "benchmarks" / "partners-dev"
TEAM_DEV = ROOT / "bench" / "data" / "dev_firms.json"

SET_WEIGHTS = {"partners-dev": 1.0, "team-dev": 0.25, "generated": 1.0}
"""Per-query weight of each source: real deals count most; chosen by cross-validation (docs)."""
GENERATED_FIRMS = 300
VARIANTS = {
    "en": {"japanese": False, "codes": True},  # English texts and the codes a firm would tick
    "texts": {"japanese": False, "codes": False},  # a firm that skipped the coded fields
    "ja": {"japanese": True, "codes": True},  # Japanese firms writing Japanese
}


def partner_corpus_sets(folder: Path = PARTNERS_DEV) -> list[TrainingSet]:
    """One set per variant of a partners-dev style corpus, named "<folder>:<variant>" (variants of
    one corpus share cross-validation folds); pairs tagged with the deal's sector."""
    sets = []
    for variant, options in VARIANTS.items():
        corpus = load_partner_corpus(folder, **options)
        pairs, tags = [], {}
        for (eu, jp), sector in zip(corpus.pairs, corpus.sectors, strict=True):
            for firm, partner in ((eu, jp), (jp, eu)):
                pairs.append(LabelledPair(firm, partner, 1, source=folder.name))
                tags[(firm, partner)] = sector
        name = f"{folder.name}:{variant}"
        sets.append(TrainingSet(name, corpus.profiles, tuple(pairs), SET_WEIGHTS["partners-dev"], tags))
    return sets


def paired_firms_set(name: str, firms: list[dict], weight: float) -> TrainingSet:
    """Firms given as dicts with "true_partner_id" (generated or team-written), both directions."""
    pairs = tuple(
        LabelledPair(int(f["id"]), int(f["true_partner_id"]), 1, source=name) for f in firms if f.get("true_partner_id")
    )
    return TrainingSet(name, tuple(profile_from_dict(f) for f in firms), pairs, weight)


def default_sets(*, partners: Path | None = PARTNERS_DEV) -> list[TrainingSet]:
    """Every source but feedback; the partners corpus only where its folder exists."""
    sets = []
    if partners is not None and (partners / "firms.json").exists():
        sets += partner_corpus_sets(partners)
    team = json.loads(TEAM_DEV.read_text(encoding="utf-8"))
    sets.append(paired_firms_set("team-dev", team, SET_WEIGHTS["team-dev"]))
    sets.append(paired_firms_set("generated", generate_profiles(GENERATED_FIRMS, seed=3), SET_WEIGHTS["generated"]))
    return sets
