"""Reasons a person can trust, from the viewpoint of the firm receiving the suggestion.

"You" is the firm that receives the suggestion, "they" the proposed partner. Each reason is a fact
of the pair, in English and Japanese, written from what both profiles say (shared terms, value-chain
stages, partnership types, supply dependencies), not from the score's parts, so a part the engine
adds or reweighs changes no sentence. The rules (docs/matching.md, "Reasons"):

1. Never contradictory: one value-chain line per pair; when each can sell to the other, one line
   says both.
2. Each line true of the pair: "They offer what you seek (…)" names terms the firm's seek text and
   the partner's offer text share; "They supply what you want to buy (…)" needs that too, besides
   the partnership types; types alone give a line saying only what the types are.
3. Distinctive shared terms cited: the rarest terms both profiles use (glossary concepts and the
   words the glossary does not know), rarest first.
4. Generic lines: "Similar activities (…)" only without any line on shared terms, "Same sector"
   only when no other line exists.
5. Order: offer/seek lines naming distinctive terms, supply-security lines, other offer/seek
   lines, shared rare terms, value chain, partnership types, then the generic lines (_RANK); at
   most MAX_REASONS.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from companies.vocabulary import MATERIALS, SECTORS, STAGE_FLOWS, STAGES

from .glossary import CONCEPTS, label
from .text import FIELDS

if TYPE_CHECKING:
    from .core import Prepared
    from .text import TextFeatures

MAX_REASONS = 5
MAX_TERMS = 4
MIN_PART = 0.1
"""The embedding part (0..1) from which "Your profiles are close in meaning" is said: the one
reason that is a score, not a fact of the profiles."""
DISTINCTIVE_SHARE = 0.05
"""A term is distinctive when at most this share of the run's firms use it (and always when only
two do): "allergy" or "tantalum", not "batteries" in a battery run. A word the glossary does not
know must also not be a common word (COMMON_ZIPF); glossary concepts are chosen domain terms
("copper" is common English but telling between two firms)."""

Pair = tuple[str, str]

EMBEDDING_REASON: Pair = ("Your profiles are close in meaning", "プロフィールの内容が意味的に近い")

# Reasons of one pair, in the order of these slots; a slot holds one line or none.
SLOTS = (
    "offer", "seek", "supply_1", "supply_2", "mention", "value_chain",
    "partnership_1", "partnership_2", "topic", "embedding", "sector",
)  # fmt: skip
_SLOT = {name: i for i, name in enumerate(SLOTS)}
# Rank of each slot's line (lower first; equal ranks keep the slot order): trade and offer/seek
# lines naming a distinctive term (0), cutting a dependency (1), offer/seek lines on common terms
# only (2), shared rare terms (3), value chain (4), partnership types (5), similar activities (6),
# closeness in meaning (7), same sector (8).
_RANK = np.array([2, 2, 1, 1, 3, 4, 5, 5, 6, 7, 8], dtype=np.int64)
_DISTINCTIVE_TEXT = 0
"""Rank of an offer/seek line that names a distinctive term."""

# (your partnership type, theirs) -> what the two declared types are, in English and Japanese.
PARTNERSHIP_REASONS: dict[Pair, Pair] = {
    ("supply", "purchase"): ("They want to buy and you want to supply", "相手は購入を、あなたは供給を希望しています"),
    ("purchase", "supply"): ("They want to supply and you want to buy", "相手は供給を、あなたは購入を希望しています"),
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
    ("distribution", "supply"): (
        "They want to supply and you want to distribute",
        "相手は供給を、あなたは販売代理を希望しています",
    ),
    ("supply", "distribution"): (
        "They want to distribute and you want to supply",
        "相手は販売代理を、あなたは供給を希望しています",
    ),
}
THEY_SUPPLY = ("purchase", "supply")
"""The types with which "They supply what you want to buy (…)" replaces "They offer what you seek (…)"."""
THEY_BUY = ("supply", "purchase")
DEALINGS = frozenset(
    {
        "quality", "supply", "offtake", "purchase", "long_term", "contract", "volume", "investment",
        "joint_venture", "rnd", "licensing", "tech_transfer", "distribution", "joint_procurement",
        "partner", "market_entry", "pilot", "scale_up", "upstream", "downstream", "certification",
        "trading", "japan", "europe", "asia",
    }
)  # fmt: skip
"""Glossary concepts about how or where firms deal, not what they make: "They supply what you want
to buy (…)" needs a shared term besides these ("Europe" alone is no product)."""

