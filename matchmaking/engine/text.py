"""Text features: TF-IDF over glossary concepts plus TF-IDF over the words the glossary left over.

Each text field becomes one L2-normalized sparse row: the concept part (language-independent,
weight CONCEPT_SHARE of the squared norm) side by side with the residue part (latin words, and the
content words of Japanese text as the morphological analyser cuts them: Japanese has no spaces).
The cosine of two rows is then CONCEPT_SHARE * concept cosine + (1 - CONCEPT_SHARE) * residue
cosine when both have both parts.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize as l2_normalize

from . import japanese
from .glossary import find_concepts
from .records import Profile

FIELDS = ("offer", "seek", "topic")
WHOLE = ("terms", "concepts")
"""Whole-profile matrices (all fields in one document): "terms" holds only the words the glossary
did not cover (distinctive words: alloy names, diseases, product kinds), "concepts" only glossary
concepts (language-independent). Compared as whole profiles they also find peers (two separator
makers, two pharma firms), whose offers do not answer each other's seeks."""
MATRICES = FIELDS + WHOLE
CONCEPT_SHARE = 0.65
"""Share of a text's similarity carried by glossary concepts: a Japanese text and its English
twin share concepts but hardly any residue, so the residue must not weigh much; 0.65 was best on the
development corpus and the generated benchmark (0.8 and 0.5 were worse)."""

_WORD = re.compile(r"[a-z\u00c0-\u024f]{3,}")
_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "our",
        "are",
        "from",
        "that",
        "this",
        "into",
        "also",
        "their",
        "they",
        "them",
        "its",
        "has",
        "have",
        "will",
        "can",
        "all",
        "any",
        "who",
        "what",
        "which",
        "more",
        "most",
        "such",
        "other",
        "than",
        "then",
        "but",
        "not",
        "per",
        "via",
        "over",
        "under",
        "about",
        "as",
        "by",
        "on",
        "in",
        "at",
        "to",
        "of",
        "or",
        "an",
        "we",
        "us",
        "you",
        "your",
        "seek",
        "seeking",
        "seeks",
        "looking",
        "look",
        "offer",
        "offers",
        "offering",
        "provide",
        "provides",
        "providing",
        "company",
        "companies",
        "firm",
        "firms",
        "based",
        "since",
        "year",
        "years",
        "founded",
        "based",
        "including",
        "include",
        "includes",
        "well",
        "new",
        "high",
        "based",
        "strong",
        "leading",
        "wide",
        "range",
    ]
)


_SENTINEL = "\x00"


@dataclass(frozen=True)
class FieldTokens:
    concepts: tuple[str, ...]
    residue: tuple[str, ...]


def field_texts(profile: Profile) -> dict[str, str]:
    """The text of each field; keywords describe what a firm does, so they join offer and topic."""
    keywords = ", ".join(profile.keywords)
    return {
        "offer": f"{profile.offer}\n{keywords}",
        "seek": profile.seek,
        "topic": f"{profile.description}\n{keywords}",
    }


def residue_tokens(residue: str) -> tuple[str, ...]:
    """Words of a text the glossary did not cover: latin words of three letters or more (minus stop
    words) and, in Japanese, the analyser's content words (normalized forms of nouns, verbs and
    adjectives; see japanese.py), in order."""
    if not japanese.has_japanese(residue):  # most texts: only stop words to drop
        return _latin_words(residue)
    tokens: list[str] = []
    for chunk in residue.split():
        if not japanese.has_japanese(chunk):
            tokens += _latin_words(chunk)
            continue
        for word in japanese.words(chunk):
            if word.content:
                tokens.append(word.form)
            elif word.surface.isascii():
                tokens += _latin_words(word.form)
    return tuple(tokens)


def _latin_words(text: str) -> tuple[str, ...]:
    return tuple(word for word in _WORD.findall(text) if word not in _STOPWORDS)


def tokenize(text: str) -> FieldTokens:
    """Glossary concepts of a text, and its residue: the latin words left over, then the Japanese
    content words left over."""
    match = find_concepts(text)
    return FieldTokens(match.concepts, residue_tokens(match.residue) + match.words)


