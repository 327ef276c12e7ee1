"""Japanese words, by the SudachiPy morphological analyser and its core dictionary.

Japanese has no spaces, so the glossary cannot find a Japanese term on word edges the way it does
in English, and substring matching finds terms inside unrelated words (再生 "recycling" inside
再生医療 "regenerative medicine"). Sudachi cuts a text into dictionary words; the glossary then
matches whole words and word sequences only, and the words it does not know become residue
features.

Why Sudachi (sudachipy + sudachidict-core) rather than MeCab/UniDic (fugashi + unidic-lite): each
Sudachi word carries a *normalized form* that folds spelling variants (表記ゆれ: セパレータ and
セパレーター, 組立 and 組み立て, リン酸 and 燐酸 all give one form), so firms that spell a term
differently share the feature; and its dictionary is maintained with three split modes.

Why split mode A (the shortest units): a compound is cut into its parts (リチウムイオン電池 into
リチウム / イオン / 電池, 正極材 into 正極 / 材), so a glossary term matches a part of any compound
at a word edge, and a glossary form of several words (再生医療: 再生 / 医療) matches the same
sequence of parts wherever it occurs. Modes B and C keep such compounds whole (C gives
リチウムイオン電池 and iPS細胞 as one word each), so every compound would have to be listed.

The dictionary is loaded once per process on first use (about 0.1 s, memory-mapped) and each
thread gets its own tokenizer (a Sudachi tokenizer must not be shared between threads). Results are
cached per text piece: profiles repeat many clauses.
"""

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # imported lazily: English-only runs never load the dictionary
    from sudachipy import Dictionary, Tokenizer

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
"""Kana (hiragana, katakana, half-width katakana) or kanji: text that needs the analyser."""
KATAKANA_WORD = re.compile(r"[\u30a0-\u30ff]+")

MAX_PIECE = 2000
"""Characters per call to the analyser: Sudachi refuses very long inputs, and profile texts
are cut at punctuation long before this."""

_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
"""Parts of speech kept as residue words: nouns, verbs, adjectives and adjectival nouns
(形状詞: 持続可能, 高度). Particles, auxiliaries, suffixes, prefixes, symbols are dropped."""
_DROPPED_SUBCLASSES = frozenset({"数詞", "非自立可能"})
"""Numerals, and light verbs and nouns that only carry grammar (する, いる, ある, こと, ため)."""
STOP_WORDS = frozenset(
    ["当社", "弊社", "同社", "自社", "会社", "企業", "事業", "提供", "探す", "求める", "希望", "行う", "持つ"]
    + ["手掛ける", "展開", "本社", "設立", "活用", "目指す", "向け", "向ける", "用", "年", "社", "関連"]
    + ["分野", "領域", "可能", "様々", "幅広い", "多い"]
)
"""Normalized forms as common in Japanese profiles as "company", "offer" and "seek" are in English
ones (text.py drops those): they say nothing about what a firm does."""


class Word(NamedTuple):
    surface: str
    form: str
    """Sudachi's normalized form (variants folded); latin words keep their surface."""
    content: bool
    """Noun, verb or adjective that says something: a residue candidate."""


def has_japanese(text: str) -> bool:
    return JAPANESE.search(text) is not None


@lru_cache(maxsize=1)
def _dictionary() -> "Dictionary":
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_local = threading.local()


def _tokenizer() -> "Tokenizer":
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.A)
    return tokenizer


_content_pos: dict[int, bool] = {}
"""Sudachi part-of-speech id -> whether words of it are content words (filled on first sight)."""


def _is_content(pos_id: int) -> bool:
    pos = _dictionary().pos_of(pos_id) or ("",) * 6
    return _content_pos.setdefault(pos_id, pos[0] in _CONTENT_POS and pos[1] not in _DROPPED_SUBCLASSES)


@lru_cache(maxsize=1 << 17)
def words(piece: str) -> tuple[Word, ...]:
    """The words of a piece of text (no spaces needed), in order; whitespace is dropped."""
    result: list[Word] = []
    tokenizer, content_pos, make = _tokenizer(), _content_pos, Word._make
    for start in range(0, len(piece), MAX_PIECE):
        for morpheme in tokenizer.tokenize(piece[start : start + MAX_PIECE]):
            surface = morpheme.surface()
            if surface.isascii():  # latin words as written (Sudachi upper-cases "rna"), spaces dropped
                if not surface.isspace():
                    result.append(make((surface, surface, False)))
                continue
            form = morpheme.normalized_form()
            pos_id = morpheme.part_of_speech_id()
            content = content_pos.get(pos_id)
            if content is None:
                content = _is_content(pos_id)
            result.append(make((surface, form, content and form not in STOP_WORDS)))
    return tuple(result)


def forms(phrase: str) -> tuple[str, ...]:
    """The normalized forms of a phrase's words: how a glossary form is matched."""
    return tuple(word.form for word in words(phrase))