_NAMEABLE = re.compile(r"[a-z\u00c0-\u024f]{4,}|[\u30a0-\u30ff]{3,}")
"""Residue words a reason may name: latin words of 4 letters or more, katakana words of 3 or more.
Kanji residue is cut into bigrams (text.py), which are often not words, so it is never named."""
_KATAKANA = re.compile(r"[\u30a0-\u30ff]+")
COMMON_ZIPF = 4.0
"""A residue word this frequent in general English (or Japanese, for katakana) is never named,
however rare in the run: Zipf frequency (log10 of uses per billion words) from wordfreq's "small"
lists; "outside", "process", "grade" (4.8-5.3) are dropped, "foil" (3.8), "allergy" (3.6),
"tantalum" (below 1) kept. A run of a few dozen firms cannot tell these apart by its own IDF."""


@dataclass(frozen=True)
class ReasonFacts:
    """What reasons need of the firms, worked out once per run."""

    terms: tuple[str, ...]
    """Every nameable term of the run: glossary concepts, and the distinctive words the glossary does
    not know; rarest (most telling) first, then by name."""
    labels: tuple[tuple[str, ...], tuple[str, ...]]
    """(English labels, Japanese labels) of the terms: a concept's label, or the word itself."""
    distinctive: int
    """terms[:distinctive] are distinctive (see DISTINCTIVE_SHARE)."""
    fields: dict[str, sp.csr_matrix]
    """Field -> (firms x terms) 1 where the firm's field uses the term; indices sorted, so a row
    lists its terms rarest first and the shared terms of two firms come out in order."""
    profile: sp.csr_matrix
    """(firms x distinctive terms) 1 where any field of the firm uses the term, DEALINGS left out."""
    goods: np.ndarray
    """(terms,) bool: the term names something firms make or trade (not one of DEALINGS)."""


def build_reason_facts(text: "TextFeatures") -> ReasonFacts:
    """Terms from the nonzero columns of the field matrices (no second pass over the texts): the
    concept columns, then the residue columns, each block led by one empty column (text.py)."""
    concepts, words = list(text.concept_idf), list(text.residue_idf)
    matrices = {name: text.matrices[name] for name in FIELDS}  # not the whole-profile ones
    firms, width = next(iter(matrices.values())).shape
    if width != len(concepts) + len(words) + 2:
        raise ValueError(f"text features have {width} columns, expected {len(concepts) + len(words) + 2}")
    most = max(2, math.floor(DISTINCTIVE_SHARE * firms))
    least_idf = math.log((1 + firms) / (1 + most)) + 1 - 1e-5  # sklearn's smoothed IDF at `most` firms (float32)
    # (0 if distinctive else 1, -idf, name, column): rarest first, so the distinctive ones lead.
    candidates = [(int(idf < least_idf), -idf, c, 1 + i) for i, (c, idf) in enumerate(text.concept_idf.items())]
    candidates += [
        (0, -idf, w, len(concepts) + 2 + i)
        for i, (w, idf) in enumerate(text.residue_idf.items())
        if idf >= least_idf and _NAMEABLE.fullmatch(w) and not _common(w)
    ]
    candidates.sort()
    column_term = np.full(width, -1, dtype=np.int64)
    column_term[[column for *_, column in candidates]] = np.arange(len(candidates))
    terms = tuple(name for _, _, name, _ in candidates)
    distinctive = sum(not common for common, *_ in candidates)
    labels = tuple(tuple(label(t, lang) if t in CONCEPTS else t for t in terms) for lang in ("en", "ja"))
    fields = {name: _terms_matrix(matrix, column_term, len(terms)) for name, matrix in matrices.items()}
    union = sum(fields.values(), sp.csr_matrix((firms, len(terms)), dtype=np.int8))
    goods = np.array([t not in DEALINGS for t in terms], dtype=bool)
    # "You both mention" names distinctive terms of what firms make or work on, not how they deal.
    mentioned = np.where((np.arange(len(terms)) < distinctive) & goods, np.arange(len(terms)), -1)
    profile = _terms_matrix(union, mentioned, distinctive)
    return ReasonFacts(terms, (labels[0], labels[1]), distinctive, fields, profile, goods)