@dataclass(frozen=True)
class TextFeatures:
    matrices: dict[str, sp.csr_matrix]
    """Field name (FIELDS) or whole-profile matrix (WHOLE) -> (firms x features) float32 CSR, rows
    L2-normalized (or all zero)."""
    concepts: dict[str, list[tuple[str, ...]]]
    """Field name -> concept ids of each firm, for reasons."""
    concept_idf: dict[str, float]
    japanese: np.ndarray
    """(firms,) bool: the firm writes Japanese only (language "ja"), so shares no words with English."""
    residue_idf: dict[str, float] = field(default_factory=dict)
    """Residue word -> IDF, in the order of the residue columns: a field matrix holds the concept
    columns (one empty column, then the concepts in concept_idf order) and then the residue columns
    (one empty column, then these words); reasons name shared words by it."""


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def _tfidf(docs: list[Sequence[str]], firms: int) -> tuple[list[sp.csr_matrix], dict[str, float]]:
    """TF-IDF (sublinear tf, smoothed idf, no norm) of field documents given field by field
    (len(FIELDS) blocks of `firms` rows), with the IDF fitted on firms: a token's document
    frequency is the number of firms that use it in any field. Returns each field's block and the
    IDF of each token. Each token is counted once, in one pass."""
    # A trailing sentinel document keeps a vocabulary when no text has a token (the vectorizer
    # refuses an empty one); fields never contain it, so its column stays zero.
    counter = CountVectorizer(analyzer=_identity, dtype=np.float32)
    counts = counter.fit_transform([*docs, [_SENTINEL]])
    blocks = [counts[i * firms : (i + 1) * firms] for i in range(len(FIELDS))]
    weighting = TfidfTransformer(sublinear_tf=True, norm=None).fit(sum(blocks[1:], blocks[0]))
    idf = dict(zip(counter.get_feature_names_out().tolist(), weighting.idf_.tolist(), strict=True))
    del idf[_SENTINEL]
    return [weighting.transform(block) for block in blocks], idf


def build_text_features(profiles: Sequence[Profile]) -> TextFeatures:
    """Fit the IDF on this run's firms (one document per firm, all fields) and vectorize each field."""
    tokens = {name: [] for name in FIELDS}  # type: dict[str, list[FieldTokens]]
    for profile in profiles:
        for name, text in field_texts(profile).items():
            tokens[name].append(tokenize(text))
    firms = len(profiles)
    concepts, concept_idf = _tfidf([t.concepts for name in FIELDS for t in tokens[name]], firms)
    residue, residue_idf = _tfidf([t.residue for name in FIELDS for t in tokens[name]], firms)
    matrices = {name: _combine(concepts[i], residue[i]) for i, name in enumerate(FIELDS)}
    matrices["terms"] = _whole(residue)
    matrices["concepts"] = _whole(concepts)
    japanese = np.array([p.language == "ja" for p in profiles], dtype=bool)
    concepts_of = {name: [t.concepts for t in tokens[name]] for name in FIELDS}
    return TextFeatures(matrices, concepts_of, concept_idf, japanese, residue_idf)


def _whole(blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """One L2-normalized row per firm from its fields' TF-IDF rows: the sum of the field rows
    counts a token used in two fields twice, which is what a reader of the whole profile sees."""
    return l2_normalize(sum(blocks[1:], blocks[0])).astype(np.float32).tocsr()


def _combine(concepts: sp.csr_matrix, residue: sp.csr_matrix) -> sp.csr_matrix:
    concepts = l2_normalize(concepts) * np.float32(np.sqrt(CONCEPT_SHARE))
    residue = l2_normalize(residue) * np.float32(np.sqrt(1.0 - CONCEPT_SHARE))
    # Renormalizing gives a text with only one kind of feature its full weight there.
    combined = l2_normalize(sp.hstack([concepts, residue], format="csr"))
    return combined.astype(np.float32)
