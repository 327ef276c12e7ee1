"""Reasons audit: how often the engine's reasons break the rules people trust them by.

Run: .venv/bin/python bench/matching_reasons.py [--distractors 2000] [--examples 3]

For every firm of each corpus, its top 5 suggestions (one reason list each), counted:
- contradictory: one list says both "Downstream buyer" and "Upstream supplier";
- trade claim without text: "They supply what you want to buy" / "They want to buy what you
  supply" with no shared terms of the seek and offer texts behind it, neither in its own brackets
  nor in an "offer/seek" line beside it (engine 1.2.0 said so from partnership types alone);
- "Same sector": lists with that line, and lists where it stands beside other lines (it should
  stand only when nothing better exists);
- shared rare terms: lists citing "You both mention" (the rarest terms both profiles use);
- generic only: lists whose only lines are "Same sector" or "Your profiles are close in meaning".

Corpora: bench/data/heldout_firms.json and dev_firms.json with generated distractors (coded fields
filled), and the real partners-dev corpus of ../shared/benchmarks/partners-dev (or
$KIZUNA_SHARED/benchmarks/partners-dev; read there, never copied; texts only, no coded fields
but the sector), once in English and once with the Japanese firms writing Japanese. --examples N
prints the reasons (English and Japanese) of the first N true pairs of each corpus.
"""

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.matching_heldout import CORPUS, DEV_CORPUS, load_corpus, with_distractors  # noqa: E402
from matchmaking.engine import MatchSettings, Suggestion, match, profile_from_dict  # noqa: E402

TOP = 5
SECTOR_CODES = {"minerals": "critical_minerals", "batteries": "batteries", "biotech": "biotech"}
GENERIC = ("Same sector", "Your profiles are close in meaning")


def partners_dev_dir() -> Path:
    shared = Path(os.environ.get("KIZUNA_SHARED", ROOT.parent / "shared"))
    return shared / "benchmarks" / "partners-dev"


def partners_dev(japanese: bool) -> list[dict[str, Any]] | None:
    """The real corpus as engine dicts (ids from 1 in file order), true partners from partnerships.json."""
    folder = partners_dev_dir()
    if not (folder / "firms.json").exists():
        return None
    firms = json.loads((folder / "firms.json").read_text(encoding="utf-8"))
    deals = json.loads((folder / "partnerships.json").read_text(encoding="utf-8"))
    number = {f["id"]: i + 1 for i, f in enumerate(firms)}
    partner = {number[d["eu_id"]]: number[d["jp_id"]] for d in deals}
    partner.update({jp: eu for eu, jp in list(partner.items())})
    out = []
    for f in firms:
        ja = japanese and f["side"] == "JP"
        suffix = "_ja" if ja else ""
        out.append({
            "id": number[f["id"]], "side": f["side"], "country": "JP" if f["side"] == "JP" else "DE",
            "sectors": sorted({SECTOR_CODES[s] for s in [f["sector"], *f["secondary_sectors"]] if s in SECTOR_CODES}),
            "description": f["description" + suffix], "offer": f["offers" + suffix], "seek": f["seeks" + suffix],
            "language": "ja" if ja else "en", "true_partner_id": partner.get(number[f["id"]]),
        })  # fmt: skip
    return out


def audit(name: str, firms: Sequence[dict[str, Any]], scored: set[int], examples: int) -> None:
    suggestions = match([profile_from_dict(f) for f in firms], MatchSettings(top_k=TOP, min_score=0))
    lists = [s for s in suggestions if s.firm_id in scored]
    counts = {
        "contradictory": sum(_has(s, "Downstream buyer") and _has(s, "Upstream supplier") for s in lists),
        "trade claim without text": sum(
            (_has(s, "They supply what you want to buy") and not _covered(s, "They supply what you want to buy ("))
            or (_has(s, "They want to buy what you supply") and not _covered(s, "They want to buy what you supply ("))
            for s in lists
        ),
        '"Same sector"': sum(_has(s, "Same sector") for s in lists),
        '"Same sector" beside others': sum(_has(s, "Same sector") and len(s.reasons) > 1 for s in lists),
        "shared rare terms cited": sum(_has(s, "You both mention") for s in lists),
        "generic only": sum(bool(s.reasons) and all(r.startswith(GENERIC) for r in s.reasons) for s in lists),
        "no reason": sum(not s.reasons for s in lists),
    }
    print(f"\n{name}: {len(lists)} top-{TOP} lists of {len(scored)} firms")
    for label, count in counts.items():
        print(f"  {label:<30}{count:>6}{count / max(len(lists), 1):>8.1%}")
    true_pairs = {f["id"]: f["true_partner_id"] for f in firms if f["id"] in scored and f.get("true_partner_id")}
    shown = [s for s in suggestions if true_pairs.get(s.firm_id) == s.partner_id][:examples]
    for s in shown:
        print(f"  {s.firm_id} -> {s.partner_id} (rank {s.rank}, score {s.score:g})")
        print("    en: " + (" | ".join(s.reasons) or "-"))
        print("    ja: " + (" | ".join(s.reasons_ja) or "-"))


def _has(suggestion: Suggestion, start: str) -> bool:
    return any(r.startswith(start) for r in suggestion.reasons)


def _covered(suggestion: Suggestion, fused: str) -> bool:
    """The trade claim names shared terms itself (engine 1.3), or an "offer/seek" line stands beside it (1.2)."""
    other = "They offer what you seek" if "supply what" in fused else "They seek what you offer"
    return _has(suggestion, fused) or _has(suggestion, other)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=2000, help="generated firms added to the bench corpora")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--examples", type=int, default=3, metavar="N")
    args = parser.parse_args()
    for path in (CORPUS, DEV_CORPUS):
        corpus = load_corpus(path)
        firms = with_distractors(corpus, args.distractors, args.seed)
        audit(f"{path.name} + {args.distractors} distractors", firms, {f["id"] for f in corpus}, args.examples)
    for japanese in (False, True):
        real = partners_dev(japanese)
        if real is None:
            print(f"\npartners-dev not found at {partners_dev_dir()}: skipped")
            break
        label = "partners-dev, Japanese firms in Japanese" if japanese else "partners-dev, English"
        audit(label, real, {f["id"] for f in real}, args.examples)


if __name__ == "__main__":
    main()
