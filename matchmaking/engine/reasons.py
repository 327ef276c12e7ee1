"""Reasons a person understands, from the viewpoint of the firm receiving the suggestion.

"You" is the firm that receives the suggestion, "they" the proposed partner. Each reason comes in
English and Japanese; reasons are ordered by how much their part adds to the score.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from companies.vocabulary import MATERIALS, SECTORS, STAGE_FLOWS, STAGES, sector_of_stage

from .glossary import CONCEPTS, label
from .records import PARTS, Profile
from .structure import heavy_dependencies, supplied_materials

if TYPE_CHECKING:
    from .core import Prepared
    from .text import TextFeatures

MAX_REASONS = 5
MAX_TERMS = 4
MIN_PART = 0.1
"""A part below this (0..1) is too weak to be given as a reason."""

Pair = tuple[str, str]

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
class FirmFacts:
    """What reasons need of one firm, worked out once per run (reasons are made for every suggestion)."""

    ranked: dict[str, tuple[str, ...]]
    """Field -> its concepts, rarest (most telling) first, then by id."""
    sets: dict[str, frozenset[str]]
    heavy: tuple[tuple[tuple[str, str], int], ...]
    """((material, source country), share percent) of heavy dependencies, sorted."""
    supplies: frozenset[str]
    sectors: tuple[str, ...]


def build_facts(profiles: Sequence[Profile], text: "TextFeatures", threshold: float) -> tuple[FirmFacts, ...]:
    idf = text.concept_idf
    facts = []
    for i, profile in enumerate(profiles):
        ranked = {
            name: tuple(sorted(concepts[i], key=lambda c: (-idf.get(c, 0.0), c)))
            for name, concepts in text.concepts.items()
        }
        facts.append(
            FirmFacts(
                ranked=ranked,
                sets={name: frozenset(found) for name, found in ranked.items()},
                heavy=tuple(sorted(heavy_dependencies(profile, threshold).items())),
                supplies=supplied_materials(profile, threshold),
                sectors=tuple(sorted({*profile.sectors, *(sector_of_stage(s) for s in profile.stages)})),
            )
        )
    return tuple(facts)


def explain(prepared: "Prepared", row: int, col: int, values: dict[str, float]) -> tuple[list[str], list[str]]:
    """Reasons (English, Japanese) why the firm at `col` suits the firm at `row`."""
    weights = prepared.settings.weights
    strong = [
        (-weights.get(name, 0.0) * values[name], i, name)
        for i, name in enumerate(PARTS)
        if values.get(name, 0.0) >= MIN_PART
    ]
    order = [name for _, _, name in sorted(strong)]
    per_part = [_REASONS[name](prepared, row, col) for name in order]
    # The strongest reason of each part first, then the others, so no part crowds out the rest.
    reasons = [found[0] for found in per_part if found] + [r for found in per_part for r in found[1:]]
    reasons = list(dict.fromkeys(reasons))[:MAX_REASONS]
    return [en for en, _ in reasons], [ja for _, ja in reasons]


def _shared(prepared: "Prepared", field_a: str, row: int, field_b: str, col: int) -> tuple[str, ...]:
    """Concepts in both fields, rarest first (most telling), then by id."""
    theirs = prepared.facts[col].sets[field_b]
    return tuple(c for c in prepared.facts[row].ranked[field_a] if c in theirs)[:MAX_TERMS]


@lru_cache(maxsize=65536)
def _terms(concepts: tuple[str, ...], language: str) -> str:
    return (", " if language == "en" else "、").join(label(c, language) for c in concepts)


def _complementarity(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    reasons: list[Pair] = []
    they_offer = _shared(prepared, "seek", row, "offer", col)
    if they_offer:
        reasons.append(
            (
                f"They offer what you seek ({_terms(they_offer, 'en')})",
                f"相手はあなたが求めるものを提供しています（{_terms(they_offer, 'ja')}）",
            )
        )
    they_seek = _shared(prepared, "offer", row, "seek", col)
    if they_seek:
        reasons.append(
            (
                f"They seek what you offer ({_terms(they_seek, 'en')})",
                f"相手はあなたが提供するものを求めています（{_terms(they_seek, 'ja')}）",
            )
        )
    return reasons


def _topic(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    shared = _shared(prepared, "topic", row, "topic", col)
    if not shared:
        return []
    return [(f"Similar activities ({_terms(shared, 'en')})", f"事業内容が近い（{_terms(shared, 'ja')}）")]


def _stage_label(stage: str, language: str) -> str:
    english, japanese = STAGES[stage]
    return japanese if language == "ja" else english[0].lower() + english[1:]


def _flow_reason(role_en: str, role_ja: str, mine: str, theirs: str) -> Pair:
    return (
        f"{role_en} for your {_stage_label(mine, 'en')} ({_stage_label(theirs, 'en')})",
        f"あなたの{_stage_label(mine, 'ja')}の{role_ja}（{_stage_label(theirs, 'ja')}）",
    )


def _value_chain(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    return list(_stage_reasons(prepared.profiles[row].stages, prepared.profiles[col].stages))


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


def _partnership(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    return list(
        _partnership_reasons(prepared.profiles[row].partnership_types, prepared.profiles[col].partnership_types)
    )


@lru_cache(maxsize=4096)
def _partnership_reasons(ours: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[Pair, ...]:
    return tuple(PARTNERSHIP_REASONS[(a, b)] for a in ours for b in theirs if (a, b) in PARTNERSHIP_REASONS)[:2]


def _material_label(material: str, language: str) -> str:
    if material in CONCEPTS:
        return label(material, language)
    english, japanese = MATERIALS.get(material, (material, material))
    return japanese if language == "ja" else english.lower()


def _supply_security(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    ours, theirs = prepared.facts[row], prepared.facts[col]
    our_country, their_country = prepared.profiles[row].country, prepared.profiles[col].country
    reasons: list[Pair] = []
    best = _best_dependency(ours.heavy, theirs.supplies, their_country)
    if best:
        share, material = best
        reasons.append(
            (
                f"Would cut your {share}% dependence on one country for {_material_label(material, 'en')}",
                f"{_material_label(material, 'ja')}の一国への{share}%の依存を減らせます",
            )
        )
    best = _best_dependency(theirs.heavy, ours.supplies, our_country)
    if best:
        share, material = best
        reasons.append(
            (
                f"You could cut their {share}% dependence on one country for {_material_label(material, 'en')}",
                f"相手の{_material_label(material, 'ja')}の一国への{share}%の依存をあなたが減らせます",
            )
        )
    return reasons


def _best_dependency(
    heavy: tuple[tuple[tuple[str, str], int], ...], supplies: frozenset[str], country: str
) -> tuple[int, str] | None:
    """(share, material) of the largest dependency the supplier can relieve from outside that country."""
    options = [(share, material) for (material, source), share in heavy if material in supplies and source != country]
    return min(options, key=lambda o: (-o[0], o[1])) if options else None


def _sector(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    return list(_sector_reasons(prepared.facts[row].sectors, prepared.facts[col].sectors))


@lru_cache(maxsize=256)
def _sector_reasons(ours: tuple[str, ...], theirs: tuple[str, ...]) -> tuple[Pair, ...]:
    shared = [s for s in ours if s in theirs]
    return tuple((f"Same sector ({SECTORS[s][0].lower()})", f"同じ分野（{SECTORS[s][1]}）") for s in shared[:1])


def _embedding(prepared: "Prepared", row: int, col: int) -> list[Pair]:
    return [("Your profiles are close in meaning", "プロフィールの内容が意味的に近い")]


_REASONS = {
    "complementarity": _complementarity,
    "topic": _topic,
    "sector": _sector,
    "value_chain": _value_chain,
    "partnership": _partnership,
    "supply_security": _supply_security,
    "embedding": _embedding,
}