def _common(word: str) -> bool:
    """A common word (COMMON_ZIPF), or an adverb made of one ("ideally", "largely", "readily")."""
    frequencies = _frequencies("ja" if _KATAKANA.fullmatch(word) else "en")
    stems = [word]
    if word.endswith("ly"):
        stems += [word[:-2], word[:-3] + "y", word[:-1] + "e"]  # ideal-ly, read-ily, prefer-ably
    return any(frequencies.get(stem, 0.0) >= 10.0 ** (COMMON_ZIPF - 9) for stem in stems)


@lru_cache(maxsize=2)
def _frequencies(language: str) -> dict[str, float]:
    """Word -> share of words in general text (wordfreq's small list, 0.2-0.3 s to load, once per process)."""
    from wordfreq import get_frequency_dict  # only where reasons are built: it loads a word list

    return get_frequency_dict(language, wordlist="small")


def _terms_matrix(matrix: sp.csr_matrix, column_term: np.ndarray, count: int) -> sp.csr_matrix:
    """(rows x count) int8, 1 where a row has a nonzero in a column mapped to that term (-1: none)."""
    matrix = matrix.tocsr()
    mapped = column_term[matrix.indices]
    kept = mapped >= 0
    at = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[kept]
    result = sp.csr_matrix((np.ones(len(at), dtype=np.int8), (at, mapped[kept])), shape=(matrix.shape[0], count))
    result.sort_indices()
    return result


# --- One pair, written plainly -------------------------------------------------------------------


def explain(prepared: "Prepared", row: int, col: int, values: dict[str, float]) -> tuple[list[str], list[str]]:
    """Reasons (English, Japanese) why the firm at `col` suits the firm at `row`: one pair, written
    plainly (explain_pairs gives the same reasons for many pairs at once; a test holds them equal).
    `values` holds the pair's parts (0..1); only "embedding" is read, unknown parts are ignored."""
    facts, types = prepared.reasons, prepared.structure.types

    def key(part: str, at: int) -> Any:
        return types[part].keys[types[part].ids[at]]

    ours, theirs = key("partnership", row), key("partnership", col)
    offer = _shared(facts.fields["seek"], row, facts.fields["offer"], col)
    seek = _shared(facts.fields["offer"], row, facts.fields["seek"], col)
    they_supply, they_buy = (
        any(facts.goods[t] for t in offer) and _fits(ours, theirs, THEY_SUPPLY),
        any(facts.goods[t] for t in seek) and _fits(ours, theirs, THEY_BUY),
    )
    slots: dict[str, Pair | None] = dict.fromkeys(SLOTS)
    slots["offer"] = _offer_line(_named(facts, offer), they_supply) if offer else None
    slots["seek"] = _seek_line(_named(facts, seek), they_buy) if seek else None
    supply = _supply_reasons(key("supply_security", row), key("supply_security", col))
    slots["supply_1"], slots["supply_2"] = (*supply, None, None)[:2]
    mention = _shared(facts.profile, row, facts.profile, col, exclude=frozenset([*offer, *seek]))
    slots["mention"] = _mention_line(_named(facts, mention)) if mention else None
    slots["value_chain"] = _stage_reason(key("value_chain", row), key("value_chain", col))
    partnership = _partnership_reasons(ours, theirs, they_supply, they_buy)
    slots["partnership_1"], slots["partnership_2"] = (*partnership, None, None)[:2]
    if not (offer or seek or mention):
        topic = _shared(facts.fields["topic"], row, facts.fields["topic"], col)
        slots["topic"] = _topic_line(_named(facts, topic)) if topic else None
    if values.get("embedding", 0.0) >= MIN_PART:
        slots["embedding"] = EMBEDDING_REASON
    if not any(slots.values()):
        slots["sector"] = _sector_reason(key("sector", row), key("sector", col))
    ranks = _RANK.copy()
    for name, found in (("offer", offer), ("seek", seek)):
        if any(t < facts.distinctive for t in found):
            ranks[_SLOT[name]] = _DISTINCTIVE_TEXT
    order = sorted((int(ranks[i]), i) for i, name in enumerate(SLOTS) if slots[name] is not None)
    reasons = list(dict.fromkeys(line for _, i in order if (line := slots[SLOTS[i]]) is not None))[:MAX_REASONS]
    return [en for en, _ in reasons], [ja for _, ja in reasons]


def _shared(
    ours: sp.csr_matrix, row: int, theirs: sp.csr_matrix, col: int, exclude: frozenset[int] = frozenset()
) -> list[int]:
    """The first MAX_TERMS terms (rarest first) in both rows, less `exclude`."""
    their_terms = set(theirs.indices[theirs.indptr[col] : theirs.indptr[col + 1]].tolist()) - exclude
    our_terms = ours.indices[ours.indptr[row] : ours.indptr[row + 1]].tolist()
    return [t for t in our_terms if t in their_terms][:MAX_TERMS]


def _named(facts: ReasonFacts, found: Sequence[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(facts.labels[0][t] for t in found), tuple(facts.labels[1][t] for t in found)


# --- Many pairs at once --------------------------------------------------------------------------


def explain_pairs(
    prepared: "Prepared", rows: np.ndarray, cols: np.ndarray, values: dict[str, np.ndarray]
) -> tuple[list[list[str]], list[list[str]]]:
    """Reasons (English lists, Japanese lists) why the firm at cols[i] suits the firm at rows[i].

    The rules are those of explain, for many pairs: every distinct ingredient (a tuple of shared
    terms, a pair of firm types) is written once, in both languages, and each pair's reasons are
    picked by number in numpy; only the final lists are made per pair. `values` holds each part
    (0..1) of every pair; only "embedding" is read.
    """
    if len(rows) == 0:
        return [], []
    facts, table = prepared.reasons, _ReasonTable()
    slots = np.full((len(rows), len(SLOTS)), -1, dtype=np.int64)
    partnership = _TypePairs(prepared, "partnership", rows, cols)
    offer = _shared_ids(facts.fields["seek"], facts.fields["offer"], rows, cols)
    seek = _shared_ids(facts.fields["offer"], facts.fields["seek"], rows, cols)
    goods = np.append(facts.goods, False)  # index -1 (no term) is no good
    they_supply = partnership.flags(lambda ours, theirs: _fits(ours, theirs, THEY_SUPPLY)) & goods[offer].any(axis=1)
    they_buy = partnership.flags(lambda ours, theirs: _fits(ours, theirs, THEY_BUY)) & goods[seek].any(axis=1)
    slots[:, _SLOT["offer"]] = _term_line_ids(facts, table, offer, they_supply, _offer_line)
    slots[:, _SLOT["seek"]] = _term_line_ids(facts, table, seek, they_buy, _seek_line)
    slots[:, _SLOT["supply_1"]] = _supply_line_ids(prepared, table, rows, cols, they_help=True)
    slots[:, _SLOT["supply_2"]] = _supply_line_ids(prepared, table, rows, cols, they_help=False)
    mention = _shared_ids(facts.profile, facts.profile, rows, cols, exclude=np.hstack([offer, seek]))
    slots[:, _SLOT["mention"]] = _term_line_ids(facts, table, mention, None, lambda named, _: _mention_line(named))
    stage = _TypePairs(prepared, "value_chain", rows, cols).lines(table, lambda a, b: (_stage_reason(a, b),), 1)
    slots[:, _SLOT["value_chain"]] = stage[:, 0]
    slots[:, [_SLOT["partnership_1"], _SLOT["partnership_2"]]] = partnership.lines(
        table, _partnership_reasons, 2, they_supply, they_buy
    )
    untold = (offer[:, 0] < 0) & (seek[:, 0] < 0) & (mention[:, 0] < 0)
    if untold.any():
        topic = _shared_ids(facts.fields["topic"], facts.fields["topic"], rows[untold], cols[untold])
        slots[untold, _SLOT["topic"]] = _term_line_ids(facts, table, topic, None, lambda named, _: _topic_line(named))
    if "embedding" in values:
        close = np.asarray(values["embedding"], dtype=np.float64) >= MIN_PART
        slots[close, _SLOT["embedding"]] = table.add([EMBEDDING_REASON])[0]
    bare = (slots < 0).all(axis=1)
    if bare.any():
        sector = _TypePairs(prepared, "sector", rows[bare], cols[bare]).lines(
            table, lambda a, b: (_sector_reason(a, b),), 1
        )
        slots[bare, _SLOT["sector"]] = sector[:, 0]
    ranks = np.broadcast_to(_RANK, slots.shape).copy()
    for name, found in (("offer", offer), ("seek", seek)):
        distinctive = ((found >= 0) & (found < facts.distinctive)).any(axis=1)
        ranks[distinctive, _SLOT[name]] = _DISTINCTIVE_TEXT
    return _picked(table, slots, ranks)


def _supply_line_ids(
    prepared: "Prepared", table: "_ReasonTable", rows: np.ndarray, cols: np.ndarray, they_help: bool
) -> np.ndarray:
    """Reason number of each pair's dependency line (-1 without): the largest heavy dependency of
    one firm that the other can relieve from outside its source country, the lower material name
    on a tie (as _best_dependency), read off the structural matrices, which hold that test."""
    s = prepared.structure
    found = np.full(len(rows), -1, dtype=np.int64)
    if not s.dependency_keys:
        return found
    by_material = sorted(range(len(s.dependency_keys)), key=lambda k: s.dependency_keys[k][0])
    dependent, supplier = (rows, cols) if they_help else (cols, rows)
    shares = s.dependency[dependent][:, by_material] * s.supplier[supplier][:, by_material]
    best = shares.argmax(axis=1)  # the first largest: the lower material name on a tie
    share = shares[np.arange(len(rows)), best].astype(np.int64)
    relieved = share > 0
    codes, inverse = np.unique(best[relieved] * 1000 + share[relieved], return_inverse=True)
    written = [
        _supply_line(s.dependency_keys[by_material[code // 1000]][0], code % 1000, they_help) for code in codes.tolist()
    ]
    found[relieved] = table.add(written)[inverse.reshape(-1)]
    return found


def _picked(table: "_ReasonTable", slots: np.ndarray, ranks: np.ndarray) -> tuple[list[list[str]], list[list[str]]]:
    """Each pair's lines by rank then slot, at most MAX_REASONS."""
    priority = np.where(slots >= 0, ranks * len(SLOTS) + np.arange(len(SLOTS)), np.iinfo(np.int64).max)
    # No two slots can hold the same sentence (each kind of line is worded apart), so no line repeats.
    order = np.argsort(priority, axis=1, kind="stable")[:, :MAX_REASONS]
    chosen = np.take_along_axis(slots, order, axis=1)
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


class _TypePairs:
    """The pairs' firm types for one structural part, each distinct (ours, theirs) handled once."""

    def __init__(self, prepared: "Prepared", part: str, rows: np.ndarray, cols: np.ndarray) -> None:
        types = prepared.structure.types[part]
        count = len(types.keys)
        self.keys = types.keys
        self.unique, inverse = np.unique(types.ids[rows] * count + types.ids[cols], return_inverse=True)
        self.inverse = inverse.reshape(-1)
        self.count = count

    def _pairs(self) -> list[tuple[Any, Any]]:
        return [(self.keys[code // self.count], self.keys[code % self.count]) for code in self.unique.tolist()]

    def flags(self, test: Callable[[Any, Any], bool]) -> np.ndarray:
        return np.array([test(ours, theirs) for ours, theirs in self._pairs()], dtype=bool)[self.inverse]

    def lines(
        self,
        table: "_ReasonTable",
        write: Callable[..., tuple[Pair | None, ...]],
        width: int,
        *flags: np.ndarray,
    ) -> np.ndarray:
        """(pairs x width) reason numbers written by write(ours, theirs, *flags), -1 where none."""
        codes = self.inverse
        for flag in flags:
            codes = codes * 2 + flag.astype(np.int64)
        unique, inverse = np.unique(codes, return_inverse=True)
        pairs = self._pairs()
        written = []
        for code in unique.tolist():
            bits = [bool(code >> (len(flags) - 1 - i) & 1) for i in range(len(flags))]
            found = write(*pairs[code >> len(flags)], *bits)
            written.append((*found, *(None,) * width)[:width])
        ids = np.stack([table.add([w[i] for w in written]) for i in range(width)], axis=1)
        return ids[inverse.reshape(-1)]


def _shared_ids(
    ours: sp.csr_matrix, theirs: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, exclude: np.ndarray | None = None
) -> np.ndarray:
    """(pairs x MAX_TERMS) term indexes in both ours[rows[i]] and theirs[cols[i]], rarest first,
    padded with -1, less the pair's `exclude` (-1 padded) terms: a sparse intersection of the two
    rows of each pair only."""
    both = ours[rows].multiply(theirs[cols]).tocsr()
    if exclude is not None:
        at, where = np.nonzero((exclude >= 0) & (exclude < both.shape[1]))
        out = sp.csr_matrix((np.ones(len(at), dtype=np.int8), (at, exclude[at, where])), shape=both.shape)
        out.data[:] = 1  # a term cited twice is excluded once
        both = (both - both.multiply(out)).tocsr()
        both.eliminate_zeros()
    both.sort_indices()
    shared = np.full((len(rows), MAX_TERMS), -1, dtype=np.int64)
    starts, counts = both.indptr[:-1], np.diff(both.indptr)
    for j in range(MAX_TERMS):
        has = counts > j
        shared[has, j] = both.indices[starts[has] + j]
    return shared


def _term_line_ids(
    facts: ReasonFacts,
    table: _ReasonTable,
    shared: np.ndarray,
    flag: np.ndarray | None,
    write: Callable[[tuple[tuple[str, ...], tuple[str, ...]], bool], Pair],
) -> np.ndarray:
    """Reason number of each pair's line on its shared terms (-1 without any), written once per
    distinct (terms, flag)."""
    keyed = np.hstack([shared, (flag if flag is not None else np.zeros(len(shared), dtype=bool))[:, None]])
    unique, inverse = _unique_rows(keyed.astype(np.int64))
    written: list[Pair | None] = []
    for *found, bit in unique.tolist():
        terms = [t for t in found if t >= 0]
        written.append(write(_named(facts, terms), bool(bit)) if terms else None)
    return table.add(written)[inverse]


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows in sorted order, each row's index among them): np.unique(axis=0) by a lexsort,
    many times faster than its sort of rows viewed as opaque bytes."""
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return ordered[starts], inverse


# --- The sentences -------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _joined(labels: tuple[str, ...], language: str) -> str:
    return (", " if language == "en" else "、").join(labels)


def _offer_line(named: tuple[tuple[str, ...], tuple[str, ...]], they_supply: bool) -> Pair:
    en, ja = _joined(named[0], "en"), _joined(named[1], "ja")
    if they_supply:
        return f"They supply what you want to buy ({en})", f"相手はあなたが購入したいものを供給しています（{ja}）"
    return f"They offer what you seek ({en})", f"相手はあなたが求めるものを提供しています（{ja}）"


def _seek_line(named: tuple[tuple[str, ...], tuple[str, ...]], they_buy: bool) -> Pair:
    en, ja = _joined(named[0], "en"), _joined(named[1], "ja")
    if they_buy:
        return f"They want to buy what you supply ({en})", f"相手はあなたの供給品の購入を希望しています（{ja}）"
    return f"They seek what you offer ({en})", f"相手はあなたが提供するものを求めています（{ja}）"


def _mention_line(named: tuple[tuple[str, ...], tuple[str, ...]]) -> Pair:
    return f"You both mention: {_joined(named[0], 'en')}", f"両社に共通するキーワード：{_joined(named[1], 'ja')}"


def _topic_line(named: tuple[tuple[str, ...], tuple[str, ...]]) -> Pair:
    return f"Similar activities ({_joined(named[0], 'en')})", f"事業内容が近い（{_joined(named[1], 'ja')}）"


def _fits(ours: tuple[str, ...], theirs: tuple[str, ...], types: Pair) -> bool:
    return types[0] in ours and types[1] in theirs


@lru_cache(maxsize=4096)
def _partnership_reasons(
    ours: tuple[str, ...], theirs: tuple[str, ...], they_supply: bool = False, they_buy: bool = False
) -> tuple[Pair, ...]:
    """What the declared types are, at most two lines; none for a trade the text lines already say
    ("They supply what you want to buy (…)")."""
    said = {THEY_SUPPLY} if they_supply else set()
    said |= {THEY_BUY} if they_buy else set()
    fits = [(a, b) for a in ours for b in theirs if (a, b) in PARTNERSHIP_REASONS and (a, b) not in said]
    return tuple(dict.fromkeys(PARTNERSHIP_REASONS[fit] for fit in fits))[:2]  # a type listed twice counts once


def _stage_label(stage: str, language: str) -> str:
    english, japanese = STAGES[stage]
    return japanese if language == "ja" else english[0].lower() + english[1:]


@lru_cache(maxsize=4096)
def _stage_reason(ours: tuple[str, ...], theirs: tuple[str, ...]) -> Pair | None:
    """One value-chain line: they buy from you, they supply you, both (one line saying both), or
    the same stage."""
    they_buy = [(mine, other) for mine in ours for other in theirs if other in STAGE_FLOWS.get(mine, ())]
    they_sell = [(mine, other) for mine in ours for other in theirs if mine in STAGE_FLOWS.get(other, ())]

    def en(stage: str) -> str:
        return _stage_label(stage, "en")

    def ja(stage: str) -> str:
        return _stage_label(stage, "ja")

    if they_buy and they_sell:
        (sold, buyer), (bought, seller) = they_buy[0], they_sell[0]
        if (sold, buyer) == (bought, seller):
            return (
                f"Both buyer and supplier for your {en(sold)} ({en(buyer)})",
                f"あなたの{ja(sold)}の買い手であり供給元でもあります（{ja(buyer)}）",
            )
        return (
            f"Both buyer and supplier: they buy from your {en(sold)} ({en(buyer)}) and supply your "
            f"{en(bought)} ({en(seller)})",
            f"あなたの{ja(sold)}の買い手（{ja(buyer)}）であり、{ja(bought)}の供給元（{ja(seller)}）でもあります",
        )
    if they_buy:
        mine, other = they_buy[0]
        return f"Downstream buyer for your {en(mine)} ({en(other)})", f"あなたの{ja(mine)}の川下の買い手（{ja(other)}）"
    if they_sell:
        mine, other = they_sell[0]
        return (
            f"Upstream supplier for your {en(mine)} ({en(other)})",
            f"あなたの{ja(mine)}の川上の供給元（{ja(other)}）",
        )
    same = [s for s in ours if s in theirs]
    if same:
        return f"Same value-chain stage ({en(same[0])})", f"同じバリューチェーン段階（{ja(same[0])}）"
    return None


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
        reasons.append(_supply_line(best[1], best[0], they_help=True))
    best = _best_dependency(their_heavy, our_supplies, our_country)
    if best:
        reasons.append(_supply_line(best[1], best[0], they_help=False))
    return tuple(reasons)


def _supply_line(material: str, share: int, they_help: bool) -> Pair:
    en, ja = _material_label(material, "en"), _material_label(material, "ja")
    if they_help:
        return (
            f"Would cut your {share}% dependence on one country for {en}",
            f"{ja}の一国への{share}%の依存を減らせます",
        )
    return (
        f"You could cut their {share}% dependence on one country for {en}",
        f"相手の{ja}の一国への{share}%の依存をあなたが減らせます",
    )


def _best_dependency(
    heavy: tuple[tuple[tuple[str, str], int], ...], supplies: frozenset[str], country: str
) -> tuple[int, str] | None:
    """(share, material) of the largest dependency the supplier can relieve from outside that country."""
    options = [(share, material) for (material, source), share in heavy if material in supplies and source != country]
    return min(options, key=lambda o: (-o[0], o[1])) if options else None


@lru_cache(maxsize=256)
def _sector_reason(ours: tuple[str, ...], theirs: tuple[str, ...]) -> Pair | None:
    shared = [s for s in ours if s in theirs]
    return (
        (f"Same sector ({SECTORS[shared[0]][0].lower()})", f"同じ分野（{SECTORS[shared[0]][1]}）") if shared else None
    )
